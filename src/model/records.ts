/**
 * The state format. State is the only record that a sampling package exists
 * (the API cannot list them), so it is versioned, written atomically after every
 * create, and never holds a secret.
 */
import type { FolderStatus, Kind } from './resources.js';

export const STATE_VERSION = 1;

interface RecordBase {
  kind: Kind;
  name: string;
  /** sha256 of the canonical JSON of the body that was (or is being) sent. */
  digest: string;
}

export interface AppliedAnnotationRequest extends RecordBase {
  kind: 'AnnotationRequest';
  status: 'applied';
  /** `imported`: brought under management with rosetta import. */
  outcome: 'created' | 'adopted' | 'imported';
  annotationRequestId: string;
  /** The name sent (names are unique on the platform: 53005); absent in records of rosetta 0.1. */
  annotationRequestName?: string;
  requestId?: string;
  /** Business code of the answer: 2000, 53004 or 53005. */
  code?: number;
  /**
   * Set when an adoption (53005) was read back and the platform has no request with this id: the
   * name belongs to another request. Sampling plans that need this request are skipped.
   */
  absent?: true;
  /**
   * Adopted (53004/53005), yet this state's own: it had sent the create before (its intent was
   * recorded, and the outcome was unknown), so the request is the one it made. An adopted record
   * without this existed before this state: its sampling plans are held back (guarantee 7).
   */
  sentHere?: true;
  appliedAt: string;
}

/**
 * Written before an annotation request's create is sent, replaced by the answer: after a crash it
 * says this state sent the create, so a 53004 on the next run is its own request (guarantee 7).
 * Unlike a sampling create, it is sent again on the next apply (the id is ours).
 */
export interface PendingAnnotationRequest extends RecordBase {
  kind: 'AnnotationRequest';
  status: 'pending';
  annotationRequestId: string;
  annotationRequestName: string;
  startedAt: string;
}

export interface AppliedSamplingPlan extends RecordBase {
  kind: 'SamplingPlan';
  status: 'applied';
  /** `resolved`: the user recorded the package id after an unknown outcome; `imported`: rosetta import. */
  outcome: 'created' | 'resolved' | 'imported';
  annotationRequestId: string;
  samplingPackageId: number;
  /** How many scenes the package holds; the list itself is kept beside the state, by digest. */
  sceneCount?: number;
  /** Digest of the sceneIdList the API answered (see StateStore.getBody). */
  sceneListDigest?: string;
  /** Written by rosetta 0.1 before the list moved out of the record; read, never written. */
  sceneIdList?: string[];
  requestId?: string;
  appliedAt: string;
}

/** Written before a sampling create is sent; replaced by the answer. Never resent automatically. */
export interface PendingSamplingPlan extends RecordBase {
  kind: 'SamplingPlan';
  status: 'pending';
  annotationRequestId: string;
  startedAt: string;
  /** Why the outcome is unknown, once known to be unknown. */
  reason?: string;
}

/** What every applied pipeline kind keeps: how it came under management and the answer. */
interface AppliedPipelineBase extends RecordBase {
  status: 'applied';
  /** `adopted`: it existed already (54001-54003, 57003, 50529, 51003/51004); `imported`: rosetta import. */
  outcome: 'created' | 'adopted' | 'imported';
  code?: number;
  requestId?: string;
  appliedAt: string;
}

export interface AppliedFolder extends AppliedPipelineBase {
  kind: 'Folder';
  helixProjectId: string;
  folderName: string;
  /** The status last set (or read, when imported): plan compares the manifest's with it. */
  helixStatus: FolderStatus;
}

export interface AppliedTaxonomy extends AppliedPipelineBase {
  kind: 'Taxonomy';
  taxonomyVersionName: string;
}

export interface AppliedWorkflowTemplate extends AppliedPipelineBase {
  kind: 'WorkflowTemplate';
  templateName: string;
}

export interface AppliedCampaign extends AppliedPipelineBase {
  kind: 'Campaign';
  campaignId: string;
  campaignName: string;
}

export type ResourceRecord =
  | AppliedFolder
  | AppliedTaxonomy
  | AppliedWorkflowTemplate
  | AppliedCampaign
  | AppliedAnnotationRequest
  | PendingAnnotationRequest
  | AppliedSamplingPlan
  | PendingSamplingPlan;

export interface State {
  version: typeof STATE_VERSION;
  /** Set once when the state is first written; null before that. */
  lineage: string | null;
  /** Bumped on every change. */
  serial: number;
  /** Saved plans already applied to this state (newest last, a few kept). */
  appliedPlans: string[];
  /** By address (KIND/NAME). */
  resources: Record<string, ResourceRecord>;
}

export function emptyState(): State {
  return { version: STATE_VERSION, lineage: null, serial: 0, appliedPlans: [], resources: {} };
}

/** Who holds the lock, for the message the second run prints. */
export interface LockHolder {
  id: string;
  pid: number;
  host: string;
  user: string;
  command: string;
  startedAt: string;
  ci?: string;
}
