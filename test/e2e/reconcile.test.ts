// rosetta reconcile: a real git repository on disk, the real simulator, real HTTP, real processes.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { adminQuery, cutRosettaConnections, databaseOf, describePostgres, freshDatabase } from '../helpers/postgres.js';
import { simulator } from '../helpers/sim.js';
import { HOOK_SECRET, metric, startController, until } from '../helpers/reconcile.js';


function gitRepo(files: Record<string, string>, branch = 'main'): string {
  const repo = tempDir();
  execFileSync('git', ['init', '-q', '-b', branch], { cwd: repo });
  commit(repo, files, 'initial manifests');
  return repo;
}

function commit(repo: string, files: Record<string, string>, message: string): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', 'commit', '-q', '-m', message], { cwd: repo });
}

const github = (url: string, body: string, secret = HOOK_SECRET) =>
  fetch(`${url}/hooks/github`, { method: 'POST', body, headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`, 'content-type': 'application/json' } });

describe('rosetta reconcile', () => {
  it('applies the first revision, a pushed commit on a signed webhook, refuses bad hooks, sends nothing for an invalid revision, and stops on SIGTERM', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const repo = gitRepo({ 'manifests/m.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa-1', 'req')}` });
    const state = join(tempDir(), 'state.json');
    const controller = await startController(sim, ['--source', `file://${repo}`, '--path', 'manifests', '--interval', '10m', '--state', state]);
    const url = controller.url();
    await until(async () => (await metric(url, 'rosetta_reconcile_total{result="success"}')) === 1);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await metric(url, 'rosetta_leader')).toBe(1);

    commit(repo, { 'manifests/more.yaml': samplingPlan('qa-2', 'req') }, 'add qa-2');
    const revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    expect((await github(url, '{"ref":"refs/heads/main"}', 'wrong-secret')).status).toBe(401);
    expect((await fetch(`${url}/hooks/github`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${url}/hooks/gitlab`, { method: 'POST', body: '{}', headers: { 'x-gitlab-token': 'nope' } })).status).toBe(401);
    expect(await metric(url, 'rosetta_reconcile_total{result="success"}')).toBe(1);

    expect((await github(url, '{"ref":"refs/heads/main"}')).status).toBe(202);
    await until(() => sim.platform.listSamplingPackages().length === 2);
    await until(async () => (await (await fetch(`${url}/metrics`)).text()).includes(`rosetta_source_revision_info{revision="${revision}"} 1`));

    commit(repo, { 'manifests/broken.yaml': samplingPlan('qa-3', 'no-such-request') }, 'broken');
    expect((await fetch(`${url}/hooks/gitlab`, { method: 'POST', body: '{}', headers: { 'x-gitlab-token': HOOK_SECRET } })).status).toBe(202);
    await until(async () => (await metric(url, 'rosetta_reconcile_total{result="invalid"}')) === 1);
    expect(sim.platform.listSamplingPackages()).toHaveLength(2);
    expect(controller.log()).toContain('no AnnotationRequest named \\"no-such-request\\"');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('rosetta_api_requests_total{endpoint="POST /sampling/create",code="2000"} 2');
    expect(metrics).toContain('rosetta_resources{kind="SamplingPlan",status="EXISTS"} 2');
    expect(metrics).toContain('process_cpu_seconds_total');

    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
    expect(controller.log()).not.toContain(HOOK_SECRET);
    const plan = await rosetta(sim, tempDir(), ['plan', join(repo, 'manifests/m.yaml'), join(repo, 'manifests/more.yaml'), '--state', state, '--detailed-exitcode']);
    expect(plan.code).toBe(0);
  });

  it('recovers by itself after the API was down', { timeout: 60_000 }, async () => {
    const probe = await simulator({ credentials: [E2E_CREDENTIALS] });
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const repo = gitRepo({ 'm.yaml': annotationRequest('req') });
    const controller = await startController({ url: `http://127.0.0.1:${port}/rosetta-open` }, ['--source', repo, '--interval', '10m', '--state', join(tempDir(), 'state.json')]);
    await until(async () => ((await metric(controller.url(), 'rosetta_reconcile_total{result="failed"}')) ?? 0) >= 1);
    expect((await fetch(`${controller.url()}/readyz`)).status).toBe(503);
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], port });
    await until(() => sim.platform.listAnnotationRequests().length === 1, 30_000);
    await until(async () => (await metric(controller.url(), 'rosetta_reconcile_total{result="success"}')) === 1);
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });

  it('--once applies one cycle and exits with apply\'s codes; a second replica on a file state fails fast naming the holder', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    const state = join(tempDir(), 'state.json');
    const once = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--state', state]);
    expect(once.code).toBe(0);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    const first = await startController(sim, ['--source', dir, '--interval', '10m', '--state', state]);
    await until(async () => (await metric(first.url(), 'rosetta_leader')) === 1);
    const second = await rosetta(sim, dir, ['reconcile', '--source', dir, '--state', state, '--listen', '127.0.0.1:0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`error[ROS_STATE_LOCKED]: the state is locked by pid ${first.child.pid}`);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});

/** A raw HTTP request whose body is sent as `send` says; resolves with the status, or the error. */
function rawHook(url: string, path: string, headers: Record<string, string | number>, send: (req: ClientRequest) => void): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.flushHeaders(); // the headers leave now, whatever the body does
    send(req);
  });
}

describe('rosetta reconcile: a webhook during a slow cycle', () => {
  it('queues one more cycle right after it, rather than waiting for the interval', { timeout: 40_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], faults: { latencyMs: [1500, 1500] } });
    const repo = gitRepo({ 'm.yaml': annotationRequest('first') });
    const controller = await startController(sim, ['--source', `file://${repo}`, '--interval', '10m', '--state', join(tempDir(), 'state.json')]);
    // The first cycle is under way (its create takes 1.5 s): a push and its hook arrive now.
    await until(() => sim.received['annotation-request'] >= 1);
    commit(repo, { 'more.yaml': annotationRequest('second') }, 'add second');
    expect((await github(controller.url(), '{"ref":"refs/heads/main"}')).status).toBe(202);
    await until(() => sim.platform.listAnnotationRequests().length === 2, 20_000);
    expect(await metric(controller.url(), 'rosetta_reconcile_total{result="success"}')).toBeGreaterThanOrEqual(1);
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });
});

describe('rosetta reconcile: what needs a person', () => {
  it('counts held, pending, conflicts and orphans in rosetta_attention_resources', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });
    // The request exists already, made by another state: the controller's state holds its sampling plan back.
    expect((await rosetta(sim, dir, ['apply', '--auto-approve', '--state', join(tempDir(), 'other.json')])).code).toBe(0);
    const controller = await startController(sim, ['--source', dir, '--interval', '10m', '--state', join(tempDir(), 'state.json')]);
    const url = controller.url();
    await until(async () => (await metric(url, 'rosetta_attention_resources{reason="held"}')) === 1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const reason of ['conflict', 'orphan', 'pending', 'drift']) expect(metrics).toContain(`rosetta_attention_resources{reason="${reason}"} 0`);
    expect(controller.log()).toContain('held back: AnnotationRequest/req already existed (53004)');
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });
});

describe('rosetta reconcile: sources as they are', () => {
  it('follows the remote\'s default branch when --ref is not given (master here)', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const repo = gitRepo({ 'm.yaml': annotationRequest('req') }, 'master');
    const revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const once = await rosetta(sim, tempDir(), ['reconcile', '--source', `file://${repo}`, '--once', '--state', join(tempDir(), 'state.json'), '--cache-dir', join(tempDir(), 'cache')]);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stderr).toContain(`"revision":"${revision}"`);
    expect(sim.platform.listAnnotationRequests()).toHaveLength(1);
  });

  it('reports a directory with changes as dirty, with a digest of what it read; --ref on a directory is refused', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const repo = gitRepo({ 'm.yaml': annotationRequest('req') });
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const state = join(tempDir(), 'state.json');
    const clean = await rosetta(sim, repo, ['reconcile', '--source', repo, '--once', '--state', state]);
    expect(clean.stderr).toContain(`"revision":"${head}"`);
    writeFileSync(join(repo, 'untracked.yaml'), annotationRequest('extra'));
    const dirty = await rosetta(sim, repo, ['reconcile', '--source', repo, '--once', '--state', state]);
    expect(dirty.code, dirty.stderr).toBe(0);
    const revision = /"revision":"([^"]+)"/.exec(dirty.stderr)?.[1];
    expect(revision).toMatch(new RegExp(`^${head}-dirty-[0-9a-f]{12}$`));
    expect(sim.platform.listAnnotationRequests()).toHaveLength(2);
    const refused = await rosetta(sim, repo, ['reconcile', '--source', repo, '--once', '--ref', 'main', '--state', state]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[ROS_USAGE]: --ref main: a directory source is read as it is on disk, not at a ref');
  });

  it('a git failure keeps its cause, not git\'s first line', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const missing = join(tempDir(), 'no-such-repo');
    const once = await rosetta(sim, tempDir(), ['reconcile', '--source', `file://${missing}`, '--once', '--state', join(tempDir(), 'state.json'), '--cache-dir', join(tempDir(), 'cache')]);
    expect(once.code).toBe(1);
    expect(once.stderr).toContain('does not appear to be a git repository');
    expect(once.stderr).not.toContain('Cloning into');
  });
});

describe('rosetta reconcile: webhooks that cost nothing before they are authenticated', () => {
  it('refuses bad tokens before reading the body, answers 413 and 408, and a port in use is a usage error', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const controller = await startController(sim, ['--source', dir, '--interval', '10m', '--state', join(tempDir(), 'state.json')]);
    const url = controller.url();
    await until(async () => (await metric(url, 'rosetta_leader')) === 1);

    // A wrong GitLab token announcing 50 MB, of which nothing is sent: answered at once.
    expect(await rawHook(url, '/hooks/gitlab', { 'x-gitlab-token': 'nope', 'content-length': 50_000_000 }, () => undefined)).toBe(401);
    // No token at all; a GitHub signature right in its first 16 digits only.
    expect((await fetch(`${url}/hooks/gitlab`, { method: 'POST', body: '{}' })).status).toBe(401);
    const body = '{"ref":"refs/heads/main"}';
    const right = createHmac('sha256', HOOK_SECRET).update(body).digest('hex');
    const half = `sha256=${right.slice(0, 16)}${right.slice(16).replace(/./g, (c) => (c === '0' ? '1' : '0'))}`;
    expect((await fetch(`${url}/hooks/github`, { method: 'POST', body, headers: { 'x-hub-signature-256': half } })).status).toBe(401);
    // GitHub without a well-formed signature header: the same.
    expect(await rawHook(url, '/hooks/github', { 'content-length': 50_000_000 }, () => undefined)).toBe(401);
    const signed = { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` };
    // Over 1 MiB, declared or not: 413 reaches the sender (the connection is not just cut).
    expect(await rawHook(url, '/hooks/github', { ...signed, 'content-length': 2 * 1024 * 1024 }, () => undefined)).toBe(413);
    expect(await rawHook(url, '/hooks/github', { ...signed, 'transfer-encoding': 'chunked' }, (req) => {
      for (let i = 0; i < 24; i++) req.write(Buffer.alloc(64 * 1024, 97));
    })).toBe(413);
    // A body that trickles: given up after 10 s.
    const slowStarted = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const slow = await rawHook(url, '/hooks/github', { ...signed, 'content-length': 100 }, (req) => {
      timer = setInterval(() => req.write('a'), 1_000);
    });
    clearInterval(timer);
    expect(slow).toBe(408);
    expect(Date.now() - slowStarted).toBeLessThan(15_000);
    expect(await metric(url, 'rosetta_reconcile_total{result="success"}')).toBe(1);

    // Another controller on the same port.
    const port = new URL(url).port;
    const second = await rosetta(sim, dir, ['reconcile', '--source', dir, '--state', join(tempDir(), 'other.json'), '--listen', `127.0.0.1:${port}`]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`error[ROS_USAGE]: --listen 127.0.0.1:${port}: cannot listen there: the port is in use`);
    expect(second.stderr).not.toContain('    at ');
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });
});

describePostgres('rosetta reconcile with PostgreSQL state: high availability', () => {
  it('two replicas elect one leader; after kill -9 of the leader the other takes over within 15 s and applies the next revision', { timeout: 90_000 }, async () => {
    const url = await freshDatabase();
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const repo = gitRepo({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa-1', 'req')}` });
    const args = ['--source', `file://${repo}`, '--interval', '2s', '--state', url, '--workspace', 'gitops'];
    const a = await startController(sim, args);
    const b = await startController(sim, args);
    await until(async () => ((await metric(a.url(), 'rosetta_leader')) ?? 0) + ((await metric(b.url(), 'rosetta_leader')) ?? 0) === 1);
    await until(() => sim.platform.listSamplingPackages().length === 1);
    const [leader, standby] = (await metric(a.url(), 'rosetta_leader')) === 1 ? [a, b] : [b, a];
    expect(await metric(standby.url(), 'rosetta_leader')).toBe(0);
    expect((await fetch(`${standby.url()}/healthz`)).status).toBe(200);
    // A hook that reaches the standby is not swallowed with a 202: the git host sees the failure.
    const toStandby = await github(standby.url(), '{"ref":"refs/heads/main"}');
    expect(toStandby.status).toBe(503);
    expect(toStandby.headers.get('retry-after')).toBe('10');
    expect((await github(leader.url(), '{"ref":"refs/heads/main"}')).status).toBe(202);

    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    await until(async () => (await metric(standby.url(), 'rosetta_leader')) === 1, 15_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    commit(repo, { 'more.yaml': samplingPlan('qa-2', 'req') }, 'add qa-2');
    await until(() => sim.platform.listSamplingPackages().length === 2, 20_000);

    standby.child.kill('SIGTERM');
    expect(await standby.exited).toBe(0);
    const pools = sim.platform.listSamplingPackages().map((p) => p.poolName).sort();
    expect(pools).toEqual(['pool-qa-1', 'pool-qa-2']);
  });
});

describePostgres('rosetta reconcile with PostgreSQL state: a database outage', () => {
  it('drops rosetta_leader when the lock\'s connection dies, turns unready while the database is away, and recovers by itself', { timeout: 90_000 }, async () => {
    const url = await freshDatabase();
    const database = databaseOf(url);
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], processingMs: 0 });
    const repo = gitRepo({ 'm.yaml': annotationRequest('req') });
    const controller = await startController(sim, ['--source', `file://${repo}`, '--interval', '10m', '--state', url, '--workspace', 'blip']);
    const ready = async () => (await fetch(`${controller.url()}/readyz`)).status;
    await until(async () => (await metric(controller.url(), 'rosetta_reconcile_total{result="success"}')) === 1);
    expect(await ready()).toBe(200);

    // The database goes away for a while (new connections refused, current ones cut).
    await adminQuery(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await cutRosettaConnections(database);
    const cutAt = Date.now();
    // Not at the next cycle (10 minutes away): now.
    await until(async () => (await metric(controller.url(), 'rosetta_leader')) === 0, 5_000);
    expect(Date.now() - cutAt).toBeLessThan(5_000);
    await until(async () => (await ready()) === 503, 15_000);

    await adminQuery(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    const backAt = Date.now();
    await until(async () => (await metric(controller.url(), 'rosetta_leader')) === 1 && (await ready()) === 200, 20_000);
    expect(Date.now() - backAt).toBeLessThan(20_000);
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);
  });
});

describe('reconcile with the whole pipeline', () => {
  it('applies a folder, taxonomy, template, campaign, request and package; counts them by kind; applies a status change as an update', { timeout: 30_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const source = join(REPO_ROOT, 'examples/pipeline');
    const dir = tempDir();
    for (const name of ['folder.yaml', 'taxonomy.yaml', 'workflow.yaml', 'campaign.yaml', 'requests.yaml', 'taxonomies/lidar-3d-v2.json']) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), readFileSync(join(source, name)));
    }
    const state = join(tempDir(), 'state.json');
    const controller = await startController(sim, ['--source', dir, '--interval', '10m', '--state', state]);
    await until(async () => (await metric(controller.url(), 'rosetta_reconcile_total{result="success"}')) === 1);
    const metrics = await (await fetch(`${controller.url()}/metrics`)).text();
    for (const kind of ['Folder', 'Taxonomy', 'WorkflowTemplate', 'Campaign']) expect(metrics).toContain(`rosetta_resources{kind="${kind}",status="EXISTS"} 1`);
    expect(metrics).toContain('rosetta_api_requests_total{endpoint="POST /campaign/create",code="2000"} 1');
    controller.child.kill('SIGTERM');
    expect(await controller.exited).toBe(0);

    writeFileSync(join(dir, 'folder.yaml'), readFileSync(join(dir, 'folder.yaml'), 'utf8').replace('helixStatus: active', 'helixStatus: inactive'));
    const once = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--state', state]);
    expect(once.code).toBe(0);
    expect(sim.platform.pipeline.listFolders()[0]!.helixStatus).toBe('inactive');
    expect(once.stdout + once.stderr).toMatch(/"address":"Folder\/helix","outcome":"updated"/);
  });
});

