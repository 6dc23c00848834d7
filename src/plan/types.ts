/**
 * A plan is a list of changes, one per resource, each a member of a
 * discriminated union on `action`; renderers switch on it exhaustively.
 */
import type { Kind, SamplingBody, AnnotationRequestBody } from '../manifest/types.js';
import type { ResourceRecord } from '../state/types.js';

export const ACTIONS = ['create', 'noop', 'conflict', 'pending', 'orphan'] as const;
export type Action = (typeof ACTIONS)[number];

interface ChangeBase {
  kind: Kind;
  name: string;
  address: string;
}

export type Create = ChangeBase & {
  /** An orphan in state with exactly this body: most likely this resource was renamed. */
  renamedFrom?: string;
} & (
    | { action: 'create'; kind: 'AnnotationRequest'; body: AnnotationRequestBody; digest: string; retrySafe: true }
    | { action: 'create'; kind: 'SamplingPlan'; body: SamplingBody; digest: string; retrySafe: false; dependsOn?: string }
  );

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

export interface Orphan extends ChangeBase {
  action: 'orphan';
  record: ResourceRecord;
}

export type Change = Create | Noop | Conflict | Pending | Orphan;

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

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
