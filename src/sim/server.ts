/**
 * The local Rosetta API simulator over HTTP: same routes, same envelope, same
 * signature check (bad or stale → HTTP 401, no side effect), plus fault
 * injection. Used by the tests, the demo, the benchmarks and `rosetta simulator`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { codeInfo } from '../api/codes.js';
import { signature, type Credentials } from '../api/signing.js';
import { FaultPlan, type Fault, type RandomFaults, type Route } from './faults.js';
import { PERMISSIVE, type Fixtures } from './fixtures.js';
import { Platform, type Answer } from './platform.js';
import { seededRandom } from './random.js';

/** The keys the simulator accepts unless told otherwise. Public on purpose: they guard nothing. */
export const SIMULATOR_CREDENTIALS: Credentials = { accessKey: 'sim-access-key', secretKey: 'sim-secret-key' };

/** The API does not publish its accepted clock skew; the facts page says treat > 5 min as rejected. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_REQUEST_BYTES = 512 * 1024 * 1024;

export interface SimulatorOptions {
  port?: number;
  host?: string;
  fixtures?: Fixtures;
  credentials?: Credentials[];
  faults?: RandomFaults;
  seed?: number;
  /** JSONL request log: method, path, body, signature verdict, answer. Never a secret. */
  logFile?: string;
  processingMs?: number;
  now?: () => number;
}

export interface Simulator {
  /** http://HOST:PORT/rosetta-open */
  url: string;
  platform: Platform;
  faults: FaultPlan;
  /** Requests received per route, including rejected and faulted ones. */
  received: Record<Route, number>;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const platform = new Platform(options.fixtures ?? PERMISSIVE, now, options.processingMs);
  const faults = new FaultPlan(seededRandom(options.seed ?? 1), options.faults);
  const credentials = options.credentials ?? [SIMULATOR_CREDENTIALS];
  const received: Record<Route, number> = { 'annotation-request': 0, sampling: 0, folder: 0, taxonomy: 0, workflow: 0, campaign: 0, get: 0 };
  const log: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const sockets = new Set<Socket>();

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { code: 5000, data: null, message: `simulator error: ${(error as Error).message}` });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const found = endpointOf(req.method, url.pathname);
    if (!found) return answer(res, 404, { code: 404, data: null, message: `no route ${req.method} ${url.pathname}` });
    const { endpoint, id: pathId } = found;
    const { route } = endpoint;
    received[route]++;
    const raw = await readBody(req);
    const verdict = checkSignature(req, credentials, now());
    const entry: Record<string, unknown> = { time: new Date(now()).toISOString(), method: req.method, path: url.pathname + url.search, accessKey: header(req, 'x-stardust-key') ?? null, signature: verdict };
    const record = (extra: Record<string, unknown>) => log?.write(`${JSON.stringify({ ...entry, ...extra })}\n`);
    if (raw === undefined) {
      record({ answer: 413 });
      return answer(res, 413, { code: 413, data: null, message: 'request body too large' });
    }
    let body: Record<string, unknown> = {};
    if (endpoint.method === 'POST') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        record({ answer: 400, body: raw.slice(0, 200) });
        return answer(res, 400, { code: 400, data: null, message: 'body is not JSON' });
      }
    }
    entry.body = endpoint.method === 'GET' ? undefined : body;
    if (verdict !== 'valid') {
      record({ answer: 401 });
      return answer(res, 401, { code: 401, data: null, message: verdict === 'stale' ? 'X-TS is outside the accepted window' : 'invalid signature' });
    }

    // A second create for an id still in flight (from arrival to answer) is 53001 (51001 for a campaign).
    const id = route === 'annotation-request' ? body.annotationRequestId : route === 'campaign' && typeof body.campaignId === 'string' ? `campaign\0${body.campaignId}` : undefined;
    if (!platform.begin(id)) {
      const code = route === 'campaign' ? 51001 : 53001;
      record({ answer: code });
      return answer(res, 200, { code, data: null });
    }
    try {
      await respond(endpoint, req, res, url, body, entry, record, pathId);
    } finally {
      platform.end(id);
    }
  }

  async function respond(endpoint: Endpoint, req: IncomingMessage, res: ServerResponse, url: URL, body: Record<string, unknown>, entry: Record<string, unknown>, record: (extra: Record<string, unknown>) => void, pathId?: string): Promise<void> {
    const { route } = endpoint;
    const delay = faults.latency();
    if (delay > 0) await sleep(delay);
    const fault = faults.next(route);
    if (fault) entry.fault = fault.type;
    if (fault && answeredByFault(fault, res)) {
      record({ answer: fault.type });
      return;
    }
    if (fault?.type === 'delay') await sleep(fault.ms);

    const result = endpoint.handle(platform, body, url.searchParams, pathId);
    record({ answer: result.code });
    if (fault?.type === 'commit-then-drop') return void req.socket.destroy();
    if (fault?.type === 'rst') return void req.socket.resetAndDestroy();
    if (fault?.type === 'hang') return; // committed; the client times out
    if (fault?.type === 'trickle') return trickle(res, JSON.stringify(result), fault.intervalMs);
    return answer(res, 200, result);
  }

  /** A server that never finishes its answer: one byte at a time, each within undici's per-chunk timeout. */
  function trickle(res: ServerResponse, text: string, intervalMs: number): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    let at = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return void clearInterval(timer);
      res.write(text[at % text.length] ?? ' ');
      at++;
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  }

  /** Faults that act instead of processing; true when the request is finished. */
  function answeredByFault(fault: Fault, res: ServerResponse): boolean {
    switch (fault.type) {
      case 'business':
        answer(res, 200, { code: fault.code, data: null, ...(fault.message === undefined ? {} : { message: fault.message }) });
        return true;
      case 'http':
        res.writeHead(fault.status, { 'content-type': 'text/html', ...fault.headers });
        res.end(fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`);
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'rst':
        if (!fault.commit) res.socket?.resetAndDestroy();
        return !fault.commit;
      case 'hang':
        return !fault.commit;
      case 'trickle':
      case 'commit-then-drop':
      case 'delay':
        return false;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/rosetta-open`,
    platform,
    faults,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    },
  };
}

/**
 * Every endpoint the simulator serves: method + path → the platform call. A new endpoint is one
 * entry. `route` groups them for fault injection and counting: the two creates, and all reads.
 */
interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  route: Route;
  /** `:id` at the end of a path takes one segment, URI-decoded, given to `handle`. */
  handle(platform: Platform, body: Record<string, unknown>, query: URLSearchParams, id?: string): Answer;
}

const ENDPOINTS: readonly Endpoint[] = [
  { method: 'POST', path: '/annotation-request', route: 'annotation-request', handle: (p, body) => p.createAnnotationRequest(body) },
  { method: 'POST', path: '/sampling/create', route: 'sampling', handle: (p, body) => p.createSamplingPackage(body) },
  { method: 'GET', path: '/annotation-request', route: 'get', handle: (p, _body, q) => p.getAnnotationRequest(q.get('annotationRequestId') ?? '') },
  { method: 'GET', path: '/annotation-request/task/schedule', route: 'get', handle: (p, _body, q) => p.getTaskSchedule(q.get('annotationRequestId') ?? '') },
  { method: 'GET', path: '/sampling/getSamplingAccuracy', route: 'get', handle: (p, _body, q) => p.getSamplingAccuracy(q.get('samplingPackageId') ?? '') },
  { method: 'POST', path: '/folder/create', route: 'folder', handle: (p, body) => p.pipeline.createFolder(body) },
  { method: 'POST', path: '/folder/update', route: 'folder', handle: (p, body) => p.pipeline.updateFolder(body) },
  { method: 'GET', path: '/folder/getAll', route: 'get', handle: (p) => p.pipeline.getAllFolders() },
  { method: 'GET', path: '/folder/:id', route: 'get', handle: (p, _body, _q, id) => p.pipeline.getFolder(id ?? '') },
  { method: 'POST', path: '/taxonomy', route: 'taxonomy', handle: (p, body) => p.pipeline.createTaxonomy(body) },
  { method: 'POST', path: '/workflow/template', route: 'workflow', handle: (p, body) => p.pipeline.createWorkflowTemplate(body) },
  { method: 'GET', path: '/workflow/template', route: 'get', handle: (p, _body, q) => p.pipeline.getWorkflowTemplate(q.get('templateName') ?? '') },
  { method: 'POST', path: '/campaign/create', route: 'campaign', handle: (p, body) => p.pipeline.createCampaign(body) },
  { method: 'GET', path: '/campaign/queryByFolderName', route: 'get', handle: (p, _body, q) => p.pipeline.getCampaignsByFolder(q.get('folderName') ?? '') },
  { method: 'GET', path: '/campaign/:id', route: 'get', handle: (p, _body, _q, name) => p.pipeline.getCampaign(name ?? '') },
];

/** The endpoint, and the value of its `:id` segment if it has one. Exact paths win over `:id`. */
function endpointOf(method: string | undefined, path: string): { endpoint: Endpoint; id?: string } | undefined {
  const p = path.replace(/\/+$/, '');
  const exact = ENDPOINTS.find((e) => e.method === method && `/rosetta-open${e.path}` === p);
  if (exact) return { endpoint: exact };
  for (const e of ENDPOINTS) {
    if (e.method !== method || !e.path.endsWith('/:id')) continue;
    const prefix = `/rosetta-open${e.path.slice(0, -':id'.length)}`;
    const rest = p.slice(prefix.length);
    if (p.startsWith(prefix) && rest.length > 0 && !rest.includes('/')) {
      try {
        return { endpoint: e, id: decodeURIComponent(rest) };
      } catch {
        return undefined; // a malformed escape: no such route
      }
    }
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkSignature(req: IncomingMessage, credentials: readonly Credentials[], nowMs: number): 'valid' | 'invalid' | 'stale' | 'missing' {
  const key = header(req, 'x-stardust-key');
  const ts = header(req, 'x-ts');
  const sign = header(req, 'x-sign');
  if (!key || !ts || !sign) return 'missing';
  const known = credentials.find((c) => c.accessKey === key);
  if (!known || !/^\d+$/.test(ts)) return 'invalid';
  const expected = Buffer.from(signature(ts, known));
  const given = Buffer.from(sign);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  return Math.abs(nowMs - Number(ts)) > MAX_CLOCK_SKEW_MS ? 'stale' : 'valid';
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answer(res: ServerResponse, status: number, result: { code: number; data: unknown; message?: string }): void {
  const envelope = {
    code: result.code,
    message: result.message ?? codeInfo(result.code).message,
    data: result.data,
    date: formatDate(new Date()),
    requestId: randomBytes(16).toString('hex'),
    success: result.code === 2000,
  };
  const text = JSON.stringify(envelope);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function formatDate(d: Date): string {
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
