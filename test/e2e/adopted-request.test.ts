// Guarantee 7: a state that did not create an annotation request does not create sampling
// packages under it on its own. The real CLI against the simulator, with real files and real
// processes (a kill -9 in the middle of a create).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { simulator } from '../helpers/sim.js';

const MANIFESTS = { 'm.yaml': `${annotationRequest('helix')}---\n${samplingPlan('helix-qa', 'helix')}` };

async function stateList(sim: Simulator, dir: string, env: Record<string, string> = {}) {
  const list = await rosetta(sim, dir, ['state', 'list', '--format', 'json'], env);
  expect(list.code, list.stderr).toBe(0);
  const { resources } = JSON.parse(list.stdout) as { resources: ({ address: string } & Record<string, unknown>)[] };
  return Object.fromEntries(resources.map((r) => [r.address, r]));
}

describe('guarantee 7: sampling plans under a request this state did not create', () => {
  it('a second state (a lost or wrong one) holds them back instead of creating a second package', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    const first = await rosetta(sim, dir, ['apply', '--auto-approve', '--state', 'a.json']);
    expect(first.code, first.stderr).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);

    // The same manifests against another state: the request comes back 53004.
    const second = await rosetta(sim, dir, ['apply', '--auto-approve', '--state', 'b.json', '--format', 'json']);
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout) as { results: Record<string, unknown>[] };
    expect(report.results).toEqual([
      expect.objectContaining({ name: 'helix', outcome: 'adopted', code: 53004 }),
      expect.objectContaining({ name: 'helix-qa', outcome: 'skipped', held: true }),
    ]);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    expect((await stateList(sim, dir, { ROSETTA_STATE: 'b.json' }))['AnnotationRequest/helix']).toMatchObject({ outcome: 'adopted', code: 53004 });

    // Every later plan and apply says why and what to do; nothing is sent.
    const plan = await rosetta(sim, dir, ['plan', '--state', 'b.json']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('SamplingPlan/helix-qa is held back: AnnotationRequest/helix existed before this state (adopted, 53004)');
    expect(plan.stdout).toContain('rosetta import SamplingPlan/helix-qa <samplingPackageId>');
    expect(plan.stdout).toContain('rosetta apply --allow-sampling-on-adopted --target SamplingPlan/helix-qa');
    expect(plan.stdout).toContain('1 held back');
    const planJson = JSON.parse((await rosetta(sim, dir, ['plan', '--state', 'b.json', '--format', 'json'])).stdout) as { changes: Record<string, unknown>[]; summary: Record<string, number> };
    expect(planJson.changes.find((c) => c.name === 'helix-qa')).toEqual({ action: 'held', kind: 'SamplingPlan', name: 'helix-qa', address: 'SamplingPlan/helix-qa', dependsOn: 'AnnotationRequest/helix', adoptedCode: 53004 });
    expect(planJson.summary).toMatchObject({ create: 0, held: 1 });
    const again = await rosetta(sim, dir, ['apply', '--auto-approve', '--state', 'b.json']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('1 sampling plan held back: their annotation requests existed before this state');
    expect(sim.received.sampling).toBe(1);

    // The way on: record the package that exists.
    const [existing] = sim.platform.listSamplingPackages();
    const imported = await rosetta(sim, dir, ['import', 'SamplingPlan/helix-qa', String(existing!.samplingPackageId), '--state', 'b.json']);
    expect(imported.code, imported.stderr).toBe(0);
    const settled = await rosetta(sim, dir, ['plan', '--state', 'b.json', '--detailed-exitcode']);
    expect(settled.code, settled.stdout).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
  });

  it('--allow-sampling-on-adopted creates it once a person has checked', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    // The request exists on the platform (made in the web UI), with no package under it.
    const dir = tempDir(MANIFESTS);
    const made = await rosetta(sim, dir, ['apply', '--auto-approve', '--state', 'ui.json', '--target', 'AnnotationRequest/helix']);
    expect(made.code, made.stderr).toBe(0);

    const held = await rosetta(sim, dir, ['apply', '--auto-approve']);
    expect(held.code).toBe(1);
    expect(sim.received.sampling).toBe(0);
    const plan = await rosetta(sim, dir, ['plan', '--allow-sampling-on-adopted']);
    expect(plan.stdout).toContain('also if that request was adopted (--allow-sampling-on-adopted)');
    const allowed = await rosetta(sim, dir, ['apply', '--auto-approve', '--allow-sampling-on-adopted', '--target', 'SamplingPlan/helix-qa']);
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    const after = await rosetta(sim, dir, ['plan', '--detailed-exitcode']);
    expect(after.code).toBe(0);
  });

  it('a crash of this state\'s own run does not hold anything back: the intent says the request is its own', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    // The platform takes the request and never answers; the apply is killed while it waits.
    sim.faults.inject('annotation-request', { type: 'hang', commit: true });
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: dir, env: spawnEnv(sim), stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 200 && sim.platform.listAnnotationRequests().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sim.platform.listAnnotationRequests()).toHaveLength(1);
    child.kill('SIGKILL');
    await exited;
    expect((await stateList(sim, dir))['AnnotationRequest/helix']).toMatchObject({ status: 'pending' });

    const plan = await rosetta(sim, dir, ['plan']);
    expect(plan.stdout).toContain('will be sent again: an earlier apply may have sent it and stopped before recording an answer');
    const next = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const report = JSON.parse(next.stdout) as { results: Record<string, unknown>[] };
    expect(report.results).toEqual([
      expect.objectContaining({ name: 'helix', outcome: 'adopted', code: 53004 }),
      expect.objectContaining({ name: 'helix-qa', outcome: 'created' }),
    ]);
    expect((await stateList(sim, dir))['AnnotationRequest/helix']).toMatchObject({ status: 'applied', outcome: 'adopted', sentHere: true });
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
  });
});

describePostgres('guarantee 7 on PostgreSQL: another workspace', () => {
  it('--workspace wsB after wsA applied the same manifests holds the sampling plan back', async () => {
    const url = await freshDatabase();
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--state', url, '--workspace', 'wsA'])).code).toBe(0);
    const b = await rosetta(sim, dir, ['apply', '--auto-approve', '--state', url, '--workspace', 'wsB']);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain('SamplingPlan/helix-qa skipped: held back');
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    const plan = await rosetta(sim, dir, ['plan', '--state', url, '--workspace', 'wsB', '--format', 'json']);
    expect(JSON.parse(plan.stdout).summary).toMatchObject({ create: 0, noop: 1, held: 1 });
  });
});

describe('an empty state location is an error, not the default file', () => {
  it.each([
    [['--state', ''], {}, 'error[ROS_USAGE]: --state is empty'],
    [[], { ROSETTA_STATE: '' }, 'error[ROS_USAGE]: ROSETTA_STATE is set but empty (a CI secret that is missing or not passed to this job?)'],
    [[], { ROSETTA_STATE: '', ROSETTA_WORKSPACE: 'ci' }, 'error[ROS_USAGE]: ROSETTA_STATE is set but empty'],
  ] as const)('%j %j', async (args, env, message) => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir(MANIFESTS);
    for (const command of [['plan'], ['apply', '--auto-approve'], ['state', 'list']]) {
      const run = await rosetta(sim, dir, [...command, ...args], env);
      expect(run.code, command.join(' ')).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('--workspace applies');
    }
    expect(sim.received['annotation-request']).toBe(0);
  });
});
