/** What applying a create produced: the vocabulary the kinds, the engine and the renderers share. */
import type { Kind } from './resources.js';

export const RESULT_OUTCOMES = ['created', 'adopted', 'updated', 'failed', 'skipped'] as const;
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

export function summariseResults(results: readonly ResourceResult[]): ApplySummary {
  const summary = Object.fromEntries(RESULT_OUTCOMES.map((o) => [o, 0])) as ApplySummary;
  for (const r of results) summary[r.outcome]++;
  return summary;
}
