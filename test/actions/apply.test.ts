// applyAction as a library: a real simulator over loopback, a real file state, a recording IO host.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAction } from '../../src/actions/apply.js';
import { FileStateStore } from '../../src/state/file-store.js';
import { tempDir } from '../helpers/files.js';
import { RecordingHost } from '../helpers/recording-host.js';
import { requestResource, samplingResource } from '../helpers/resources.js';
import { client, simulator } from '../helpers/sim.js';

const resources = [requestResource('a'), samplingResource('a-qa', 'a')];

async function setup() {
  const sim = await simulator();
  const store = new FileStateStore(join(tempDir(), 'state.json'));
  return { sim, store, api: client(sim) };
}

describe('applyAction', () => {
  it('reports the plan, asks, and sends nothing when the host declines', async () => {
    const { sim, store, api } = await setup();
    const host = new RecordingHost(false);
    const result = await applyAction({ source: { resources, targets: [] }, store, client: api, host, lock: { command: 'test' }, concurrency: 4 });

    expect(result.declined).toBe(true);
    expect(host.codes()).toEqual(['plan.ready']);
    expect(host.questions.map((q) => [q.code, q.count])).toEqual([['apply.confirm', 2]]);
    expect(sim.received).toMatchObject({ 'annotation-request': 0, sampling: 0 });
    expect((await store.read()).resources).toEqual({});
    // The lock was released.
    expect(existsSync(`${store.location}.lock`)).toBe(false);
  });

  it('applies with coded events and returns the state it left', async () => {
    const { sim, store, api } = await setup();
    const host = new RecordingHost(true);
    const result = await applyAction({ source: { resources, targets: [] }, store, client: api, host, lock: { command: 'test' }, concurrency: 4 });

    expect(result).toMatchObject({ declined: false, ok: true, pending: 0, report: { summary: { created: 2, adopted: 0, failed: 0, skipped: 0 } } });
    expect(host.codes()[0]).toBe('plan.ready');
    expect(host.codes()[1]).toBe('apply.begin');
    expect(host.codes().at(-1)).toBe('apply.end');
    expect(host.of('apply.create.result').map((e) => `${e.data.result.address} ${e.data.result.outcome}`).sort()).toEqual(['AnnotationRequest/a created', 'SamplingPlan/a-qa created']);
    expect(Object.keys(result.state.resources).sort()).toEqual(['AnnotationRequest/a', 'SamplingPlan/a-qa']);
    expect(sim.received).toMatchObject({ sampling: 1 });

    // Again: nothing to create, so nothing is asked and nothing is sent.
    const again = new RecordingHost(true);
    const second = await applyAction({ source: { resources, targets: [] }, store, client: api, host: again, lock: { command: 'test' }, concurrency: 4 });
    expect(second.report.results).toEqual([]);
    expect(again.questions).toEqual([]);
    expect(again.codes()).toEqual(['plan.ready']);
    expect(sim.received).toMatchObject({ sampling: 1 });
  });

  it('refuses every create when one resource conflicts, unless told to leave conflicts alone', async () => {
    const { sim, store, api } = await setup();
    await applyAction({ source: { resources: [requestResource('a')], targets: [] }, store, client: api, host: new RecordingHost(true), lock: { command: 'test' }, concurrency: 4 });
    const changed = [requestResource('a', 3), requestResource('b')];

    await expect(applyAction({ source: { resources: changed, targets: [] }, store, client: api, host: new RecordingHost(true), lock: { command: 'test' }, concurrency: 4 })).rejects.toMatchObject({ code: 'ROS_PLAN_CONFLICT' });
    expect(sim.received).toMatchObject({ 'annotation-request': 1 });

    const left = await applyAction({ source: { resources: changed, targets: [] }, store, client: api, host: new RecordingHost(true), lock: { command: 'test' }, concurrency: 4, autoApprove: true, conflicts: 'leave' });
    expect(left.plan.summary).toMatchObject({ conflict: 1, create: 1 });
    expect(left.report.results.map((r) => `${r.address} ${r.outcome}`)).toEqual(['AnnotationRequest/b created']);
  });

  it('sends the takeover of a dead process\'s lock to the host as a warning event', async () => {
    const { store, api } = await setup();
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim());
    writeFileSync(`${store.location}.lock`, JSON.stringify({ id: 'stale', pid: deadPid, host: hostname(), user: 'someone', command: 'rosetta apply', startedAt: '2026-01-01T00:00:00.000Z' }));
    const host = new RecordingHost(true);
    await applyAction({ source: { resources, targets: [] }, store, client: api, host, lock: { command: 'test' }, concurrency: 4 });

    const warnings = host.of('state.lock.warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.data.message).toContain(`pid ${deadPid}`);
  });
});
