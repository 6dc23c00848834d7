import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan } from '../helpers/e2e.js';
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
    expect(stale.stderr).toContain('error[ROS_PLAN_STALE]: the state changed since the plan plan.json was made (serial 0 → 2)');
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

const TWO_PLANS = { 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa-1', 'ar')}---\n${samplingPlan('qa-2', 'ar')}` };

describe('saved plans are checked before anything is sent', () => {
  it('an edited body is refused', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    const text = readFileSync(join(dir, 'plan.json'), 'utf8');
    writeFileSync(join(dir, 'plan.json'), text.replace('"poolName": "pool-qa"', '"poolName": "someone-elses-pool"'));
    const apply = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe(
      'error[ROS_PLAN_INVALID]: the plan plan.json was changed after it was made: the body of SamplingPlan/qa does not match its digest\n' +
        '  hint: make a new one with rosetta plan --out FILE and review it again\n',
    );
    expect(sim.received).toEqual({ 'annotation-request': 0, sampling: 0, folder: 0, taxonomy: 0, workflow: 0, campaign: 0, get: 0 });
  });

  it('an edit anywhere else is refused by the plan digest', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { plan: { changes: { action: string; dependsOn?: string }[] } };
    delete saved.plan.changes.find((c) => c.action === 'create' && c.dependsOn)!.dependsOn;
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(saved));
    const apply = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[ROS_PLAN_INVALID]: the plan plan.json was changed after it was made: its digest does not match');
    expect(sim.received).toEqual({ 'annotation-request': 0, sampling: 0, folder: 0, taxonomy: 0, workflow: 0, campaign: 0, get: 0 });
  });

  it('an endpoint edited to another platform\'s is refused by the plan digest; nothing is sent there', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const other = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { endpoint: string };
    saved.endpoint = other.url;
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(saved));
    const apply = await rosetta(other, dir, ['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('error[ROS_PLAN_INVALID]: the plan plan.json was changed after it was made: its digest does not match');
    expect(other.received).toEqual({ 'annotation-request': 0, sampling: 0, folder: 0, taxonomy: 0, workflow: 0, campaign: 0, get: 0 });
  });

  it('always records the endpoint, and refuses to save a plan for an endpoint apply would refuse', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    const refused = await rosetta(sim, dir, ['plan', '--endpoint', 'http://example.com/rosetta-open', '--out', 'plan.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[ROS_CONFIG]: plan --out records the endpoint the plan is for: refusing plain http to example.com');
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
    const insecure = await rosetta(sim, dir, ['plan', '--endpoint', 'http://example.com/rosetta-open', '--insecure', '--out', 'plan.json']);
    expect(insecure.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'))).toMatchObject({ endpoint: 'http://example.com/rosetta-open' });
    const apply = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(`error[ROS_PLAN_STALE]: the plan plan.json was made for http://example.com/rosetta-open, not ${sim.url}`);
  });

  it('a plan made before another apply on the same state (same lineage, newer serial) is refused', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(TWO_PLANS);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--target', 'AnnotationRequest/ar'])).code).toBe(0);
    const { lineage, serial } = readState(dir);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--target', 'SamplingPlan/qa-1'])).code).toBe(0);
    expect(readState(dir).lineage).toBe(lineage);
    const stale = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`error[ROS_PLAN_STALE]: the state changed since the plan plan.json was made (serial ${serial} → ${readState(dir).serial})`);
    expect(sim.platform.listSamplingPackages().map((p) => p.poolName)).toEqual(['pool-qa-1']);
  });

  it('a plan made against another state with the same serial (another lineage) is refused', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(TWO_PLANS);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--target', 'AnnotationRequest/ar'])).code).toBe(0);
    expect((await rosetta(sim, dir, ['plan', '--out', 'plan.json'])).code).toBe(0);
    // Another state (another lineage) at the same serial that already holds qa-1's package.
    const elsewhere = tempDir(TWO_PLANS);
    expect((await rosetta(sim, elsewhere, ['apply', '--auto-approve', '--allow-sampling-on-adopted', '--target', 'SamplingPlan/qa-1'])).code).toBe(0);
    const ours = readState(dir);
    const theirs = readState(elsewhere);
    const swapped = { ...theirs, serial: ours.serial };
    writeFileSync(join(dir, '.rosetta/state.json'), JSON.stringify(swapped));
    const apply = await rosetta(sim, dir, ['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(`error[ROS_PLAN_STALE]: the plan plan.json was made against another state (lineage ${ours.lineage}; this state's is ${theirs.lineage})`);
    expect(sim.platform.listSamplingPackages().map((p) => p.poolName)).toEqual(['pool-qa-1']);
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
