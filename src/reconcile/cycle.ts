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
import type { Summary } from '../model/changes.js';
import type { StateStore } from '../state/store.js';
import type { ResourceRecord, State } from '../model/records.js';
import type { CycleResult, ReconcileMetrics } from './metrics.js';
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
}

export interface CycleOutcome {
  result: CycleResult;
  revision?: string;
  plan?: Summary;
  applied?: ApplyReport['summary'];
  reason?: string;
  /** The state store could not be read or written (readiness drops until a cycle reaches it again). */
  storeFailed?: boolean;
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
  deps.metrics.cycleEnded(outcome.result, (performance.now() - started) / 1000, outcome.revision);
  const fields = { revision: outcome.revision, result: outcome.result, plan: outcome.plan, applied: outcome.applied, durationMs: Math.round(performance.now() - started) };
  if (outcome.result === 'success') log.info(fields, 'reconcile cycle done');
  else log.error({ ...fields, reason: outcome.reason }, `reconcile cycle ${outcome.result}: ${outcome.reason ?? ''}`);
  return outcome;
}

async function cycleSteps(deps: CycleDeps, log: Logger): Promise<CycleOutcome> {
  const { dir, revision } = await deps.source.checkout();
  const at = { revision };
  const loaded = await loadManifests([join(dir, deps.path)], { cwd: dir });
  if (loaded.diagnostics.length > 0) {
    for (const d of loaded.diagnostics.slice(0, 20)) log.error({ ...at, file: d.file, line: d.line, col: d.col, rule: d.rule }, d.message);
    return { ...at, result: 'invalid', reason: `${loaded.diagnostics.length} problems in the manifests at ${revision}; nothing was sent` };
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
  await pollStatus(deps, result.state);
  const { report, plan } = result;
  // What the plan showed, and what this run itself left for a person (held or pending during the run).
  deps.metrics.setAttention({ ...plan.summary, held: result.held, pending: result.pending });
  const failed = result.stateFailure !== undefined || report.summary.failed > 0;
  const applied = report.results.length > 0 ? { applied: report.summary } : {};
  return {
    ...at,
    result: failed ? 'failed' : 'success',
    plan: plan.summary,
    ...applied,
    ...(failed ? { reason: result.stateFailure?.message ?? `${report.summary.failed} creates failed` } : {}),
    ...(result.stateFailure ? { storeFailed: true } : {}),
  };
}

/** Reads requests not known to be settled, and counts every resource by its last known status. */
async function pollStatus(deps: CycleDeps, state: State): Promise<void> {
  const unsettled = Object.entries(state.resources)
    .filter(([address, r]) => r.kind === 'AnnotationRequest' && !['FINISHED', 'FAILED'].includes(deps.known.get(address) ?? ''))
    .map(([address]) => address);
  if (unsettled.length > 0) {
    const report = await readStatus(state, { client: deps.client, only: new Set(unsettled) });
    for (const r of report.resources) deps.known.set(r.address, r.status);
  }
  const counts = new Map<string, number>();
  for (const [address, record] of Object.entries(state.resources)) {
    const status = lastKnownStatus(address, record, deps.known);
    const key = `${record.kind}\0${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  deps.metrics.setResources(counts);
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
