/**
 * The one table of Rosetta business codes → what the reconciler does with
 * them. Shared by the client, the apply engine and the simulator.
 */

/**
 * - `ok`: done, record it.
 * - `adopted`: it already exists (53004/53005): record it as applied.
 * - `transient`: nothing happened; trying again later is safe.
 * - `ambiguous`: the request may or may not have taken effect.
 * - `failed`: it did not happen and retrying will not help.
 */
export type Outcome = 'ok' | 'adopted' | 'transient' | 'ambiguous' | 'failed';

export interface CodeInfo {
  outcome: Outcome;
  /** The vendor's message for the code. */
  message: string;
  /** What the user can do about it, for user errors. */
  hint?: string;
}

export const SUCCESS = 2000;

export const BUSINESS_CODES: Readonly<Record<number, CodeInfo>> = {
  2000: { outcome: 'ok', message: 'Success' },
  5000: { outcome: 'transient', message: 'Service hiccuped, please try again later.' },
  53001: { outcome: 'transient', message: 'Do not create annotation request repeatedly.' },
  53002: { outcome: 'failed', message: 'Create annotation request has error.', hint: 'check the request fields; the API did not say which one it rejected' },
  53003: { outcome: 'failed', message: 'Annotation request has not exists.', hint: 'the sampling plan names an annotation request that does not exist on the platform' },
  53004: { outcome: 'adopted', message: 'annotationRequestId is already exists.' },
  53005: { outcome: 'adopted', message: 'annotationRequestName is already exists.' },
  51008: { outcome: 'failed', message: 'Campaign not exists.', hint: 'check spec.campaignId: the campaign does not exist or this key cannot see it' },
  52001: { outcome: 'failed', message: 'Create workflow failed.' },
  52002: { outcome: 'failed', message: 'Workflow pool is empty.' },
  52003: { outcome: 'failed', message: "operatorKeys outside the campaign's taxonomy.", hint: "check spec.operatorKeys: every key must be in the campaign's taxonomy" },
  5606: { outcome: 'failed', message: 'The remaining tasks in the current working pool are 0 and cannot be assigned' },
  55005: { outcome: 'failed', message: 'Pool not found', hint: 'check spec.poolName: no pool has that name' },
  57008: { outcome: 'failed', message: 'Sampling Package not found.' },
  57015: { outcome: 'failed', message: 'Choose one of sampleRatio and samplingQuantity', hint: 'set only one of samplingRatio and samplingQuantity (rosetta validate catches this)' },
};

export function codeInfo(code: number): CodeInfo {
  return BUSINESS_CODES[code] ?? { outcome: 'failed', message: `Unknown business code ${code}` };
}

/**
 * HTTP statuses that mean "not processed, try later" for any request. 502 and
 * 504 are here too for idempotent requests; for a sampling create a gateway
 * error may hide a create that happened, so the client treats them as ambiguous.
 */
export const RETRYABLE_HTTP_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
export const REFUSED_HTTP_STATUSES: ReadonlySet<number> = new Set([429, 503]);
