import { RosettaClient } from '../../api/client.js';
import { resolveCredentials, resolveEndpoint } from '../../api/config.js';
import { applyCreates } from '../../apply/engine.js';
import { ListrReporter } from '../../apply/reporters/listr.js';
import { PlainReporter, SilentReporter } from '../../apply/reporters/plain.js';
import { describeResult } from '../../apply/reporters/describe.js';
import type { ApplyReport, Reporter } from '../../apply/types.js';
import { RosettaError } from '../../errors.js';
import { loadPlan } from '../../plan/plan-file.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { Create, Plan } from '../../plan/types.js';
import { StateSession } from '../../state/session.js';
import type { StateStore } from '../../state/store.js';
import type { State } from '../../state/types.js';
import { pluralise } from '../../text.js';
import { appendStepSummary, checkTargets, loadResources, lockState, openStateStore, planAgainst, type StateOptions } from '../context.js';
import { ExitCode, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';
import { renderApplyJson, renderApplyMarkdown } from './apply-output.js';

export interface ApplyOptions extends ManifestOptions, StateOptions {
  plan?: string;
  autoApprove?: boolean;
  concurrency: string;
  format: 'text' | 'json';
  target: string[];
  endpoint?: string;
  insecure?: boolean;
  lockTimeout: string;
  strictAdopt?: boolean;
}

export async function applyCommand(paths: string[], options: ApplyOptions, io: Io): Promise<void> {
  if (options.plan && (paths.length > 0 || options.target.length > 0)) {
    throw new RosettaError('ROS_USAGE', '--plan applies a saved plan exactly; do not also give manifest paths or --target');
  }
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new RosettaError('ROS_USAGE', `--concurrency: expected an integer from 1 to 256, found ${JSON.stringify(options.concurrency)}`);
  }
  const endpoint = resolveEndpoint(options, io.env);
  const credentials = resolveCredentials(io.env);
  const json = options.format === 'json';

  // Manifests are read before the lock is taken: a typo should not hold the lock.
  const resources = options.plan ? undefined : await loadResources(paths, options, io);
  const store = openStateStore(options, io);
  const lock = await lockState(store, ['rosetta', 'apply', ...paths].join(' '), options, io);
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) return;
    stop.abort();
    io.stderr('\nInterrupted: starting nothing new; waiting for the creates in flight, then writing state. (They cannot be cancelled.)\n');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const client = new RosettaClient({ endpoint, credentials });
  try {
    const state = await store.read();
    const { plan, planId } = options.plan ? await savedPlanFor(options.plan, state, endpoint) : { plan: await planAgainst(resources!, state, store, checkTargets(options.target, resources!, state)), planId: undefined };
    if (!json) io.stdout(renderPlanText(plan));

    if (plan.summary.conflict > 0) {
      throw new RosettaError('ROS_PLAN_INVALID', `${pluralise(plan.summary.conflict, 'conflict')}: nothing was applied`, { hint: 'the API cannot update an applied resource; see the plan above for how to proceed' });
    }
    const creates = plan.changes.filter((c): c is Create => c.action === 'create');
    if (creates.length > 0 && !options.autoApprove && !options.plan) await confirm(io, creates.length);

    const session = new StateSession(store, state);
    const reporter = chooseReporter(options.format, io);
    const report = creates.length > 0 ? await applyCreates(creates, { client, session, store, reporter, concurrency, strictAdopt: options.strictAdopt ?? false, stop: stop.signal }) : emptyReport();
    if (planId) await session.markPlanApplied(planId);

    const stillPending = Object.values(session.current.resources).filter((r) => r.status === 'pending').length;
    if (json) io.stdout(renderApplyJson(report));
    else printSummary(io, report, stillPending, store);
    await appendStepSummary(io, renderApplyMarkdown(report));
    if (report.summary.failed > 0 || report.interrupted || stillPending > 0) throw new ExitCode(1);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await client.close();
    await lock.release();
  }
}

async function savedPlanFor(path: string, state: State, endpoint: string): Promise<{ plan: Plan; planId: string }> {
  const saved = await loadPlan(path);
  if (state.appliedPlans.includes(saved.planId)) {
    throw new RosettaError('ROS_PLAN_STALE', `the plan ${path} was applied already`, { hint: 'make a new one with rosetta plan --out FILE' });
  }
  if (saved.plan.state.lineage !== state.lineage || saved.plan.state.serial !== state.serial) {
    throw new RosettaError('ROS_PLAN_STALE', `the state changed since the plan ${path} was made (serial ${saved.plan.state.serial} → ${state.serial})`, {
      hint: 'make a new plan with rosetta plan --out FILE and review it again',
    });
  }
  if (saved.endpoint !== null && saved.endpoint !== endpoint) {
    throw new RosettaError('ROS_PLAN_STALE', `the plan ${path} was made for ${saved.endpoint}, not ${endpoint}`);
  }
  return { plan: saved.plan, planId: saved.planId };
}

async function confirm(io: Io, count: number): Promise<void> {
  if (!io.interactive) {
    throw new RosettaError('ROS_NOT_INTERACTIVE', 'apply needs confirmation, and there is no terminal to ask', {
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
      if (r.hint) io.stdout(`    hint: ${r.hint}\n`);
    }
  }
  io.stdout(`\nApply: ${s.created} created, ${s.adopted} adopted, ${s.failed} failed, ${s.skipped} skipped. State: ${store.location}\n`);
  if (report.interrupted) io.stdout('Interrupted before every create had started; run apply again to continue.\n');
  if (pending > 0) io.stdout(`${pluralise(pending, 'sampling plan')} pending with an unknown outcome: see rosetta plan, then rosetta state resolve.\n`);
}

function emptyReport(): ApplyReport {
  return { results: [], summary: { created: 0, adopted: 0, failed: 0, skipped: 0 }, interrupted: false };
}
