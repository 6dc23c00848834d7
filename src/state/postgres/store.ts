/**
 * State in PostgreSQL, for teams: many CI runners and the GitOps controller share one state per
 * workspace. A row per record, a row per workspace (lineage, serial), bodies by digest, and the
 * lock of ./lock.ts. Every write is one transaction that also sets the serial, made only while
 * this process still holds the workspace's lock (checked inside the transaction).
 */
import pg, { type ClientConfig, type PoolClient } from 'pg';
import { RosettaError } from '../../errors.js';
import { bodyText } from '../../model/body-text.js';
import type { HeldLock, LockOptions } from '../lock.js';
import type { StateDelta, StateStore, UnlockedLock } from '../store.js';
import { STATE_VERSION, emptyState, type LockHolder, type ResourceRecord, type State } from '../../model/records.js';
import { LEADER_NAMESPACE, acquirePgLock, readPgHolder, type PgLock } from './lock.js';
import { migrate, schemaVersion } from './migrations.js';
import { redactUrl } from './url.js';

export class PostgresStateStore implements StateStore {
  readonly location: string;
  private readonly config: ClientConfig;
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;
  private readable: Promise<boolean> | undefined;
  private lockHeld: PgLock | undefined;

  constructor(
    url: string,
    private readonly workspace: string,
  ) {
    this.location = `${redactUrl(url)} (workspace ${workspace})`;
    // libpq's PG* variables fill in what the URL leaves out (pg reads them itself).
    this.config = { connectionString: url, application_name: 'rosetta', connectionTimeoutMillis: 10_000, keepAlive: true };
    this.pool = new pg.Pool({ ...this.config, max: 2, idleTimeoutMillis: 5_000 });
    // A connection that drops while idle in the pool must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async read(): Promise<State> {
    if (!(await this.tablesExist())) return emptyState();
    return this.run('read', async (client) => {
      const head = await client.query<{ lineage: string | null; serial: string; applied_plans: string[] }>('SELECT lineage, serial, applied_plans FROM rosetta.workspaces WHERE name = $1', [this.workspace]);
      const row = head.rows[0];
      if (!row) return emptyState();
      const records = await client.query<{ address: string; record: ResourceRecord }>('SELECT address, record FROM rosetta.resources WHERE workspace = $1 ORDER BY address', [this.workspace]);
      const resources: Record<string, ResourceRecord> = {};
      for (const r of records.rows) resources[r.address] = r.record;
      return { version: STATE_VERSION, lineage: row.lineage, serial: Number(row.serial), appliedPlans: row.applied_plans, resources };
    });
  }

  /**
   * One commit in one statement (one round trip): the lock check, the workspace row and the
   * records that changed, together or not at all (a statement is its own transaction). It was
   * six round trips (BEGIN, check, three writes, COMMIT), which made a create cost more here than
   * in a file's journal.
   */
  async write(state: State, delta: StateDelta): Promise<void> {
    // Taken now, before any await: the session goes on changing `state` while this write runs.
    const head = [state.lineage, state.serial, JSON.stringify(state.appliedPlans)] as const;
    const put = [...delta.put];
    const remove = [...delta.remove];
    await this.init();
    const lock = this.requireLock();
    const { rows } = await this.run('write', (client) =>
      client.query<{ held: boolean }>(
        `WITH held AS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1),
         workspace AS (
           INSERT INTO rosetta.workspaces (name, lineage, serial, applied_plans, updated_at)
           SELECT $2, $3, $4, $5::jsonb, now() WHERE EXISTS (SELECT 1 FROM held)
           ON CONFLICT (name) DO UPDATE SET lineage = EXCLUDED.lineage, serial = EXCLUDED.serial, applied_plans = EXCLUDED.applied_plans, updated_at = now()
         ),
         removed AS (DELETE FROM rosetta.resources WHERE workspace = $2 AND address = ANY($6::text[]) AND EXISTS (SELECT 1 FROM held)),
         written AS (
           INSERT INTO rosetta.resources (workspace, address, record)
           SELECT $2, address, record::jsonb FROM unnest($7::text[], $8::text[]) AS t(address, record) WHERE EXISTS (SELECT 1 FROM held)
           ON CONFLICT (workspace, address) DO UPDATE SET record = EXCLUDED.record
         )
         -- (Data-modifying WITH parts run to completion whether or not this reads them.)
         SELECT EXISTS (SELECT 1 FROM held) AS held`,
        [lock.backendPid, this.workspace, ...head, remove, put.map(([address]) => address), put.map(([, record]) => JSON.stringify(record))],
      ),
    );
    // The advisory lock lives on another connection: checked inside the statement, so a write never
    // lands after the lock passed to another run.
    if (!rows[0]?.held) throw lostLock(this.location);
  }

  replace(state: State): Promise<void> {
    return this.transaction(async (client) => {
      await client.query('DELETE FROM rosetta.resources WHERE workspace = $1', [this.workspace]);
      await this.writeRows(client, state, new Map(Object.entries(state.resources)), []);
    });
  }

  async lock(options: LockOptions): Promise<HeldLock> {
    await this.init();
    const lock = await this.run('lock', () => acquirePgLock(this.config, this.workspace, this.location, options));
    this.lockHeld = lock;
    return {
      holder: lock.holder,
      release: async () => {
        if (this.lockHeld === lock) this.lockHeld = undefined;
        await lock.release();
      },
    };
  }

  async lockLeader(options: LockOptions): Promise<HeldLock> {
    await this.init();
    return this.run('lock', () => acquirePgLock(this.config, this.workspace, this.location, options, LEADER_NAMESPACE));
  }

  /** For the state lock and the leader's: ends the holder's connection (which frees its advisory lock) and removes its row. */
  async forceUnlock(): Promise<UnlockedLock[]> {
    if (!(await this.tablesExist())) return [];
    return this.run('unlock', async (client) => {
      const removed: UnlockedLock[] = [];
      for (const [lock, row] of [['state', this.workspace], ['leader', `${this.workspace}#leader`]] as const) {
        const holder = await readPgHolder(client, row);
        const { rows } = await client.query<{ backend_pid: number }>('DELETE FROM rosetta.lock_holders WHERE workspace = $1 RETURNING backend_pid', [row]);
        const pid = rows[0]?.backend_pid;
        if (pid === undefined) continue;
        await client.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1`, [pid]);
        removed.push({ lock, holder, where: `${this.location}` });
      }
      return removed;
    });
  }

  async putBody(digest: string, body: unknown): Promise<void> {
    await this.init();
    await this.run('write', (client) => client.query('INSERT INTO rosetta.bodies (digest, body) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING', [digest, JSON.stringify(body)]));
  }

  /** One statement for an apply's bodies. */
  async putBodies(bodies: ReadonlyMap<string, unknown>): Promise<void> {
    if (bodies.size === 0) return;
    await this.init();
    // Two texts split by PostgreSQL at the record separator, not two text[] parameters: node-pg
    // escapes every quote of an array literal and PostgreSQL parses it back (340 ms for an apply's
    // 7.5 MB of bodies, against 120 ms). JSON text never holds a raw U+001E (it is written \u001e).
    const digests = [...bodies.keys()].join(RECORD_SEPARATOR);
    const texts = [...bodies.values()].map((body) => bodyText(body)).join(RECORD_SEPARATOR);
    await this.run('write', (client) =>
      client.query(`INSERT INTO rosetta.bodies (digest, body) SELECT * FROM unnest(string_to_array($1, E'\\x1e'), string_to_array($2, E'\\x1e')) ON CONFLICT (digest) DO NOTHING`, [digests, texts]),
    );
  }

  async getBody(digest: string): Promise<unknown> {
    if (!(await this.tablesExist())) return undefined;
    const { rows } = await this.run('read', (client) => client.query<{ body: string }>('SELECT body FROM rosetta.bodies WHERE digest = $1', [digest]));
    return rows[0] ? (JSON.parse(rows[0].body) as unknown) : undefined;
  }

  /** One statement: a key another replica recorded first is not returned, so it is not sent twice. */
  async claimNotifications(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    await this.init();
    const { rows } = await this.run('write', (client) =>
      client.query<{ key: string }>('INSERT INTO rosetta.notified (workspace, key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING key', [this.workspace, [...new Set(keys)]]),
    );
    return rows.map((r) => r.key);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  /** Creates or upgrades the schema, once per process: before anything is written. */
  private init(): Promise<void> {
    this.ready ??= this.run('prepare', (client) => migrate(client, this.location)).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * Whether rosetta's tables are there, for reads: a read creates nothing, so plan and state list
   * work with a role that may only SELECT (guarantee 8), and before the first apply they read an
   * empty state.
   */
  private tablesExist(): Promise<boolean> {
    if (this.ready) return this.ready.then(() => true);
    this.readable ??= this.run('read', async (client) => (await schemaVersion(client, this.location)) > 0).catch((error: unknown) => {
      this.readable = undefined;
      throw error;
    });
    return this.readable;
  }

  private async writeRows(client: PoolClient, state: State, put: Map<string, ResourceRecord>, remove: string[]): Promise<void> {
    await client.query(
      `INSERT INTO rosetta.workspaces (name, lineage, serial, applied_plans, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (name) DO UPDATE SET lineage = EXCLUDED.lineage, serial = EXCLUDED.serial, applied_plans = EXCLUDED.applied_plans, updated_at = now()`,
      [this.workspace, state.lineage, state.serial, JSON.stringify(state.appliedPlans)],
    );
    if (remove.length > 0) await client.query('DELETE FROM rosetta.resources WHERE workspace = $1 AND address = ANY($2::text[])', [this.workspace, remove]);
    if (put.size > 0) {
      await client.query(
        `INSERT INTO rosetta.resources (workspace, address, record)
         SELECT $1, address, record::jsonb FROM unnest($2::text[], $3::text[]) AS t(address, record)
         ON CONFLICT (workspace, address) DO UPDATE SET record = EXCLUDED.record`,
        [this.workspace, [...put.keys()], [...put.values()].map((r) => JSON.stringify(r))],
      );
    }
  }

  private requireLock(): PgLock {
    const lock = this.lockHeld;
    if (!lock?.held) throw lostLock(this.location);
    return lock;
  }

  /** One transaction, made only while this process holds the workspace's lock. */
  private async transaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    await this.init();
    await this.run('write', async (client) => {
      const lock = this.requireLock();
      await client.query('BEGIN');
      try {
        // The advisory lock lives on another connection: make sure it is still there, inside this
        // transaction, so a write never lands after the lock passed to another run.
        const { rows } = await client.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1`, [lock.backendPid]);
        if (rows.length === 0) throw lostLock(this.location);
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Runs `work` on a pooled connection; database errors become user-facing errors naming the database. */
  private async run<T>(action: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.databaseError(action, error);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      broken = !(error instanceof RosettaError);
      throw this.databaseError(action, error);
    } finally {
      client.release(broken);
    }
  }

  private databaseError(action: string, error: unknown): unknown {
    if (error instanceof RosettaError) return error;
    const message = (error as Error)?.message ?? String(error);
    return new RosettaError('ROS_STATE_IO', `cannot ${action} the state in ${this.location}: ${message}`, {
      hint: 'check that the database is reachable and the URL, PG* variables and credentials are right; run plan to see what was recorded',
      cause: error,
    });
  }
}

function lostLock(location: string): RosettaError {
  // The database is out of reach (or the session was ended): an I/O failure, not another run's lock.
  return new RosettaError('ROS_STATE_IO', `lost the database connection that holds the state lock on ${location}; nothing more is written`, {
    hint: 'once the database is reachable, run plan to see what was recorded, then apply again',
  });
}

/** U+001E, between the digests and between the bodies of putBodies' two parameters. */
const RECORD_SEPARATOR = '\x1e';
