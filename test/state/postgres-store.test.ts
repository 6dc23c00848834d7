// What only the PostgreSQL store does: migrations, the lock's connection, redacted locations.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { StateSession } from '../../src/state/session.js';
import { emptyState } from '../../src/model/records.js';
import { adminQuery, describePostgres, freshDatabase } from '../helpers/postgres.js';

const record = (name: string) => ({ kind: 'AnnotationRequest' as const, name, status: 'applied' as const, outcome: 'created' as const, digest: `sha256:${name}`, annotationRequestId: `id-${name}`, appliedAt: 't' });

const opened: PostgresStateStore[] = [];
const open = (url: string, workspace = 'default') => {
  const store = new PostgresStateStore(url, workspace);
  opened.push(store);
  return store;
};
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

it('shows its location with the password as ***, in the query string too', () => {
  expect(open('postgres://ci:s3cret@db.internal:5432/rosetta?sslmode=require', 'team-a').location).toBe('postgres://ci:***@db.internal:5432/rosetta?sslmode=require (workspace team-a)');
  const query = open('postgres://ci@db.internal:5432/rosetta?password=s3cret&sslmode=require').location;
  expect(query).toBe('postgres://ci@db.internal:5432/rosetta?password=***&sslmode=require (workspace default)');
  expect(query).not.toContain('s3cret');
});

it('names an unreachable database, without its password', async () => {
  const error = await open('postgres://ci:s3cret@127.0.0.1:1/rosetta').read().catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'ROS_STATE_IO', message: expect.stringContaining('cannot read the state in postgres://ci:***@127.0.0.1:1/rosetta (workspace default): ') });
  expect(JSON.stringify(error)).not.toContain('s3cret');
});

describePostgres('PostgreSQL state store', () => {
  let url = '';
  beforeAll(async () => {
    url = await freshDatabase();
  });

  it('reads an empty state without creating anything; creates its schema once, however many writers start at the same time', async () => {
    const fresh = await freshDatabase();
    const states = await Promise.all(Array.from({ length: 4 }, (_, i) => open(fresh, `w${i}`).read()));
    expect(states.every((s) => s.serial === 0)).toBe(true);
    expect((await adminQuery(`SELECT 1 FROM pg_namespace WHERE nspname = 'rosetta'`, [], fresh)).rows).toEqual([]);
    const locks = await Promise.all(Array.from({ length: 4 }, (_, i) => open(fresh, `w${i}`).lock({ command: 'test' })));
    await Promise.all(locks.map((l) => l.release()));
    const { rows } = await adminQuery('SELECT version FROM rosetta.schema_version', [], fresh);
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('locks two workspaces whose names share a 32-bit hash independently', async () => {
    // hashtext('ws-117') = hashtext('ws-188084'): the old key made one wait for the other.
    const { rows } = await adminQuery(`SELECT hashtext('ws-117') = hashtext('ws-188084') AS same`, [], url);
    expect(rows).toEqual([{ same: true }]);
    const first = await open(url, 'ws-117').lock({ command: 'first' });
    try {
      const second = await open(url, 'ws-188084').lock({ command: 'second' });
      await second.release();
      // The same workspace is still locked out.
      await expect(open(url, 'ws-117').lock({ command: 'third' })).rejects.toMatchObject({ code: 'ROS_STATE_LOCKED' });
    } finally {
      await first.release();
    }
  });

  // Each layer of "write only while holding the lock", alone (issue 24): the lock object's flag,
  // the statement's check of the lock's backend, and the statement's answer. The lock object is
  // injected: the states between a terminated connection and its error event cannot be reached
  // otherwise.
  const inject = (store: PostgresStateStore, lock: { held: boolean; backendPid: number }) => Object.assign(store as unknown as { lockHeld: unknown }, { lockHeld: lock });
  const oneRecord = () => ({ state: { ...emptyState(), lineage: 'l', serial: 1 }, delta: { put: new Map([['AnnotationRequest/a', record('a')]]), remove: new Set<string>() } });
  const rowsOf = async (workspace: string) => (await adminQuery('SELECT address FROM rosetta.resources WHERE workspace = $1', [workspace], url)).rows;

  it('writes nothing once its lock says it is lost, even if its backend still holds an advisory lock', async () => {
    const other = await open(url, 'layer-holder').lock({ command: 'other' });
    try {
      const { rows } = await adminQuery(`SELECT backend_pid FROM rosetta.lock_holders WHERE workspace = 'layer-holder'`, [], url);
      const store = open(url, 'layer-a');
      inject(store, { held: false, backendPid: rows[0]!.backend_pid as number });
      const { state, delta } = oneRecord();
      await expect(store.write(state, delta)).rejects.toMatchObject({ code: 'ROS_STATE_IO' });
      expect(await rowsOf('layer-a')).toEqual([]);
    } finally {
      await other.release();
    }
  });

  it('writes nothing when its own backend holds no lock, though another workspace\'s lock is held', async () => {
    const other = await open(url, 'layer-holder-2').lock({ command: 'other' });
    try {
      const store = open(url, 'layer-b');
      inject(store, { held: true, backendPid: 1 });
      const { state, delta } = oneRecord();
      await expect(store.write(state, delta)).rejects.toMatchObject({ code: 'ROS_STATE_IO', message: expect.stringContaining('lost the database connection that holds the state lock') });
      expect(await rowsOf('layer-b')).toEqual([]);
    } finally {
      await other.release();
    }
  });

  it('refuses a schema migrated by a newer rosetta', async () => {
    const fresh = await freshDatabase();
    await (await open(fresh).lock({ command: 'test' })).release();
    await adminQuery('INSERT INTO rosetta.schema_version (version) VALUES (99)', [], fresh);
    await expect(open(fresh).read()).rejects.toMatchObject({ code: 'ROS_STATE_CORRUPT', message: expect.stringContaining('schema version 99; this rosetta knows up to 3') });
  });

  it('writes nothing once the lock\'s connection is gone', async () => {
    const store = open(url, 'lost-lock');
    const lock = await store.lock({ command: 'test' });
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    const { rows } = await adminQuery(`SELECT backend_pid FROM rosetta.lock_holders WHERE workspace = 'lost-lock'`, [], url);
    await adminQuery('SELECT pg_terminate_backend($1)', [rows[0]!.backend_pid], url);
    // Someone else may take the lock now; this run must not write after it.
    const other = await open(url, 'lost-lock').lock({ command: 'other', timeoutMs: 5_000 });
    await expect(session.put('AnnotationRequest/b', record('b'))).rejects.toMatchObject({ code: 'ROS_STATE_IO', message: expect.stringContaining('lost the database connection that holds the state lock') });
    expect(Object.keys((await store.read()).resources)).toEqual(['AnnotationRequest/a']);
    await other.release();
    await lock.release();
  });

  it('keeps workspaces apart', async () => {
    const a = open(url, 'team-a');
    const b = open(url, 'team-b');
    const lock = await a.lock({ command: 'test' });
    const lockB = await b.lock({ command: 'test' });
    await new StateSession(a, await a.read()).put('AnnotationRequest/a', record('a'));
    expect((await b.read()).resources).toEqual({});
    await lock.release();
    await lockB.release();
  });
});
