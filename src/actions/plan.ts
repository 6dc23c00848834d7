/**
 * Planning as a library: manifests and state in, a Plan out, with the applied bodies loaded for
 * field-level diffs and the cross-run name check. The CLI and the reconcile loop both call this.
 */
import { RosettaError } from '../errors.js';
import type { Resource } from '../manifest/types.js';
import { plan as makePlan } from '../plan/plan.js';
import type { Plan, Refreshed } from '../model/changes.js';
import { savePlan } from '../plan/plan-file.js';
import type { StateStore } from '../state/store.js';
import { refreshState } from './refresh.js';
import type { ReadClient } from '../api/reads.js';
import { bodyDigest, canonicalJson } from '../model/digest.js';
import { parseAddress, type AnnotationRequestResource } from '../model/resources.js';
import type { BodyStore } from '../state/store.js';
import type { State } from '../model/records.js';

/**
 * Names are unique on the platform, so a new annotation request may not take the name of another
 * one already in state: validate cannot see it when the two manifests are applied in separate runs
 * (`apply a.yaml`, then `apply b.yaml`), and the API would answer 53005 and adopt the wrong request.
 */
export function checkNamesAgainstState(resources: readonly Resource[], state: State): void {
  // Only requests the state does not hold yet can take another's name: none, nothing to index
  // (a plan of 100,000 unchanged resources built the index for nothing).
  const fresh = resources.filter((r): r is AnnotationRequestResource => r.kind === 'AnnotationRequest' && !state.resources[r.address]);
  if (fresh.length === 0) return;
  const holders = new Map<string, string>();
  for (const address of Object.keys(state.resources)) {
    const record = state.resources[address]!;
    if (record.kind === 'AnnotationRequest' && record.annotationRequestName !== undefined) holders.set(record.annotationRequestName, address);
  }
  const problems: string[] = [];
  for (const r of fresh) {
    const holder = holders.get(r.body.annotationRequestName);
    if (holder && holder !== r.address) {
      problems.push(`${r.source.file}:${r.source.line}:${r.source.col}: ${r.address}: annotationRequestName ${JSON.stringify(r.body.annotationRequestName)} is already used by ${holder}, applied earlier`);
    }
  }
  if (problems.length > 0) {
    throw new RosettaError('ROS_MANIFEST_INVALID', problems.join('; '), {
      hint: 'annotation request names are unique on the platform: give this one another annotationRequestName',
    });
  }
}

/** Checks --target values: KIND/NAME, naming something in the manifests or the state. */
export function checkTargets(targets: readonly string[], resources: readonly Resource[], state: State): string[] {
  if (targets.length === 0) return [];
  const known = new Set([...resources.map((r) => r.address), ...Object.keys(state.resources)]);
  for (const target of targets) {
    if (!parseAddress(target)) {
      throw new RosettaError('ROS_USAGE', `--target ${JSON.stringify(target)}: expected KIND/NAME, e.g. SamplingPlan/helix-3d-qa`);
    }
    if (!known.has(target)) throw new RosettaError('ROS_USAGE', `--target ${target}: no such resource in the manifests or the state`);
  }
  return [...targets];
}

/** Plans against the state, loading the applied bodies of changed resources for field-level diffs. */
export async function planAgainst(
  resources: readonly Resource[],
  state: State,
  store: Pick<BodyStore, 'getBody'>,
  targets: readonly string[],
  extra: { refreshed?: ReadonlyMap<string, Refreshed> | undefined; allowSamplingOnAdopted?: boolean } = {},
): Promise<Plan> {
  checkNamesAgainstState(resources, state);
  const digests = new Map<string, string>();
  for (const r of resources) digests.set(r.address, bodyDigest(r.body));
  const appliedBodies = new Map<string, unknown>();
  for (const r of resources) {
    const record = state.resources[r.address];
    if (record && record.status === 'applied' && record.digest !== digests.get(r.address)) {
      const body = await store.getBody(record.digest);
      if (body !== undefined) appliedBodies.set(record.digest, body);
    }
  }
  const { refreshed, allowSamplingOnAdopted = false } = extra;
  return makePlan(resources, state, { targets, appliedBodies, digests, allowSamplingOnAdopted, ...(refreshed ? { refreshed } : {}) });
}

export interface PlanActionOptions {
  resources: readonly Resource[];
  /** --target values (KIND/NAME), checked against the manifests and the state. */
  targets: readonly string[];
  store: Pick<StateStore, 'read' | 'getBody'>;
  /** Reads the platform first (plan --refresh); without it the plan never touches the network. */
  refresh?: ReadClient;
  /** Saves the plan for `apply --plan`, with the endpoint it is for and the tool's version. */
  save?: { path: string; endpoint: string; rosettaVersion: string };
  /** --allow-sampling-on-adopted: a person checked (guarantee 7). */
  allowSamplingOnAdopted?: boolean;
  /** The state, when the caller read it already (rosetta plan reads a file state first); else read from `store`. */
  state?: State;
}

/** rosetta plan: read the state (and, if asked, the platform), plan, and save the plan if asked. */
export async function planAction(options: PlanActionOptions): Promise<Plan> {
  const { resources, store } = options;
  const state = options.state ?? (await store.read());
  const refreshed = options.refresh ? await refreshState(state, options.refresh, store) : undefined;
  const plan = await planAgainst(resources, state, store, checkTargets(options.targets, resources, state), { refreshed, allowSamplingOnAdopted: options.allowSamplingOnAdopted ?? false });
  if (options.save) {
    const { path, endpoint, rosettaVersion } = options.save;
    await savePlan(path, plan, { rosettaVersion, endpoint, manifestsDigest: manifestsDigest(resources) });
  }
  return plan;
}

/** One digest over every manifest's address and body, recorded in saved plans. */
export function manifestsDigest(resources: readonly Resource[]): string {
  return bodyDigest(canonicalJson(resources.map((r) => [r.address, r.body])));
}

