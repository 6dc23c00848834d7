/**
 * The schema `rosetta`, created on first write by numbered migrations, each in its own transaction
 * and recorded in `rosetta.schema_version` (as graphile-worker does). Concurrent first uses are
 * serialised by a transaction-level advisory lock. Reading never creates anything (a read-only
 * role can plan). A database migrated by a newer rosetta is refused rather than written with an
 * older idea of the tables.
 */
import type { ClientBase } from 'pg';
import { RosettaError } from '../../errors.js';

export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE rosetta.workspaces (
        name text PRIMARY KEY,
        lineage text,
        serial bigint NOT NULL DEFAULT 0,
        applied_plans jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One row per resource record: a create commits its own row, whatever the size of the state.
      CREATE TABLE rosetta.resources (
        workspace text NOT NULL REFERENCES rosetta.workspaces (name) ON DELETE CASCADE,
        address text NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (workspace, address)
      );
      -- Content-addressed, so shared by every workspace.
      CREATE TABLE rosetta.bodies (
        digest text PRIMARY KEY,
        body text NOT NULL
      );
      -- Who holds a workspace's lock (the lock itself is a session advisory lock).
      CREATE TABLE rosetta.lock_holders (
        workspace text PRIMARY KEY,
        holder jsonb NOT NULL,
        backend_pid integer NOT NULL
      );`,
  },
  {
    version: 2,
    sql: `
      -- The advisory lock's key for each workspace: a number of its own, where hashtext(name), a
      -- 32-bit hash, let two workspaces share a key and lock each other out.
      CREATE TABLE rosetta.lock_keys (
        workspace text PRIMARY KEY,
        key integer GENERATED ALWAYS AS IDENTITY UNIQUE
      );`,
  },
  {
    version: 3,
    sql: `
      -- What reconcile --notify sent, per workspace and event key: at most once across replicas.
      CREATE TABLE rosetta.notified (
        workspace text NOT NULL,
        key text NOT NULL,
        notified_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace, key)
      );`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Any fixed 64-bit number: the key of the migration lock. */
const MIGRATION_LOCK_KEY = '7261736574746101';

/**
 * The schema version the database holds, 0 when rosetta's tables are not there yet. Reads only
 * (a role that may only SELECT can call it); refuses a database migrated by a newer rosetta.
 */
export async function schemaVersion(client: ClientBase, where: string): Promise<number> {
  const { rows: exists } = await client.query<{ present: boolean }>(`SELECT to_regclass('rosetta.schema_version') IS NOT NULL AS present`);
  if (!exists[0]?.present) return 0;
  const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM rosetta.schema_version');
  const current = rows[0]?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${where} holds rosetta tables of schema version ${current}; this rosetta knows up to ${SCHEMA_VERSION}`, {
      hint: 'upgrade rosetta: a newer version has migrated this database',
    });
  }
  return current;
}

/**
 * Brings the schema to SCHEMA_VERSION. Nothing is created when it is there already, so a role
 * without CREATE on the database can use a database an owner prepared. Each migration runs in a
 * transaction of its own, under a transaction-level advisory lock, and re-reads the version
 * inside it: of two first uses at once, one migrates and the other finds it done.
 */
export async function migrate(client: ClientBase, where: string): Promise<void> {
  if ((await schemaVersion(client, where)) === SCHEMA_VERSION) return;
  for (const migration of MIGRATIONS) {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      const { rows } = await client.query<{ present: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'rosetta') AS present`);
      if (!rows[0]?.present) await client.query('CREATE SCHEMA rosetta');
      await client.query('CREATE TABLE IF NOT EXISTS rosetta.schema_version (version integer NOT NULL)');
      if ((await schemaVersion(client, where)) < migration.version) {
        await client.query(migration.sql);
        await client.query('INSERT INTO rosetta.schema_version (version) VALUES ($1)', [migration.version]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
