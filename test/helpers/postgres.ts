// PostgreSQL for tests: ROSETTA_TEST_POSTGRES_URL (default the local server's `test` database).
// Each suite gets a database of its own, dropped afterwards. Without a server the suites are
// skipped with a notice; with ROSETTA_REQUIRE_POSTGRES=1 (as .ci/run sets) they fail instead.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';

export const TEST_POSTGRES_URL = process.env.ROSETTA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const required = process.env.ROSETTA_REQUIRE_POSTGRES === '1';

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await reachable();

/** `describe` for suites that need PostgreSQL. */
export function describePostgres(name: string, body: () => void): void {
  if (problem === undefined) {
    describe(name, body);
    return;
  }
  if (required) {
    describe(name, () => it('needs PostgreSQL (ROSETTA_REQUIRE_POSTGRES=1)', () => {
      throw new Error(`PostgreSQL at ${TEST_POSTGRES_URL} is not reachable: ${problem}`);
    }));
    return;
  }
  console.warn(`notice: skipping "${name}": no PostgreSQL at ${TEST_POSTGRES_URL} (${problem}); set ROSETTA_TEST_POSTGRES_URL`);
  describe.skip(name, body);
}

/** Runs one statement on the test server (as the test's superuser). */
export async function adminQuery(sql: string, params: unknown[] = [], url = TEST_POSTGRES_URL): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

const created: string[] = [];

/** A new, empty database for this suite; dropped after the suite. Returns its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `rosetta_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  created.push(name);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  for (const name of created.splice(0)) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
});

/** Ends every rosetta connection to `database` (as a restarted server would), without touching the shared server. */
export async function cutRosettaConnections(database: string): Promise<number> {
  const { rows } = await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'rosetta'`, [database]);
  return rows.length;
}

export function databaseOf(url: string): string {
  return new URL(url).pathname.slice(1);
}
