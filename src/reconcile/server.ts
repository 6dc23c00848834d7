/**
 * The controller's HTTP endpoints: /healthz, /readyz, /metrics, and the git hosts' webhooks, which
 * start a cycle at once. A GitHub hook must carry X-Hub-Signature-256, the HMAC-SHA256 of the raw
 * body with the webhook secret (compared in constant time); a GitLab hook X-Gitlab-Token equal to
 * the secret. Without a secret the hooks answer 404.
 *
 * A hook costs nothing before it is authenticated where the scheme allows: GitLab's token and
 * GitHub's signature header are checked before a byte of the body is read. Bodies are capped
 * (413 from Content-Length, or as soon as a chunked body passes the cap), read within a deadline,
 * and only a few at a time; connections are capped. A standby answers 503: only the leader runs
 * cycles, and a 503 tells the git host the delivery failed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { RosettaError } from '../errors.js';
import { sameSecret } from '../secrets.js';
import { handleUi, type UiDeps } from '../ui/routes.js';

const MAX_HOOK_BYTES = 1024 * 1024;
/** How long a hook's body may take to arrive (a git host sends it at once). */
const HOOK_BODY_TIMEOUT_MS = 10_000;
/** Hook bodies read at once; more are answered 503 (Retry-After) rather than buffered. */
const MAX_BODIES_IN_FLIGHT = 8;
const MAX_CONNECTIONS = 128;

export interface ServerDeps {
  registry: Registry;
  ready(): boolean;
  /** Whether this replica runs cycles (a standby does not). */
  leading(): boolean;
  /** Starts a cycle now (or right after the one running). */
  trigger(reason: string): void;
  webhookSecret?: string | undefined;
  /** The dashboard (GET /, /api/*, /ui/*). */
  ui?: UiDeps;
}

export async function startServer(listen: string, deps: ServerDeps): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  let bodiesInFlight = 0;
  const limits = {
    acquire: () => (bodiesInFlight < MAX_BODIES_IN_FLIGHT ? (bodiesInFlight++, true) : false),
    release: () => void bodiesInFlight--,
  };
  const server = createServer((req, res) => {
    handle(req, res, deps, limits).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = 10_000;
  server.requestTimeout = HOOK_BODY_TIMEOUT_MS + 5_000;
  return {
    server,
    url: await listenOn(server, listen),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Listens on HOST:PORT (--listen); the server's URL, or a usage error naming why it cannot. */
export async function listenOn(server: Server, listen: string): Promise<string> {
  const { host, port } = parseListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new RosettaError('ROS_USAGE', `--listen ${listen}: cannot listen there: ${error.code === 'EADDRINUSE' ? 'the port is in use' : (error.code ?? error.message)}`, {
          hint: 'pick another --listen port (127.0.0.1:0 takes any free one), or stop what holds it',
        }),
      );
    });
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!match) throw new Error(`--listen: expected HOST:PORT, e.g. 127.0.0.1:9464, found ${JSON.stringify(listen)}`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port: Number(match[3]) };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps, limits: { acquire(): boolean; release(): void }): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return text(res, 200, 'ok\n');
  if (req.method === 'GET' && path === '/readyz') return deps.ready() ? text(res, 200, 'ready\n') : text(res, 503, 'not ready\n');
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': deps.registry.contentType });
    res.end(await deps.registry.metrics());
    return;
  }
  if (req.method === 'POST' && (path === '/hooks/github' || path === '/hooks/gitlab')) return hook(req, res, path === '/hooks/github' ? 'github' : 'gitlab', deps, limits);
  if (deps.ui && (await handleUi(req, res, deps.ui))) return;
  return text(res, 404, 'not found\n');
}

async function hook(req: IncomingMessage, res: ServerResponse, host: 'github' | 'gitlab', deps: ServerDeps, limits: { acquire(): boolean; release(): void }): Promise<void> {
  const secret = deps.webhookSecret;
  if (!secret) return refuse(res, 404, 'webhooks are off: ROSETTA_WEBHOOK_SECRET is not set\n');
  // What can be checked before the body is read, is.
  const signature = header(req, 'x-hub-signature-256');
  if (host === 'gitlab' ? !sameSecret(header(req, 'x-gitlab-token'), secret) : !/^sha256=[0-9a-f]{64}$/.test(signature ?? '')) return refuse(res, 401, 'bad signature\n');
  if (Number(header(req, 'content-length') ?? 0) > MAX_HOOK_BYTES) return refuse(res, 413, 'body too large\n');
  if (!limits.acquire()) return refuse(res, 503, 'too many webhooks at once\n', { 'retry-after': '5' });
  let body: Buffer | 'too-large' | 'too-slow';
  try {
    body = await readBody(req, MAX_HOOK_BYTES, HOOK_BODY_TIMEOUT_MS);
  } finally {
    limits.release();
  }
  if (body === 'too-large') return refuse(res, 413, 'body too large\n');
  if (body === 'too-slow') return refuse(res, 408, 'the body took too long\n');
  if (host === 'github' && !githubSignatureOk(body, signature, secret)) return text(res, 401, 'bad signature\n');
  // Only the leader runs cycles: a standby that said 202 would run nothing.
  if (!deps.leading()) return text(res, 503, 'this replica is a standby; the leader runs the cycles\n', { 'retry-after': '10' });
  deps.trigger(`${host} webhook`);
  return text(res, 202, 'reconcile started\n');
}

/**
 * The body, or why not: more than `limit` bytes, or not all there within `timeoutMs`. The rest is
 * not read; the caller answers, and the connection is closed after the answer.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | 'too-large' | 'too-slow'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too-large' | 'too-slow') => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (typeof result === 'string') req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const timer = setTimeout(() => finish('too-slow'), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** An answer before (or instead of) reading the whole body: the connection is closed after it. */
function refuse(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.on('finish', () => res.req.destroy());
  text(res, status, body, { connection: 'close', ...headers });
}

export function githubSignatureOk(body: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}
