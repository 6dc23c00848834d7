/**
 * The schema `rosetta`, created on first use by numbered migrations, each in its own transaction
 * and recorded in `rosetta.schema_version` (as graphile-worker does). Concurrent first uses are
 * serialised by a transaction-level advisory lock. A database migrated by a newer rosetta is
 * refused rather than written with an older idea of the tables.
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
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Any fixed 64-bit number: the key of the migration lock. */
const MIGRATION_LOCK_KEY = '7261736574746101';

export async function migrate(client: ClientBase, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await client.query('CREATE SCHEMA IF NOT EXISTS rosetta');
    await client.query('CREATE TABLE IF NOT EXISTS rosetta.schema_version (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM rosetta.schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new RosettaError('ROS_STATE_CORRUPT', `${where} holds rosetta tables of schema version ${current}; this rosetta knows up to ${SCHEMA_VERSION}`, {
        hint: 'upgrade rosetta: a newer version has migrated this database',
      });
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO rosetta.schema_version (version) VALUES ($1)', [migration.version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
