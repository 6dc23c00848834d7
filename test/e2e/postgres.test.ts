// Real rosetta processes sharing a PostgreSQL state: the lock, crashes, lost connections, CI.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { adminQuery, cutRosettaConnections, databaseOf, describePostgres, freshDatabase } from '../helpers/postgres.js';
import { simulator } from '../helpers/sim.js';

const manifests = (plans = 1) => ({ 'm.yaml': [annotationRequest('req'), ...Array.from({ length: plans }, (_, i) => samplingPlan(`qa-${i}`, 'req'))].join('---\n') });

async function stateOf(sim: Simulator, dir: string, env: Record<string, string>): Promise<{ serial: number; resources: Record<string, Record<string, unknown>> }> {
  const list = await rosetta(sim, dir, ['state', 'list', '--format', 'json'], env);
  const parsed = JSON.parse(list.stdout) as { serial: number; resources: ({ address: string } & Record<string, unknown>)[] };
  return { serial: parsed.serial, resources: Object.fromEntries(parsed.resources.map((r) => [r.address, r])) };
}

function packagesPerPool(sim: Simulator): number[] {
  const counts = new Map<string, number>();
  for (const p of sim.platform.listSamplingPackages()) counts.set(p.poolName, (counts.get(p.poolName) ?? 0) + 1);
  return [...counts.values()];
}

describePostgres('apply with a PostgreSQL state', () => {
  let url = '';
  let workspaces = 0;
  /** A fresh workspace in this suite's database, with a password in the URL (trust auth ignores it). */
  const storeEnv = () => {
    const withPassword = new URL(url);
    withPassword.password = 'pg-pass-DO-NOT-PRINT';
    return { ROSETTA_STATE: withPassword.toString(), ROSETTA_WORKSPACE: `e2e-${++workspaces}` };
  };
  beforeAll(async () => {
    url = await freshDatabase();
  });

  it('a second apply fails fast naming the holder; the password is never printed', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    sim.faults.inject('annotation-request', { type: 'delay', ms: 4_000 });
    const env = storeEnv();
    const dir = tempDir(manifests());
    const first = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: dir, env: spawnEnv(sim, { ...env, GITHUB_RUN_ID: '777' }) });
    let output = '';
    first.stdout.on('data', (c: Buffer) => (output += c.toString()));
    first.stderr.on('data', (c: Buffer) => (output += c.toString()));
    let firstExited = false;
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', (code) => ((firstExited = true), resolve(code))));
    while (sim.received['annotation-request'] === 0) await new Promise((r) => setTimeout(r, 10));

    const second = await rosetta(sim, tempDir(manifests()), ['apply', '--auto-approve'], env);
    expect(firstExited).toBe(false);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`error[ROS_STATE_LOCKED]: the state postgres://postgres:***@`);
    expect(second.stderr).toContain(`(workspace ${env.ROSETTA_WORKSPACE}) is locked by pid ${first.pid} on `);
    expect(second.stderr).toContain('GitHub run 777');
    expect(await firstExit).toBe(0);
    expect(output).toContain('State: postgres://postgres:***@');
    for (const text of [output, second.stdout, second.stderr]) expect(text).not.toContain('pg-pass-DO-NOT-PRINT');
    expect(sim.received.sampling).toBe(1);
  });

  it('after kill -9 of the holder, the next apply runs at once: no unlock needed', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    sim.faults.inject('annotation-request', { type: 'hang', commit: true });
    const env = storeEnv();
    const dir = tempDir(manifests());
    const first = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: dir, env: spawnEnv(sim, env), stdio: 'ignore' });
    const exited = new Promise((resolve) => first.on('exit', resolve));
    while (sim.received['annotation-request'] === 0) await new Promise((r) => setTimeout(r, 10));
    first.kill('SIGKILL');
    await exited;
    const next = await rosetta(sim, dir, ['apply', '--auto-approve'], env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    // The request the killed run sent is adopted by its id; the sampling plan is created once.
    expect(next.stdout).toContain('AnnotationRequest/req adopted');
    expect(packagesPerPool(sim)).toEqual([1]);
  });

  it('a lost database connection stops the run; nothing is lost and the next apply finishes', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], faults: { latencyMs: [50, 100] } });
    const env = storeEnv();
    const dir = tempDir(manifests(8));
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve', '--concurrency', '2', '--format', 'json'], { cwd: dir, env: spawnEnv(sim, env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (sim.received.sampling < 2) await new Promise((r) => setTimeout(r, 5));
    expect(await cutRosettaConnections(databaseOf(url))).toBeGreaterThan(0);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/error\[ROS_STATE_IO\]: .*postgres:\/\/postgres:\*\*\*@/);
    expect(stderr).not.toContain('ROS_STATE_LOCKED');
    expect(stderr).not.toContain('    at ');
    expect(stderr + stdout).not.toContain('pg-pass-DO-NOT-PRINT');
    const started = sim.received.sampling;
    expect(started).toBeLessThan(8); // it stopped starting creates

    // Every package the platform made is recorded, or pending with its id printed.
    const report = JSON.parse(stdout) as { results: { name: string; samplingPackageId?: number; unrecorded?: boolean }[] };
    const { resources } = await stateOf(sim, dir, env);
    for (const p of sim.platform.listSamplingPackages()) {
      const name = p.poolName.replace(/^pool-/, '');
      const record = resources[`SamplingPlan/${name}`];
      if (record?.status === 'applied') expect(record.samplingPackageId).toBe(p.samplingPackageId);
      else {
        expect(record?.status).toBe('pending');
        expect(report.results.find((r) => r.name === name && r.unrecorded)?.samplingPackageId).toBe(p.samplingPackageId);
      }
    }
    // The user settles what is pending (from the printed ids, or as not created), then applies again.
    for (const [address, record] of Object.entries(resources)) {
      if (record.status !== 'pending' || record.kind !== 'SamplingPlan') continue; // a pending request is sent again
      const name = address.split('/')[1]!;
      const made = sim.platform.listSamplingPackages().find((p) => p.poolName === `pool-${name}`);
      const args = made ? ['--sampling-package-id', String(made.samplingPackageId)] : ['--not-created'];
      expect((await rosetta(sim, dir, ['state', 'resolve', address, ...args], env)).code).toBe(0);
    }
    const again = await rosetta(sim, dir, ['apply', '--auto-approve'], env);
    expect(again.code).toBe(0);
    expect(packagesPerPool(sim)).toEqual(Array(8).fill(1));
  });

  it('two CI runners applying the same commit create every package once (the case that duplicated with a file state in git)', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], faults: { latencyMs: [20, 60] } });
    const env = storeEnv();
    const cloneA = tempDir(manifests(4));
    const cloneB = tempDir(manifests(4));
    const [a, b] = await Promise.all([
      rosetta(sim, cloneA, ['apply', '--auto-approve', '--lock-timeout', '1m'], env),
      rosetta(sim, cloneB, ['apply', '--auto-approve', '--lock-timeout', '1m'], env),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(packagesPerPool(sim)).toEqual([1, 1, 1, 1]);
    // A merge adds a plan; each runner applies its own checkout of the new commit, in turn.
    for (const dir of [cloneB, cloneA]) {
      writeFileSync(join(dir, 'm.yaml'), Object.values(manifests(5))[0]!);
      expect((await rosetta(sim, dir, ['apply', '--auto-approve'], env)).code).toBe(0);
    }
    expect(packagesPerPool(sim)).toEqual([1, 1, 1, 1, 1]);
    expect((await rosetta(sim, cloneA, ['plan', '--detailed-exitcode'], env)).code).toBe(0);
  });

  it('an apply with nothing to do leaves the serial as it was', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const env = storeEnv();
    const dir = tempDir(manifests(2));
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'], env)).code).toBe(0);
    const before = await stateOf(sim, dir, env);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'], env)).code).toBe(0);
    expect((await stateOf(sim, dir, env)).serial).toBe(before.serial);
  });

  it('state migrate copies a file state: the next plan has no changes; again is harmless; another state is refused', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const env = storeEnv();
    const dir = tempDir(manifests(2));
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const file = readState(dir);

    const migrate = await rosetta(sim, dir, ['state', 'migrate', '--to', env.ROSETTA_STATE, '--to-workspace', env.ROSETTA_WORKSPACE]);
    expect(migrate.code).toBe(0);
    // Three bodies sent, and one scene list (both packages sampled the same scene).
    expect(migrate.stdout).toContain(`Copied 3 resources and 4 bodies (lineage ${file.lineage}, serial ${file.serial}) from ${join(dir, '.rosetta/state.json')} to postgres://postgres:***@`);
    const migrated = await stateOf(sim, dir, env);
    expect(migrated.serial).toBe(file.serial);
    expect(Object.keys(migrated.resources).sort()).toEqual(Object.keys(file.resources).sort());
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'], env)).code).toBe(0);
    expect((await rosetta(sim, dir, ['state', 'migrate', '--to', env.ROSETTA_STATE, '--to-workspace', env.ROSETTA_WORKSPACE])).code).toBe(0);

    const other = tempDir(manifests(1));
    expect((await rosetta(sim, other, ['apply', '--auto-approve', '--allow-sampling-on-adopted'])).code).toBe(0);
    const refused = await rosetta(sim, other, ['state', 'migrate', '--to', env.ROSETTA_STATE, '--to-workspace', env.ROSETTA_WORKSPACE]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`already holds another state (lineage ${file.lineage}; this one is ${readState(other).lineage})`);
    expect(refused.stderr).not.toContain('pg-pass-DO-NOT-PRINT');
  });

  it('plan and state list work with a role that may only read (guarantee 8); apply says what it lacks', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const database = databaseOf(url);
    const reader = `rosetta_reader_${database.slice(-12)}`;
    const readerUrl = new URL(url);
    readerUrl.username = reader;
    const asReader = { ROSETTA_STATE: readerUrl.toString(), ROSETTA_WORKSPACE: 'readonly' };
    const dir = tempDir(manifests(1));
    // Before anything exists, a reader plans against an empty state and creates nothing.
    await adminQuery(`CREATE ROLE ${reader} LOGIN`);
    try {
      const fresh = await freshDatabase();
      const freshReader = new URL(fresh);
      freshReader.username = reader;
      const early = await rosetta(sim, dir, ['plan', '--detailed-exitcode'], { ROSETTA_STATE: freshReader.toString() });
      expect(early.code, early.stderr).toBe(2);
      expect((await adminQuery(`SELECT 1 FROM pg_namespace WHERE nspname = 'rosetta'`, [], fresh)).rows).toEqual([]);

      // The owner applies; the reader gets USAGE on the schema and SELECT on its tables, nothing more.
      expect((await rosetta(sim, dir, ['apply', '--auto-approve'], { ROSETTA_STATE: url, ROSETTA_WORKSPACE: 'readonly' })).code).toBe(0);
      await adminQuery(`GRANT USAGE ON SCHEMA rosetta TO ${reader}; GRANT SELECT ON ALL TABLES IN SCHEMA rosetta TO ${reader}`, [], url);
      const plan = await rosetta(sim, dir, ['plan', '--detailed-exitcode'], asReader);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes. 2 resources are up to date.');
      const list = await rosetta(sim, dir, ['state', 'list'], asReader);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('AnnotationRequest/req');
      const show = await rosetta(sim, dir, ['state', 'show', 'SamplingPlan/qa-0'], asReader);
      expect(show.code, show.stderr).toBe(0);

      // Writing needs more: a clear error, and nothing sent.
      writeFileSync(join(dir, 'more.yaml'), samplingPlan('qa-more', 'req'));
      const before = sim.received.sampling;
      const apply = await rosetta(sim, dir, ['apply', '--auto-approve'], asReader);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toMatch(/error\[ROS_STATE_IO\]: cannot (lock|write) the state in postgres:\/\/.*permission denied/);
      expect(sim.received.sampling).toBe(before);
    } finally {
      for (const db of [url]) await adminQuery(`DROP OWNED BY ${reader}`, [], db).catch(() => undefined);
      await adminQuery(`DROP ROLE IF EXISTS ${reader}`).catch(() => undefined);
    }
  });

  it('state migrate from a non-default workspace to a file: the workspace stays with the source', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const { ROSETTA_STATE: pg, ROSETTA_WORKSPACE: workspace } = storeEnv();
    const dir = tempDir(manifests(1));
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--state', pg, '--workspace', workspace])).code).toBe(0);
    const migrate = await rosetta(sim, dir, ['state', 'migrate', '--state', pg, '--workspace', workspace, '--to', 'copy.json']);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain(`Copied 2 resources`);
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode', '--state', 'copy.json'])).code).toBe(0);
  });
});
