/** What an apply produces, and how it reports progress (an injected reporter). */
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

/** Progress sink: listr2 in a terminal, plain lines in CI, nothing for --format json, a recorder in tests. */
export interface Reporter {
  begin(creates: readonly Create[]): void;
  started(address: string): void;
  retrying(address: string, event: RetryEvent): void;
  warned(address: string, message: string): void;
  finished(result: ResourceResult): void;
  end(report: ApplyReport): Promise<void>;
}

export function summariseResults(results: readonly ResourceResult[]): ApplySummary {
  const summary = Object.fromEntries(RESULT_OUTCOMES.map((o) => [o, 0])) as ApplySummary;
  for (const r of results) summary[r.outcome]++;
  return summary;
}
