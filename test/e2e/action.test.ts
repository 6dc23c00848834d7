// The GitHub Action's step script (scripts/action-run.sh, what action.yml runs), run by bash as a
// runner would: real rosetta on PATH, the simulator, GITHUB_OUTPUT and RUNNER_TEMP files.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Simulator } from '../../src/sim/server.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan, simulatorEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const SCRIPT = join(REPO_ROOT, 'scripts/action-run.sh');

interface StepRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  runnerTemp: string;
}

/** Runs the step script in `dir` as the Action does, with `rosetta` on PATH. */
async function runStep(sim: Simulator, dir: string, env: Record<string, string>): Promise<StepRun> {
  const bin = tempDir();
  writeFileSync(join(bin, 'rosetta'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'rosetta'), 0o755);
  const runnerTemp = tempDir();
  const outputFile = join(runnerTemp, 'output');
  writeFileSync(outputFile, '');
  const child = spawn('bash', [SCRIPT], {
    cwd: dir,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, CI: 'true', GITHUB_OUTPUT: outputFile, RUNNER_TEMP: runnerTemp, ...simulatorEnv(sim), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split('=', 2) as [string, string]));
  return { code, stdout, stderr, outputs, runnerTemp };
}

describe('the GitHub Action step', () => {
  it('plan with changes: exit 0, the exit code and every count as outputs, the plan in the log and for the comment', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    const step = await runStep(sim, dir, { COMMAND: 'plan', PATHS: '.', ARGS: '' });
    expect(step.code, step.stderr).toBe(0);
    expect(step.outputs).toEqual({ create: '2', update: '0', noop: '0', conflict: '0', pending: '0', held: '0', orphan: '0', drift: '0', planned: 'true', exitcode: '2' });
    expect(step.stdout).toContain('AnnotationRequest/req');
    expect(readFileSync(join(step.runnerTemp, 'rosetta-plan.md'), 'utf8')).toContain('AnnotationRequest/req');
    expect(sim.received['annotation-request']).toBe(0);
  });

  it('plan with a conflict: fails saying why, and still leaves the plan for the comment', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    writeFileSync(join(dir, 'm.yaml'), `${annotationRequest('req')}---\n${samplingPlan('qa', 'req').replace('samplingQuantity: 1', 'samplingQuantity: 2')}`);
    const step = await runStep(sim, dir, { COMMAND: 'plan', PATHS: '.', ARGS: '' });
    expect(step.code).toBe(1);
    expect(step.outputs).toMatchObject({ exitcode: '1', planned: 'true', conflict: '1', create: '0' });
    expect(step.stdout).toContain('SamplingPlan/qa');
    expect(step.stdout).toContain('samplingQuantity');
    expect(step.stdout).toContain('::error title=rosetta plan failed::the plan has conflicts');
    expect(existsSync(join(step.runnerTemp, 'rosetta-plan.md'))).toBe(true);
  });

  it('a missing state secret fails with rosetta\'s error and no plan to comment', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const step = await runStep(sim, dir, { COMMAND: 'plan', PATHS: '.', ARGS: '', ROSETTA_STATE: '' });
    expect(step.code).toBe(1);
    expect(step.stderr).toContain('error[ROS_USAGE]: ROSETTA_STATE is set but empty');
    expect(step.outputs).toMatchObject({ exitcode: '1', planned: 'false' });
  });

  it('apply, and a wrong command', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const apply = await runStep(sim, dir, { COMMAND: 'apply', PATHS: '.', ARGS: '--concurrency 2' });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.outputs).toEqual({ exitcode: '0' });
    expect(sim.platform.listAnnotationRequests()).toHaveLength(1);
    const wrong = await runStep(sim, dir, { COMMAND: 'destroy', PATHS: '.', ARGS: '' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('::error title=rosetta::command must be validate, plan or apply, not destroy');
  });

  it('installs the action\'s own version unless told otherwise, and runs this script', () => {
    const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { steps: { run?: string }[] } };
    expect(action.inputs.version!.default).toBe('');
    const runs = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('require(process.env.ACTION_PATH + "/package.json").version');
    expect(runs).toContain('bash "$GITHUB_ACTION_PATH/scripts/action-run.sh"');
    expect(runs).not.toContain('latest');
  });
});
