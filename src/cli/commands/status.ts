/** rosetta status [PATH...] [--wait]: what the platform did with each applied resource. */
import { checkTargets } from '../../actions/plan.js';
import { healthy, readStatus, waitForStatus, type WaitResult } from '../../actions/status.js';
import type { RosettaClient } from '../../api/client.js';
import { withDeadline } from '../../api/signals.js';
import type { Resource } from '../../manifest/types.js';
import type { State } from '../../model/records.js';
import { apiClient, appendStepSummary, loadResources, parseDuration, withStore, type StateOptions } from '../context.js';
import { cliHost } from '../hosts/cli-host.js';
import { ExitCode, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';
import { renderStatusJson, renderStatusMarkdown, renderStatusText, summaryText } from './status-output.js';

export interface StatusCommandOptions extends ManifestOptions, StateOptions {
  format: 'text' | 'json' | 'markdown';
  wait?: boolean;
  timeout: string;
  requestTimeout?: string;
  target: string[];
  endpoint?: string;
  insecure?: boolean;
}

export async function statusCommand(paths: string[], options: StatusCommandOptions, io: Io): Promise<void> {
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const client = apiClient(options, io);
  try {
    // Manifests only narrow what is shown; without paths, everything in state is.
    const resources = paths.length > 0 ? await loadResources(paths, options, io) : undefined;
    const state = await withStore(options, io, (store) => store.read());
    const only = selection(options.target, resources, state);
    const ok = await showStatus(state, client, { only, wait: options.wait ?? false, timeoutMs, format: options.format }, io);
    if (!ok) throw new ExitCode(1);
  } finally {
    await client.close();
  }
}

/** --target and the manifests' addresses, or everything when neither is given. */
function selection(targets: readonly string[], resources: readonly Resource[] | undefined, state: State): Set<string> | undefined {
  const chosen = checkTargets(targets, resources ?? [], state);
  if (chosen.length > 0) return new Set(chosen);
  return resources ? new Set(resources.map((r) => r.address)) : undefined;
}

export interface ShowStatusOptions {
  only?: ReadonlySet<string> | undefined;
  wait: boolean;
  timeoutMs: number;
  format: 'text' | 'json' | 'markdown';
}

/** Reads, prints, appends the markdown to $GITHUB_STEP_SUMMARY; true when all is well. */
export async function showStatus(state: State, client: RosettaClient, options: ShowStatusOptions, io: Io): Promise<boolean> {
  const result = await collectStatus(state, client, options, io);
  printStatus(result, options, io);
  await appendStepSummary(io, () => renderStatusMarkdown(result.report));
  return statusOk(result);
}

export function statusOk(result: WaitResult): boolean {
  return healthy(result.report) && result.outcome === 'settled';
}

/**
 * Reads the status; with `wait`, polls until every annotation request has settled, printing a
 * line per change in text format. Shared by status and apply --wait.
 */
export async function collectStatus(state: State, client: RosettaClient, options: ShowStatusOptions, io: Io): Promise<WaitResult> {
  const only = options.only ? { only: options.only } : {};
  let result: WaitResult;
  if (options.wait) {
    const stop = new AbortController();
    const onSignal = () => {
      io.stderr('\nStopped waiting.\n');
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // --timeout bounds the whole wait: a read still in flight when it is up (or at a signal) is
    // cut off, not waited for (withDeadline: a timer of our own; AbortSignal.any could lose a
    // collected timeout signal, and the wait then never ended).
    try {
      result = await withDeadline(options.timeoutMs, stop.signal, (signal) =>
        waitForStatus(() => readStatus(state, { client, ...only, signal }), {
          timeoutMs: options.timeoutMs,
          signal: stop.signal,
          // A line per change, in a terminal and in CI logs alike (cliHost prints them in text format).
          host: cliHost(io, options.format),
        }),
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } else {
    result = { report: await readStatus(state, { client, ...only }), outcome: 'settled' };
  }
  return result;
}

export function printStatus({ report, outcome }: WaitResult, options: ShowStatusOptions, io: Io): void {
  if (options.format === 'json') {
    io.stdout(renderStatusJson(report, options.wait ? { wait: outcome } : {}));
    return;
  }
  if (options.format === 'markdown') {
    io.stdout(renderStatusMarkdown(report));
    return;
  }
  if (!options.wait) {
    io.stdout(renderStatusText(report, io.terminal));
    return;
  }
  io.stdout(`\nStatus: ${summaryText(report) || 'no resources'}.\n`);
  if (outcome === 'timed-out') io.stdout(`Timed out after ${options.timeoutMs / 1000}s with annotation requests still processing.\n`);
  if (outcome === 'stopped') io.stdout('Stopped before every annotation request had settled.\n');
}

