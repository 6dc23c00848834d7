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
  // The pipeline before a request (rosetta-api/platform.md).
  54001: { outcome: 'adopted', message: 'Folder already exists.' },
  54002: { outcome: 'adopted', message: 'folderId already exists.' },
  54003: { outcome: 'adopted', message: 'Folder name already exists.' },
  54004: { outcome: 'failed', message: 'folderId does not exist.', hint: 'check the folder id (helixProjectId)' },
  54005: { outcome: 'failed', message: 'Create folder failed.' },
  54007: { outcome: 'failed', message: 'Folder does not exist.', hint: 'check the folder name' },
  54008: { outcome: 'failed', message: 'Unknown folder status.', hint: 'helixStatus is active or inactive' },
  54009: { outcome: 'failed', message: 'Update folder failed.' },
  54010: { outcome: 'failed', message: 'A bucket path was given instead of a bucket name.', hint: 'list bucket names in helixBucketNameList (helix-raw, not gs://helix-raw/x); rosetta validate catches this' },
  54011: { outcome: 'failed', message: 'Bucket name is longer than 255 bytes.' },
  54013: { outcome: 'failed', message: 'The bucket cannot be reached.', hint: 'check that the bucket exists and the platform may read it' },
  57001: { outcome: 'failed', message: 'Taxonomy value has the wrong type.', hint: 'rosetta validate checks the taxonomy before sending' },
  57002: { outcome: 'failed', message: 'Taxonomy key is repeated.', hint: 'rosetta validate checks the taxonomy before sending' },
  57003: { outcome: 'adopted', message: 'taxonomyVersionName already exists.' },
  57004: { outcome: 'failed', message: 'imageSourceMapping does not name a sub-operator.', hint: 'rosetta validate checks the taxonomy before sending' },
  57005: { outcome: 'failed', message: 'Minimum is larger than maximum.', hint: 'rosetta validate checks the taxonomy before sending' },
  57006: { outcome: 'failed', message: 'default is not among the items.', hint: 'rosetta validate checks the taxonomy before sending' },
  57012: { outcome: 'failed', message: 'Taxonomy label is repeated.', hint: 'rosetta validate checks the taxonomy before sending' },
  50522: { outcome: 'failed', message: 'A workflow has exactly one DISTRIBUTION pool, at its head.' },
  50523: { outcome: 'failed', message: 'Every branch must end in a COMPLETE pool.' },
  50524: { outcome: 'failed', message: 'Workflow template does not exist.', hint: 'check workflowType or workflowTemplateRef: the template must exist before the campaign' },
  50525: { outcome: 'failed', message: 'Pool names must be unique.' },
  50526: { outcome: 'failed', message: 'A pool is isolated.' },
  50527: { outcome: 'failed', message: 'Only the DISTRIBUTION pool may have more than one outgoing edge.' },
  50528: { outcome: 'failed', message: 'A workflow has at most 20 pools.' },
  50529: { outcome: 'adopted', message: 'Workflow template name already exists.' },
  50530: { outcome: 'failed', message: 'Unknown pool type.' },
  50531: { outcome: 'failed', message: 'A COMPLETE pool has no outgoing edge.' },
  51000: { outcome: 'failed', message: 'A required field is empty.' },
  51001: { outcome: 'transient', message: 'Do not create campaigns repeatedly.' },
  51002: { outcome: 'failed', message: 'Unknown annotation type.', hint: 'campaignType is POC or Formal' },
  51003: { outcome: 'adopted', message: 'campaignId already exists.' },
  51004: { outcome: 'adopted', message: 'campaignName already exists.' },
  51005: { outcome: 'failed', message: 'Create campaign failed.' },
  51006: { outcome: 'failed', message: 'Campaign does not exist.' },
  51007: { outcome: 'failed', message: 'Workflow type error.', hint: 'workflowType is Manual Template, Prelabeling Template or a workflow template name' },
  51009: { outcome: 'failed', message: 'Campaign does not exist.' },
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
