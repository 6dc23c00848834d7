/**
 * One reconcile cycle: take the source at its revision, load and validate the manifests, plan,
 * apply only what is safe to apply automatically (create), and read the status of annotation
 * requests still processing. conflict, orphan, pending and drift are logged and counted, never
 * acted on. An invalid revision sends nothing.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { applyAction } from '../actions/apply.js';
import { readStatus } from '../actions/status.js';
import type { RosettaClient } from '../api/client.js';
import { assertNever } from '../assert.js';
import type { ApplyReport } from '../apply/types.js';
import type { IoHost, RosettaEvent } from '../host/events.js';
import { isRosettaError } from '../errors.js';
import { loadManifests } from '../manifest/load.js';
import type { Plan, Summary } from '../model/changes.js';
import type { CycleRecord } from '../ui/data.js';
import type { StateStore } from '../state/store.js';
import type { ResourceRecord, State } from '../model/records.js';
import type { CycleResult, ReconcileMetrics } from './metrics.js';
import type { Notifier, NotifyEvent, NotifyEventName } from './notify.js';
import type { ResourceResult } from '../model/results.js';
import { pluralise, printable } from '../text.js';
import type { Source } from './source.js';

export interface CycleDeps {
  source: Source;
  /** Sub-folder of the source holding the manifests. */
  path: string;
  store: StateStore;
  client: RosettaClient;
  logger: Logger;
  metrics: ReconcileMetrics;
  dryRun: boolean;
  concurrency: number;
  /** Shutdown: no new create starts; creates in flight finish and are recorded. */
  stop: AbortSignal;
  /** Last known status per address, carried between cycles (requests still PROCESSING are read again). */
  known: Map<string, string>;
  /** Where events go (--notify); absent or without targets: nowhere. */
  notifier?: Notifier | undefined;
  /** Last known progress per annotation request (0-100), for the dashboard. */
  completion?: Map<string, number>;
}

export interface CycleOutcome {
  result: CycleResult;
  revision?: string;
  plan?: Summary;
  applied?: ApplyReport['summary'];
  reason?: string;
  /** The state store could not be read or written (readiness drops until a cycle reaches it again). */
  storeFailed?: boolean;
  /** For the dashboard: the whole plan, the results, and where each resource came from. */
  details?: { plan: Plan; results: readonly ResourceResult[]; files: ReadonlyMap<string, string> };
  /** One record of the cycle (history, metrics, the dashboard). */
  record?: CycleRecord;
}

export async function runCycle(deps: CycleDeps, cycle: number): Promise<CycleOutcome> {
  const started = performance.now();
  const log = deps.logger.child({ cycle });
  let outcome: CycleOutcome;
  try {
    outcome = await cycleSteps(deps, log);
  } catch (error) {
    // ROS_STATE_IO: the state store is out of reach (not a bad manifest, a failed create or a held lock).
    const storeFailed = isRosettaError(error) && error.code === 'ROS_STATE_IO';
    outcome = { result: 'failed', reason: isRosettaError(error) ? error.message : String((error as Error)?.message ?? error), ...(storeFailed ? { storeFailed } : {}) };
  }
  const durationMs = Math.round(performance.now() - started);
  outcome.record = {
    number: cycle,
    ...(outcome.revision ? { revision: outcome.revision } : {}),
    result: outcome.result,
    endedAt: new Date().toISOString(),
    durationMs,
    ...(outcome.plan ? { plan: outcome.plan } : {}),
    ...(outcome.applied ? { applied: outcome.applied } : {}),
    ...(outcome.reason ? { reason: outcome.reason } : {}),
  };
  deps.metrics.cycleEnded(outcome.result, durationMs / 1000, outcome.revision);
  const fields = { revision: outcome.revision, result: outcome.result, plan: outcome.plan, applied: outcome.applied, durationMs };
  if (outcome.result === 'success') log.info(fields, 'reconcile cycle done');
  else log.error({ ...fields, reason: outcome.reason }, `reconcile cycle ${outcome.result}: ${outcome.reason ?? ''}`);
  return outcome;
}

async function cycleSteps(deps: CycleDeps, log: Logger): Promise<CycleOutcome> {
  const { dir, revision } = await deps.source.checkout();
  const at = { revision };
  const notify = deps.dryRun ? undefined : deps.notifier;
  await notify?.commitStatus(revision, 'pending', 'rosetta is applying this revision');
  const loaded = await loadManifests([join(dir, deps.path)], { cwd: dir });
  if (loaded.diagnostics.length > 0) {
    for (const d of loaded.diagnostics.slice(0, 20)) log.error({ ...at, file: d.file, line: d.line, col: d.col, rule: d.rule }, d.message);
    const reason = `${loaded.diagnostics.length} problems in the manifests at ${revision}; nothing was sent`;
    await notify?.publish([{ key: `invalid_revision:${revision}`, ...event('invalid_revision', null, null, revision, `${reason} (first: ${loaded.diagnostics[0]!.file}:${loaded.diagnostics[0]!.line}: ${loaded.diagnostics[0]!.message})`) }]);
    await notify?.commitStatus(revision, 'failure', `${loaded.diagnostics.length} problems in the manifests; nothing was sent`);
    return { ...at, result: 'invalid', reason };
  }
  // The state lock for this cycle (taken by the action): an apply from CI and the controller never run at once.
  const result = await applyAction({
    source: { resources: loaded.resources, targets: [] },
    store: deps.store,
    client: deps.client,
    host: logHost(log, revision, deps.dryRun),
    lock: { command: `rosetta reconcile (${revision})` },
    concurrency: deps.concurrency,
    conflicts: 'leave',
    stop: deps.stop,
  });
  const { report, plan } = result;
  await notify?.publish(report.results.flatMap((r) => resultEvent(r, revision)));
  await pollStatus(deps, result.state, revision);
  // What the plan showed, and what this run itself left for a person (held or pending during the run).
  deps.metrics.setAttention({ ...plan.summary, held: result.held, pending: result.pending });
  const failed = result.stateFailure !== undefined || report.summary.failed > 0;
  const applied = report.results.length > 0 ? { applied: report.summary } : {};
  await notify?.commitStatus(revision, failed ? 'failure' : 'success', failed ? `${pluralise(report.summary.failed, 'create')} failed` : `applied: ${report.summary.created} created, ${report.summary.adopted} adopted, ${report.summary.updated} updated`);
  return {
    ...at,
    result: failed ? 'failed' : 'success',
    plan: plan.summary,
    ...applied,
    ...(failed ? { reason: result.stateFailure?.message ?? `${pluralise(report.summary.failed, 'create')} failed` } : {}),
    ...(result.stateFailure ? { storeFailed: true } : {}),
    details: { plan, results: report.results, files: new Map(loaded.resources.map((r) => [r.address, r.source.file])) },
  };
}

/** Whether what the platform says of a resource can no longer change: any kind but a request, or a request FINISHED or FAILED. */
export function settled(known: ReadonlyMap<string, string>, address: string, record: ResourceRecord): boolean {
  return record.kind !== 'AnnotationRequest' || ['FINISHED', 'FAILED'].includes(known.get(address) ?? '');
}

/** Reads requests not known to be settled, and counts every resource by its last known status. */
async function pollStatus(deps: CycleDeps, state: State, revision: string | null): Promise<void> {
  const unsettled = Object.entries(state.resources)
    .filter(([address, r]) => r.kind === 'AnnotationRequest' && !settled(deps.known, address, r))
    .map(([address]) => address);
  if (unsettled.length > 0) await readRequests(deps, state, new Set(unsettled), revision);
  countResources(deps, state);
}

/**
 * Reads the status of these annotation requests: the last known status for the resource gauge, the
 * completion ratio, and a `finished` or `annotation_failed` event when one settles.
 */
export async function readRequests(deps: Pick<CycleDeps, 'client' | 'known' | 'metrics' | 'notifier' | 'dryRun' | 'completion'>, state: State, only: ReadonlySet<string>, revision: string | null): Promise<void> {
  const report = await readStatus(state, { client: deps.client, only });
  const events: (NotifyEvent & { key: string })[] = [];
  for (const r of report.resources) {
    if (r.kind !== 'AnnotationRequest') continue;
    deps.known.set(r.address, r.status);
    if (r.completion !== undefined) {
      deps.metrics.completion.set({ name: r.name }, r.completion / 100);
      deps.completion?.set(r.address, r.completion);
    }
    if (r.status === 'FINISHED') events.push({ key: `finished:${r.address}`, ...event('finished', r.kind, r.name, revision, `all tasks finished: ${r.successTasks ?? 0} tasks, ${r.errorScenes ?? 0} error scenes`) });
    if (r.status === 'FAILED') events.push({ key: `annotation_failed:${r.address}`, ...event('annotation_failed', r.kind, r.name, revision, `the platform failed the request: ${r.errorScenes ?? 0} error scenes`) });
  }
  if (!deps.dryRun) await deps.notifier?.publish(events);
}

/** Every resource by kind and last known status, for the resource gauge. */
function countResources(deps: Pick<CycleDeps, 'known' | 'metrics'>, state: State): void {
  const counts = new Map<string, number>();
  for (const [address, record] of Object.entries(state.resources)) {
    const status = lastKnownStatus(address, record, deps.known);
    const key = `${record.kind}\0${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  deps.metrics.setResources(counts);
}

/** The event for a create's (or update's) result, if it is one a person is told of. */
function resultEvent(r: ResourceResult, revision: string): (NotifyEvent & { key: string })[] {
  const name = r.pending ? 'pending' : r.outcome === 'skipped' ? undefined : r.outcome;
  if (name === undefined) return [];
  const ids = r.annotationRequestId ? ` (annotationRequestId ${r.annotationRequestId})` : r.samplingPackageId !== undefined ? ` (samplingPackageId ${r.samplingPackageId})` : '';
  const message = r.outcome === 'failed' ? `${r.message ?? 'failed'}${r.code === undefined ? '' : ` (code ${r.code})`}` : `${r.outcome}${ids}`;
  // An update may come again with another revision; a create, adoption or failure once per resource.
  const key = name === 'updated' ? `updated:${r.address}:${revision}` : `${name}:${r.address}`;
  return [{ key, ...event(name, r.kind, r.name, revision, message) }];
}

export function event(name: NotifyEventName, kind: string | null, resource: string | null, revision: string | null, message: string): NotifyEvent {
  return { event: name, kind, name: resource, revision, message: printable(message), time: new Date().toISOString() };
}

/** The status metric's label: requests as last read; packages are not re-read every cycle. */
function lastKnownStatus(address: string, record: ResourceRecord, known: ReadonlyMap<string, string>): string {
  if (record.status === 'pending') return 'PENDING';
  // Requests are read every cycle; the rest exist as far as state knows until read (rosetta status).
  return known.get(address) ?? (record.kind === 'AnnotationRequest' ? 'UNKNOWN' : 'EXISTS');
}

/**
 * The controller's IO host: every event a log line (it has no terminal). It approves creates unless
 * this is a dry run; conflict, orphan, pending and drift are logged, never acted on.
 */
function logHost(log: Logger, revision: string, dryRun: boolean): IoHost {
  const at = { revision };
  return {
    notify(event: RosettaEvent): void {
      switch (event.code) {
        case 'plan.ready':
          for (const change of event.data.plan.changes) {
            if (change.action === 'conflict' || change.action === 'orphan' || change.action === 'pending' || change.action === 'held' || change.action === 'drift') {
              log.warn({ ...at, address: change.address, action: change.action }, `${change.address}: ${change.action}, not acted on automatically`);
            }
          }
          return;
        case 'apply.begin':
          return log.info({ ...at, creates: event.data.creates.length }, `applying ${event.data.creates.length} creates`);
        case 'apply.create.retry': {
          const { address, attempt, delayMs, reason } = event.data;
          return log.warn({ address, attempt, delayMs }, `${address}: retrying (${reason})`);
        }
        case 'apply.create.warning':
          return log.warn({ ...at, address: event.data.address }, `${event.data.address}: ${event.data.message}`);
        case 'state.lock.warning':
          return log.warn(at, event.data.message);
        case 'apply.create.result': {
          const r = event.data.result;
          const fields = { ...at, address: r.address, outcome: r.outcome, code: r.code, requestId: r.requestId, samplingPackageId: r.samplingPackageId, pending: r.pending, unrecorded: r.unrecorded };
          if (r.outcome === 'failed') log.error(fields, `${r.address} failed: ${r.message ?? ''}`);
          else if (r.outcome === 'skipped') log.warn({ ...fields, held: r.held }, `${r.address} skipped: ${r.message ?? ''}`);
          else log.info(fields, `${r.address} ${r.outcome}`);
          return;
        }
        case 'apply.create.start':
        case 'apply.end':
        case 'state.resolve.unchecked':
        case 'status.changed':
          return;
        default:
          return assertNever(event);
      }
    },
    async confirm({ plan, count }): Promise<boolean> {
      if (dryRun) log.info({ ...at, creates: plan.changes.filter((c) => c.action === 'create').map((c) => c.address) }, `dry run: ${count} creates not sent`);
      return !dryRun;
    },
  };
}
