/**
 * The shared vocabulary: resource kinds, addresses and the wire bodies the API receives. The
 * manifest stage builds these; api, state, plan and apply use them without knowing about YAML.
 */
import type { LargeMap } from './large-map.js';

/**
 * A sceneIdMap: a plain object (the full YAML parser, the API's answers) or a LargeMap (the fast
 * parser's million-scene map, two arrays). A union, so every reader must handle both: walk it
 * with keysOf/entriesOf (src/model/known-keys.ts), never with Object.keys or an index.
 */
export type SceneIdMap = Readonly<Record<string, string>> | LargeMap;

/** In dependency order: a kind's resources may need those of the kinds before it (each spec module's `rank`). */
export const KINDS = ['Folder', 'Taxonomy', 'WorkflowTemplate', 'Campaign', 'AnnotationRequest', 'SamplingPlan'] as const;
export type Kind = (typeof KINDS)[number];

/** KIND/NAME, how the CLI and state name a resource. */
export function addressOf(kind: Kind, name: string): string {
  return `${kind}/${name}`;
}

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** KIND/NAME as typed by a person (--target, state mv, import): its parts, or undefined if it is not one. */
export function parseAddress(text: string): { kind: Kind; name: string } | undefined {
  const slash = text.indexOf('/');
  const kind = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (slash < 0 || !(KINDS as readonly string[]).includes(kind) || !NAME.test(name)) return undefined;
  return { kind: kind as Kind, name };
}

/** A folder's status: the one field of the whole API that can be changed (POST /folder/update). */
export const FOLDER_STATUSES = ['active', 'inactive'] as const;
export type FolderStatus = (typeof FOLDER_STATUSES)[number];

/** The body of POST /folder/create. helixStatus is not part of it: it is set with /folder/update. */
export interface FolderBody {
  helixProjectId: string;
  name: string;
  helixBucketNameList: string[];
}

/** The body of POST /taxonomy. The operators are the platform's format (see src/model/taxonomy-rules.ts). */
export interface TaxonomyBody {
  taxonomyVersionName: string;
  taxonomyDetails: unknown[];
}

/** The body of POST /workflow/template. */
export interface WorkflowTemplateBody {
  name: string;
  nodes: { name: string; type: string }[];
  edges: { from: string; to: string }[];
}

export const CAMPAIGN_TYPES = ['POC', 'Formal'] as const;

/** The body of POST /campaign/create: every reference resolved to the name the platform knows. */
export interface CampaignBody {
  campaignId: string;
  campaignName: string;
  /** `Manual Template`, `Prelabeling Template`, or a workflow template's name. */
  workflowType: string;
  taxonomyVersionName: string;
  folderName: string;
  campaignType: (typeof CAMPAIGN_TYPES)[number];
}

/** The body of POST /annotation-request. */
export interface AnnotationRequestBody {
  annotationRequestId: string;
  annotationRequestName: string;
  campaignId: string;
  sceneIdMap: SceneIdMap;
  operatorKeys?: string[];
  annotationRequestCallback?: string;
  annotationResultCallback?: Record<string, string>;
}

export interface InterceptionRange {
  start: number;
  end: number;
}

/** subCondition as sent: enum names already turned into the API's numbers. */
export interface SubConditionBody {
  conditionJoinType?: 'and' | 'or';
  workPoolFilterType?: number;
  workPoolFilter?: string[];
  userNameFilter?: string[];
  operationFilterType?: number[];
  noNeedAnnotate?: boolean;
  haveIssue?: boolean;
  rejectionTime?: number;
  taskId?: string[];
  startTime?: string;
  endTime?: string;
}

/** The body of POST /sampling/create: enum names as numbers, the ref resolved. */
export interface SamplingBody {
  annotationRequestId: string;
  poolName: string;
  sampleType?: number;
  sampleCount?: number;
  samplingRatio?: number;
  samplingQuantity?: number;
  subCondition?: SubConditionBody;
  interceptionMode?: number;
  interceptionFrame?: number;
  sequenceLength?: number;
  interceptionBoundary?: InterceptionRange[];
}

/** Where a manifest (or one of its fields) stands in a file. 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** What every resource has, whatever its kind (a kind's spec module builds the rest). */
export interface ResourceBase {
  /** metadata.name */
  name: string;
  /** KIND/NAME, how the CLI and state name a resource. */
  address: string;
  source: SourcePosition;
  /**
   * Addresses of the managed resources this one needs first (named by a *Ref, or by an id or name
   * a manifest here also creates): apply waits for them and skips this one if one failed.
   */
  needs?: readonly string[];
  /** Made by a Generator from a row of its data: which, and which row (1-based), in which file. */
  origin?: Origin;
}

/** Where a generated resource came from (plan --format json shows generator and row). */
export interface Origin {
  generator: string;
  row: number;
  file?: string;
}

export interface FolderResource extends ResourceBase {
  kind: 'Folder';
  body: FolderBody;
  /** What the folder's status should be (default active): set with POST /folder/update. */
  helixStatus: FolderStatus;
}

export interface TaxonomyResource extends ResourceBase {
  kind: 'Taxonomy';
  body: TaxonomyBody;
}

export interface WorkflowTemplateResource extends ResourceBase {
  kind: 'WorkflowTemplate';
  body: WorkflowTemplateBody;
}

export interface CampaignResource extends ResourceBase {
  kind: 'Campaign';
  body: CampaignBody;
  /** True when campaignId was derived rather than written in the manifest. */
  idDerived: boolean;
}

export interface AnnotationRequestResource extends ResourceBase {
  kind: 'AnnotationRequest';
  body: AnnotationRequestBody;
  /** True when annotationRequestId was derived rather than written in the manifest. */
  idDerived: boolean;
}

export interface SamplingPlanResource extends ResourceBase {
  kind: 'SamplingPlan';
  body: SamplingBody;
  /** Address of the managed AnnotationRequest this plan needs first, if any. */
  dependsOn: string | undefined;
}

export type Resource = FolderResource | TaxonomyResource | WorkflowTemplateResource | CampaignResource | AnnotationRequestResource | SamplingPlanResource;
export type ResourceOf<K extends Kind> = Extract<Resource, { kind: K }>;

/** What a resource needs first: its needs, and a sampling plan's request. */
export function needsOf(resource: Resource): readonly string[] {
  const needs = resource.needs ?? [];
  if (resource.kind === 'SamplingPlan' && resource.dependsOn !== undefined && !needs.includes(resource.dependsOn)) return [...needs, resource.dependsOn];
  return needs;
}

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}
