/**
 * plan(resources, state) → Plan. Pure and deterministic: no clock, no network,
 * no file system, inputs never mutated. Ordered by dependency (folders, taxonomies
 * and templates; campaigns; annotation requests; sampling plans), then by name.
 */
import { bodyDigest } from '../model/digest.js';
import type { ResourceRecord, State } from '../model/records.js';
import { needsOf, type FolderResource, type Resource } from '../model/resources.js';
import { extended, isObject } from '../values.js';
import { fieldChanges } from './field-diff.js';
import { dependencyRank, kindInfo } from '../kinds/index.js';
import { assertNever, summarise, type Change, type Create, type Plan, type Refreshed, type Update } from '../model/changes.js';

export interface PlanOptions {
  /** Narrow to these addresses and what they depend on. */
  targets?: readonly string[];
  /** Applied bodies by digest, for field-level conflict diffs (missing ones give digest-only conflicts). */
  appliedBodies?: ReadonlyMap<string, unknown>;
  /** Precomputed digests by address (the caller may have them already). */
  digests?: ReadonlyMap<string, string>;
  /** What plan --refresh read from the platform, by address. */
  refreshed?: ReadonlyMap<string, Refreshed>;
  /** Create sampling plans under adopted requests too (a person checked): see heldBy. */
  allowSamplingOnAdopted?: boolean;
}

export function plan(resources: readonly Resource[], state: State, options: PlanOptions = {}): Plan {
  const selected = select(resources, options.targets);
  const changes: Change[] = [];
  const wanted = new Set(resources.map((r) => r.address));

  for (const resource of selected) {
    const digest = options.digests?.get(resource.address) ?? bodyDigest(resource.body);
    const record = state.resources[resource.address];
    const base = { kind: resource.kind, name: resource.name, address: resource.address, ...(resource.origin ? { origin: resource.origin } : {}) };
    const refreshed = options.refreshed?.get(resource.address);
    // An annotation request the platform lost is created again: its id is ours, so it is safe.
    const gone = refreshed !== undefined && 'gone' in refreshed;
    // A request this state sent and did not hear back from: sent again, safely (the id is ours).
    const unconfirmed = record?.kind === 'AnnotationRequest' && record.status === 'pending';
    const held = !record && resource.kind === 'SamplingPlan' ? heldBy(resource.dependsOn, state) : undefined;
    if (held && !options.allowSamplingOnAdopted) {
      changes.push(extended(base, { kind: 'SamplingPlan' as const, action: 'held' as const, dependsOn: held.address, ...(held.code === undefined ? {} : { adoptedCode: held.code }) }));
    } else if (!record || gone || unconfirmed) {
      const why = gone ? { reason: 'gone' as const } : unconfirmed ? { reason: 'unconfirmed' as const } : {};
      // With the opt-in, a sampling create also goes ahead if its request turns out adopted during the run.
      changes.push(createOf(resource, extended(base, { ...why, digest }), options.allowSamplingOnAdopted === true && resource.kind === 'SamplingPlan' && resource.dependsOn !== undefined));
    } else if (record.status === 'pending') {
      changes.push(extended(base, { kind: 'SamplingPlan' as const, action: 'pending' as const, startedAt: record.startedAt, ...(record.kind === 'SamplingPlan' && record.reason ? { reason: record.reason } : {}) }));
    } else if (record.digest === digest) {
      // Drift is shown instead of "up to date"; a conflict (the manifest changed) is shown first.
      const update = resource.kind === 'Folder' ? folderUpdate(resource, record, refreshed, digest) : undefined;
      if (update) changes.push(update);
      else if (refreshed && 'drift' in refreshed) changes.push(extended(base, { action: 'drift' as const, ...refreshed.drift }));
      else changes.push(extended(base, { action: 'noop' as const, digest }));
    } else {
      const applied = options.appliedBodies?.get(record.digest);
      const fields = isObject(applied) ? fieldChanges(applied, resource.body as unknown as Record<string, unknown>) : [];
      changes.push(extended(base, { action: 'conflict' as const, fields, appliedDigest: record.digest, digest }));
    }
  }

  if (!options.targets || options.targets.length === 0) {
    for (const address of Object.keys(state.resources)) {
      if (wanted.has(address)) continue;
      const record = state.resources[address]!;
      changes.push({ kind: record.kind, name: record.name, address, action: 'orphan', record });
    }
  }

  markRenames(changes);
  changes.sort(byOrder);
  return {
    changes,
    summary: summarise(changes),
    state: { lineage: state.lineage, serial: state.serial },
    ...(options.targets && options.targets.length > 0 ? { targets: [...options.targets].sort() } : {}),
  };
}

/**
 * A create whose body is exactly an orphan's (same kind, same digest) is most likely a renamed
 * manifest: the plan says so, because applying it would create a second package.
 */
function markRenames(changes: Change[]): void {
  const orphans = new Map<string, string>();
  for (const c of changes) if (c.action === 'orphan' && c.record.status === 'applied') orphans.set(`${c.kind}\0${c.record.digest}`, c.address);
  if (orphans.size === 0) return;
  changes.forEach((c, i) => {
    if (c.action !== 'create') return;
    const from = orphans.get(`${c.kind}\0${c.digest}`);
    if (from) changes[i] = { ...c, renamedFrom: from };
  });
}

/**
 * The annotation request a new sampling plan must wait for a person on, if any: one this state
 * adopted (53004/53005) without having sent it, so it existed before this state, and so may its
 * sampling packages (guarantee 7). Requests this state created, re-sent after a crash (sentHere)
 * or that a person imported are its own.
 */
export function heldBy(dependsOn: string | undefined, state: State): { address: string; code: number | undefined } | undefined {
  if (dependsOn === undefined) return undefined;
  const request = state.resources[dependsOn];
  if (request?.kind !== 'AnnotationRequest' || request.status !== 'applied') return undefined;
  // An absent request (53005 for a name another request holds) is skipped at apply, with its own reason.
  if (request.outcome !== 'adopted' || request.sentHere || request.absent) return undefined;
  return { address: dependsOn, code: request.code };
}

/**
 * A folder whose status differs from the manifest's: from what was applied, or, with --refresh,
 * from what the platform reports (someone re-activated it in the web UI). The one update there is.
 */
function folderUpdate(resource: FolderResource, record: ResourceRecord, refreshed: Refreshed | undefined, digest: string): Update | undefined {
  if (record.kind !== 'Folder' || record.status !== 'applied') return undefined;
  const current = refreshed && 'observed' in refreshed ? refreshed.observed.helixStatus : record.helixStatus;
  if (current === resource.helixStatus) return undefined;
  return {
    kind: 'Folder',
    name: resource.name,
    address: resource.address,
    ...(resource.origin ? { origin: resource.origin } : {}),
    action: 'update',
    helixProjectId: record.helixProjectId,
    fields: [{ field: 'helixStatus', lines: [`- ${current}`, `+ ${resource.helixStatus}`] }],
    helixStatus: resource.helixStatus,
    digest,
  };
}

/** Targets plus everything they need, transitively (a sampling plan's request, its campaign, the campaign's folder). */
function select(resources: readonly Resource[], targets: readonly string[] | undefined): readonly Resource[] {
  if (!targets || targets.length === 0) return resources;
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const chosen = new Set<string>();
  const add = (address: string): void => {
    if (chosen.has(address)) return;
    chosen.add(address);
    const resource = byAddress.get(address);
    if (resource) for (const need of needsOf(resource)) add(need);
  };
  for (const target of targets) add(target);
  return resources.filter((r) => chosen.has(r.address));
}

function byOrder(a: Change, b: Change): number {
  return dependencyRank(a.kind) - dependencyRank(b.kind) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The create for a resource, by kind; whether it is retry-safe is the kind module's own fact, read from it. */
function createOf(resource: Resource, common: { name: string; address: string; digest: string; reason?: 'gone' | 'unconfirmed' }, onAdoptedRequest: boolean): Create {
  const needs = needsOf(resource);
  const shared = extended(common, { action: 'create' as const, ...(needs.length > 0 ? { needs } : {}) });
  switch (resource.kind) {
    case 'Folder':
      return extended(shared, { kind: 'Folder' as const, body: resource.body, helixStatus: resource.helixStatus, retrySafe: kindInfo('Folder').retrySafe as true });
    case 'Taxonomy':
    case 'WorkflowTemplate':
    case 'Campaign':
    case 'AnnotationRequest':
      return extended(shared, { kind: resource.kind, body: resource.body, retrySafe: kindInfo(resource.kind).retrySafe as true }) as Create;
    case 'SamplingPlan':
      return extended(shared, {
        kind: 'SamplingPlan' as const,
        body: resource.body,
        retrySafe: kindInfo('SamplingPlan').retrySafe as false,
        ...(resource.dependsOn ? { dependsOn: resource.dependsOn } : {}),
        ...(onAdoptedRequest ? { onAdoptedRequest: true as const } : {}),
      });
    default:
      return assertNever(resource);
  }
}
