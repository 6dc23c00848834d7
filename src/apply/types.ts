/** What an apply produces, and the events it reports progress with. */
import type { AnnotationRequestStatus, ApiResult, CallOptions, RetryEvent, SamplingPackage } from '../api/client.js';
import type { AnnotationRequestBody, Kind, SamplingBody } from '../model/resources.js';
import type { Create } from '../plan/types.js';

export const RESULT_OUTCOMES = ['created', 'adopted', 'failed', 'skipped'] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

export interface ResourceResult {
  kind: Kind;
  name: string;
  address: string;
  outcome: ResultOutcome;
  /** Business code, when the API answered with one. */
  code?: number;
  requestId?: string;
  message?: string;
  hint?: string;
  annotationRequestId?: string;
  samplingPackageId?: number;
  /** A sampling create whose outcome is unknown: recorded as pending, never resent. */
  pending?: boolean;
  /**
   * The API confirmed the create but its record could not be written (full disk, lost database):
   * the ids above are the only record of it. The CLI prints them so the user can record them.
   */
  unrecorded?: boolean;
  /** An adopted request (53005) that the platform says does not exist under this id. */
  absent?: boolean;
  /** An adopted request that existed before this state (it had not sent it): its sampling plans are held back. */
  existedBefore?: boolean;
  /** A sampling plan held back because its request existed before this state (guarantee 7). */
  held?: boolean;
  warnings?: string[];
}

export type ApplySummary = Record<ResultOutcome, number>;

export interface ApplyReport {
  results: ResourceResult[];
  summary: ApplySummary;
  /** True when a stop (Ctrl-C, SIGTERM, a state write that failed) left some creates unstarted. */
  interrupted: boolean;
}

/** The part of the API client that apply needs; RosettaClient satisfies it. */
export interface ApplyClient {
  createAnnotationRequest(body: AnnotationRequestBody, options?: CallOptions): Promise<ApiResult<null>>;
  createSamplingPackage(body: SamplingBody, options?: CallOptions): Promise<ApiResult<SamplingPackage>>;
  getAnnotationRequest(id: string, options?: CallOptions): Promise<ApiResult<AnnotationRequestStatus>>;
}

/**
 * What the engine reports while it runs, as coded events (see src/host/events.ts). `apply.end` is
 * awaited: a progress display may still be drawing.
 */
export type ApplyEvent =
  | { code: 'apply.begin'; level: 'info'; data: { creates: readonly Create[] } }
  | { code: 'apply.create.start'; level: 'info'; data: { address: string } }
  | { code: 'apply.create.retry'; level: 'warn'; data: { address: string } & RetryEvent }
  | { code: 'apply.create.warning'; level: 'warn'; data: { address: string; message: string } }
  | { code: 'apply.create.result'; level: 'info' | 'error'; data: { result: ResourceResult } }
  | { code: 'apply.end'; level: 'info'; data: { report: ApplyReport } };

/** Where the engine sends its events; an IoHost is one. */
export interface ApplyEventSink {
  notify(event: ApplyEvent): void | Promise<void>;
}

export function summariseResults(results: readonly ResourceResult[]): ApplySummary {
  const summary = Object.fromEntries(RESULT_OUTCOMES.map((o) => [o, 0])) as ApplySummary;
  for (const r of results) summary[r.outcome]++;
  return summary;
}
