/**
 * One signed HTTP attempt and its classification into an outcome. Knows
 * nothing of retries; the client loops over attempts.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { REFUSED_HTTP_STATUSES, RETRYABLE_HTTP_STATUSES, SUCCESS, codeInfo, type Outcome } from './codes.js';
import { parseRetryAfter } from './retry.js';

export interface Timeouts {
  /** @default 10000 */
  connectMs: number;
  /** Time to the response headers. @default 30000 */
  headersMs: number;
  /** Time between body chunks. @default 30000 */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** Responses are small envelopes; anything bigger is a misbehaving proxy. @default 8 MiB */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** One keep-alive dispatcher for the run; proxies from HTTPS_PROXY/HTTP_PROXY/NO_PROXY when set. */
export function createDispatcher(timeouts: Timeouts, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const options = { connectTimeout: timeouts.connectMs, headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.bodyMs, keepAliveTimeout: 4_000 };
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]);
  // Custom CAs: NODE_EXTRA_CA_CERTS is read by Node's TLS, which undici uses.
  return proxied ? new EnvHttpProxyAgent(options) : new Agent(options);
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
  body?: string;
  /** False for creates that must never be repeated by accident (sampling). */
  idempotent: boolean;
  maxResponseBytes: number;
  timeouts: Timeouts;
  nowMs: number;
  signal?: AbortSignal | undefined;
}

export async function attempt(options: AttemptOptions): Promise<AttemptResult> {
  let status: number;
  let headers: Record<string, string | string[] | undefined>;
  let text: string;
  try {
    const response = await request(options.url, {
      method: options.method,
      headers: options.headers,
      body: options.body ?? null,
      dispatcher: options.dispatcher,
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
      signal: options.signal ?? null,
    });
    status = response.statusCode;
    headers = response.headers;
    text = await readCapped(response.body, options.maxResponseBytes);
  } catch (error) {
    return classifyNetworkError(error, options.idempotent);
  }
  return classifyResponse(status, headers, text, options.idempotent, options.nowMs);
}

class ResponseTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new ResponseTooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Errors that happen before the request can have reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown }; errors?: { code?: unknown }[] } | undefined;
  const code = e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyNetworkError(error: unknown, idempotent: boolean): AttemptResult {
  if (error instanceof ResponseTooLarge) {
    return { outcome: idempotent ? 'failed' : 'ambiguous', message: `the server answered with a ${error.message}` };
  }
  const code = errorCodeOf(error) ?? 'unknown';
  const detail = `${(error as Error)?.message ?? String(error)} (${code})`;
  if (NOT_SENT.has(code)) return { outcome: 'transient', message: `could not connect: ${detail}` };
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
