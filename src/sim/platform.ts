/**
 * The simulated Rosetta platform: what the API stores and which business code
 * it answers, following ../shared/rosetta-api. No HTTP here (see server.ts).
 */
import { createHash } from 'node:crypto';
import type { AnnotationRequestStatus } from '../api/client.js';
import type { Fixtures } from './fixtures.js';
import { Pipeline } from './pipeline.js';

export interface Answer {
  code: number;
  data: unknown;
  message?: string;
}

export interface StoredAnnotationRequest {
  annotationRequestId: string;
  annotationRequestName: string;
  campaignId: string;
  sceneIdMap: Record<string, string>;
  operatorKeys?: string[];
  createdAt: number;
}

export interface StoredSamplingPackage {
  samplingPackageId: number;
  annotationRequestId: string;
  poolName: string;
  sceneIdList: string[];
  body: Record<string, unknown>;
}

const MAX_BYTES = 255;
/** Scene URIs the platform can read; anything else fails per scene. */
const STORAGE_URI = /^(gs|s3|oss|obs|cos|azure|https?):\/\/[^/\s]+\/\S+$/;

export class Platform {
  private readonly requests = new Map<string, StoredAnnotationRequest>();
  private readonly names = new Map<string, string>(); // name → id
  /** Folders, taxonomies, workflow templates and campaigns. */
  readonly pipeline: Pipeline;
  private readonly pools = new Map<string, { remaining: number }>();
  private readonly packages: StoredSamplingPackage[] = [];
  private readonly inFlight = new Set<string>();
  private nextPackageId = 5888;

  constructor(
    private readonly fixtures: Fixtures,
    private readonly now: () => number = Date.now,
    /** How long a request stays PROCESSING before GET reports it FINISHED. */
    private readonly processingMs = 1_000,
  ) {
    this.pipeline = new Pipeline(fixtures);
    for (const p of fixtures.pools) this.pools.set(p.name, { remaining: p.tasks ?? Number.POSITIVE_INFINITY });
    for (const r of fixtures.annotationRequests) {
      this.store({ ...r, sceneIdMap: r.sceneIdMap ?? {}, createdAt: 0 });
    }
  }

  /** True while a create for this id is between arrival and answer (tests wait on it). */
  isProcessing(annotationRequestId: string): boolean {
    return this.inFlight.has(annotationRequestId);
  }

  /** Marks an id in flight; false when it already is (the server answers 53001). */
  begin(annotationRequestId: unknown): boolean {
    if (typeof annotationRequestId !== 'string') return true;
    if (this.inFlight.has(annotationRequestId)) return false;
    this.inFlight.add(annotationRequestId);
    return true;
  }

  end(annotationRequestId: unknown): void {
    if (typeof annotationRequestId === 'string') this.inFlight.delete(annotationRequestId);
  }

  createAnnotationRequest(body: Record<string, unknown>): Answer {
    const { annotationRequestId: id, annotationRequestName: name, campaignId, sceneIdMap, operatorKeys } = body;
    if (!isText(id) || !isText(name) || !isText(campaignId) || !isStringMap(sceneIdMap) || Object.keys(sceneIdMap).length === 0) {
      return { code: 53002, data: null };
    }
    if (operatorKeys !== undefined && !(Array.isArray(operatorKeys) && operatorKeys.every(isText))) return { code: 53002, data: null };
    if (Buffer.byteLength(id) > MAX_BYTES || Buffer.byteLength(name) > MAX_BYTES) return { code: 53002, data: null };
    if (this.requests.has(id)) return { code: 53004, data: null };
    if (this.names.has(name)) return { code: 53005, data: null };
    const campaign = this.pipeline.campaignById(campaignId);
    if (!campaign) return { code: 51008, data: null };
    const keys = (operatorKeys ?? []) as string[];
    if (campaign.taxonomyKeys && keys.some((k) => !campaign.taxonomyKeys!.includes(k))) return { code: 52003, data: null };
    this.store({ annotationRequestId: id, annotationRequestName: name, campaignId, sceneIdMap, ...(operatorKeys ? { operatorKeys: keys } : {}), createdAt: this.now() });
    return { code: 2000, data: null };
  }

  createSamplingPackage(body: Record<string, unknown>): Answer {
    const { annotationRequestId: id, poolName, samplingRatio, samplingQuantity } = body;
    if (!isText(id) || !isText(poolName)) return { code: 400, data: null, message: 'annotationRequestId and poolName are required' };
    if (samplingRatio !== undefined && samplingQuantity !== undefined) return { code: 57015, data: null };
    const request = this.requests.get(id);
    if (!request) return { code: 53003, data: null };
    const pool = this.pool(poolName);
    if (!pool) return { code: 55005, data: null };
    if (pool.remaining <= 0) return { code: 5606, data: null };
    const scenes = Object.keys(request.sceneIdMap);
    const wanted =
      typeof samplingQuantity === 'number' ? samplingQuantity : Math.max(1, Math.ceil((typeof samplingRatio === 'number' ? samplingRatio : 1) * scenes.length));
    const taken = Math.min(wanted, pool.remaining);
    pool.remaining -= taken;
    const sceneIdList = scenes.slice(0, Math.min(taken, scenes.length));
    const samplingPackageId = this.nextPackageId++;
    this.packages.push({ samplingPackageId, annotationRequestId: id, poolName, sceneIdList, body });
    return { code: 2000, data: { samplingPackageId, sceneIdList } };
  }

  getAnnotationRequest(id: string): Answer {
    const request = this.requests.get(id);
    if (!request) return { code: 2000, data: { status: 'ID_NOT_EXISTS' } satisfies AnnotationRequestStatus };
    const { createdAt: _createdAt, ...info } = request;
    if (this.now() - request.createdAt < this.processingMs) {
      return { code: 2000, data: { status: 'PROCESSING', successTaskMap: {}, errorSceneIdMap: {}, annotationRequestInfo: info } satisfies AnnotationRequestStatus };
    }
    const successTaskMap: Record<string, string> = {};
    const errorSceneIdMap: Record<string, string> = {};
    for (const [sceneId, uri] of Object.entries(request.sceneIdMap)) {
      if (STORAGE_URI.test(uri)) successTaskMap[taskIdFor(id, sceneId)] = sceneId;
      else errorSceneIdMap[sceneId] = `scene file is not a readable storage URI: ${uri}`;
    }
    const failed = Object.keys(successTaskMap).length === 0;
    return { code: 2000, data: { status: failed ? 'FAILED' : 'FINISHED', successTaskMap, errorSceneIdMap, annotationRequestInfo: info } satisfies AnnotationRequestStatus };
  }

  /**
   * GET /annotation-request/task/schedule: the request's scenes reach the completion pool one by
   * one while it is processing (scene i of n at (i+1)/n of the processing time); a scene whose URI
   * the platform cannot read never does. completionPoolSchedule is the percentage, a number.
   */
  getTaskSchedule(id: string): Answer {
    const request = this.requests.get(id);
    if (!request) return { code: 2000, data: { status: 'ID_NOT_EXISTS' } };
    const tasks = Object.entries(request.sceneIdMap).filter(([, uri]) => STORAGE_URI.test(uri));
    const elapsed = this.now() - request.createdAt;
    const finished = elapsed >= this.processingMs ? tasks.length : Math.min(tasks.length, Math.floor((elapsed / this.processingMs) * tasks.length));
    const completionSceneMap: Record<string, string> = {};
    for (const [sceneId] of tasks.slice(0, finished)) completionSceneMap[sceneId] = `gs://rosetta-results/${id}/${sceneId}.json`;
    const completionPoolSchedule = tasks.length === 0 ? 0 : Math.round((finished / tasks.length) * 10_000) / 100;
    const done = elapsed >= this.processingMs;
    return { code: 2000, data: { status: done ? 'Completed' : 'In Progress', completionPoolSchedule, completionSceneMap } };
  }

  /** GET /sampling/getSamplingAccuracy: rates for a package, 57008 for one the platform does not have. */
  getSamplingAccuracy(packageId: string): Answer {
    if (!/^\d+$/.test(packageId)) return { code: 4005, data: null, message: 'samplingPackageId is invalid' };
    const id = Number(packageId);
    if (!this.packages.some((p) => p.samplingPackageId === id)) return { code: 57008, data: null };
    // Deterministic, plausible rates.
    return { code: 2000, data: { frameAccuracyRate: (90 + (id % 10)) / 100, instanceAccuracyRate: (85 + (id % 7)) / 100 } };
  }

  /** For tests: the platform loses a request (it reads as ID_NOT_EXISTS from now on). */
  forgetAnnotationRequest(id: string): void {
    const request = this.requests.get(id);
    if (!request) return;
    this.requests.delete(id);
    this.names.delete(request.annotationRequestName);
  }

  /** For tests: the platform loses a sampling package (57008 from now on). */
  forgetSamplingPackage(samplingPackageId: number): void {
    const at = this.packages.findIndex((p) => p.samplingPackageId === samplingPackageId);
    if (at >= 0) this.packages.splice(at, 1);
  }

  /** For tests: someone changed a request on the platform (what GET shows as annotationRequestInfo). */
  alterAnnotationRequest(id: string, change: Partial<Pick<StoredAnnotationRequest, 'annotationRequestName' | 'sceneIdMap' | 'operatorKeys'>>): void {
    const request = this.requests.get(id);
    if (request) Object.assign(request, change);
  }

  /** Everything stored, for tests and the demo. */
  listAnnotationRequests(): StoredAnnotationRequest[] {
    return [...this.requests.values()];
  }

  listSamplingPackages(): StoredSamplingPackage[] {
    return [...this.packages];
  }

  private store(request: StoredAnnotationRequest): void {
    this.requests.set(request.annotationRequestId, request);
    this.names.set(request.annotationRequestName, request.annotationRequestId);
  }

  private pool(name: string): { remaining: number } | undefined {
    if (!this.pools.has(name) && this.fixtures.permissive) this.pools.set(name, { remaining: Number.POSITIVE_INFINITY });
    return this.pools.get(name);
  }
}

function taskIdFor(requestId: string, sceneId: string): string {
  return `task-${createHash('sha1').update(`${requestId}/${sceneId}`).digest('hex').slice(0, 12)}`;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
