/**
 * A plan is a list of changes, one per resource, each a member of a
 * discriminated union on `action`; renderers switch on it exhaustively.
 */
import type { AnnotationRequestBody, CampaignBody, FolderBody, FolderStatus, Kind, Origin, SamplingBody, TaxonomyBody, WorkflowTemplateBody } from './resources.js';
import type { ResourceRecord } from './records.js';

export const ACTIONS = ['create', 'update', 'noop', 'conflict', 'pending', 'held', 'orphan', 'drift'] as const;
export type Action = (typeof ACTIONS)[number];

interface ChangeBase {
  kind: Kind;
  name: string;
  address: string;
  /** The generator and row that made the resource, when one did. */
  origin?: Origin;
}

export type Create = ChangeBase & {
  /** An orphan in state with exactly this body: most likely this resource was renamed. */
  renamedFrom?: string;
  /**
   * `gone`: applied before, but the platform no longer has it (plan --refresh); its id is ours.
   * `unconfirmed`: this state sent it before and stopped before recording the answer; sent again
   * (the id is ours), and a 53004 then is this state's own request.
   */
  reason?: 'gone' | 'unconfirmed';
  /** Addresses of resources created in the same run that this one needs first (a campaign's folder). */
  needs?: readonly string[];
} & (
    | {
        action: 'create';
        kind: 'Folder';
        body: FolderBody;
        /** Set after the create when it is not the platform's default (active). */
        helixStatus: FolderStatus;
        digest: string;
        retrySafe: true;
      }
    | { action: 'create'; kind: 'Taxonomy'; body: TaxonomyBody; digest: string; retrySafe: true }
    | { action: 'create'; kind: 'WorkflowTemplate'; body: WorkflowTemplateBody; digest: string; retrySafe: true }
    | { action: 'create'; kind: 'Campaign'; body: CampaignBody; digest: string; retrySafe: true }
    | { action: 'create'; kind: 'AnnotationRequest'; body: AnnotationRequestBody; digest: string; retrySafe: true }
    | {
        action: 'create';
        kind: 'SamplingPlan';
        body: SamplingBody;
        digest: string;
        retrySafe: false;
        dependsOn?: string;
        /** --allow-sampling-on-adopted: a person checked that no package exists under an adopted request. */
        onAdoptedRequest?: true;
      }
  );

/**
 * The one update the API has: a folder's helixStatus (POST /folder/update). Setting the same value
 * twice is harmless, so an update is safe to send again.
 */
export interface Update extends ChangeBase {
  action: 'update';
  kind: 'Folder';
  helixProjectId: string;
  /** The fields that change: `helixStatus`, from what was applied (or read with --refresh) to the manifest's. */
  fields: FieldChange[];
  helixStatus: FolderStatus;
  /** The digest of the create body (unchanged by an update), kept in the record. */
  digest: string;
}

export interface Noop extends ChangeBase {
  action: 'noop';
  digest: string;
}

/** One changed top-level field of an applied resource. */
export interface FieldChange {
  field: string;
  /** Human-readable lines: `- old`, `+ new`, or a summary for big maps. */
  lines: string[];
}

export interface Conflict extends ChangeBase {
  action: 'conflict';
  /** Empty when the applied body is unknown (only its digest is). */
  fields: FieldChange[];
  appliedDigest: string;
  digest: string;
}

export interface Pending extends ChangeBase {
  action: 'pending';
  kind: 'SamplingPlan';
  startedAt: string;
  reason?: string;
}

/**
 * A sampling plan whose annotation request existed before this state (adopted through 53004/53005
 * without this state having sent it): a package may exist already, and the API cannot list them.
 * Nothing is sent until a person records it (import) or opts in (guarantee 7).
 */
export interface Held extends ChangeBase {
  action: 'held';
  kind: 'SamplingPlan';
  /** The annotation request's address, and the code it was adopted with. */
  dependsOn: string;
  adoptedCode?: number;
}

export interface Orphan extends ChangeBase {
  action: 'orphan';
  record: ResourceRecord;
}

/** What plan --refresh found different on the platform: shown, never acted on. */
export interface Drift extends ChangeBase {
  action: 'drift';
  /** Fields of an annotation request that differ from what was sent. */
  fields?: string[];
  /** A sampling package the platform does not find (57008). */
  missingPackage?: number;
}

/**
 * What plan --refresh learned about one applied resource (input to the pure planner): it is gone
 * (created again: its id is ours), it drifted (shown), or what the platform says of the one field
 * rosetta can change (a folder's status: an update sets it back).
 */
export type Refreshed = { gone: true } | { drift: { fields: string[] } | { missingPackage: number } } | { observed: { helixStatus: FolderStatus } };

export type Change = Create | Update | Noop | Conflict | Pending | Held | Orphan | Drift;

/** What apply carries out: creates, and updates. */
export type Operation = Create | Update;

export type Summary = Record<Action, number>;

export interface Plan {
  changes: Change[];
  summary: Summary;
  /** The state the plan was made against. */
  state: { lineage: string | null; serial: number };
  /** Addresses the plan was narrowed to (--target), if any. */
  targets?: string[];
}

export function summarise(changes: readonly Change[]): Summary {
  const summary = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Summary;
  for (const c of changes) summary[c.action]++;
  return summary;
}

export { assertNever } from '../assert.js';
