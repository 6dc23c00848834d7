// A server that never finishes its answer (one byte every 200 ms, so undici's per-chunk timeout
// never fires), and a CI job cancelled with SIGTERM: apply must end, record what it can and unlock.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

function manifests(): string {
  return tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { stdout: () => stdout, stderr: () => stderr, exited };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

describe('a server that trickles its answer', () => {
  it('is cut off at --request-timeout; the sampling create stays pending and the lock is released', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    sim.faults.inject('sampling', { type: 'trickle', intervalMs: 200 });
    const dir = manifests();
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--request-timeout', '2s']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('SamplingPlan/qa failed: outcome unknown: no answer: no complete answer within 2s (--request-timeout)');
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'pending' });
    expect(readState(dir).resources['AnnotationRequest/req']).toMatchObject({ status: 'applied', outcome: 'created' });
    expect(existsSync(join(dir, '.rosetta/state.json.lock'))).toBe(false);
    expect(sim.received.sampling).toBe(1);
  });
});

describe('SIGTERM during apply (a CI job cancelled)', () => {
  async function startHungApply() {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    sim.faults.inject('sampling', { type: 'trickle', intervalMs: 200 });
    const dir = manifests();
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve'], { cwd: dir, env: spawnEnv(sim) });
    const output = collect(child);
    await until(() => sim.received.sampling === 1);
    return { sim, dir, child, output };
  }

  it('cancels the creates in flight after the grace period, records them as pending and unlocks', { timeout: 40_000 }, async () => {
    const { dir, child, output } = await startHungApply();
    child.kill('SIGTERM');
    expect(await output.exited).toBe(1);
    expect(output.stderr()).toContain('Interrupted: starting nothing new; waiting for the creates in flight (at most 10s');
    expect(output.stderr()).toContain('Cancelling the requests in flight; a cancelled sampling create stays pending.');
    expect(output.stdout()).toContain('SamplingPlan/qa failed: outcome unknown: no answer: the request was cancelled while in flight');
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'pending' });
    expect(existsSync(join(dir, '.rosetta/state.json.lock'))).toBe(false);
  });

  it('cancels at once on a second signal', { timeout: 20_000 }, async () => {
    const { dir, child, output } = await startHungApply();
    child.kill('SIGTERM');
    await until(() => output.stderr().includes('Interrupted'));
    child.kill('SIGINT');
    expect(await output.exited).toBe(1);
    expect(output.stderr()).toContain('Cancelling the requests in flight');
    expect(readState(dir).resources['SamplingPlan/qa']).toMatchObject({ status: 'pending' });
    expect(existsSync(join(dir, '.rosetta/state.json.lock'))).toBe(false);
  });
});

describe('reads against a server that accepts and never answers', () => {
  /** Applies against a working simulator, then points the same state at a server that hangs. */
  async function appliedThenHung() {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = manifests();
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    sim.faults.inject('get', { type: 'hang', commit: false }, 1000);
    return { sim, dir };
  }

  it('status, plan --refresh and import each end at --request-timeout, retries included', { timeout: 40_000 }, async () => {
    const { sim, dir } = await appliedThenHung();
    for (const args of [['status'], ['plan', '--refresh'], ['import', 'AnnotationRequest/other', 'some-id']]) {
      const started = Date.now();
      const run = await rosetta(sim, dir, [...args, '--request-timeout', '2s']);
      expect(run.code, args.join(' ')).toBe(1);
      expect(Date.now() - started, args.join(' ')).toBeLessThan(8_000);
      expect(run.stderr + run.stdout).toContain('2s');
    }
  });

  it('status --wait --timeout bounds the whole wait, and one SIGTERM stops it', { timeout: 40_000 }, async () => {
    const { sim, dir } = await appliedThenHung();
    const started = Date.now();
    const timed = await rosetta(sim, dir, ['status', '--wait', '--timeout', '3s', '--request-timeout', '1m']);
    expect(timed.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(timed.stdout).toContain('Timed out after 3s');

    const child = spawn(process.execPath, [BIN, 'status', '--wait', '--request-timeout', '1m'], { cwd: dir, env: spawnEnv(sim) });
    const output = collect(child);
    const hangsBefore = sim.received.get;
    await until(() => sim.received.get > hangsBefore);
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await output.exited).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(output.stderr()).toContain('Stopped waiting.');
  });
});
