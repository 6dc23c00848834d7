/**
 * The kinds, and dispatch to them. Two registries, keyed by kind: the protocol modules (create,
 * update, status, refresh) and the spec modules (the manifest side). Both are mapped types over
 * KINDS (src/model/resources.ts), so a kind added there without its modules fails to compile here.
 */
import type { Create, Refreshed, Update } from '../model/changes.js';
import type { ResourceRecord } from '../model/records.js';
import type { Kind } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import { annotationRequest, type RequestStatus } from './annotation-request.js';
import { annotationRequestSpec } from './annotation-request-spec.js';
import { campaign, type CampaignStatusReport } from './campaign.js';
import { campaignSpec } from './campaign-spec.js';
import { folder, type FolderStatusReport } from './folder.js';
import { folderSpec } from './folder-spec.js';
import { samplingPlan, type PackageStatus } from './sampling-plan.js';
import { samplingPlanSpec } from './sampling-plan-spec.js';
import { taxonomy, type TaxonomyStatusReport } from './taxonomy.js';
import { taxonomySpec } from './taxonomy-spec.js';
import type { CreateContext, KindModule, RefreshOptions, SpecModule, StatusReadOptions } from './types.js';
import { workflowTemplate, type TemplateStatusReport } from './workflow-template.js';
import { workflowTemplateSpec } from './workflow-template-spec.js';

export type { CampaignStatusReport, FolderStatusReport, PackageStatus, RequestStatus, TaxonomyStatusReport, TemplateStatusReport };
export { heldAdvice } from './sampling-plan.js';

/** What `status` reports per kind. */
interface StatusOf {
  Folder: FolderStatusReport;
  Taxonomy: TaxonomyStatusReport;
  WorkflowTemplate: TemplateStatusReport;
  Campaign: CampaignStatusReport;
  AnnotationRequest: RequestStatus;
  SamplingPlan: PackageStatus;
}
export type ResourceStatus = StatusOf[keyof StatusOf];
/** Fails to compile, here, while a kind has no status type above. */
const everyKindHasAStatus: [Exclude<Kind, keyof StatusOf>] extends [never] ? true : Exclude<Kind, keyof StatusOf> = true;
void everyKindHasAStatus;

const MODULES: { [K in Kind]: KindModule<K, (K extends keyof StatusOf ? StatusOf[K] : never) & { kind: K }> } = {
  Folder: folder,
  Taxonomy: taxonomy,
  WorkflowTemplate: workflowTemplate,
  Campaign: campaign,
  AnnotationRequest: annotationRequest,
  SamplingPlan: samplingPlan,
};

const SPECS: { [K in Kind]: SpecModule<K> } = {
  Folder: folderSpec,
  Taxonomy: taxonomySpec,
  WorkflowTemplate: workflowTemplateSpec,
  Campaign: campaignSpec,
  AnnotationRequest: annotationRequestSpec,
  SamplingPlan: samplingPlanSpec,
};

/**
 * A kind's module, typed loosely: TypeScript cannot follow that a value's `kind` picks the module
 * of the same kind, so dispatch goes through this one widening (the registries above are exact).
 */
function moduleOf(kind: Kind): KindModule<Kind, ResourceStatus> {
  return MODULES[kind] as unknown as KindModule<Kind, ResourceStatus>;
}

/** A kind's protocol module, for what only some kinds have (importById, update). */
export function kindModule(kind: Kind): KindModule<Kind, ResourceStatus> {
  return moduleOf(kind);
}

export function specModule(kind: Kind): SpecModule<Kind> {
  return SPECS[kind] as unknown as SpecModule<Kind>;
}

/** Where a kind comes in a plan and an apply (see SpecModule.rank). */
export function dependencyRank(kind: Kind): number {
  return SPECS[kind].rank;
}

/** The facts about a kind that need no value of it. */
export function kindInfo(kind: Kind): { noun: string; retrySafe: boolean } {
  return MODULES[kind];
}

export function createHeadline(create: Create): string {
  return moduleOf(create.kind).createHeadline(create as never);
}

export function sendCreate(create: Create, context: CreateContext): Promise<ResourceResult> {
  return moduleOf(create.kind).create(create as never, context);
}

export function sendUpdate(update: Update, context: CreateContext): Promise<ResourceResult> {
  const send = moduleOf(update.kind).update;
  if (!send) throw new Error(`${update.kind} has no update`);
  return send(update, context);
}

export function readResourceStatus(address: string, record: ResourceRecord, options: StatusReadOptions): Promise<ResourceStatus> {
  return moduleOf(record.kind).readStatus(address, record as never, options);
}

export function refreshResource(address: string, record: Extract<ResourceRecord, { status: 'applied' }>, options: RefreshOptions): Promise<Refreshed | undefined> {
  return moduleOf(record.kind).refresh(address, record as never, options);
}

/** The status's detail for a person (ids, counts, what it means). */
export function statusDetail(status: ResourceStatus): string {
  return moduleOf(status.kind).describeStatus(status as never);
}

export function idLabel(record: ResourceRecord): string {
  return moduleOf(record.kind).idLabel(record as never);
}

/** The intent the engine may write ahead for a create (retry-safe kinds that keep one), or undefined. */
export function intentOf(create: Create, now: Date): ResourceRecord | undefined {
  return moduleOf(create.kind).intentOf?.(create as never, now);
}
