// plan --refresh: lost requests are planned again (their ids are ours), other differences are drift.
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

type Plan = { changes: ({ action: string; address: string } & Record<string, unknown>)[]; summary: Record<string, number> };

async function applied() {
  const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
  const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${annotationRequest('other')}---\n${samplingPlan('qa', 'req')}` });
  expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
  return { sim, dir, state: readState(dir) };
}

describe('plan --refresh', () => {
  it('plans a request the platform lost as a create (reason gone); a saved plan brings it back', async () => {
    const { sim, dir, state } = await applied();
    const id = state.resources['AnnotationRequest/req']!.annotationRequestId as string;
    sim.platform.forgetAnnotationRequest(id);
    const plan = await rosetta(sim, dir, ['plan', '--refresh', '--format', 'json', '--out', 'p.json']);
    expect(plan.code).toBe(0);
    const parsed = JSON.parse(plan.stdout) as Plan;
    expect(parsed.changes.find((c) => c.address === 'AnnotationRequest/req')).toMatchObject({ action: 'create', reason: 'gone' });
    expect(parsed.summary).toMatchObject({ create: 1, noop: 2, drift: 0 });
    const text = await rosetta(sim, dir, ['plan', '--refresh']);
    expect(text.stdout).toContain(`+ AnnotationRequest/req will be created again: the platform no longer has it (retry-safe: the id ${id} is ours)`);

    expect((await rosetta(sim, dir, ['apply', '--plan', 'p.json'])).code).toBe(0);
    expect(sim.platform.listAnnotationRequests().map((r) => r.annotationRequestId)).toContain(id);
    expect((await rosetta(sim, dir, ['plan', '--refresh', '--detailed-exitcode'])).code).toBe(0);
  });

  it('shows a lost package and a changed request as drift, and sends nothing for them', async () => {
    const { sim, dir, state } = await applied();
    sim.platform.forgetSamplingPackage(state.resources['SamplingPlan/qa']!.samplingPackageId as number);
    sim.platform.alterAnnotationRequest(state.resources['AnnotationRequest/other']!.annotationRequestId as string, { sceneIdMap: { changed: 'gs://elsewhere/x.yaml' } });
    const plan = await rosetta(sim, dir, ['plan', '--refresh', '--format', 'json']);
    expect(plan.code).toBe(0);
    const parsed = JSON.parse(plan.stdout) as Plan;
    expect(parsed.changes.filter((c) => c.action === 'drift')).toEqual([
      { action: 'drift', kind: 'AnnotationRequest', name: 'other', address: 'AnnotationRequest/other', fields: ['sceneIdMap'] },
      { action: 'drift', kind: 'SamplingPlan', name: 'qa', address: 'SamplingPlan/qa', missingPackage: state.resources['SamplingPlan/qa']!.samplingPackageId },
    ]);
    const text = await rosetta(sim, dir, ['plan', '--refresh']);
    expect(text.stdout).toContain("~ AnnotationRequest/other drifted: the platform's request differs from what was sent (sceneIdMap)");
    expect(text.stdout).toContain('Plan: 0 to create, 1 unchanged, 2 drifted.');
    const before = { ...sim.received };
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    expect(sim.received['annotation-request']).toBe(before['annotation-request']);
    expect(sim.received.sampling).toBe(before.sampling);
  });

  it('without --refresh, plan never calls the API and needs no keys', async () => {
    const { sim, dir } = await applied();
    const before = { ...sim.received };
    const plan = await rosetta(sim, dir, ['plan', '--detailed-exitcode'], { ROSETTA_ACCESS_KEY: undefined, ROSETTA_SECRET_KEY: undefined, ROSETTA_ENDPOINT: undefined });
    expect(plan.code).toBe(0);
    expect(sim.received).toEqual(before);
    const refresh = await rosetta(sim, dir, ['plan', '--refresh'], { ROSETTA_SECRET_KEY: undefined });
    expect(refresh.code).toBe(1);
    expect(refresh.stderr).toContain('error[ROS_CONFIG]: ROSETTA_SECRET_KEY is not set');
  });

  it('an API that cannot be reached is ROS_NETWORK, and invalid manifests are ROS_MANIFEST_INVALID', async () => {
    const { sim, dir } = await applied();
    const down = await rosetta(sim, dir, ['plan', '--refresh'], { ROSETTA_ENDPOINT: 'http://127.0.0.1:1/rosetta-open' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error\[ROS_NETWORK\]: could not read \S+ from the platform to refresh it: could not connect/);
    const bad = tempDir({ 'm.yaml': 'apiVersion: rosetta/v2\n' });
    const invalid = await rosetta(sim, bad, ['plan', '--format', 'json']);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout).error).toMatchObject({ code: 'ROS_MANIFEST_INVALID' });
    expect(invalid.stderr).toContain('error[ROS_MANIFEST_INVALID]: 4 errors in the manifests (above); nothing was planned or sent');
  });
});
