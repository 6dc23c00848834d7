import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const MANIFESTS = { 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa', 'ar')}` };

describe('saved plans', () => {
  it('are applied exactly once, exactly as saved', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    const plan = await rosetta(sim, dir, ['plan', '--out', 'plan.json']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Saved the plan to plan.json.');
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ formatVersion: 1, type: 'rosetta-plan', endpoint: sim.url, plan: { state: { lineage: null, serial: 0 } } });

    // The manifests change after the plan was saved: the saved plan still applies as saved.
    writeFileSync(join(dir, 'm.yaml'), annotationRequest('ar'));
    const apply = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);

    const again = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error[ROS_PLAN_STALE]: the plan plan.json was applied already');
    expect(sim.received['annotation-request']).toBe(1);
  });

  it('are refused when the state changed since', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--target', 'AnnotationRequest/ar'])).code).toBe(0);
    const stale = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('error[ROS_PLAN_STALE]: the state changed since the plan plan.json was made (serial 0 → 1)');
    expect(sim.received.sampling).toBe(0);
  });

  it('are refused for another endpoint, and must not be mixed with paths', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const other = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    const wrong = await rosetta(other, dir, ['apply', '--plan', 'plan.json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`was made for ${sim.url}, not ${other.url}`);
    const mixed = await rosetta(sim, dir, ['apply', '--plan', 'plan.json', 'm.yaml']);
    expect(mixed.stderr).toContain('--plan applies a saved plan exactly');
  });

  it('apply refuses to run without a terminal unless approved', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    const apply = await rosetta(sim, dir, ['apply']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[ROS_NOT_INTERACTIVE]: apply needs confirmation, and there is no terminal to ask');
    expect(sim.received['annotation-request']).toBe(0);
  });
});

describe('rosetta state rm', () => {
  it('forgets a resource without calling the API, and says what the next apply will do', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const before = { ...sim.received };
    const rm = await rosetta(sim, dir, ['state', 'rm', 'SamplingPlan/qa']);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toBe(
      'Removed SamplingPlan/qa from state. Nothing was sent to the API; the sampling package still exists on the platform.\n' +
        'If SamplingPlan/qa is still in your manifests, the next apply creates another sampling package for it.\n',
    );
    expect(sim.received).toEqual(before);
    const list = await rosetta(sim, dir, ['state', 'list']);
    expect(list.stdout).toMatch(/^AnnotationRequest\/ar {2}created {2}annotationRequestId=[0-9a-f-]{36}\n$/);
    const missing = await rosetta(sim, dir, ['state', 'rm', 'SamplingPlan/qa']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error[ROS_STATE_NOT_FOUND]: SamplingPlan/qa is not in the state');
  });
});
