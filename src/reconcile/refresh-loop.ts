/**
 * reconcile --refresh-interval: the leader reads the platform on its own schedule, as plan
 * --refresh does, and reports what it finds: drift and resources the platform lost (logs, the
 * rosetta_drift_resources gauge, `drift` events), and the progress and end of annotation requests.
 * Nothing is acted on here: the next cycle's plan decides (a lost request is created again).
 * What is not settled is read every round; what is (a finished request, a folder) every few rounds.
 */
import type { Logger } from 'pino';
import { refreshState } from '../actions/refresh.js';
import type { Refreshed } from '../model/changes.js';
import type { ResourceRecord, State } from '../model/records.js';
import { KINDS, type Kind } from '../model/resources.js';
import { event, readRequests, settled, type CycleDeps } from './cycle.js';
import type { NotifyEvent } from './notify.js';

/** Settled resources are read on every this-many-th round. */
export const SETTLED_EVERY = 6;

export type RefreshDeps = Pick<CycleDeps, 'store' | 'client' | 'metrics' | 'known' | 'notifier' | 'dryRun' | 'completion'> & {
  logger: Logger;
  /** What the last rounds found drifted or gone, by address (carried between rounds). */
  drifted: Map<string, Kind>;
};

export async function refreshRound(deps: RefreshDeps, round: number): Promise<{ read: number; drifted: number }> {
  const state = await deps.store.read();
  const due = Object.entries(state.resources).filter(([address, r]) => r.status === 'applied' && (round % SETTLED_EVERY === 0 || !settled(deps.known, address, r)));
  const subset: State = { ...state, resources: Object.fromEntries(due) };
  const refreshed = await refreshState(subset, deps.client, deps.store);

  const events: (NotifyEvent & { key: string })[] = [];
  for (const [address, record] of due) {
    const problem = describe(record, refreshed.get(address));
    if (problem === undefined) {
      deps.drifted.delete(address);
      continue;
    }
    deps.drifted.set(address, record.kind);
    deps.logger.warn({ address, drift: problem }, `${address}: ${problem}`);
    events.push({ key: `drift:${address}`, ...event('drift', record.kind, record.name, null, problem) });
  }
  const byKind = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  for (const kind of deps.drifted.values()) byKind.set(kind, byKind.get(kind)! + 1);
  for (const [kind, count] of byKind) deps.metrics.drift.set({ kind }, count);

  const requests = new Set(due.filter(([, r]) => r.kind === 'AnnotationRequest').map(([address]) => address));
  if (requests.size > 0) await readRequests(deps, subset, requests, null);
  if (!deps.dryRun) await deps.notifier?.publish(events);
  return { read: due.length, drifted: events.length };
}

/** What differs on the platform, for a person; undefined when all is as recorded. */
function describe(record: ResourceRecord, refreshed: Refreshed | undefined): string | undefined {
  if (refreshed === undefined) return undefined;
  if ('gone' in refreshed) return 'the platform no longer has it; the next cycle creates it again (its id is ours)';
  if ('drift' in refreshed) {
    return 'missingPackage' in refreshed.drift
      ? `the platform does not find sampling package ${refreshed.drift.missingPackage} (57008)`
      : `changed on the platform: ${refreshed.drift.fields.join(', ')}`;
  }
  if (record.kind === 'Folder' && record.status === 'applied' && refreshed.observed.helixStatus !== record.helixStatus) {
    return `its status is ${refreshed.observed.helixStatus} on the platform, ${record.helixStatus} as applied; the next cycle sets it back`;
  }
  return undefined;
}
