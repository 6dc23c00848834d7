/** What an apply produces, and how it reports progress (an injected reporter). */
import type { AnnotationRequestStatus, ApiResult, CallOptions, RetryEvent, SamplingPackage } from '../api/client.js';
import type { AnnotationRequestBody, Kind, SamplingBody } from '../manifest/types.js';
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
  warnings?: string[];
}

export type ApplySummary = Record<ResultOutcome, number>;

export interface ApplyReport {
  results: ResourceResult[];
  summary: ApplySummary;
  /** True when Ctrl-C stopped the run before every create had started. */
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
