// The API cannot update: a changed applied resource is a conflict that stops plan and apply.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, SECRET, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('a changed applied resource', () => {
  it('makes plan exit 1 (with and without --detailed-exitcode) and apply send nothing', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'm.yaml'), `${annotationRequest('req')}---\n${samplingPlan('qa', 'req').replace('samplingQuantity: 1', 'samplingQuantity: 2')}---\n${samplingPlan('extra', 'req')}`);
    const before = { ...sim.received };

    const plan = await rosetta(sim, dir, ['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('! SamplingPlan/qa was applied with a different spec; the API cannot update it (changed: samplingQuantity)');
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(1);

    const apply = await rosetta(sim, dir, ['apply', '--auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[ROS_PLAN_CONFLICT]: 1 conflict: nothing was applied');
    expect(sim.received).toEqual(before);
  });

  it('an adopted request whose manifest later changes is a conflict, not a no-op', async () => {
    const sim = await simulator({
      credentials: [E2E_CREDENTIALS],
      fixtures: { permissive: true, campaigns: [], pools: [], annotationRequests: [{ annotationRequestId: 'fixed', annotationRequestName: 'Request adopted', campaignId: 'campaign-1', sceneIdMap: { 'adopted-scene-1': 'gs://bucket/adopted/1.yaml', 'adopted-scene-2': 'gs://bucket/adopted/2.yaml' } }] },
    });
    const manifest = annotationRequest('adopted', '  annotationRequestId: fixed\n');
    const dir = tempDir({ 'm.yaml': manifest });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'm.yaml'), manifest.replace('gs://bucket/adopted/2.yaml', 'gs://bucket/adopted/2b.yaml'));
    const plan = await rosetta(sim, dir, ['plan', '--format', 'json']);
    expect(plan.code).toBe(1);
    expect(JSON.parse(plan.stdout).changes).toEqual([expect.objectContaining({ action: 'conflict', address: 'AnnotationRequest/adopted', changedFields: ['sceneIdMap'] })]);
  });
});

describe('a missing access key', () => {
  it('is named without echoing the secret that is set', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve'], { ROSETTA_ACCESS_KEY: undefined });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[ROS_CONFIG]: ROSETTA_ACCESS_KEY is not set');
    expect(apply.stdout + apply.stderr).not.toContain(SECRET);
  });
});
