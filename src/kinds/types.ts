/**
 * What a resource kind owns: its name on the platform, its plan line, its apply protocol (how to
 * create, how to read the answer, which record to keep, whether an unknown outcome may be sent
 * again) and how its status is read. One module per kind implements this; src/kinds/index.ts
 * dispatches with exhaustive switches, so a new kind fails to compile until every place handles it.
 */
import type { AnnotationRequestStatus, ApiResult, CallOptions, CampaignInfo, FolderInfo, SamplingPackage } from '../api/client.js';
import type { AnnotationRequestBody, CampaignBody, FolderBody, FolderStatus, SamplingBody, TaxonomyBody, WorkflowTemplateBody } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import type { Kind } from '../model/resources.js';
import type { Create, Refreshed, Update } from '../model/changes.js';
import type { ResourceRecord } from '../model/records.js';
import type { ReadClient } from '../api/reads.js';
import type { PathSegment } from '../model/paths.js';
import type { ResourceBase, ResourceOf } from '../model/resources.js';

export type { PathSegment } from '../model/paths.js';

/** The part of the API client that apply needs; RosettaClient satisfies it. */
export interface ApplyClient {
  createFolder(body: FolderBody, options?: CallOptions): Promise<ApiResult<null>>;
  updateFolder(body: { helixProjectId: string; helixStatus: FolderStatus }, options?: CallOptions): Promise<ApiResult<null>>;
  getFolder(helixProjectId: string, options?: CallOptions): Promise<ApiResult<FolderInfo>>;
  createTaxonomy(body: TaxonomyBody, options?: CallOptions): Promise<ApiResult<string>>;
  createWorkflowTemplate(body: WorkflowTemplateBody, options?: CallOptions): Promise<ApiResult<string>>;
  getWorkflowTemplate(templateName: string, options?: CallOptions): Promise<ApiResult<string>>;
  createCampaign(body: CampaignBody, options?: CallOptions): Promise<ApiResult<null>>;
  getCampaign(campaignName: string, options?: CallOptions): Promise<ApiResult<CampaignInfo>>;
  createAnnotationRequest(body: AnnotationRequestBody, options?: CallOptions): Promise<ApiResult<null>>;
  createSamplingPackage(body: SamplingBody, options?: CallOptions): Promise<ApiResult<SamplingPackage>>;
  getAnnotationRequest(id: string, options?: CallOptions): Promise<ApiResult<AnnotationRequestStatus>>;
}

export type CreateOf<K extends Kind> = Extract<Create, { kind: K }>;
export type RecordOf<K extends Kind> = Extract<ResourceRecord, { kind: K }>;

/** What the engine gives a kind's create: the API, the state, and the engine's bookkeeping. */
export interface CreateContext {
  client: ApplyClient;
  call: CallOptions;
  /** Frees the concurrency slot: the API has answered (reads that follow still count as the same create). */
  answered(): void;
  warn(message: string): void;
  /** Records an intent before the request leaves; throws if it cannot (then nothing may be sent). */
  recordIntent(record: ResourceRecord): Promise<void>;
  /**
   * Records what the API confirmed and returns `result`; if the record cannot be written, throws
   * so the engine reports the confirmed ids as unrecorded.
   */
  recordConfirmed(record: ResourceRecord, result: ResourceResult): Promise<ResourceResult>;
  /** Best effort: replace the record without failing (the earlier record stays if this fails). */
  recordQuietly(record: ResourceRecord): Promise<void>;
  /** Best effort: forget the intent (a definite "not created"). */
  forget(): Promise<void>;
  /** Best effort: put back the record this create found (or none), replacing its intent. */
  restore(): Promise<void>;
  /** The record state holds for this resource now (an update changes it). */
  current(): ResourceRecord | undefined;
  /** Keep a body by digest for later diffs (written after the run). */
  keepBody(digest: string, body: unknown): void;
  strictAdopt: boolean;
  now(): Date;
}

export interface StatusReadOptions {
  client: ReadClient;
  call: CallOptions;
  /** Error scenes listed per request (all are counted). */
  maxErrors: number;
}

/** What import found on the platform: the record to keep, the body for diffs, a spec for a manifest. */
export interface Imported<K extends Kind> {
  record: RecordOf<K>;
  body: unknown;
  spec: Record<string, unknown>;
}

/** What plan --refresh gives a kind to read the platform with. */
export interface RefreshOptions {
  client: ReadClient;
  /** A body kept by digest (what was sent), for comparisons. */
  getBody(digest: string): Promise<unknown>;
}

export interface KindModule<K extends Kind, S extends { kind: K }, R extends boolean = boolean> {
  kind: K;
  /** What one is called on the platform ("annotation request"). */
  noun: string;
  /** An unknown outcome may be sent again (the create carries our id, so a repeat is harmless). */
  retrySafe: R;
  /** The plan's line for a create of this kind. */
  createHeadline(create: CreateOf<K>): string;
  /** Sends the create and records its answer. */
  create(create: CreateOf<K>, context: CreateContext): Promise<ResourceResult>;
  /**
   * A retry-safe kind's intent, which the engine may write ahead for creates waiting for a slot
   * (several in one commit). A kind that is not retry-safe writes its own, exactly before sending.
   */
  intentOf?(create: CreateOf<K>, now: Date): RecordOf<K>;
  /** The kind's one update, for the kinds the API can change (a folder's status). */
  update?(change: Update, context: CreateContext): Promise<ResourceResult>;
  /** What the platform says about an applied resource (rosetta status). */
  readStatus(address: string, record: RecordOf<K>, options: StatusReadOptions): Promise<S>;
  /**
   * plan --refresh: what the planner must know about an applied resource (gone, drifted, its
   * changeable field as the platform holds it), or undefined when all is as recorded. Throws a
   * RosettaError when the platform cannot be read.
   */
  refresh(address: string, record: Extract<RecordOf<K>, { status: 'applied' }>, options: RefreshOptions): Promise<Refreshed | undefined>;
  /** The id a person looks for on the platform, for listings. */
  idLabel(record: RecordOf<K>): string;
  /** A status's detail for a person: ids, counts, what it means (status text and markdown). */
  describeStatus(status: S): string;
  /**
   * rosetta import KIND/NAME ID: read what the platform holds under `id` and what to record for it,
   * with the body (kept for diffs) and a manifest spec that plans unchanged against the record.
   * Absent for kinds the API cannot read back (a taxonomy) or that are imported for a manifest (a sampling plan).
   */
  importById?(name: string, id: string, client: ReadClient, now: Date): Promise<Imported<K>>;
}

// ---- The manifest side of a kind: what the manifest stage asks each kind's spec module. ----

export type Spec = Record<string, unknown>;

/** How a rule reports: a path inside the spec; the manifest stage adds the file, line and column. */
export type SpecReport = (path: PathSegment[], rule: string, message: string, hint?: string, target?: 'key' | 'value') => void;

/**
 * A field that names another manifest by its metadata.name (`campaignRef: lidar-night`), or, in the
 * alternative field, one managed elsewhere by what the platform knows it by (`campaignId: 7d44…`).
 * Exactly one of the two is given.
 */
export interface Reference {
  field: string;
  kind: Kind;
  alternative: string;
}

/** A spec field naming a data file next to the manifest, read into another field before any check. */
export interface DataFileField {
  /** `taxonomyDetailsFrom` */
  field: string;
  /** `taxonomyDetails`: the file's content goes here; errors inside it name the file's own lines. */
  into: string;
  /** `document` (default): one JSON or YAML document; `scene-list`: a CSV (sceneId,uri) or JSONL scene list, streamed. */
  format?: 'document' | 'scene-list';
}

/** A spec field whose value must be unique across the manifests of a kind. */
export interface UniqueField {
  field: string;
  /** The diagnostic's rule (`cross.duplicate-id`). */
  rule: string;
}

/** Given a reference field (`campaignRef`): the identity of what it names, from the ref or its alternative. */
export type Resolve = (referenceField: string) => string | undefined;

export interface SpecModule<K extends Kind> {
  kind: K;
  /**
   * Where the kind comes in a plan and an apply: after every kind of a lower rank (a folder,
   * taxonomy and template 0; a campaign 1, which names them; a request 2; a sampling plan 3).
   */
  rank: number;
  /** Ids and names: refused with whitespace or an invisible character at an edge. */
  identifierFields: readonly string[];
  references: readonly Reference[];
  dataFiles?: readonly DataFileField[];
  /** The spec field holding the identity when the manifest gives it (derived otherwise). */
  identityField?: string;
  /** Unique across manifests of this kind; the identity field's value is the identity, given or derived. */
  unique: readonly UniqueField[];
  /** The kind's own local rules (reads the spec defensively: the schema may have failed). */
  checkSpec(spec: Spec, report: SpecReport): void;
  /** What other manifests and the platform know it by; undefined when the spec lacks what it takes. */
  identity(name: string, spec: Spec, resolve: Resolve): string | undefined;
  /** The resource of a valid spec whose references all resolve. */
  toResource(base: ResourceBase, spec: Spec, identity: string, resolve: Resolve): ResourceOf<K>;
}
