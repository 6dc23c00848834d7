// reconcile --notify and --refresh-interval: real controller processes against the simulator, a
// real HTTP receiver, both state stores. Events are signed, sent once per resource and event
// (across cycles and a new leader), and a failing receiver never stops reconciling.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Notifier, githubRepository, webhookTarget } from '../../src/reconcile/notify.js';
import { FileStateStore } from '../../src/state/file-store.js';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { metric, startController, until } from '../helpers/reconcile.js';
import { simulator } from '../helpers/sim.js';

const NOTIFY_SECRET = 'notify-secret-DO-NOT-PRINT-5e1d';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1:0 that records every request and answers `status`. */
async function receiver(status = 200): Promise<{ url: string; received: Received[]; events: () => Record<string, unknown>[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rosetta`;
  return { url, received, events: () => received.map((r) => JSON.parse(r.body) as Record<string, unknown>) };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

const manifests = () => tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });

function notifyOnce(store: () => Record<string, string>): void {
  it('sends one signed event per created resource and finished request; a second cycle and another replica send none again', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const hook = await receiver();
    const dir = manifests();
    const env = { ...store(), ROSETTA_NOTIFY_SECRET: NOTIFY_SECRET };
    const first = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--notify', hook.url], env);
    expect(first.code).toBe(0);
    const events = hook.events();
    expect(events.map((e) => `${e.event} ${e.kind}/${e.name}`).sort()).toEqual(['created AnnotationRequest/req', 'created SamplingPlan/qa', 'finished AnnotationRequest/req']);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(['event', 'kind', 'message', 'name', 'revision', 'time']);
      expect(e.revision).toMatch(/^unversioned-[0-9a-f]{12}$/); // a plain folder's revision: its content's digest
    }
    for (const r of hook.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-rosetta-signature-256']).toBe(`sha256=${createHmac('sha256', NOTIFY_SECRET).update(r.body).digest('hex')}`);
      expect(r.body).not.toContain(NOTIFY_SECRET);
    }
    expect(first.stderr).not.toContain(NOTIFY_SECRET);

    // The same state, a second cycle (and, on PostgreSQL, what another replica would be): nothing again.
    const second = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--notify', hook.url], env);
    expect(second.code).toBe(0);
    expect(hook.received).toHaveLength(3);
  });
}

describe('reconcile --notify, file state', () => {
  notifyOnce(() => ({ ROSETTA_STATE: join(tempDir(), 'state.json') }));
});

describePostgres('reconcile --notify, PostgreSQL state: a new leader sends nothing twice', () => {
  let url = '';
  let n = 0;
  beforeAll(async () => {
    url = await freshDatabase();
  });
  notifyOnce(() => ({ ROSETTA_STATE: url, ROSETTA_WORKSPACE: `notify-${++n}` }));

  it('after a failover the new leader does not resend what the old one sent', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const hook = await receiver();
    const dir = manifests();
    const state = { ROSETTA_STATE: url, ROSETTA_WORKSPACE: `failover-${++n}` };
    const args = ['--source', dir, '--interval', '1s', '--notify', hook.url];
    const first = await startController(sim, args, state);
    await until(async () => (await metric(first.url(), 'rosetta_reconcile_total{result="success"}')) === 1);
    await until(() => hook.received.length === 3);
    const second = await startController(sim, args, state); // a standby
    first.child.kill('SIGKILL'); // the leader dies; its lock frees itself
    await until(async () => (await metric(second.url(), 'rosetta_leader')) === 1, 30_000);
    await until(async () => ((await metric(second.url(), 'rosetta_reconcile_total{result="success"}')) ?? 0) >= 2);
    expect(hook.received).toHaveLength(3);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});

describe('reconcile --notify with a failing receiver, and --refresh-interval', () => {
  it('a receiver that fails every time is retried, and never stops or fails a cycle; the working one gets everything', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const good = await receiver();
    const bad = await receiver(503);
    const dir = manifests();
    const controller = await startController(sim, ['--source', dir, '--interval', '10m', '--notify', bad.url, '--notify', good.url, '--state', join(tempDir(), 'state.json')]);
    await until(async () => (await metric(controller.url(), 'rosetta_reconcile_total{result="success"}')) === 1);
    await until(() => good.received.length === 3);
    await until(() => bad.received.length >= 2); // retried
    expect(controller.log()).toContain('notification to http://127.0.0.1');
    expect(controller.log()).not.toContain('/hooks/rosetta'); // a target's path (Slack's secret) is never logged
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });

  it('--refresh-interval reports a request the platform lost: log, metric and a drift event', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const hook = await receiver();
    const dir = manifests();
    const controller = await startController(sim, ['--source', dir, '--interval', '10m', '--refresh-interval', '1s', '--notify', hook.url, '--state', join(tempDir(), 'state.json')]);
    await until(async () => (await metric(controller.url(), 'rosetta_reconcile_total{result="success"}')) === 1);
    expect(await metric(controller.url(), 'rosetta_annotation_completion_ratio{name="req"}')).toBe(1);
    sim.platform.forgetAnnotationRequest(sim.platform.listAnnotationRequests()[0]!.annotationRequestId);
    await until(async () => (await metric(controller.url(), 'rosetta_drift_resources{kind="AnnotationRequest"}')) === 1);
    await until(() => hook.events().some((e) => e.event === 'drift'));
    expect(hook.events().find((e) => e.event === 'drift')).toMatchObject({ kind: 'AnnotationRequest', name: 'req', message: 'the platform no longer has it; the next cycle creates it again (its id is ours)' });
    expect(controller.log()).toContain('AnnotationRequest/req: the platform no longer has it');
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });

  it('refuses --notify github without GITHUB_TOKEN or for a source that is not on GitHub, and a bad URL', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = manifests();
    const notGithub = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--notify', 'github'], { GITHUB_TOKEN: 't' });
    expect(notGithub.stderr).toContain('error[ROS_USAGE]: --notify github: the source is not a GitHub repository');
    const noToken = await rosetta(sim, dir, ['reconcile', '--source', 'https://github.com/acme/labels.git', '--once', '--notify', 'github'], { GITHUB_TOKEN: '' });
    expect(noToken.stderr).toContain('error[ROS_USAGE]: --notify github needs GITHUB_TOKEN');
    const badUrl = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--notify', 'ftp://example.invalid/x']);
    expect(badUrl.stderr).toContain('error[ROS_USAGE]: --notify ftp://example.invalid/x: expected an http(s) URL or github');
  });
});

describe('the notifier', () => {
  const quiet = pino({ level: 'silent' });

  it("sends Slack's shape to a Slack incoming webhook", async () => {
    const hook = await receiver();
    const notifier = new Notifier({ targets: [{ type: 'webhook', url: hook.url, slack: true }], log: new FileStateStore(join(tempDir(), 's.json')), logger: quiet });
    await notifier.publish([{ key: 'failed:Campaign/c', event: 'failed', kind: 'Campaign', name: 'c', revision: 'abc123', message: 'Create campaign failed. (code 51005)', time: 't' }]);
    await notifier.close(5_000);
    expect(hook.received.map((r) => JSON.parse(r.body) as unknown)).toEqual([{ text: 'rosetta failed: Campaign/c (abc123): Create campaign failed. (code 51005)' }]);
    expect(webhookTarget('https://hooks.slack.com/services/T0/B0/x')).toMatchObject({ slack: true });
    expect(webhookTarget('https://example.com/hook')).toMatchObject({ slack: false });
  });

  it('sets a GitHub commit status once per revision and state, with the token', async () => {
    const api = await receiver(201);
    const apiUrl = api.url.replace('/hooks/rosetta', '/api');
    const revision = 'a'.repeat(40);
    const notifier = new Notifier({ targets: [{ type: 'github', owner: 'acme', repo: 'labels', apiUrl, token: 'gh-token-DO-NOT-PRINT' }], log: new FileStateStore(join(tempDir(), 's.json')), logger: quiet });
    await notifier.commitStatus(revision, 'pending', 'applying');
    await notifier.commitStatus(revision, 'pending', 'applying');
    await notifier.commitStatus(revision, 'success', 'applied: 2 created');
    await notifier.close(5_000);
    expect(api.received.map((r) => [r.path, JSON.parse(r.body) as unknown, r.headers.authorization])).toEqual([
      [`/api/repos/acme/labels/statuses/${revision}`, { state: 'pending', context: 'rosetta', description: 'applying' }, 'Bearer gh-token-DO-NOT-PRINT'],
      [`/api/repos/acme/labels/statuses/${revision}`, { state: 'success', context: 'rosetta', description: 'applied: 2 created' }, 'Bearer gh-token-DO-NOT-PRINT'],
    ]);
    expect(githubRepository('git@github.com:acme/labels.git')).toEqual({ owner: 'acme', repo: 'labels' });
    expect(githubRepository('https://gitlab.com/acme/labels.git')).toBeUndefined();
  });
});
