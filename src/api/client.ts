/**
 * The Rosetta API client: signed requests over one undici dispatcher, the
 * response envelope, and our own retry policy (undici never retries a POST,
 * and Rosetta answers business errors with HTTP 200).
 *
 * What may be retried: transient answers always; ambiguous ones (no answer
 * after the request went out) only for idempotent calls. An annotation request
 * carries its client-chosen id, so a repeat is answered 53004; a sampling create
 * has no such id, so an ambiguous sampling create is returned as ambiguous and
 * never sent again.
 */
import type { Dispatcher } from 'undici';
import type { AnnotationRequestBody, CampaignBody, FolderBody, FolderStatus, SamplingBody, TaxonomyBody, WorkflowTemplateBody } from '../model/resources.js';
import { REFUSED_HTTP_STATUSES, type Outcome } from './codes.js';
import { DEFAULT_RETRY, backoffDelay, type RetryPolicy } from './retry.js';
import { whenAborted } from './signals.js';
import { signedHeaders, type Credentials } from './signing.js';
import { bodyBytes } from '../model/body-text.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, attempt, createDispatcher, type AttemptResult, type Timeouts } from './transport.js';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      // One signal is shared by every create of an apply: the sleeps of their retries wait on it
      // together (whenAborted), and stop waiting when they end either way.
      const timer = setTimeout(() => {
        stopWaiting?.();
        resolve();
      }, ms);
      const stopWaiting = signal
        ? whenAborted(signal, () => {
            clearTimeout(timer);
            resolve();
          })
        : undefined;
    }),
};

export interface RetryEvent {
  operation: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface ClientOptions {
  /** API base, ending in /rosetta-open (see resolveEndpoint). */
  endpoint: string;
  credentials: Credentials;
  /** Defaults to a keep-alive Agent (or EnvHttpProxyAgent when a proxy is set) owned by the client. */
  dispatcher?: Dispatcher;
  timeouts?: Partial<Timeouts>;
  /** The biggest answer read (undici's maxResponseSize on the client's own dispatcher; a given dispatcher sets its own). @default 256 MiB */
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
  /** Every attempt's answer: the endpoint (`POST /sampling/create`) and the business code, HTTP status or `network`. For metrics. */
  onAnswer?: (endpoint: string, code: string) => void;
  /** Where proxy variables are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Per-call options: abort, and retry notifications for this call only. */
export interface CallOptions {
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
}

export interface ApiResult<T = unknown> {
  outcome: Outcome;
  message: string;
  /** Business code, when the server answered with an envelope. */
  code?: number;
  requestId?: string;
  httpStatus?: number;
  data?: T;
  hint?: string;
  attempts: number;
  /**
   * An earlier attempt of this call had an unknown outcome (it may have reached the server): a
   * 53004 on a retry may be the answer to this client's own first attempt.
   */
  earlierAttemptUnknown?: true;
}

export interface SamplingPackage {
  samplingPackageId: number;
  sceneIdList?: string[];
}

export interface AnnotationRequestStatus {
  status: 'ID_NOT_EXISTS' | 'PROCESSING' | 'FINISHED' | 'FAILED';
  successTaskMap?: Record<string, string>;
  errorSceneIdMap?: Record<string, string>;
  annotationRequestInfo?: Partial<AnnotationRequestBody>;
}

/** GET /folder/{helixProjectId}. */
export interface FolderInfo extends FolderBody {
  helixStatus: FolderStatus;
}

/** GET /campaign/{campaignName}: the six fields it was created with. */
export type CampaignInfo = CampaignBody;

export interface TaskSchedule {
  status: 'Completed' | 'In Progress';
  /** The percentage of tasks in the completion pool (33.33): a number, not a map. */
  completionPoolSchedule?: number;
  completionSceneMap?: Record<string, string>;
}

export interface SamplingAccuracy {
  frameAccuracyRate?: number;
  instanceAccuracyRate?: number;
}

export class RosettaClient {
  /** The dispatcher, made on the first request (undici is loaded then). */
  private readonly dispatcher: () => Promise<Dispatcher>;
  private readonly ownsDispatcher: boolean;
  private used = false;
  private readonly timeouts: Timeouts;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly options: ClientOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.ownsDispatcher = options.dispatcher === undefined;
    const given = options.dispatcher;
    this.dispatcher = given ? () => Promise.resolve(given) : createDispatcher(this.timeouts, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, options.env);
  }

  /** POST /annotation-request. Safe to retry: the id is the client's. */
  createAnnotationRequest(body: AnnotationRequestBody, options: CallOptions = {}): Promise<ApiResult<null>> {
    return this.call('POST', '/annotation-request', bodyBytes(body), true, options) as Promise<ApiResult<null>>;
  }

  /** POST /sampling/create. Never repeated after an ambiguous attempt. */
  async createSamplingPackage(body: SamplingBody, options: CallOptions = {}): Promise<ApiResult<SamplingPackage>> {
    const result = (await this.call('POST', '/sampling/create', bodyBytes(body), false, options)) as ApiResult<SamplingPackage>;
    if (result.outcome === 'ok' && typeof result.data?.samplingPackageId !== 'number') {
      // It was created (2000) but we cannot say which package it is: keep it pending.
      return { ...result, outcome: 'ambiguous', message: 'the API reported success without a samplingPackageId' };
    }
    return result;
  }

  /** POST /folder/create. Safe to retry: the id is the client's (54001/54002 on a repeat). */
  createFolder(body: FolderBody, options: CallOptions = {}): Promise<ApiResult<null>> {
    return this.call('POST', '/folder/create', JSON.stringify(body), true, options) as Promise<ApiResult<null>>;
  }

  /** POST /folder/update: the one update of the API; setting the same status twice is harmless. */
  updateFolder(body: { helixProjectId: string; helixStatus: FolderStatus }, options: CallOptions = {}): Promise<ApiResult<null>> {
    return this.call('POST', '/folder/update', JSON.stringify(body), true, options) as Promise<ApiResult<null>>;
  }

  /** GET /folder/{helixProjectId} (54004 when unknown). */
  getFolder(helixProjectId: string, options: CallOptions = {}): Promise<ApiResult<FolderInfo>> {
    return this.call('GET', `/folder/${encodeURIComponent(helixProjectId)}`, undefined, true, options) as Promise<ApiResult<FolderInfo>>;
  }

  /** GET /folder/getAll: the only list call of the API. */
  getAllFolders(options: CallOptions = {}): Promise<ApiResult<{ active?: FolderInfo[]; inactive?: FolderInfo[] }>> {
    return this.call('GET', '/folder/getAll', undefined, true, options) as Promise<ApiResult<{ active?: FolderInfo[]; inactive?: FolderInfo[] }>>;
  }

  /** POST /taxonomy. Safe to retry: the version name is unique (57003 on a repeat). */
  createTaxonomy(body: TaxonomyBody, options: CallOptions = {}): Promise<ApiResult<string>> {
    return this.call('POST', '/taxonomy', JSON.stringify(body), true, options) as Promise<ApiResult<string>>;
  }

  /** POST /workflow/template. Safe to retry: the name is unique (50529 on a repeat). */
  createWorkflowTemplate(body: WorkflowTemplateBody, options: CallOptions = {}): Promise<ApiResult<string>> {
    return this.call('POST', '/workflow/template', JSON.stringify(body), true, options) as Promise<ApiResult<string>>;
  }

  /** GET /workflow/template?templateName=…: the template as a JSON string {"nodes":[…],"edges":[…]}. */
  getWorkflowTemplate(templateName: string, options: CallOptions = {}): Promise<ApiResult<string>> {
    const query = new URLSearchParams({ templateName }).toString();
    return this.call('GET', `/workflow/template?${query}`, undefined, true, options) as Promise<ApiResult<string>>;
  }

  /** POST /campaign/create. Safe to retry: the id is the client's (51003 on a repeat). */
  createCampaign(body: CampaignBody, options: CallOptions = {}): Promise<ApiResult<null>> {
    return this.call('POST', '/campaign/create', JSON.stringify(body), true, options) as Promise<ApiResult<null>>;
  }

  /** GET /campaign/{campaignName} (51006/51009 when unknown). */
  getCampaign(campaignName: string, options: CallOptions = {}): Promise<ApiResult<CampaignInfo>> {
    return this.call('GET', `/campaign/${encodeURIComponent(campaignName)}`, undefined, true, options) as Promise<ApiResult<CampaignInfo>>;
  }

  /** GET /campaign/queryByFolderName?folderName=… (54007 for an unknown folder). */
  getCampaignsByFolder(folderName: string, options: CallOptions = {}): Promise<ApiResult<CampaignInfo[]>> {
    const query = new URLSearchParams({ folderName }).toString();
    return this.call('GET', `/campaign/queryByFolderName?${query}`, undefined, true, options) as Promise<ApiResult<CampaignInfo[]>>;
  }

  /** GET /annotation-request?annotationRequestId=… */
  getAnnotationRequest(annotationRequestId: string, options: CallOptions = {}): Promise<ApiResult<AnnotationRequestStatus>> {
    const query = new URLSearchParams({ annotationRequestId }).toString();
    return this.call('GET', `/annotation-request?${query}`, undefined, true, options) as Promise<ApiResult<AnnotationRequestStatus>>;
  }

  /** GET /annotation-request/task/schedule?annotationRequestId=… */
  getTaskSchedule(annotationRequestId: string, options: CallOptions = {}): Promise<ApiResult<TaskSchedule>> {
    const query = new URLSearchParams({ annotationRequestId }).toString();
    return this.call('GET', `/annotation-request/task/schedule?${query}`, undefined, true, options) as Promise<ApiResult<TaskSchedule>>;
  }

  /**
   * GET /sampling/getSamplingAccuracy?samplingPackageId=…: the only way to ask whether a package
   * exists (57008 when it does not).
   */
  getSamplingAccuracy(samplingPackageId: number, options: CallOptions = {}): Promise<ApiResult<SamplingAccuracy>> {
    const query = new URLSearchParams({ samplingPackageId: String(samplingPackageId) }).toString();
    return this.call('GET', `/sampling/getSamplingAccuracy?${query}`, undefined, true, options) as Promise<ApiResult<SamplingAccuracy>>;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher && this.used) await (await this.dispatcher()).close();
  }

  private async call(method: 'GET' | 'POST', path: string, body: string | Buffer | undefined, idempotent: boolean, { signal, onRetry }: CallOptions): Promise<ApiResult> {
    const operation = `${method} ${path.split('?')[0]}`;
    let last: AttemptResult | undefined;
    let earlierAttemptUnknown = false;
    // A read's deadline covers its retries: a server that accepts and never answers costs one
    // deadline, not one per attempt. (A create's deadline is per attempt: its retries are what
    // makes an annotation request's create succeed after a lost answer.)
    const budgetEnds = method === 'GET' ? this.clock.now() + this.timeouts.requestMs : Infinity;
    for (let n = 1; ; n++) {
      const left = budgetEnds - this.clock.now();
      this.used = true;
      last = await attempt({
        dispatcher: await this.dispatcher(),
        maxResponseBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        method,
        url: `${this.options.endpoint}${path}`,
        // Signed afresh for every attempt: the timestamp must be current.
        headers: signedHeaders(this.options.credentials, this.clock.now()),
        ...(body === undefined ? {} : { body }),
        idempotent,
        timeouts: left < this.timeouts.requestMs ? { ...this.timeouts, requestMs: Math.max(1, left) } : this.timeouts,
        nowMs: this.clock.now(),
        signal,
      });
      this.options.onAnswer?.(operation, String(last.code ?? last.httpStatus ?? 'network'));
      const retryable = (last.outcome === 'transient' || (last.outcome === 'ambiguous' && idempotent)) && n < this.retry.attempts && !signal?.aborted;
      const delayMs = retryable ? backoffDelay(this.retry, n, this.random, last.retryAfterMs) : 0;
      // No retry either when it would start after a read's deadline.
      if (!retryable || this.clock.now() + delayMs >= budgetEnds) {
        const { retryAfterMs: _unused, ...result } = last;
        return { ...result, attempts: n, ...(earlierAttemptUnknown ? { earlierAttemptUnknown: true as const } : {}) };
      }
      if (mayHaveTakenEffect(last)) earlierAttemptUnknown = true;
      const event = { operation, attempt: n, delayMs, reason: last.code === undefined ? last.message : `${last.code} ${last.message}` };
      this.options.onRetry?.(event);
      onRetry?.(event);
      await this.clock.sleep(delayMs, signal);
    }
  }
}

/**
 * Whether an attempt that is about to be retried may have done its work on the server: no answer
 * (reset, timeout), a gateway error that may hide a create, a 2xx that is not an envelope, or
 * 53001 (the same create is still in progress). A refused connection, 429/503 and a business
 * error did nothing.
 */
export function mayHaveTakenEffect(attempt: { outcome: Outcome; httpStatus?: number; code?: number }): boolean {
  if (attempt.outcome === 'ambiguous' || (attempt.code !== undefined && DUPLICATE_SUBMISSION_IN_FLIGHT.has(attempt.code))) return true;
  const status = attempt.httpStatus;
  if (status === undefined) return false;
  if (status >= 500) return !REFUSED_HTTP_STATUSES.has(status);
  return status >= 200 && status < 300 && attempt.code === undefined;
}

/** "Do not create annotation request (campaign) repeatedly": the same create is being processed. */
const DUPLICATE_SUBMISSION_IN_FLIGHT: ReadonlySet<number> = new Set([53001, 51001]);
