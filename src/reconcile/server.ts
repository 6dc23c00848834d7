/**
 * The controller's HTTP endpoints: /healthz, /readyz, /metrics, and the git hosts' webhooks, which
 * start a cycle at once. A GitHub hook must carry X-Hub-Signature-256, the HMAC-SHA256 of the raw
 * body with the webhook secret (compared in constant time); a GitLab hook X-Gitlab-Token equal to
 * the secret. Without a secret the hooks answer 404. Bodies are capped.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { readCapped } from '../streams.js';

const MAX_HOOK_BYTES = 1024 * 1024;

export interface ServerDeps {
  registry: Registry;
  ready(): boolean;
  /** Starts a cycle now (or right after the one running). */
  trigger(reason: string): void;
  webhookSecret?: string | undefined;
}

export async function startServer(listen: string, deps: ServerDeps): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res, deps).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const { host, port } = parseListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shown}:${address.port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!match) throw new Error(`--listen: expected HOST:PORT, e.g. 127.0.0.1:9464, found ${JSON.stringify(listen)}`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port: Number(match[3]) };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return text(res, 200, 'ok\n');
  if (req.method === 'GET' && path === '/readyz') return deps.ready() ? text(res, 200, 'ready\n') : text(res, 503, 'not ready\n');
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': deps.registry.contentType });
    res.end(await deps.registry.metrics());
    return;
  }
  if (req.method === 'POST' && (path === '/hooks/github' || path === '/hooks/gitlab')) {
    const secret = deps.webhookSecret;
    if (!secret) return text(res, 404, 'webhooks are off: ROSETTA_WEBHOOK_SECRET is not set\n');
    const body = await readCapped(req, MAX_HOOK_BYTES);
    if (body === undefined) return text(res, 413, 'body too large\n');
    const ok = path === '/hooks/github' ? githubSignatureOk(body, header(req, 'x-hub-signature-256'), secret) : sameSecret(header(req, 'x-gitlab-token'), secret);
    if (!ok) return text(res, 401, 'bad signature\n');
    deps.trigger(path === '/hooks/github' ? 'github webhook' : 'gitlab webhook');
    return text(res, 202, 'reconcile started\n');
  }
  return text(res, 404, 'not found\n');
}

export function githubSignatureOk(body: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  // Compared as digests, so the time taken says nothing about the secret's length or prefix.
  const digest = (text: string) => createHmac('sha256', 'rosetta').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
