// rosetta import: requests and packages made by hand come under management, honestly.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, SECRET, annotationRequest, readState, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const BY_HAND = { annotationRequestId: 'made-by-hand-1', annotationRequestName: 'Made by hand', campaignId: 'campaign-9', sceneIdMap: { 's-1': 'gs://bucket/hand/1.yaml', 's-2': 'gs://bucket/hand/2.yaml' }, operatorKeys: ['KEY1'] };

async function platformWithRequest() {
  return simulator({ credentials: [E2E_CREDENTIALS], fixtures: { permissive: true, campaigns: [], pools: [], annotationRequests: [BY_HAND] } });
}

describe('rosetta import AnnotationRequest', () => {
  it('records it as the platform holds it; with a generated manifest the next plan is a no-op', async () => {
    const sim = await platformWithRequest();
    const dir = tempDir();
    const imported = await rosetta(sim, dir, ['import', 'AnnotationRequest/by-hand', 'made-by-hand-1', '--generate-manifest', 'by-hand.yaml']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported AnnotationRequest/by-hand (annotationRequestId made-by-hand-1).');
    expect(readState(dir).resources['AnnotationRequest/by-hand']).toMatchObject({ status: 'applied', outcome: 'imported', annotationRequestId: 'made-by-hand-1', annotationRequestName: 'Made by hand' });
    expect(readFileSync(join(dir, 'by-hand.yaml'), 'utf8')).toContain('annotationRequestName: Made by hand');
    expect((await rosetta(sim, dir, ['validate'])).code).toBe(0);
    const plan = await rosetta(sim, dir, ['plan', '--detailed-exitcode']);
    expect(plan.stdout).toBe('No changes. 1 resource is up to date.\n');
    expect(plan.code).toBe(0);
    expect(sim.received['annotation-request']).toBe(0);
    expect(imported.stdout + imported.stderr).not.toContain(SECRET);

    const twice = await rosetta(sim, dir, ['import', 'AnnotationRequest/again', 'made-by-hand-1']);
    expect(twice.stderr).toBe('error[ROS_USAGE]: annotation request made-by-hand-1 is already in the state as AnnotationRequest/by-hand\n  hint: to manage it under another name: rosetta state mv AnnotationRequest/by-hand AnnotationRequest/again\n');

    // A sampling plan can now be added for it and applied.
    writeFileSync(join(dir, 'qa.yaml'), samplingPlan('by-hand-qa', 'by-hand'));
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    expect(sim.platform.listSamplingPackages().map((p) => p.annotationRequestId)).toEqual(['made-by-hand-1']);
  });

  it('a manifest that differs from the platform\'s request shows as a conflict', async () => {
    const sim = await platformWithRequest();
    const manifest = annotationRequest('by-hand', '  annotationRequestId: made-by-hand-1\n');
    const dir = tempDir({ 'm.yaml': manifest });
    expect((await rosetta(sim, dir, ['import', 'AnnotationRequest/by-hand', 'made-by-hand-1'])).code).toBe(0);
    const plan = await rosetta(sim, dir, ['plan', '--format', 'json']);
    expect(plan.code).toBe(1);
    expect(JSON.parse(plan.stdout).changes[0]).toMatchObject({ action: 'conflict', address: 'AnnotationRequest/by-hand', changedFields: expect.arrayContaining(['annotationRequestName', 'campaignId', 'sceneIdMap']) });
  });

  it('a missing id is a clear error and records nothing; an existing manifest file is never overwritten', async () => {
    const sim = await platformWithRequest();
    const dir = tempDir({ 'keep.yaml': 'mine\n' });
    const missing = await rosetta(sim, dir, ['import', 'AnnotationRequest/nope', 'no-such-id']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error[ROS_REMOTE_NOT_FOUND]: the platform has no annotation request with id no-such-id\n  hint: check the id (it is the annotationRequestId, not the name)\n');
    expect(existsSync(join(dir, '.rosetta/state.json'))).toBe(false);
    const overwrite = await rosetta(sim, dir, ['import', 'AnnotationRequest/by-hand', 'made-by-hand-1', '--generate-manifest', 'keep.yaml']);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain('keep.yaml already exists; --generate-manifest never overwrites');
    expect(readFileSync(join(dir, 'keep.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, '.rosetta/state.json'))).toBe(false);
  });
});

describe('rosetta import SamplingPlan', () => {
  it('records an existing package for its manifest; a package the platform does not have is refused', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    // A package made by hand, for a request rosetta manages.
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'm.yaml'), `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}`);
    const other = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    expect((await rosetta(sim, other, ['apply', '--auto-approve', '--allow-sampling-on-adopted'])).code).toBe(0);
    const made = sim.platform.listSamplingPackages()[0]!.samplingPackageId;

    const refused = await rosetta(sim, dir, ['import', 'SamplingPlan/qa', '99999']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[ROS_REMOTE_NOT_FOUND]: the platform has no sampling package 99999 (57008)');
    const noManifest = await rosetta(sim, dir, ['import', 'SamplingPlan/zz', String(made)]);
    expect(noManifest.stderr).toContain('error[ROS_USAGE]: no manifest for SamplingPlan/zz in the given paths');

    const imported = await rosetta(sim, dir, ['import', 'SamplingPlan/qa', String(made)]);
    expect(imported).toMatchObject({ code: 0, stdout: `Imported SamplingPlan/qa as sampling package ${made}.\n` });
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
  });
});

describe('rosetta state resolve --sampling-package-id', () => {
  it('checks that the package exists', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    sim.faults.inject('sampling', { type: 'commit-then-drop' });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(1);
    const wrong = await rosetta(sim, dir, ['state', 'resolve', 'SamplingPlan/qa', '--sampling-package-id', '12345']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('error[ROS_REMOTE_NOT_FOUND]: the platform has no sampling package 12345 (57008)');
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'pending' });
    const made = sim.platform.listSamplingPackages()[0]!.samplingPackageId;
    // Without the API configured, state commands stay offline and say the id was not checked.
    const offline = await rosetta(sim, dir, ['state', 'resolve', 'SamplingPlan/qa', '--sampling-package-id', String(made)], { ROSETTA_ENDPOINT: undefined });
    expect(offline.code).toBe(0);
    expect(offline.stderr).toBe(`warning: sampling package ${made} was not checked on the platform (set ROSETTA_ENDPOINT and the keys to check it)\n`);
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'applied', samplingPackageId: made });
  });
});
