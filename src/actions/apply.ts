/**
 * Applying as a library: lock the state, plan (or load a saved plan and check it still fits),
 * ask the host, run the creates, and give back what happened. The CLI renders the result; the
 * reconcile loop logs it. Signals arrive as AbortSignals; nothing here prints or exits.
 */
import type { ApplyClient, ApplyReport } from '../apply/types.js';
import { applyCreates } from '../apply/engine.js';
import { takeLock } from './lock.js';
import { RosettaError, isRosettaError } from '../errors.js';
import type { IoHost } from '../host/events.js';
import type { Resource } from '../manifest/types.js';
import { loadPlan } from '../plan/plan-file.js';
import type { Operation, Plan } from '../model/changes.js';
import { StateSession } from '../state/session.js';
import type { StateStore } from '../state/store.js';
import type { State } from '../model/records.js';
import { pluralise } from '../text.js';
import { checkTargets, planAgainst } from './plan.js';

export interface ApplyActionOptions {
  /** What to apply: manifests (narrowed by --target values), or a saved plan file, exactly. */
  source: { resources: readonly Resource[]; targets: readonly string[] } | SavedPlanSource;
  store: StateStore;
  client: ApplyClient;
  host: IoHost;
  /** Who holds the lock (shown to anyone who finds it held), and how long to wait for it. */
  lock: { command: string; timeoutMs?: number; env?: NodeJS.ProcessEnv };
  concurrency: number;
  strictAdopt?: boolean;
  /** --allow-sampling-on-adopted: create sampling plans under requests that existed before this state (guarantee 7). */
  allowSamplingOnAdopted?: boolean;
  /** Send without asking the host (--auto-approve; a saved plan was reviewed when it was made). */
  autoApprove?: boolean;
  /**
   * `refuse` (the CLI): any conflict stops the whole apply before anything is sent. `leave` (the
   * reconcile loop): conflicts are reported in the plan and the creates go ahead.
   */
  conflicts?: 'refuse' | 'leave';
  /** Start no new create; those in flight finish and are recorded. */
  stop?: AbortSignal;
  /** Abort the requests in flight (after a grace period); a cancelled sampling create stays pending. */
  cancel?: AbortSignal;
}

export interface SavedPlanSource {
  planFile: string;
  /** The endpoint the client talks to: the saved plan must have been made for it. */
  endpoint: string;
}

export interface ApplyActionResult {
  plan: Plan;
  report: ApplyReport;
  /** The state as this run left it (the caller reads statuses from it). */
  state: State;
  /** The host declined the creates: nothing was sent. */
  declined: boolean;
  /** The state could not be written: the run stopped there (the report says which creates were confirmed). */
  stateFailure?: RosettaError;
  /** Sampling plans left pending with an unknown outcome. */
  pending: number;
  /** Sampling plans held back: their requests existed before this state (guarantee 7). */
  held: number;
  /** Nothing failed, was skipped, interrupted or left pending. */
  ok: boolean;
}

export async function applyAction(options: ApplyActionOptions): Promise<ApplyActionResult> {
  const { store, host } = options;
  const lock = await takeLock(store, options.lock, host);
  try {
    const state = await store.read();
    const { plan, planId } = 'planFile' in options.source
      ? await savedPlanFor(options.source, state)
      : { plan: await planAgainst(options.source.resources, state, store, checkTargets(options.source.targets, options.source.resources, state), { allowSamplingOnAdopted: options.allowSamplingOnAdopted ?? false }), planId: undefined };
    await host.notify({ code: 'plan.ready', level: 'info', data: { plan } });

    if (plan.summary.conflict > 0 && (options.conflicts ?? 'refuse') === 'refuse') {
      throw new RosettaError('ROS_PLAN_CONFLICT', `${pluralise(plan.summary.conflict, 'conflict')}: nothing was applied`, { hint: 'the API cannot update an applied resource; see the plan above for how to proceed' });
    }
    const creates = plan.changes.filter((c): c is Operation => c.action === 'create' || c.action === 'update');
    const approved = creates.length === 0 || options.autoApprove === true || (await host.confirm({ code: 'apply.confirm', count: creates.length, plan }));
    if (!approved) return { plan, report: emptyReport(), state, declined: true, pending: 0, held: plan.summary.held, ok: true };

    const session = new StateSession(store, state);
    const report = creates.length > 0
      ? await applyCreates(creates, { client: options.client, session, store, host, concurrency: options.concurrency, strictAdopt: options.strictAdopt ?? false, ...signals(options) })
      : emptyReport();
    if (planId && session.failed === undefined) await session.markPlanApplied(planId).catch(() => undefined);

    // After a failed state write the in-memory state holds changes that never reached the store.
    const stateFailure = session.failed === undefined ? undefined : asStateError(session.failed);
    const pending = stateFailure ? 0 : Object.values(session.current.resources).filter((r) => r.kind === 'SamplingPlan' && r.status === 'pending').length;
    const held = plan.summary.held + report.results.filter((r) => r.held).length;
    const ok = stateFailure === undefined && report.summary.failed === 0 && report.summary.skipped === 0 && !report.interrupted && pending === 0 && held === 0;
    return { plan, report, state: session.current, declined: false, ...(stateFailure ? { stateFailure } : {}), pending, held, ok };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** A saved plan applies only to the state and endpoint it was made against, and only once. */
async function savedPlanFor({ planFile: path, endpoint }: SavedPlanSource, state: State): Promise<{ plan: Plan; planId: string }> {
  const saved = await loadPlan(path);
  if (state.appliedPlans.includes(saved.planId)) {
    throw new RosettaError('ROS_PLAN_STALE', `the plan ${path} was applied already`, { hint: 'make a new one with rosetta plan --out FILE' });
  }
  const remake = { hint: 'make a new plan with rosetta plan --out FILE and review it again' };
  if (saved.plan.state.lineage !== null && saved.plan.state.lineage !== state.lineage) {
    throw new RosettaError('ROS_PLAN_STALE', `the plan ${path} was made against another state (lineage ${saved.plan.state.lineage}; this state's is ${state.lineage ?? 'not set yet'})`, remake);
  }
  if (saved.plan.state.serial !== state.serial || (saved.plan.state.lineage === null && state.lineage !== null)) {
    throw new RosettaError('ROS_PLAN_STALE', `the state changed since the plan ${path} was made (serial ${saved.plan.state.serial} → ${state.serial})`, remake);
  }
  if (saved.endpoint !== endpoint) {
    throw new RosettaError('ROS_PLAN_STALE', `the plan ${path} was made for ${saved.endpoint}, not ${endpoint}`);
  }
  return { plan: saved.plan, planId: saved.planId };
}

function signals(options: ApplyActionOptions): { stop?: AbortSignal; cancel?: AbortSignal } {
  return { ...(options.stop ? { stop: options.stop } : {}), ...(options.cancel ? { cancel: options.cancel } : {}) };
}

function asStateError(error: unknown): RosettaError {
  return isRosettaError(error) ? error : new RosettaError('ROS_STATE_IO', `the state could not be written: ${(error as Error)?.message ?? String(error)}`);
}

function emptyReport(): ApplyReport {
  return { results: [], summary: { created: 0, adopted: 0, updated: 0, failed: 0, skipped: 0 }, interrupted: false };
}
