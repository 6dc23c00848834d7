/**
 * What the platform did with each applied resource (rosetta status): every annotation request read
 * with GET /annotation-request, every sampling package with GET /sampling/getSamplingAccuracy (57008
 * means the platform does not have it), a pending create shown without a call. Reads are safe to
 * retry (the client does) and run concurrently, bounded.
 */
import pLimit from 'p-limit';
import { systemClock, type CallOptions } from '../api/client.js';
import { readResourceStatus, type PackageStatus, type RequestStatus, type ResourceStatus } from '../kinds/index.js';
import type { IoHost } from '../host/events.js';
import type { State } from '../model/records.js';
import type { ReadClient } from '../api/reads.js';

export const STATUS_FORMAT_VERSION = 1;

/** Statuses that mean something went wrong: `status` exits 1 when any is present. */
export const BAD_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'ID_NOT_EXISTS', 'NOT_FOUND', 'UNKNOWN']);
/** An annotation request in one of these will not change any more. */
const SETTLED: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'ID_NOT_EXISTS']);

export type { PackageStatus, RequestStatus, ResourceStatus };

export interface StatusReport {
  resources: ResourceStatus[];
  /** A count per status. */
  summary: Record<string, number>;
}

export interface StatusOptions {
  client: ReadClient;
  /** Only these addresses (targets, or the resources of the given manifests). */
  only?: ReadonlySet<string>;
  /** Reads in flight at once. @default 8 */
  concurrency?: number;
  /** Error scenes listed per request (all are counted). @default 100 */
  maxErrors?: number;
  signal?: AbortSignal;
}

export async function readStatus(state: State, options: StatusOptions): Promise<StatusReport> {
  const limit = pLimit(options.concurrency ?? 8);
  const entries = Object.entries(state.resources)
    .filter(([address]) => !options.only || options.only.has(address))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const call: CallOptions = options.signal ? { signal: options.signal } : {};
  const resources = await Promise.all(entries.map(([address, record]) => limit(() => readResourceStatus(address, record, { client: options.client, call, maxErrors: options.maxErrors ?? 100 }))));
  return { resources, summary: summarise(resources) };
}

function summarise(resources: readonly ResourceStatus[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const r of resources) summary[r.status] = (summary[r.status] ?? 0) + 1;
  return summary;
}

/** True when no annotation request can still change (none PROCESSING, none unread). */
export function settled(report: StatusReport): boolean {
  return report.resources.every((r) => r.kind !== 'AnnotationRequest' || SETTLED.has(r.status));
}

export function healthy(report: StatusReport): boolean {
  return report.resources.every((r) => !BAD_STATUSES.has(r.status));
}

export interface WaitOptions {
  /** @default 30 minutes */
  timeoutMs: number;
  /** Stops waiting (Ctrl-C); the last report is returned. */
  signal?: AbortSignal;
  /** Called with each resource whose status changed since the previous poll (and all, the first time). */
  /** Told of every change (`status.changed`). */
  host?: Pick<IoHost, 'notify'>;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type WaitResult = { report: StatusReport; outcome: 'settled' | 'timed-out' | 'stopped' };

/** Polls with backoff (2 s, ×1.5, at most 30 s) until every annotation request has settled. */
export async function waitForStatus(read: () => Promise<StatusReport>, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? systemClock.sleep;
  const deadline = now() + options.timeoutMs;
  let previous = new Map<string, string>();
  let delay = 2_000;
  for (;;) {
    const report = await read();
    const changed = report.resources.filter((r) => previous.get(r.address) !== statusKey(r));
    if (changed.length > 0) options.host?.notify({ code: 'status.changed', level: 'info', data: { changed, all: report.resources } });
    previous = new Map(report.resources.map((r) => [r.address, statusKey(r)]));
    if (settled(report)) return { report, outcome: 'settled' };
    if (options.signal?.aborted) return { report, outcome: 'stopped' };
    const left = deadline - now();
    if (left <= 0) return { report, outcome: 'timed-out' };
    await sleep(Math.min(delay, left), options.signal);
    if (options.signal?.aborted) return { report, outcome: 'stopped' };
    // Time is up during the sleep: the last report stands (a read now would be cut off at once).
    if (deadline - now() <= 0) return { report, outcome: 'timed-out' };
    delay = Math.min(30_000, Math.round(delay * 1.5));
  }
}

/** A change worth a line: the status, and for a request its counts and progress. */
function statusKey(r: ResourceStatus): string {
  return r.kind === 'AnnotationRequest' ? `${r.status}/${r.successTasks ?? ''}/${r.errorScenes ?? ''}/${r.completion ?? ''}` : r.status;
}
