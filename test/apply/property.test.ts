// For random sets of manifests and random fault schedules, applying until done
// converges: the next plan has no changes and no sampling package exists twice.
// On both stores.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RosettaClient } from '../../src/api/client.js';
import { applyCreates } from '../../src/apply/engine.js';
import { quietHost } from '../../src/host/events.js';
import { plan } from '../../src/plan/plan.js';
import type { Create } from '../../src/model/changes.js';
import { StateSession } from '../../src/state/session.js';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { FileStateStore } from '../../src/state/file-store.js';
import type { StateStore } from '../../src/state/store.js';
import { SIMULATOR_CREDENTIALS, startSimulator } from '../../src/sim/server.js';
import { tempDir } from '../helpers/files.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { recordingClock } from '../helpers/sim.js';
import { requestResource, samplingResource } from '../helpers/resources.js';

const scenario = fc.record({
  samplingPerRequest: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 }),
  rate5000: fc.double({ min: 0, max: 0.4, noNaN: true }),
  resetRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
  dropRequests: fc.double({ min: 0, max: 0.3, noNaN: true }),
  dropSampling: fc.double({ min: 0, max: 0.3, noNaN: true }),
  concurrency: fc.integer({ min: 1, max: 6 }),
});

describe('apply until done, file state', () => {
  it('converges with no duplicate sampling packages under random faults', { timeout: 120_000 }, async () => {
    await converges(() => new FileStateStore(join(tempDir(), 'state.json')), 25);
  });
});

describePostgres('apply until done, PostgreSQL state', () => {
  it('converges with no duplicate sampling packages under random faults', { timeout: 120_000 }, async () => {
    const url = await freshDatabase();
    await converges(() => new PostgresStateStore(url, `prop-${randomBytes(4).toString('hex')}`), 15);
  });
});

async function converges(makeStore: () => StateStore, numRuns: number): Promise<void> {
  {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const resources = s.samplingPerRequest.flatMap((count, i) => [requestResource(`r${i}`), ...Array.from({ length: count }, (_, j) => samplingResource(`r${i}-qa${j}`, `r${i}`))]);
        const sim = await startSimulator({ port: 0, seed: s.seed, faults: { rate5000: s.rate5000, resetRate: s.resetRate, commitThenDropRate: { 'annotation-request': s.dropRequests, sampling: s.dropSampling } } });
        const client = new RosettaClient({ endpoint: sim.url, credentials: SIMULATOR_CREDENTIALS, clock: recordingClock(), retry: { attempts: 3 } });
        const store = makeStore();
        const lock = await store.lock({ command: 'property test' });
        try {
          for (let round = 0; round < 40; round++) {
            const session = new StateSession(store, await store.read());
            const current = plan(resources, session.current);
            // The user settles pending creates by looking on the platform.
            for (const change of current.changes) {
              if (change.action !== 'pending') continue;
              const record = session.record(change.address)!;
              const found = sim.platform.listSamplingPackages().filter((p) => p.poolName === `pool-${change.name}`);
              expect(found.length).toBeLessThanOrEqual(1);
              if (found[0]) await session.put(change.address, { ...record, status: 'applied', outcome: 'resolved', samplingPackageId: found[0].samplingPackageId, appliedAt: 't' } as never);
              else await session.remove(change.address);
            }
            const creates = current.changes.filter((c): c is Create => c.action === 'create');
            if (creates.length === 0 && current.summary.pending === 0) break;
            await applyCreates(creates, { client, session, store, host: quietHost, concurrency: s.concurrency });
          }
          const final = plan(resources, await store.read());
          expect(final.summary).toEqual({ create: 0, update: 0, noop: resources.length, conflict: 0, pending: 0, held: 0, orphan: 0, drift: 0 });
          const pools = sim.platform.listSamplingPackages().map((p) => p.poolName);
          expect(new Set(pools).size).toBe(pools.length);
          expect(pools.length).toBe(resources.filter((r) => r.kind === 'SamplingPlan').length);
        } finally {
          await lock.release();
          await store.close();
          await client.close();
          await sim.close();
        }
      }),
      { numRuns },
    );
  }
}
