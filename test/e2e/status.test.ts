// rosetta status and --wait: the real CLI against the simulator, whose requests move from
// PROCESSING to FINISHED (or FAILED) after processingMs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, SECRET, annotationRequest, readState, rosetta, samplingPlan, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

type Status = { resources: Record<string, unknown>[]; summary: Record<string, number>; wait?: string };
const json = (text: string) => JSON.parse(text) as Status;

/** A request with one scene the platform cannot read (not a storage URI). */
const withBadScene = (name: string) => annotationRequest(name).replace(`gs://bucket/${name}/2.yaml`, 'file:///home/me/2.yaml');
/** A request whose every scene is unreadable: the platform fails it. */
const allBad = (name: string) => withBadScene(name).replace(`gs://bucket/${name}/1.yaml`, 'not-a-uri');

describe('rosetta status', () => {
  it('shows PROCESSING right after apply, then FINISHED with error scenes; packages EXIST; pending needs no call', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 60_000 });
    const dir = tempDir({ 'm.yaml': `${withBadScene('req')}---\n${samplingPlan('qa', 'req')}---\n${samplingPlan('lost', 'req')}` });
    sim.faults.inject('sampling', { type: 'commit-then-drop' });
    await rosetta(sim, dir, ['apply', '--auto-approve', '--concurrency', '1']);
    const pending = Object.entries(readState(dir).resources).find(([, r]) => r.status === 'pending')![0];

    const before = sim.received.get;
    const early = await rosetta(sim, dir, ['status', '--format', 'json']);
    expect(early.code).toBe(0);
    const report = json(early.stdout);
    expect(report.resources.find((r) => r.kind === 'AnnotationRequest')).toMatchObject({ status: 'PROCESSING', successTasks: 0, errorScenes: 0, completion: 0, completedScenes: 0 });
    expect(report.resources.find((r) => r.address === pending)).toEqual({ kind: 'SamplingPlan', name: pending.split('/')[1], address: pending, status: 'PENDING' });
    expect(report.summary).toEqual({ PROCESSING: 1, EXISTS: 1, PENDING: 1 });
    // Two reads for the request (its status, its progress), one for the package; none for the pending create.
    expect(sim.received.get - before).toBe(3);
    expect(early.stdout + early.stderr).not.toContain(SECRET);
  });

  it('shows progress rising to 100: completion and completedScenes in JSON, a percentage in text and markdown', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 3_000 });
    const scenes = Array.from({ length: 8 }, (_, i) => `    s${i}: gs://bucket/s${i}.json`).join('\n');
    const dir = tempDir({ 'm.yaml': `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: req\nspec:\n  annotationRequestName: R\n  campaignId: c\n  sceneIdMap:\n${scenes}\n    broken: not-a-uri\n` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const seen: number[] = [];
    for (;;) {
      const [request] = json((await rosetta(sim, dir, ['status', '--format', 'json'])).stdout).resources;
      seen.push(request!.completion as number);
      expect(request!.completedScenes).toBe(Math.round(((request!.completion as number) / 100) * 8));
      if (request!.status === 'FINISHED') break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // Rising, never falling, to 100 (the unreadable scene is no task: it never counts against it).
    expect(seen.length).toBeGreaterThan(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    const text = await rosetta(sim, dir, ['status']);
    expect(text.stdout).toContain('AnnotationRequest/req  FINISHED  100%  8 tasks, 8 finished, 1 error scenes');
    const markdown = await rosetta(sim, dir, ['status', '--format', 'markdown']);
    expect(markdown.stdout).toContain('| `AnnotationRequest/req` | FINISHED | 100% | 8 tasks, 8 finished, 1 error scenes');
  });

  it('--wait prints a line per change of progress in a pipe', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 5_000 });
    const scenes = Array.from({ length: 4 }, (_, i) => `    s${i}: gs://bucket/s${i}.json`).join('\n');
    const dir = tempDir({ 'm.yaml': `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: req\nspec:\n  annotationRequestName: R\n  campaignId: c\n  sceneIdMap:\n${scenes}\n` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const wait = await rosetta(sim, dir, ['status', '--wait', '--timeout', '1m']);
    expect(wait.code).toBe(0);
    const lines = wait.stdout.split('\n').filter((l) => l.startsWith('AnnotationRequest/req'));
    expect(lines[0]).toMatch(/^AnnotationRequest\/req  PROCESSING  (0|25)%/);
    expect(lines.at(-1)).toBe('AnnotationRequest/req  FINISHED  100%  4 tasks, 4 finished, 0 error scenes (id ' + readState(dir).resources['AnnotationRequest/req']!.annotationRequestId + ')');
    expect(wait.stdout).not.toContain('\x1b['); // no cursor movement outside a terminal
  });

  it('--wait in a terminal redraws one table with progress bars in place', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 4_000 });
    const scenes = Array.from({ length: 4 }, (_, i) => `    s${i}: gs://bucket/s${i}.json`).join('\n');
    const dir = tempDir({ 'm.yaml': `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: req\nspec:\n  annotationRequestName: R\n  campaignId: c\n  sceneIdMap:\n${scenes}\n` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    // util-linux script(1) runs the command on a real pseudo-terminal.
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} status --wait --timeout 1m`, '/dev/null'], { cwd: dir, env: spawnEnv(sim) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('\x1b[1F\x1b[J'); // back over the one-line table, then drawn again
    expect(output).toMatch(/AnnotationRequest\/req  PROCESSING  [█░]{20} +(0|25|50)%/);
    expect(output).toContain(`AnnotationRequest/req  FINISHED  ${'█'.repeat(20)}   100%`);
  });

  it('lists error scenes, exact counts, and the package rates', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const dir = tempDir({ 'm.yaml': `${withBadScene('req')}---\n${samplingPlan('qa', 'req')}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const status = await rosetta(sim, dir, ['status', '--format', 'json']);
    expect(status.code).toBe(0);
    const [request, plan] = json(status.stdout).resources;
    expect(request).toMatchObject({
      kind: 'AnnotationRequest',
      name: 'req',
      status: 'FINISHED',
      successTasks: 1,
      errorScenes: 1,
      errors: { 'req-scene-2': 'scene file is not a readable storage URI: file:///home/me/2.yaml' },
    });
    expect(plan).toMatchObject({ kind: 'SamplingPlan', name: 'qa', status: 'EXISTS', samplingPackageId: sim.platform.listSamplingPackages()[0]!.samplingPackageId });
    expect(typeof plan!.frameAccuracyRate).toBe('number');
    const text = await rosetta(sim, dir, ['status']);
    expect(text.stdout).toContain('    req-scene-2: scene file is not a readable storage URI: file:///home/me/2.yaml');
    expect(text.stdout).toContain('Status: 1 EXISTS, 1 FINISHED.');
  });

  it('exits 1 for a request or a package the platform lost, and narrows with --target', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const state = readState(dir);
    sim.platform.forgetSamplingPackage(state.resources['SamplingPlan/qa']!.samplingPackageId as number);
    const lostPackage = await rosetta(sim, dir, ['status', '--format', 'json']);
    expect(lostPackage.code).toBe(1);
    expect(json(lostPackage.stdout).summary).toEqual({ FINISHED: 1, NOT_FOUND: 1 });
    expect((await rosetta(sim, dir, ['status', '--target', 'AnnotationRequest/req'])).code).toBe(0);
    sim.platform.forgetAnnotationRequest(state.resources['AnnotationRequest/req']!.annotationRequestId as string);
    const lostRequest = await rosetta(sim, dir, ['status', '--target', 'AnnotationRequest/req']);
    expect(lostRequest.code).toBe(1);
    expect(lostRequest.stdout).toContain('AnnotationRequest/req  ID_NOT_EXISTS  the platform has no request with id');
  });

  it('appends markdown to $GITHUB_STEP_SUMMARY', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const dir = tempDir({ 'm.yaml': withBadScene('req') });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const summary = join(dir, 'summary.md');
    expect((await rosetta(sim, dir, ['status'], { GITHUB_STEP_SUMMARY: summary })).code).toBe(0);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('### rosetta status');
    expect(markdown).toContain('| `AnnotationRequest/req` | FINISHED | 100% | 1 tasks, 1 finished, 1 error scenes');
  });
});

describe('--wait', () => {
  it('status --wait returns 0 once every request has finished, printing a line per change', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 2_500 });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const wait = await rosetta(sim, dir, ['status', '--wait']);
    expect(wait.code).toBe(0);
    const lines = wait.stdout.split('\n');
    expect(lines.findIndex((l) => l.startsWith('AnnotationRequest/req  PROCESSING'))).toBeLessThan(lines.findIndex((l) => l.startsWith('AnnotationRequest/req  FINISHED')));
    expect(wait.stdout).toContain('Status: 1 FINISHED.');
  });

  it('apply --wait releases the state lock while it waits', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 600_000 });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const waiting = rosetta(sim, dir, ['apply', '--auto-approve', '--wait', '--timeout', '4s']);
    while (sim.received.get === 0) await new Promise((r) => setTimeout(r, 20));
    // While the first run waits for the platform, another run can take the lock.
    const other = await rosetta(sim, dir, ['state', 'rm', 'AnnotationRequest/req']);
    expect(other.stderr).not.toContain('ROS_STATE_LOCKED');
    expect(other.code).toBe(0);
    expect((await waiting).code).toBe(1); // timed out
  });

  it('apply --wait returns 1 when a request fails', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 500 });
    const dir = tempDir({ 'm.yaml': allBad('req') });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--wait', '--format', 'json']);
    expect(apply.code).toBe(1);
    const report = JSON.parse(apply.stdout) as { summary: Record<string, number>; status: Status };
    expect(report.summary.created).toBe(1);
    expect(report.status).toMatchObject({ wait: 'settled', summary: { FAILED: 1 } });
  });

  it('returns 1 when the wait times out', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 600_000 });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const wait = await rosetta(sim, dir, ['status', '--wait', '--timeout', '1s', '--format', 'json']);
    expect(wait.code).toBe(1);
    expect(json(wait.stdout)).toMatchObject({ wait: 'timed-out', summary: { PROCESSING: 1 } });
  });
});
