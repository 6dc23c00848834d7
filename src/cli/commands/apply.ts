import { RosettaClient } from '../../api/client.js';
import { resolveCredentials, resolveEndpoint } from '../../api/config.js';
import { applyAction } from '../../actions/apply.js';
import type { WaitResult } from '../../actions/status.js';
import type { ApplyReport } from '../../apply/types.js';
import { RosettaError } from '../../errors.js';
import type { StateStore } from '../../state/store.js';
import { pluralise, printable } from '../../text.js';
import { appendStepSummary, loadResources, openStateStore, parseDuration, requestTimeoutMs, withStateFlags, type StateOptions } from '../context.js';
import { errorText } from '../error-output.js';
import { cliHost } from '../hosts/cli-host.js';
import { describeResult } from '../hosts/describe.js';
import { ExitCode, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';
import { renderApplyJson, renderApplyMarkdown } from './apply-output.js';
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
  allowSamplingOnAdopted?: boolean;
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
  const requestMs = requestTimeoutMs(options.requestTimeout);
  const waitMs = parseDuration('--timeout', options.timeout);
  const lockTimeoutMs = parseDuration('--lock-timeout', options.lockTimeout);
  const endpoint = resolveEndpoint(options, io.env);
  const credentials = resolveCredentials(io.env);
  const json = options.format === 'json';

  // Everything that can be wrong locally is found before the lock is taken: a typo, a bad proxy
  // variable or a bad key should neither hold the lock nor leave it behind.
  const resources = options.plan ? undefined : await loadResources(paths, options, io);
  const store = await openStateStore(options, io);
  const client = new RosettaClient({ endpoint, credentials, timeouts: { requestMs }, env: io.env });
  const shutdown = new Shutdown(io);
  try {
    const result = await applyAction({
      source: options.plan ? { planFile: options.plan, endpoint } : { resources: resources!, targets: options.target },
      store,
      client,
      host: cliHost(io, options.format),
      lock: { command: ['rosetta', 'apply', ...paths].join(' '), timeoutMs: lockTimeoutMs, env: io.env },
      concurrency,
      strictAdopt: options.strictAdopt ?? false,
      allowSamplingOnAdopted: options.allowSamplingOnAdopted ?? false,
      // A saved plan was reviewed when it was made.
      autoApprove: (options.autoApprove ?? false) || options.plan !== undefined,
      stop: shutdown.stop,
      cancel: shutdown.cancel,
    });
    if (result.declined) throw new RosettaError('ROS_ABORTED', 'apply cancelled; nothing was sent');
    const { report, stateFailure } = result;
    if (!json) printSummary(io, report, result, store, options);
    printUnrecorded(io, report, options);
    await appendStepSummary(io, () => renderApplyMarkdown(report)).catch(() => undefined);
    // --wait: the platform processes requests after the create; wait for them as status --wait does.
    // The action has released the lock (waiting only reads), and Ctrl-C now means "stop waiting"
    // (the wait's own handler), not "stop creating".
    let waited: WaitResult | undefined;
    if (options.wait && result.ok) {
      shutdown.dispose();
      if (!json) io.stdout('\nWaiting for the platform to process the annotation requests…\n');
      const statusOptions = { only: new Set(result.plan.changes.map((c) => c.address)), wait: true, timeoutMs: waitMs, format: json ? ('json' as const) : ('text' as const) };
      waited = await collectStatus(result.state, client, statusOptions, io);
      if (!json) printStatus(waited, statusOptions, io);
    }
    // One JSON object, whatever happened.
    if (json) io.stdout(renderApplyJson(report, stateFailure, waited ? { status: { resources: waited.report.resources, summary: waited.report.summary, wait: waited.outcome } } : {}));
    if (stateFailure) {
      io.stderr(errorText(stateFailure));
      throw new ExitCode(1);
    }
    if (!result.ok || (waited && !statusOk(waited))) throw new ExitCode(1);
  } finally {
    shutdown.dispose();
    await client.close();
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

/** Creates the API confirmed that state could not hold: their ids go to stderr, whatever the format. */
function printUnrecorded(io: Io, report: ApplyReport, options: StateOptions): void {
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
    if (r.hint) io.stderr(`    then: ${withStateFlags(r.hint.replace(/^once state can be written: /, ''), options)}\n`);
  }
}

function printSummary(io: Io, report: ApplyReport, { pending, held }: { pending: number; held: number }, store: StateStore, options: StateOptions): void {
  const s = report.summary;
  const problems = report.results.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped');
  if (problems.length > 0) {
    io.stdout('\nNot applied:\n');
    for (const r of problems) {
      io.stdout(`  ${describeResult(r)}\n`);
      if (r.hint) io.stdout(`    hint: ${printable(withStateFlags(r.hint, options))}\n`);
    }
  }
  io.stdout(`\nApply: ${s.created} created, ${s.adopted} adopted, ${s.updated > 0 ? `${s.updated} updated, ` : ''}${s.failed} failed, ${s.skipped} skipped. State: ${store.location}\n`);
  if (report.interrupted) io.stdout('Stopped before every create had started; run apply again to continue.\n');
  if (pending > 0) io.stdout(`${pluralise(pending, 'sampling plan')} pending with an unknown outcome: see rosetta plan, then rosetta state resolve.\n`);
  if (held > 0) io.stdout(`${pluralise(held, 'sampling plan')} held back: their annotation requests existed before this state, so packages may exist already. See rosetta plan for the way on.\n`);
}
