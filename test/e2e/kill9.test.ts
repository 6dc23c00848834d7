// Guarantee 5 (and 3) under real crashes: a real `rosetta apply` process is
// killed with SIGKILL at random moments, again and again. After every kill the
// state must parse; at the end no sampling package may exist twice and every
// annotation request must be recorded.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sim/random.js';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const KILLS = 20;
const PER_BATCH = 4;

describe('guarantee 5: kill -9 at any moment', () => {
  it(`survives ${KILLS} SIGKILLs mid-apply without losing or duplicating anything`, { timeout: 240_000 }, async () => {
    const random = seededRandom(20261123);
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], faults: { latencyMs: [20, 80] } });
    const totalRequests = () => sim.received['annotation-request'] + sim.received.sampling + sim.received.get;
    const dir = tempDir();
    const env = spawnEnv(sim);
    let killedMidRun = 0;

    for (let batch = 0; batch < KILLS; batch++) {
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

      const statePath = join(dir, '.rosetta/state.json');
      if (existsSync(statePath)) expect(() => JSON.parse(readFileSync(statePath, 'utf8'))).not.toThrow();
    }
    expect(killedMidRun).toBeGreaterThanOrEqual(KILLS - 3);

    // The user settles what is pending, looking on the platform as they would by hand.
    for (const [address, record] of Object.entries(readState(dir).resources)) {
      if (record.status !== 'pending') continue;
      const pool = `pool-${address.split('/')[1]}`;
      const found = sim.platform.listSamplingPackages().filter((p) => p.poolName === pool);
      expect(found.length).toBeLessThanOrEqual(1);
      const args = found[0] ? ['--sampling-package-id', String(found[0].samplingPackageId)] : ['--not-created'];
      expect((await rosetta(sim, dir, ['state', 'resolve', address, ...args])).code).toBe(0);
    }
    const final = await rosetta(sim, dir, ['apply', '--auto-approve']);
    expect(final.stderr.replace(/warning: taking over the state lock[^\n]*\n/, '')).toBe('');
    expect(final.code).toBe(0);

    const packages = sim.platform.listSamplingPackages();
    const perPool = new Map<string, number>();
    for (const p of packages) perPool.set(p.poolName, (perPool.get(p.poolName) ?? 0) + 1);
    expect([...perPool.values()].filter((n) => n > 1)).toEqual([]);
    expect(packages).toHaveLength(KILLS * PER_BATCH);

    const state = readState(dir);
    const requests = sim.platform.listAnnotationRequests();
    expect(requests).toHaveLength(KILLS * PER_BATCH);
    for (const request of requests) {
      const name = request.annotationRequestName.replace('Request ', '');
      expect(state.resources[`AnnotationRequest/${name}`]).toMatchObject({ status: 'applied', annotationRequestId: request.annotationRequestId });
    }
    for (const p of packages) {
      const name = p.poolName.replace(/^pool-/, '');
      expect(state.resources[`SamplingPlan/${name}`]).toMatchObject({ status: 'applied', samplingPackageId: p.samplingPackageId });
    }
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});
