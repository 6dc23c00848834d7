// Renaming a sampling plan's manifest must not silently create a second package.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan, simulatorEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('a renamed sampling plan', () => {
  it('is pointed out by plan, and state mv keeps its package', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('old-qa', 'req', '  poolName: shared-pool\n').replace('  poolName: pool-old-qa\n', '')}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const packageId = readState(dir).resources['SamplingPlan/old-qa']!.samplingPackageId;

    writeFileSync(join(dir, 'm.yaml'), `${annotationRequest('req')}---\n${samplingPlan('new-qa', 'req', '  poolName: shared-pool\n').replace('  poolName: pool-new-qa\n', '')}`);
    const plan = await rosetta(sim, dir, ['plan']);
    expect(plan.stdout).toContain('→ SamplingPlan/old-qa (in state, no longer in the manifests) has exactly this body: if you renamed it, run rosetta state mv SamplingPlan/old-qa SamplingPlan/new-qa instead of creating another');
    const json = JSON.parse((await rosetta(sim, dir, ['plan', '--format', 'json'])).stdout) as { changes: { address: string; renamedFrom?: string }[] };
    expect(json.changes.find((c) => c.address === 'SamplingPlan/new-qa')?.renamedFrom).toBe('SamplingPlan/old-qa');

    const mv = await rosetta(sim, dir, ['state', 'mv', 'SamplingPlan/old-qa', 'SamplingPlan/new-qa']);
    expect(mv).toMatchObject({ code: 0, stdout: 'Moved SamplingPlan/old-qa to SamplingPlan/new-qa in state. Nothing was sent to the API.\n' });
    expect(readState(dir).resources['SamplingPlan/new-qa']).toMatchObject({ name: 'new-qa', samplingPackageId: packageId });
    expect(readState(dir).resources['SamplingPlan/old-qa']).toBeUndefined();
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
  });

  it('state mv refuses a target that exists, another kind, or a bad name', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('a', 'req')}---\n${samplingPlan('b', 'req')}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    expect((await rosetta(sim, dir, ['state', 'mv', 'SamplingPlan/a', 'SamplingPlan/b'])).stderr).toBe('error[ROS_USAGE]: SamplingPlan/b is already in the state\n  hint: rosetta state show SamplingPlan/b\n');
    expect((await rosetta(sim, dir, ['state', 'mv', 'SamplingPlan/a', 'AnnotationRequest/a'])).stderr).toBe('error[ROS_USAGE]: cannot move SamplingPlan/a to another kind (AnnotationRequest/a)\n');
    expect((await rosetta(sim, dir, ['state', 'mv', 'SamplingPlan/a', 'SamplingPlan/Bad_Name'])).code).toBe(1);
    expect((await rosetta(sim, dir, ['state', 'mv', 'SamplingPlan/zzz', 'SamplingPlan/c'])).stderr).toContain('error[ROS_STATE_NOT_FOUND]: SamplingPlan/zzz is not in the state');
  });
});

describe('apply in a terminal with CI set', () => {
  it('says that CI is why it does not ask', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    // script(1) gives the command a real pseudo-terminal.
    const result = spawnSync('script', ['-qec', `${process.execPath} ${BIN} apply`, '/dev/null'], { cwd: dir, env: { ...process.env, ...simulatorEnv(sim), CI: 'true' }, encoding: 'utf8' });
    expect(result.stdout).toContain('error[ROS_NOT_INTERACTIVE]: apply needs confirmation, and CI is set, so rosetta does not ask');
    expect(sim.received['annotation-request']).toBe(0);
  });
});
