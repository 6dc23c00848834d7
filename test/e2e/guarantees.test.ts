// One integration test per contract guarantee: the real CLI, in real processes,
// against the real simulator over loopback HTTP.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { E2E_CREDENTIALS, SECRET, annotationRequest, readState, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('guarantee 1: a second plan right after a successful apply shows no changes', () => {
  it('holds for the examples', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir();
    const apply = await rosetta(sim, dir, ['apply', join(REPO_ROOT, 'examples'), '--auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply: 21 created, 0 adopted, 0 failed, 0 skipped.');
    const plan = await rosetta(sim, dir, ['plan', join(REPO_ROOT, 'examples'), '--detailed-exitcode', '--format', 'json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).summary).toEqual({ create: 0, update: 0, noop: 21, conflict: 0, pending: 0, held: 0, orphan: 0, drift: 0 });
    expect(sim.platform.listAnnotationRequests()).toHaveLength(7);
    expect(sim.platform.listSamplingPackages()).toHaveLength(10);
    expect(sim.platform.pipeline.listFolders().map((f) => f.helixProjectId)).toEqual(['helix-prod']);
    expect(sim.platform.pipeline.listCampaigns().map((c) => c.campaignName)).toEqual(['Lidar drives']);
    // An apply with nothing to do writes nothing: no serial bump, so saved plans stay valid.
    const serial = readState(dir).serial;
    const again = await rosetta(sim, dir, ['apply', join(REPO_ROOT, 'examples'), '--auto-approve']);
    expect(again.code).toBe(0);
    expect(readState(dir).serial).toBe(serial);
  });
});

describe('guarantee 2: 53004 and 53005 count as already applied', () => {
  it('adopts both, records them, and warns when the existing request is not ours', async () => {
    const sim = await simulator({
      credentials: [E2E_CREDENTIALS],
      fixtures: {
        permissive: true,
        campaigns: [],
        pools: [],
        annotationRequests: [
          // same id as the manifest below (53004), same content
          { annotationRequestId: 'fixed-id', annotationRequestName: 'Request by-id', campaignId: 'campaign-1', sceneIdMap: { 'by-id-scene-1': 'gs://bucket/by-id/1.yaml', 'by-id-scene-2': 'gs://bucket/by-id/2.yaml' } },
          // same name as the manifest below, another id (53005)
          { annotationRequestId: 'someone-elses', annotationRequestName: 'Request by-name', campaignId: 'campaign-1' },
        ],
      },
    });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('by-id', '  annotationRequestId: fixed-id\n')}---\n${annotationRequest('by-name')}` });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
    expect(apply.code).toBe(0);
    const report = JSON.parse(apply.stdout) as { results: Record<string, unknown>[]; summary: Record<string, number> };
    expect(report.summary).toEqual({ created: 0, adopted: 2, updated: 0, failed: 0, skipped: 0 });
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    expect(byName['by-id']).toMatchObject({ outcome: 'adopted', code: 53004 });
    expect(byName['by-id']).not.toHaveProperty('warnings');
    expect(byName['by-name']).toMatchObject({ outcome: 'adopted', code: 53005 });
    expect(byName['by-name']!.warnings).toEqual([expect.stringContaining('belongs to another request')]);
    expect(byName['by-name']!.requestId).toMatch(/^[0-9a-f]{32}$/);
    const state = readState(dir);
    expect(state.resources['AnnotationRequest/by-id']).toMatchObject({ status: 'applied', outcome: 'adopted', code: 53004 });
    expect(state.resources['AnnotationRequest/by-name']).toMatchObject({ status: 'applied', outcome: 'adopted', code: 53005 });
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('--strict-adopt turns a mismatch into a failure', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: { permissive: true, campaigns: [], pools: [], annotationRequests: [{ annotationRequestId: 'other', annotationRequestName: 'Request x', campaignId: 'campaign-1' }] } });
    const dir = tempDir({ 'm.yaml': annotationRequest('x') });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--strict-adopt']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('AnnotationRequest/x failed: already exists but does not match (--strict-adopt)');
    expect(existsSync(join(dir, '.rosetta/state.json')) ? readState(dir).resources : {}).toEqual({});
  });
});

describe('guarantee 3: a SamplingPlan is created at most once', () => {
  it.each([
    ['HTTP 502', { type: 'http' as const, status: 502 }],
    ['HTTP 504', { type: 'http' as const, status: 504 }],
    ['a TCP reset after the create was stored', { type: 'rst' as const, commit: true }],
  ])('%s on a sampling create leaves it pending, and the next apply does not resend it', async (_what, fault) => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa', 'ar')}` });
    sim.faults.inject('sampling', fault);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(1);
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'pending' });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(1);
    expect(sim.received.sampling).toBe(1);
  });

  it('commit-then-drop leaves it pending; three more applies never resend it; resolve settles it', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa', 'ar')}` });
    sim.faults.inject('sampling', { type: 'commit-then-drop' });
    const first = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
    expect(first.code).toBe(1);
    const result = (JSON.parse(first.stdout) as { results: Record<string, unknown>[] }).results.find((r) => r.name === 'qa');
    expect(result).toMatchObject({ outcome: 'failed', pending: true });
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'pending' });
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);

    for (let i = 0; i < 3; i++) {
      const again = await rosetta(sim, dir, ['apply', '--auto-approve']);
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('? SamplingPlan/qa has a sampling create sent at');
      expect(again.stdout).toContain('1 sampling plan pending with an unknown outcome');
    }
    expect(sim.received.sampling).toBe(1);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);

    const plan = await rosetta(sim, dir, ['plan', '--format', 'json']);
    expect(JSON.parse(plan.stdout).summary).toMatchObject({ pending: 1, create: 0 });

    const packageId = sim.platform.listSamplingPackages()[0]!.samplingPackageId;
    const resolve = await rosetta(sim, dir, ['state', 'resolve', 'SamplingPlan/qa', '--sampling-package-id', String(packageId)]);
    expect(resolve).toMatchObject({ code: 0, stdout: `Recorded SamplingPlan/qa as sampling package ${packageId}.\n` });
    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    expect(sim.received.sampling).toBe(1);
  });

  it('--not-created lets the next apply send it once', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa', 'ar')}` });
    sim.faults.inject('sampling', { type: 'reset' });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(1);
    expect(sim.platform.listSamplingPackages()).toHaveLength(0);
    expect((await rosetta(sim, dir, ['state', 'resolve', 'SamplingPlan/qa', '--not-created'])).code).toBe(0);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    expect(sim.received.sampling).toBe(2);
  });
});

describe('guarantee 4: a sampling plan is sent only after its annotation request exists', () => {
  it('is skipped when the request fails, and nothing is sampled', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: { permissive: false, campaigns: [], pools: [{ name: 'pool-qa' }], annotationRequests: [] } });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa', 'ar')}` });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
    expect(apply.code).toBe(1);
    const results = (JSON.parse(apply.stdout) as { results: Record<string, unknown>[] }).results;
    expect(results.find((r) => r.name === 'ar')).toMatchObject({ outcome: 'failed', code: 51008 });
    expect(results.find((r) => r.name === 'qa')).toMatchObject({ outcome: 'skipped', message: 'AnnotationRequest/ar was not applied (failed)' });
    expect(sim.received.sampling).toBe(0);
  });
});

describe('guarantee 6: two applies on one state never run at once', () => {
  it('the second fails fast naming the holder', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    // The first apply's create is held by the simulator for 5 s: it holds the lock all that time.
    sim.faults.inject('annotation-request', { type: 'delay', ms: 5_000 });
    const dir = tempDir({ 'm.yaml': annotationRequest('slow') });
    const env = spawnEnv(sim, { GITHUB_RUN_ID: '4242' });
    const first = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: dir, env });
    let firstExited = false;
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', (code) => ((firstExited = true), resolve(code))));
    const lockFile = join(dir, '.rosetta/state.json.lock');
    while (sim.received['annotation-request'] === 0) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(lockFile)).toBe(true);

    const second = await rosetta(sim, dir, ['apply', '--auto-approve']);
    // Failed fast: it ended while the first was still waiting for its answer.
    expect(firstExited).toBe(false);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`error[ROS_STATE_LOCKED]: the state is locked by pid ${first.pid} on `);
    expect(second.stderr).toContain('`rosetta apply`');
    expect(second.stderr).toContain('GitHub run 4242');
    expect(await firstExit).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    expect(sim.received['annotation-request']).toBe(1);
  });
});

describe('secrets', () => {
  it('never reach output, state or plan files', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('ar')}---\n${samplingPlan('qa', 'ar')}` });
    sim.faults.inject('annotation-request', { type: 'http', status: 502 });
    const outputs = [
      await rosetta(sim, dir, ['plan', '--out', 'plan.json']),
      await rosetta(sim, dir, ['apply', '--plan', 'plan.json']),
      await rosetta(sim, dir, ['state', 'list', '--format', 'json']),
      await rosetta(sim, dir, ['state', 'show', 'SamplingPlan/qa']),
      await rosetta(sim, dir, ['apply', '--auto-approve'], { ROSETTA_SECRET_KEY: `${SECRET}-wrong` }),
    ];
    expect(outputs[1]!.code).toBe(0);
    const files = ['plan.json', '.rosetta/state.json', '.rosetta/state.json.backup'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const text of [...outputs.flatMap((o) => [o.stdout, o.stderr]), ...files]) expect(text).not.toContain(SECRET);
  });
});
