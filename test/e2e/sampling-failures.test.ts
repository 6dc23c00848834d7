// A sampling create the platform refuses for sure (a business error) leaves no pending record:
// nothing was created, so the next apply sends it, once. Only an unknown outcome stays pending.
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('a definite sampling failure', () => {
  it.each([55005, 53003])('%i: no record is kept, and the next apply creates it once', async (code) => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    sim.faults.inject('sampling', { type: 'business', code });
    const first = await rosetta(sim, dir, ['apply', '--auto-approve']);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`SamplingPlan/qa failed`);
    const list = JSON.parse((await rosetta(sim, dir, ['state', 'list', '--format', 'json'])).stdout) as { resources: { address: string }[] };
    expect(list.resources.map((r) => r.address)).toEqual(['AnnotationRequest/req']);
    const plan = await rosetta(sim, dir, ['plan']);
    expect(plan.stdout).toContain('+ SamplingPlan/qa will be created at most once');
    const second = await rosetta(sim, dir, ['apply', '--auto-approve']);
    expect(second.code, second.stdout).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
  });
});
