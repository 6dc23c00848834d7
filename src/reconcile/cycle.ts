/**
 * One reconcile cycle: take the source at its revision, load and validate the manifests, plan,
 * apply only what is safe to apply automatically (create), and read the status of annotation
 * requests still processing. conflict, orphan, pending and drift are logged and counted, never
 * acted on. An invalid revision sends nothing.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { planAgainst } from '../actions/plan.js';
import { readStatus } from '../actions/status.js';
import type { RosettaClient } from '../api/client.js';
import { applyCreates } from '../apply/engine.js';
import type { ApplyReport, Reporter, ResourceResult } from '../apply/types.js';
import { isRosettaError } from '../errors.js';
import { loadManifests } from '../manifest/load.js';
import type { Create, Summary } from '../plan/types.js';
import { StateSession } from '../state/session.js';
import type { StateStore } from '../state/store.js';
import type { State } from '../state/types.js';
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
}

export async function runCycle(deps: CycleDeps, cycle: number): Promise<CycleOutcome> {
  const started = performance.now();
  const log = deps.logger.child({ cycle });
  let outcome: CycleOutcome;
  try {
    outcome = await cycleSteps(deps, log);
  } catch (error) {
    outcome = { result: 'failed', reason: isRosettaError(error) ? error.message : String((error as Error)?.message ?? error) };
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
  // The state lock for this cycle: an apply from CI and the controller never run at once.
  const lock = await deps.store.lock({ command: `rosetta reconcile (${revision})` });
  try {
    const state = await deps.store.read();
    const plan = await planAgainst(loaded.resources, state, deps.store, []);
    for (const change of plan.changes) {
      if (change.action === 'conflict' || change.action === 'orphan' || change.action === 'pending' || change.action === 'drift') {
        log.warn({ ...at, address: change.address, action: change.action }, `${change.address}: ${change.action}, not acted on automatically`);
      }
    }
    const creates = plan.changes.filter((c): c is Create => c.action === 'create');
    if (deps.dryRun || creates.length === 0) {
      if (deps.dryRun && creates.length > 0) log.info({ ...at, creates: creates.map((c) => c.address) }, `dry run: ${creates.length} creates not sent`);
      await pollStatus(deps, state);
      return { ...at, result: 'success', plan: plan.summary };
    }
    const session = new StateSession(deps.store, state);
    const report = await applyCreates(creates, { client: deps.client, session, store: deps.store, reporter: new LogReporter(log, revision), concurrency: deps.concurrency, stop: deps.stop });
    await pollStatus(deps, session.current);
    const failed = session.failed !== undefined || report.summary.failed > 0;
    return { ...at, result: failed ? 'failed' : 'success', plan: plan.summary, applied: report.summary, ...(failed ? { reason: `${report.summary.failed} creates failed` } : {}) };
  } finally {
    await lock.release().catch(() => undefined);
  }
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
    const status = record.kind === 'AnnotationRequest' ? (deps.known.get(address) ?? 'UNKNOWN') : record.status === 'pending' ? 'PENDING' : 'EXISTS';
    const key = `${record.kind}\0${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  deps.metrics.setResources(counts);
}

/** Every create's outcome as a log line (the controller has no terminal). */
class LogReporter implements Reporter {
  constructor(
    private readonly log: Logger,
    private readonly revision: string,
  ) {}

  begin(creates: readonly Create[]): void {
    this.log.info({ revision: this.revision, creates: creates.length }, `applying ${creates.length} creates`);
  }

  started(): void {}

  retrying(address: string, event: { attempt: number; delayMs: number; reason: string }): void {
    this.log.warn({ address, attempt: event.attempt, delayMs: event.delayMs }, `${address}: retrying (${event.reason})`);
  }

  warned(address: string, message: string): void {
    this.log.warn({ address }, `${address}: ${message}`);
  }

  finished(r: ResourceResult): void {
    const fields = { revision: this.revision, address: r.address, outcome: r.outcome, code: r.code, requestId: r.requestId, samplingPackageId: r.samplingPackageId, pending: r.pending, unrecorded: r.unrecorded };
    if (r.outcome === 'failed') this.log.error(fields, `${r.address} failed: ${r.message ?? ''}`);
    else this.log.info(fields, `${r.address} ${r.outcome}`);
  }

  async end(): Promise<void> {}
}
