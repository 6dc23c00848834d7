/**
 * Retry policy as data: exponential backoff with full jitter, capped, and
 * Retry-After honoured. The policy only computes delays; the client decides
 * what may be retried (never an ambiguous sampling create).
 */
export interface RetryPolicy {
  /** Total attempts, the first included. @default 5 */
  attempts: number;
  /** @default 500 */
  baseDelayMs: number;
  /** @default 30000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): a uniform random
 * value in [0, min(max, base·2^(attempt-1))], or what Retry-After asks (capped).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
