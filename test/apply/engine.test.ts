// The engine with a state store whose disk fills up (a real tmpfs is used in test/e2e/full-disk.test.ts).
import { describe, expect, it } from 'vitest';
import { applyCreates } from '../../src/apply/engine.js';
import { plan } from '../../src/plan/plan.js';
import type { Create } from '../../src/model/changes.js';
import { StateSession } from '../../src/state/session.js';
import { emptyState, type State } from '../../src/model/records.js';
import { requestResource, samplingResource } from '../helpers/resources.js';
import { RecordingHost } from '../helpers/recording-host.js';
import { client, simulator } from '../helpers/sim.js';

const ENOSPC = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

/** A store whose disk is full from write number `failFrom` on; records what reached it. */
function fillingStore(failFrom: number) {
  const store = {
    writes: 0,
    written: [] as State[],
    bodies: [] as string[],
    putBodies: async (bodies: ReadonlyMap<string, unknown>) => void store.bodies.push(...bodies.keys()),
    write: async (state: State) => {
      store.writes++;
      if (store.writes >= failFrom) throw ENOSPC();
      store.written.push(structuredClone(state));
    },
  };
  return store;
}

function createsOf(resources: Parameters<typeof plan>[0]): Create[] {
  return plan(resources, emptyState()).changes.filter((c): c is Create => c.action === 'create');
}

describe('apply engine when state cannot be written', () => {
  it('never sends a sampling create whose pending record did not become durable', async () => {
    const sim = await simulator();
    // writes: 1 the annotation request's intent, 2 its record; 3 (the pending record) fails.
    const store = fillingStore(3);
    const session = new StateSession(store as never, emptyState());
    const host = new RecordingHost();
    const report = await applyCreates(createsOf([requestResource('a'), samplingResource('a-qa', 'a')]), { client: client(sim), session, store, host });

    expect(report.summary).toEqual({ created: 1, adopted: 0, updated: 0, failed: 1, skipped: 0 });
    expect(report.results.find((r) => r.address === 'SamplingPlan/a-qa')).toMatchObject({ outcome: 'failed', message: 'not sent: ENOSPC: no space left on device' });
    expect(sim.received.sampling).toBe(0);
    expect(store.written.at(-1)!.resources['SamplingPlan/a-qa']).toBeUndefined();
    // Both started; the sampling create failed at its pending record, before anything was sent.
    expect(host.of('apply.create.start').map((e) => e.data.address)).toEqual(['AnnotationRequest/a', 'SamplingPlan/a-qa']);
    expect(host.of('apply.create.result').map((e) => [e.data.result.address, e.level])).toEqual([
      ['AnnotationRequest/a', 'info'],
      ['SamplingPlan/a-qa', 'error'],
    ]);
  });

  it('stops starting creates, and reports the package id it could not record', async () => {
    const sim = await simulator();
    // writes: 1 the request's intent, 2 its answer, 3 the pending record of the first sampling
    // plan, 4 its answer (fails).
    const store = fillingStore(4);
    const session = new StateSession(store as never, emptyState());
    const host = new RecordingHost();
    const resources = [requestResource('a'), samplingResource('a-1', 'a'), samplingResource('a-2', 'a'), samplingResource('a-3', 'a')];
    const report = await applyCreates(createsOf(resources), { client: client(sim), session, store, host, concurrency: 1 });

    const packages = sim.platform.listSamplingPackages();
    expect(packages).toHaveLength(1);
    const unrecorded = report.results.filter((r) => r.unrecorded);
    expect(unrecorded).toHaveLength(1);
    expect(unrecorded[0]).toMatchObject({
      address: 'SamplingPlan/a-1',
      outcome: 'failed',
      samplingPackageId: packages[0]!.samplingPackageId,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      hint: `once state can be written: rosetta state resolve SamplingPlan/a-1 --sampling-package-id ${packages[0]!.samplingPackageId}`,
    });
    expect(report.results.filter((r) => r.outcome === 'skipped').map((r) => [r.address, r.message])).toEqual([
      ['SamplingPlan/a-2', 'not started: the state could not be written'],
      ['SamplingPlan/a-3', 'not started: the state could not be written'],
    ]);
    expect(report.interrupted).toBe(true);
    // Nothing was written after the failure, and the last state written holds the pending record.
    expect(store.writes).toBe(4);
    expect(store.written.at(-1)!.resources['SamplingPlan/a-1']).toMatchObject({ status: 'pending' });
    // Bodies are kept after the run and never once a state write failed: the disk is for records.
    expect(store.bodies).toEqual([]);
    // Events: begin, a start per create that was sent, a result per create, end with the report.
    expect(host.codes()[0]).toBe('apply.begin');
    expect(host.codes().at(-1)).toBe('apply.end');
    expect(host.of('apply.create.start').map((e) => e.data.address)).toEqual(['AnnotationRequest/a', 'SamplingPlan/a-1']);
    expect(host.of('apply.create.result')).toHaveLength(4);
    expect(host.of('apply.end')[0]!.data.report.summary).toEqual({ created: 1, adopted: 0, updated: 0, failed: 1, skipped: 2 });
  });
});

describe('apply engine: the intents of annotation requests (guarantee 7)', () => {
  it('are durable before each request is sent, written a window ahead in one commit', async () => {
    const sim = await simulator({ credentials: [{ accessKey: 'sim-access-key', secretKey: 'sim-secret-key' }] });
    const store = fillingStore(Infinity);
    const durableAt = new Map<string, number>();
    const write = store.write;
    store.write = async (state: State) => {
      await write(state);
      for (const [address, record] of Object.entries(state.resources)) if (record.status === 'pending' && !durableAt.has(address)) durableAt.set(address, sim.received['annotation-request']);
    };
    const session = new StateSession(store as never, emptyState());
    const names = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const sentBefore = new Map<string, number>();
    const host = new RecordingHost();
    host.notify = (event) => {
      if (event.code === 'apply.create.start') sentBefore.set(event.data.address, sim.received['annotation-request']);
    };
    const report = await applyCreates(createsOf(names.map((n) => requestResource(n))), { client: client(sim), session, store, host, concurrency: 3 });
    expect(report.summary.created).toBe(12);
    // Every intent became durable before its create was sent (no later than the count at its start).
    for (const name of names) expect(durableAt.get(`AnnotationRequest/${name}`)!, name).toBeLessThanOrEqual(sentBefore.get(`AnnotationRequest/${name}`)!);
    // 12 answers, and the intents in a few commits rather than 12.
    expect(store.writes).toBeLessThanOrEqual(12 + 4);
    expect(Object.values(session.current.resources).every((r) => r.status === 'applied')).toBe(true);
  });

  it('are kept a window ahead: the next window is committed before the creates reach it', async () => {
    const sim = await simulator({ credentials: [{ accessKey: 'sim-access-key', secretKey: 'sim-secret-key' }] });
    const store = fillingStore(Infinity);
    const session = new StateSession(store as never, emptyState());
    const names = Array.from({ length: 12 }, (_, i) => `w${String(i).padStart(2, '0')}`);
    /** At each create's start: how many of the 12 had an intent (or an answer) committed. */
    const recordedAtStart: number[] = [];
    const host = new RecordingHost();
    host.notify = (event) => {
      if (event.code === 'apply.create.start') recordedAtStart.push(Object.keys(session.current.resources).length);
    };
    const report = await applyCreates(createsOf(names.map((n) => requestResource(n))), { client: client(sim), session, store, host, concurrency: 3 });
    expect(report.summary.created).toBe(12);
    // Window 3: the first create's commit holds 4 intents; from the second start on, the next 4
    // are committed before the window in hand runs out (written only when a create found its
    // own missing, the 4th create would start with 4 recorded).
    expect(recordedAtStart).toHaveLength(12);
    recordedAtStart.forEach((recorded, i) => expect(recorded, `create ${i + 1}`).toBeGreaterThanOrEqual(Math.min(12, i + 3)));
  });

  it('written ahead for creates that never start (a stop), are put back', async () => {
    const sim = await simulator({ credentials: [{ accessKey: 'sim-access-key', secretKey: 'sim-secret-key' }], faults: { latencyMs: [30, 30] } });
    const store = fillingStore(Infinity);
    const before = emptyState();
    const session = new StateSession(store as never, before);
    const stop = new AbortController();
    const host = new RecordingHost();
    host.notify = (event) => {
      if (event.code === 'apply.create.start') stop.abort();
    };
    const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
    const report = await applyCreates(createsOf(names.map((n) => requestResource(n))), { client: client(sim), session, store, host, concurrency: 2, stop: stop.signal });
    expect(report.summary.skipped).toBeGreaterThan(0);
    const skipped = report.results.filter((r) => r.outcome === 'skipped').map((r) => r.address);
    for (const address of skipped) expect(session.current.resources[address], address).toBeUndefined();
    expect(store.written.at(-1)!.resources).toEqual(session.current.resources);
    for (const r of report.results.filter((r) => r.outcome === 'created')) expect(session.current.resources[r.address]).toMatchObject({ status: 'applied' });
  });
});
