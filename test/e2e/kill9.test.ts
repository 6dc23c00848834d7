// Guarantee 5 (and 3) under real crashes, on both stores: a real `rosetta apply`
// process is killed with SIGKILL at random moments, again and again, and the
// next run starts at once (no unlock). At the end no sampling package may exist
// twice and every confirmed create must be recorded.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sim/random.js';
import { BIN } from '../helpers/cli.js';
import type { Simulator } from '../../src/sim/server.js';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { simulator } from '../helpers/sim.js';

const PER_BATCH = 4;

type Resources = Record<string, Record<string, unknown>>;

/** The state as `rosetta state list --format json` shows it (works for every store). */
async function listState(sim: Simulator, dir: string, storeEnv: Record<string, string>): Promise<Resources> {
  const list = await rosetta(sim, dir, ['state', 'list', '--format', 'json'], storeEnv);
  expect(list.code).toBe(0);
  const { resources } = JSON.parse(list.stdout) as { resources: ({ address: string } & Record<string, unknown>)[] };
  return Object.fromEntries(resources.map((r) => [r.address, r]));
}

describe('guarantee 5: kill -9 at any moment, file state', () => {
  it('survives 20 SIGKILLs mid-apply without losing or duplicating anything', { timeout: 240_000 }, async () => {
    await killLoop(20, {}, (dir) => {
      const statePath = join(dir, '.rosetta/state.json');
      // After every kill the file parses: never half-written; every complete journal line parses
      // (the last may be torn: readers ignore it).
      if (existsSync(statePath)) expect(() => JSON.parse(readFileSync(statePath, 'utf8'))).not.toThrow();
      const journal = `${statePath}.journal`;
      if (existsSync(journal)) {
        const text = readFileSync(journal, 'utf8');
        for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
      }
    });
  });
});

describePostgres('guarantee 5: kill -9 at any moment, PostgreSQL state', () => {
  it('survives 12 SIGKILLs mid-apply: the lock frees itself, nothing lost or duplicated', { timeout: 240_000 }, async () => {
    const url = await freshDatabase();
    await killLoop(12, { ROSETTA_STATE: url, ROSETTA_WORKSPACE: 'kill9' }, () => undefined);
  });
});

async function killLoop(kills: number, storeEnv: Record<string, string>, afterKill: (dir: string) => void): Promise<void> {
  {
    const random = seededRandom(20261123);
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], faults: { latencyMs: [20, 80] } });
    const totalRequests = () => sim.received['annotation-request'] + sim.received.sampling + sim.received.get;
    const dir = tempDir();
    const env = spawnEnv(sim, storeEnv);
    let killedMidRun = 0;

    for (let batch = 0; batch < kills; batch++) {
      // Each round brings new work, so every kill can land in the middle of something.
      const docs: string[] = [];
      for (let i = 0; i < PER_BATCH; i++) {
        const name = `b${batch}-r${i}`;
        docs.push(annotationRequest(name), samplingPlan(`${name}-qa`, name));
      }
      writeFileSync(join(dir, `batch-${batch}.yaml`), docs.join('---\n'));

      const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve', '--concurrency', '3'], { cwd: dir, env, stdio: 'ignore' });
      let running = true;
      const exited = new Promise<void>((resolve) => child.on('exit', () => ((running = false), resolve())));
      // Wait until this run has reached the API, then kill it at a random moment of its work
      // (start-up time varies too much between machines for a fixed delay to land mid-apply).
      const before = totalRequests();
      while (running && totalRequests() === before) await new Promise((r) => setTimeout(r, 2));
      const timer = setTimeout(() => child.kill('SIGKILL'), random() * 150);
      await exited;
      clearTimeout(timer);
      if (child.signalCode === 'SIGKILL') killedMidRun++;
      afterKill(dir);
    }
    expect(killedMidRun).toBeGreaterThanOrEqual(kills - 3);

    // The user settles the sampling creates left pending, looking on the platform as they would
    // by hand. A pending annotation request needs nothing: apply sends it again (guarantee 7).
    for (const [address, record] of Object.entries(await listState(sim, dir, storeEnv))) {
      if (record.status !== 'pending' || record.kind !== 'SamplingPlan') continue;
      const pool = `pool-${address.split('/')[1]}`;
      const found = sim.platform.listSamplingPackages().filter((p) => p.poolName === pool);
      expect(found.length).toBeLessThanOrEqual(1);
      const args = found[0] ? ['--sampling-package-id', String(found[0].samplingPackageId)] : ['--not-created'];
      expect((await rosetta(sim, dir, ['state', 'resolve', address, ...args], storeEnv)).code).toBe(0);
    }
    // No `state unlock` first: a lock left by a killed run is taken over (file) or gone (PostgreSQL).
    const final = await rosetta(sim, dir, ['apply', '--auto-approve'], storeEnv);
    expect(final.stderr.replace(/warning: taking over the state lock[^\n]*\n/, '')).toBe('');
    expect(final.code).toBe(0);

    const packages = sim.platform.listSamplingPackages();
    const perPool = new Map<string, number>();
    for (const p of packages) perPool.set(p.poolName, (perPool.get(p.poolName) ?? 0) + 1);
    expect([...perPool.values()].filter((n) => n > 1)).toEqual([]);
    expect(packages).toHaveLength(kills * PER_BATCH);

    const state = await listState(sim, dir, storeEnv);
    const requests = sim.platform.listAnnotationRequests();
    expect(requests).toHaveLength(kills * PER_BATCH);
    for (const request of requests) {
      const name = request.annotationRequestName.replace('Request ', '');
      expect(state[`AnnotationRequest/${name}`]).toMatchObject({ status: 'applied', annotationRequestId: request.annotationRequestId });
    }
    for (const p of packages) {
      const name = p.poolName.replace(/^pool-/, '');
      expect(state[`SamplingPlan/${name}`]).toMatchObject({ status: 'applied', samplingPackageId: p.samplingPackageId });
    }
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'], storeEnv)).code).toBe(0);
  }
}
