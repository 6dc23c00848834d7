// Operating rosetta: Ctrl-C during apply, breaking a stale lock, CI job
// summaries, and going through an HTTP proxy.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, spawnEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('Ctrl-C during apply', () => {
  it('starts nothing new, lets the creates in flight finish, records them and releases the lock', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], faults: { latencyMs: 400 } });
    const dir = tempDir({ 'm.yaml': Array.from({ length: 6 }, (_, i) => annotationRequest(`r${i}`)).join('---\n') });
    const child = spawn(process.execPath, [BIN, 'apply', '--auto-approve', '--concurrency', '2', '--format', 'json'], {
      cwd: dir,
      env: spawnEnv(sim),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (sim.received['annotation-request'] < 2) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await exit).toBe(1);

    expect(stderr).toContain('Interrupted: starting nothing new; waiting for the creates in flight');
    const report = JSON.parse(stdout) as { interrupted: boolean; summary: Record<string, number> };
    expect(report.interrupted).toBe(true);
    expect(report.summary.created).toBe(2);
    expect(report.summary.skipped).toBe(4);
    expect(sim.received['annotation-request']).toBe(2);
    expect(Object.keys(readState(dir).resources)).toHaveLength(2);
    expect(existsSync(join(dir, '.rosetta/state.json.lock'))).toBe(false);
    // The next run carries on with the rest.
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    expect(sim.platform.listAnnotationRequests()).toHaveLength(6);
  });
});

describe('rosetta state unlock', () => {
  it('breaks a lock held on another host, with a warning naming the holder', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('a') });
    const holder = { id: 'x', pid: 1, host: 'ci-runner-7', user: 'ci', command: 'rosetta apply', startedAt: '2026-11-23T10:00:00.000Z' };
    mkdirSync(join(dir, '.rosetta'));
    writeFileSync(join(dir, '.rosetta/state.json.lock'), JSON.stringify(holder));

    const blocked = await rosetta(sim, dir, ['apply', '--auto-approve']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('the state is locked by pid 1 on ci-runner-7 (user ci, `rosetta apply`, since 2026-11-23T10:00:00.000Z)');

    const unlock = await rosetta(sim, dir, ['state', 'unlock']);
    expect(unlock).toMatchObject({ code: 0, stdout: 'Unlocked.\n' });
    expect(unlock.stderr).toContain('warning: removed the state lock (');
    expect(unlock.stderr).toContain('held by pid 1 on ci-runner-7');
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
  });

  it('also clears a reconcile leader lock left by a controller killed on another host', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('a') });
    const holder = { id: 'y', pid: 7, host: 'rosetta-reconcile-6f9c-old', user: 'node', command: 'rosetta reconcile', startedAt: '2026-11-23T10:00:00.000Z' };
    mkdirSync(join(dir, '.rosetta'));
    writeFileSync(join(dir, '.rosetta/state.json.leader'), JSON.stringify(holder));
    const blocked = await rosetta(sim, dir, ['reconcile', '--source', dir, '--listen', '127.0.0.1:0']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('locked by pid 7 on rosetta-reconcile-6f9c-old');

    const unlock = await rosetta(sim, dir, ['state', 'unlock']);
    expect(unlock).toMatchObject({ code: 0, stdout: 'Unlocked.\n' });
    expect(unlock.stderr).toContain(`warning: removed the reconcile leader lock (${join(dir, '.rosetta/state.json.leader')}) held by pid 7 on rosetta-reconcile-6f9c-old`);
    expect(existsSync(join(dir, '.rosetta/state.json.leader'))).toBe(false);
    expect((await rosetta(sim, dir, ['state', 'unlock'])).stdout).toBe('The state was not locked (no state lock, no reconcile leader lock).\n');
    expect((await rosetta(sim, dir, ['reconcile', '--source', dir, '--once'])).code).toBe(0);
  });
});

describe('GitHub job summary', () => {
  it('plan and apply append their markdown to $GITHUB_STEP_SUMMARY', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('a') });
    const summary = join(dir, 'summary.md');
    await rosetta(sim, dir, ['plan'], { GITHUB_STEP_SUMMARY: summary });
    await rosetta(sim, dir, ['apply', '--auto-approve'], { GITHUB_STEP_SUMMARY: summary });
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### rosetta plan');
    expect(text).toContain('| `+` | `AnnotationRequest/a` | create |');
    expect(text).toContain('### rosetta apply');
    expect(text).toMatch(/\| `AnnotationRequest\/a` \| created \| 2000 \| [0-9a-f]{32} \|/);
  });
});

describe('HTTP proxy', () => {
  it('sends requests through HTTP_PROXY when it is set', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const seen: string[] = [];
    // A minimal forward proxy: CONNECT tunnels (what undici uses) and absolute-form requests.
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const upstream = httpRequest(req.url!, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, client, head) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const dir = tempDir({ 'm.yaml': annotationRequest('a') });
      const apply = await rosetta(sim, dir, ['apply', '--auto-approve'], { HTTP_PROXY: proxyUrl, NO_PROXY: '' });
      expect(apply.code).toBe(0);
      expect(seen).toEqual([`CONNECT ${new URL(sim.url).host}`]);
    } finally {
      proxy.close();
    }
  });
});
