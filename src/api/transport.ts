/**
 * One signed HTTP attempt and its classification into an outcome. Knows
 * nothing of retries; the client loops over attempts.
 */
import type { Dispatcher } from 'undici';
import { RosettaError } from '../errors.js';
import { REFUSED_HTTP_STATUSES, RETRYABLE_HTTP_STATUSES, SUCCESS, codeInfo, type Outcome } from './codes.js';
import { parseRetryAfter } from './retry.js';
import { withDeadline } from './signals.js';

/**
 * undici, loaded on the first request: its modules cost more to load than all of `rosetta plan`'s
 * own work, and most commands (validate, plan without --refresh, render, state) send nothing. In
 * the CLI bundle this import is a require of undici's own code-cached bundle (scripts/build.mjs),
 * which holds only what is named here (scripts/undici-entry.cjs).
 */
type Undici = Pick<typeof import('undici'), 'Agent' | 'EnvHttpProxyAgent' | 'getGlobalDispatcher'>;
let undici: Promise<Undici> | undefined;
export function loadUndici(): Promise<Undici> {
  return (undici ??= import('undici'));
}

/** undici's `request(url, { dispatcher })`, as undici's own index.js makes it: the URL split into origin and path. */
export function requestOn(dispatcher: Dispatcher, url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>): Promise<Dispatcher.ResponseData> {
  return dispatcher.request({ ...options, ...splitUrl(url) });
}

/** The last URLs split: every create of a kind goes to the same one, and parsing it each time showed in an apply's profile. */
const splitUrls = new Map<string, { origin: string; path: string }>();

function splitUrl(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url);
  if (split === undefined) {
    const { origin, pathname, search } = new URL(url);
    split = { origin, path: `${pathname}${search}` };
    // Reads name ids in their paths: keep a few, not every URL a long reconcile loop has read.
    if (splitUrls.size >= 32) splitUrls.clear();
    splitUrls.set(url, split);
  }
  return split;
}

export interface Timeouts {
  /** @default 10000 */
  connectMs: number;
  /** Time to the response headers. @default 30000 */
  headersMs: number;
  /** Time between body chunks (undici's bodyTimeout: per chunk, so a trickle never trips it). @default 30000 */
  bodyMs: number;
  /** Overall deadline of one attempt, from sending to the last byte of the answer (--request-timeout). @default 120000 */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000, requestMs: 120_000 };

/**
 * The largest answer read. The biggest legitimate one is a sampling create over a million-scene
 * request with samplingRatio 1: its sceneIdList is about 40 MB. @default 256 MiB
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** One keep-alive dispatcher for the run; proxies from HTTPS_PROXY/HTTP_PROXY/NO_PROXY when set. */
/**
 * The client's keep-alive dispatcher. `maxResponseBytes` is undici's maxResponseSize: an answer
 * bigger than that (a lying or broken server) is cut off by undici itself, before it is buffered.
 */
export function createDispatcher(timeouts: Timeouts, maxResponseBytes: number, env: NodeJS.ProcessEnv = process.env): () => Promise<Dispatcher> {
  const options = { connectTimeout: timeouts.connectMs, headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.bodyMs, keepAliveTimeout: 4_000, maxResponseSize: maxResponseBytes };
  const proxies = PROXY_VARIABLES.filter((name) => env[name]);
  // Checked now, before any request (the dispatcher itself is made on the first one).
  for (const name of proxies) {
    // undici throws a bare TypeError for a bad proxy URL; say which variable is wrong instead.
    if (!URL.canParse(env[name]!)) {
      throw new RosettaError('ROS_CONFIG', `${name} is not a valid URL`, { hint: `set it to a proxy URL such as http://proxy.example.com:3128, or unset it` });
    }
  }
  let made: Promise<Dispatcher> | undefined;
  // Custom CAs: NODE_EXTRA_CA_CERTS is read by Node's TLS, which undici uses.
  return () => (made ??= loadUndici().then(({ Agent, EnvHttpProxyAgent }) => (proxies.length > 0 ? new EnvHttpProxyAgent(options) : new Agent(options))));
}

export interface AttemptResult {
  outcome: Outcome;
  message: string;
  code?: number;
  requestId?: string;
  httpStatus?: number;
  data?: unknown;
  hint?: string;
  retryAfterMs?: number;
}

export interface AttemptOptions {
  dispatcher: Dispatcher;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** False for creates that must never be repeated by accident (sampling). */
  idempotent: boolean;
  /** The dispatcher's maxResponseSize (undici enforces it; its error does not say the limit). */
  maxResponseBytes: number;
  timeouts: Timeouts;
  nowMs: number;
  signal?: AbortSignal | undefined;
}

export function attempt(options: AttemptOptions): Promise<AttemptResult> {
  // undici's timeouts are per phase and per chunk; this is the deadline for the whole answer.
  return withDeadline(options.timeouts.requestMs, options.signal, (signal, pastDeadline) => exchange(options, signal, pastDeadline));
}

/** The request and its answer, classified; `signal` fires at the deadline or when the caller cancels. */
async function exchange(options: AttemptOptions, signal: AbortSignal, pastDeadline: () => boolean): Promise<AttemptResult> {
  let status: number;
  let headers: Record<string, string | string[] | undefined>;
  let text: string;
  try {
    const response = await requestOn(options.dispatcher, options.url, {
      method: options.method,
      headers: options.headers,
      body: options.body ?? null,
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
      signal,
    });
    status = response.statusCode;
    headers = response.headers;
    text = await response.body.text();
  } catch (error) {
    if (pastDeadline() && !options.signal?.aborted) {
      return classifyNetworkError(new RequestDeadline(options.timeouts.requestMs), options.idempotent);
    }
    if (options.signal?.aborted) return classifyNetworkError(new RequestCancelled(), options.idempotent);
    if (errorCodeOf(error) === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      // The create may have been made: only its answer was too big to read.
      return { outcome: options.idempotent ? 'failed' : 'ambiguous', message: `the server answered with a response body larger than ${options.maxResponseBytes} bytes` };
    }
    return classifyNetworkError(error, options.idempotent);
  }
  return classifyResponse(status, headers, text, options.idempotent, options.nowMs);
}

class RequestDeadline extends Error {
  readonly code = 'ROSETTA_REQUEST_TIMEOUT';
  constructor(ms: number) {
    super(`no complete answer within ${ms / 1000}s (--request-timeout)`);
  }
}

class RequestCancelled extends Error {
  readonly code = 'ROSETTA_CANCELLED';
  constructor() {
    super('the request was cancelled while in flight (the run was stopped)');
  }
}

/** Errors that happen before the request can have reached the server, and may pass if tried again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Errors raised while the request is being built (a header with a carriage return, a bad URL):
 * nothing was sent and trying again cannot help. Never ambiguous.
 */
const REFUSED_LOCALLY = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_CHAR']);

function errorCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown }; errors?: { code?: unknown }[] } | undefined;
  const code = e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyNetworkError(error: unknown, idempotent: boolean): AttemptResult {
  const code = errorCodeOf(error) ?? 'unknown';
  const detail = `${(error as Error)?.message ?? String(error)} (${code})`;
  if (NOT_SENT.has(code)) return { outcome: 'transient', message: `could not connect: ${detail}` };
  if (REFUSED_LOCALLY.has(code)) return { outcome: 'failed', message: `not sent: the request could not be built: ${detail}`, hint: 'check ROSETTA_ENDPOINT, ROSETTA_ACCESS_KEY and the proxy settings' };
  if (code === 'ENOTFOUND') return { outcome: 'failed', message: `could not resolve the endpoint host: ${detail}`, hint: 'check ROSETTA_ENDPOINT / --endpoint' };
  if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
    return { outcome: 'failed', message: `TLS error: ${detail}`, hint: 'for a private CA, point NODE_EXTRA_CA_CERTS at its certificate file' };
  }
  // Reset, timeout or abort after the request may have been sent: nobody knows if it took effect.
  return { outcome: 'ambiguous', message: `no answer: ${detail}` };
}

export function classifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  idempotent: boolean,
  nowMs: number,
): AttemptResult {
  const envelope = parseEnvelope(text);
  const requestId = envelope?.requestId;
  const base = { httpStatus: status, ...(requestId === undefined ? {} : { requestId }) };
  if (status < 200 || status >= 300) {
    const what = `HTTP ${status}${envelope?.message ? `: ${envelope.message}` : ''}${envelope ? '' : ` — ${excerpt(text)}`}`;
    const retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs);
    const retry = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (REFUSED_HTTP_STATUSES.has(status)) return { ...base, ...retry, outcome: 'transient', message: what };
    if (status === 401 || status === 403) {
      return { ...base, outcome: 'failed', message: what, hint: 'check ROSETTA_ACCESS_KEY and ROSETTA_SECRET_KEY, and that this machine\'s clock is right (requests are signed with the time)' };
    }
    if (status >= 500) {
      // A gateway error may hide a create that happened: safe to retry only when idempotent.
      const retryable = RETRYABLE_HTTP_STATUSES.has(status) || status === 500;
      return { ...base, ...retry, outcome: idempotent ? (retryable ? 'transient' : 'failed') : 'ambiguous', message: what };
    }
    return { ...base, outcome: 'failed', message: what };
  }
  if (!envelope) {
    return { ...base, outcome: idempotent ? 'transient' : 'ambiguous', message: `HTTP ${status} with a body that is not a Rosetta answer: ${excerpt(text)}` };
  }
  const info = codeInfo(envelope.code);
  return {
    ...base,
    outcome: envelope.code === SUCCESS ? 'ok' : info.outcome,
    code: envelope.code,
    message: envelope.message ?? info.message,
    data: envelope.data,
    ...(info.hint === undefined ? {} : { hint: info.hint }),
  };
}

interface Envelope {
  code: number;
  message?: string;
  data?: unknown;
  requestId?: string;
}

/** The documented envelope, or undefined for anything else (HTML page, truncated JSON, missing code). */
export function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== 'number' || !Number.isInteger(v.code)) return undefined;
  return {
    code: v.code,
    ...(typeof v.message === 'string' ? { message: v.message } : {}),
    data: v.data,
    ...(typeof v.requestId === 'string' ? { requestId: v.requestId } : {}),
  };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}
