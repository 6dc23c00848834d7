import { RosettaClient } from '../../api/client.js';
import { resolveCredentials, resolveEndpoint } from '../../api/config.js';
import { applyCreates } from '../../apply/engine.js';
import { ListrReporter } from '../../apply/reporters/listr.js';
import { PlainReporter, SilentReporter } from '../../apply/reporters/plain.js';
import { describeResult } from '../../apply/reporters/describe.js';
import type { ApplyReport, Reporter } from '../../apply/types.js';
import { RosettaError, isRosettaError } from '../../errors.js';
import { errorText } from '../error-output.js';
import { loadPlan } from '../../plan/plan-file.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { Create, Plan } from '../../plan/types.js';
import { StateSession } from '../../state/session.js';
import type { StateStore } from '../../state/store.js';
import type { State } from '../../state/types.js';
import { pluralise } from '../../text.js';
import type { HeldLock } from '../../state/lock.js';
import { printable } from '../../text.js';
import { planAgainst } from '../../actions/plan.js';
import { appendStepSummary, checkTargets, loadResources, lockState, openStateStore, parseDuration, type StateOptions } from '../context.js';
import { ExitCode, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';
import { renderApplyJson, renderApplyMarkdown } from './apply-output.js';
import type { WaitResult } from '../../actions/status.js';
import { collectStatus, printStatus, statusOk } from './status.js';

export interface ApplyOptions extends ManifestOptions, StateOptions {
  plan?: string;
  autoApprove?: boolean;
  concurrency: string;
  format: 'text' | 'json';
  target: string[];
  endpoint?: string;
  insecure?: boolean;
  lockTimeout: string;
  requestTimeout: string;
  strictAdopt?: boolean;
  wait?: boolean;
  timeout: string;
}

/** How long creates in flight may go on after SIGINT/SIGTERM before they are cancelled (the contract's 10 s). */
export const SHUTDOWN_GRACE_MS = 10_000;

export async function applyCommand(paths: string[], options: ApplyOptions, io: Io): Promise<void> {
  if (options.plan && (paths.length > 0 || options.target.length > 0)) {
    throw new RosettaError('ROS_USAGE', '--plan applies a saved plan exactly; do not also give manifest paths or --target');
  }
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new RosettaError('ROS_USAGE', `--concurrency: expected an integer from 1 to 256, found ${JSON.stringify(options.concurrency)}`);
  }
  const requestMs = parseDuration('--request-timeout', options.requestTimeout);
  const waitMs = parseDuration('--timeout', options.timeout);
  if (requestMs <= 0) throw new RosettaError('ROS_USAGE', '--request-timeout: must be more than 0');
  const endpoint = resolveEndpoint(options, io.env);
  const credentials = resolveCredentials(io.env);
  const json = options.format === 'json';

  // Everything that can be wrong locally is found before the lock is taken: a typo, a bad proxy
  // variable or a bad key should neither hold the lock nor leave it behind.
  const resources = options.plan ? undefined : await loadResources(paths, options, io);
  const store = openStateStore(options, io);
  const client = new RosettaClient({ endpoint, credentials, timeouts: { requestMs }, env: io.env });
  let lock: HeldLock;
  try {
    lock = await lockState(store, ['rosetta', 'apply', ...paths].join(' '), options, io);
  } catch (error) {
    await client.close();
    await store.close();
    throw error;
  }
  const shutdown = new Shutdown(io);
  try {
    const state = await store.read();
    const { plan, planId } = options.plan ? await savedPlanFor(options.plan, state, endpoint) : { plan: await planAgainst(resources!, state, store, checkTargets(options.target, resources!, state)), planId: undefined };
    if (!json) io.stdout(renderPlanText(plan));

    if (plan.summary.conflict > 0) {
      throw new RosettaError('ROS_PLAN_CONFLICT', `${pluralise(plan.summary.conflict, 'conflict')}: nothing was applied`, { hint: 'the API cannot update an applied resource; see the plan above for how to proceed' });
    }
    const creates = plan.changes.filter((c): c is Create => c.action === 'create');
    if (creates.length > 0 && !options.autoApprove && !options.plan) await confirm(io, creates.length);

    const session = new StateSession(store, state);
    const reporter = chooseReporter(options.format, io);
    const report = creates.length > 0
      ? await applyCreates(creates, { client, session, store, reporter, concurrency, strictAdopt: options.strictAdopt ?? false, stop: shutdown.stop, cancel: shutdown.cancel })
      : emptyReport();
    if (planId && session.failed === undefined) await session.markPlanApplied(planId).catch(() => undefined);

    // After a failed state write the in-memory state holds changes that never reached the disk.
    const stillPending = session.failed !== undefined ? 0 : Object.values(session.current.resources).filter((r) => r.status === 'pending').length;
    const failure = session.failed === undefined ? undefined : asRosettaError(session.failed);
    const applyFailed = failure !== undefined || report.summary.failed > 0 || report.summary.skipped > 0 || report.interrupted || stillPending > 0;
    if (!json) printSummary(io, report, stillPending, store);
    printUnrecorded(io, report);
    await appendStepSummary(io, renderApplyMarkdown(report)).catch(() => undefined);
    // --wait: the platform processes requests after the create; wait for them as status --wait does.
    let waited: WaitResult | undefined;
    if (options.wait && !applyFailed) {
      // Waiting only reads: the lock is released first, so other runs are not held up for it, and
      // Ctrl-C now means "stop waiting" (the wait's own handler), not "stop creating".
      await lock.release();
      shutdown.dispose();
      if (!json) io.stdout('\nWaiting for the platform to process the annotation requests…\n');
      const statusOptions = { only: new Set(plan.changes.map((c) => c.address)), wait: true, timeoutMs: waitMs, format: json ? ('json' as const) : ('text' as const) };
      waited = await collectStatus(session.current, client, statusOptions, io);
      if (!json) printStatus(waited, statusOptions, io);
    }
    // One JSON object, whatever happened.
    if (json) io.stdout(renderApplyJson(report, failure, waited ? { status: { resources: waited.report.resources, summary: waited.report.summary, wait: waited.outcome } } : {}));
    if (failure) {
      io.stderr(errorText(failure));
      throw new ExitCode(1);
    }
    if (applyFailed || (waited && !statusOk(waited))) throw new ExitCode(1);
  } finally {
    shutdown.dispose();
    await client.close();
    await lock.release().catch(() => undefined);
    await store.close();
  }
}

/**
 * SIGINT/SIGTERM (Ctrl-C, a CI job's cancel): the first stops new creates and gives those in
 * flight SHUTDOWN_GRACE_MS to finish; then, or at a second signal, they are cancelled. A
 * cancelled sampling create is recorded as pending: it may have reached the API.
 */
class Shutdown {
  private readonly stopping = new AbortController();
  private readonly cancelling = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onSignal = (): void => {
    if (!this.stopping.signal.aborted) {
      this.stopping.abort();
      this.io.stderr(`\nInterrupted: starting nothing new; waiting for the creates in flight (at most ${SHUTDOWN_GRACE_MS / 1000}s, then they are cancelled; interrupt again to cancel them now), then writing state.\n`);
      this.timer = setTimeout(() => this.cancelNow(), SHUTDOWN_GRACE_MS);
      this.timer.unref();
    } else {
      this.cancelNow();
    }
  };

  constructor(private readonly io: Io) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get stop(): AbortSignal {
    return this.stopping.signal;
  }

  get cancel(): AbortSignal {
    return this.cancelling.signal;
  }

  private cancelNow(): void {
    if (this.cancelling.signal.aborted) return;
    this.io.stderr('Cancelling the requests in flight; a cancelled sampling create stays pending.\n');
    this.cancelling.abort();
  }

  dispose(): void {
    clearTimeout(this.timer);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

function asRosettaError(error: unknown): RosettaError {
  return isRosettaError(error) ? error : new RosettaError('ROS_STATE_IO', `the state could not be written: ${(error as Error)?.message ?? String(error)}`);
}

/** Creates the API confirmed that state could not hold: their ids go to stderr, whatever the format. */
function printUnrecorded(io: Io, report: ApplyReport): void {
  const lost = report.results.filter((r) => r.unrecorded);
  if (lost.length === 0) return;
  io.stderr(`\n${pluralise(lost.length, 'create')} confirmed by the API could not be recorded in state. Keep these ids:\n`);
  for (const r of lost) {
    const ids = [
      r.samplingPackageId !== undefined ? `samplingPackageId ${r.samplingPackageId}` : undefined,
      r.annotationRequestId !== undefined ? `annotationRequestId ${printable(r.annotationRequestId)}` : undefined,
      r.requestId !== undefined ? `requestId ${printable(r.requestId)}` : undefined,
    ].filter(Boolean);
    io.stderr(`  ${r.address}: ${ids.join(', ')}\n`);
    if (r.hint) io.stderr(`    then: ${r.hint.replace(/^once state can be written: /, '')}\n`);
  }
}

async function savedPlanFor(path: string, state: State, endpoint: string): Promise<{ plan: Plan; planId: string }> {
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

async function confirm(io: Io, count: number): Promise<void> {
  if (!io.interactive) {
    const why = io.terminal ? 'CI is set, so rosetta does not ask' : 'there is no terminal to ask';
    throw new RosettaError('ROS_NOT_INTERACTIVE', `apply needs confirmation, and ${why}`, {
      hint: 'review the plan and pass --auto-approve, or apply a saved plan with --plan FILE',
    });
  }
  const { confirm: ask } = await import('@inquirer/prompts');
  const yes = await ask({ message: `Send ${pluralise(count, 'create')} to Rosetta? Creates cannot be undone.`, default: false }).catch(() => false);
  if (!yes) throw new RosettaError('ROS_ABORTED', 'apply cancelled; nothing was sent');
}

function chooseReporter(format: 'text' | 'json', io: Io): Reporter {
  if (format === 'json') return new SilentReporter();
  return io.interactive ? new ListrReporter() : new PlainReporter(io.stdout);
}

function printSummary(io: Io, report: ApplyReport, pending: number, store: StateStore): void {
  const s = report.summary;
  const problems = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped');
  if (problems.length > 0) {
    io.stdout('\nNot applied:\n');
    for (const r of problems) {
      io.stdout(`  ${describeResult(r)}\n`);
      if (r.hint) io.stdout(`    hint: ${printable(r.hint)}\n`);
    }
  }
  io.stdout(`\nApply: ${s.created} created, ${s.adopted} adopted, ${s.failed} failed, ${s.skipped} skipped. State: ${store.location}\n`);
  if (report.interrupted) io.stdout('Stopped before every create had started; run apply again to continue.\n');
  if (pending > 0) io.stdout(`${pluralise(pending, 'sampling plan')} pending with an unknown outcome: see rosetta plan, then rosetta state resolve.\n`);
}

function emptyReport(): ApplyReport {
  return { results: [], summary: { created: 0, adopted: 0, failed: 0, skipped: 0 }, interrupted: false };
}
