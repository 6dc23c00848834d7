/**
 * What the dashboard shows, as data: resources by kind with their status, progress, ids, when and
 * from where they were applied; what needs a person first (pending sampling creates with the exact
 * command, conflicts with their fields, drift, failed creates with the API's message and request
 * id); the last cycles; whether this replica leads. `GET /api/resources` and `GET /api/cycles`
 * return it as JSON; the page renders the same. Pure: the controller or `rosetta ui` gives the facts.
 */
import type { Plan } from '../model/changes.js';
import type { ResourceRecord, State } from '../model/records.js';
import { KINDS, type Kind } from '../model/resources.js';
import type { ApplySummary, ResourceResult } from '../model/results.js';

/** One record of a reconcile cycle's outcome (what logs, /readyz, metrics and the page read). */
export interface CycleRecord {
  number: number;
  revision?: string;
  result: 'success' | 'failed' | 'invalid';
  endedAt: string;
  durationMs: number;
  /** The plan's counts per action. */
  plan?: Record<string, number>;
  applied?: ApplySummary;
  reason?: string;
}

export interface ResourceView {
  address: string;
  kind: Kind;
  name: string;
  /** The last known status (read from the platform), or what state says (applied, pending). */
  status: string;
  /** 0-100, for an annotation request with progress. */
  completion?: number;
  /** What the platform knows it by (annotationRequestId=…). */
  id: string;
  appliedAt?: string;
  /** The revision a cycle of this controller applied it from, when known. */
  revision?: string;
  /** The manifest it comes from, when known. */
  file?: string;
}

export type AttentionReason = 'pending' | 'held' | 'failed' | 'conflict' | 'drift' | 'orphan';

export interface AttentionView {
  address: string;
  reason: AttentionReason;
  detail: string;
  /** What to run, when a command settles it. */
  command?: string;
  fields?: string[];
  code?: number;
  requestId?: string;
}

export interface DashboardData {
  /** true/false under a controller; null for `rosetta ui` (no controller). */
  leading: boolean | null;
  resources: ResourceView[];
  attention: AttentionView[];
  cycles: CycleRecord[];
  /** When this was put together (ISO). */
  at: string;
}

export interface DashboardFacts {
  state: State;
  /** Last known status per address (the controller's reads, or rosetta ui's). */
  statuses?: ReadonlyMap<string, { status: string; completion?: number }>;
  /** The last plan (conflicts, orphans, held, drift), when one was made. */
  plan?: Plan;
  /** The last apply's results (failures). */
  results?: readonly ResourceResult[];
  /** Where each resource was applied from, when this process saw it. */
  origins?: ReadonlyMap<string, { revision?: string; file?: string }>;
  cycles?: readonly CycleRecord[];
  leading: boolean | null;
  idLabel(record: ResourceRecord): string;
  now?: Date;
}

const ORDER: Readonly<Record<AttentionReason, number>> = { pending: 0, held: 1, failed: 2, conflict: 3, drift: 4, orphan: 5 };

export function dashboardData(facts: DashboardFacts): DashboardData {
  const resources = Object.entries(facts.state.resources)
    .map(([address, record]): ResourceView => {
      const known = facts.statuses?.get(address);
      const origin = facts.origins?.get(address);
      return {
        address,
        kind: record.kind,
        name: record.name,
        status: record.status === 'pending' ? 'PENDING' : (known?.status ?? 'APPLIED'),
        ...(known?.completion === undefined ? {} : { completion: known.completion }),
        id: facts.idLabel(record),
        ...('appliedAt' in record ? { appliedAt: record.appliedAt } : {}),
        ...(origin?.revision ? { revision: origin.revision } : {}),
        ...(origin?.file ? { file: origin.file } : {}),
      };
    })
    .sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const attention: AttentionView[] = [];
  for (const [address, record] of Object.entries(facts.state.resources)) {
    if (record.kind === 'SamplingPlan' && record.status === 'pending') {
      attention.push({
        address,
        reason: 'pending',
        detail: `a sampling create sent at ${record.startedAt} has an unknown outcome${record.reason ? ` (${record.reason})` : ''}; nothing is sent until a person settles it`,
        command: `rosetta state resolve ${address} --sampling-package-id <id>`,
      });
    }
  }
  for (const change of facts.plan?.changes ?? []) {
    if (change.action === 'conflict') attention.push({ address: change.address, reason: 'conflict', detail: 'the manifest changed after it was applied; the API cannot update it', fields: change.fields.map((f) => f.field) });
    if (change.action === 'drift') attention.push({ address: change.address, reason: 'drift', detail: change.missingPackage !== undefined ? `the platform does not find sampling package ${change.missingPackage}` : `changed on the platform: ${(change.fields ?? []).join(', ')}` });
    if (change.action === 'held') attention.push({ address: change.address, reason: 'held', detail: `${change.dependsOn} existed before this state, so a sampling package may exist already`, command: `rosetta import ${change.address} <samplingPackageId>` });
    if (change.action === 'orphan') attention.push({ address: change.address, reason: 'orphan', detail: 'in state, no longer in the manifests; the API cannot delete it', command: `rosetta state rm ${change.address}` });
  }
  for (const r of facts.results ?? []) {
    if (r.outcome === 'failed' && !r.pending) {
      attention.push({ address: r.address, reason: 'failed', detail: r.message ?? 'failed', ...(r.code === undefined ? {} : { code: r.code }), ...(r.requestId === undefined ? {} : { requestId: r.requestId }) });
    }
  }
  attention.sort((a, b) => ORDER[a.reason] - ORDER[b.reason] || (a.address < b.address ? -1 : 1));
  return { leading: facts.leading, resources, attention, cycles: [...(facts.cycles ?? [])].reverse(), at: (facts.now ?? new Date()).toISOString() };
}
