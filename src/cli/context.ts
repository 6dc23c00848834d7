/** Pieces the commands share: the state store, manifests, targets, the lock, job summaries, durations. */
import { appendFile } from 'node:fs/promises';
import ms, { type StringValue } from 'ms';
import { RosettaClient, type ClientOptions } from '../api/client.js';
import { resolveCredentials, resolveEndpoint, type EndpointOptions } from '../api/config.js';
import { RosettaError } from '../errors.js';
import { redactUrl } from '../state/postgres/url.js';
import { formatDiagnostic } from '../manifest/diagnostics.js';
import { loadManifests } from '../manifest/load.js';
import type { Resource } from '../manifest/types.js';
import { openStore } from '../state/open.js';
import type { StateStore } from '../state/store.js';
import { pluralise } from '../text.js';
import type { Io } from './io.js';
import { loadOptions, type ManifestOptions } from './options.js';

export interface StateOptions {
  state?: string;
  workspace?: string;
}

/**
 * --state, else ROSETTA_STATE, else .rosetta/state.json under the working directory; a
 * postgres:// URL selects the PostgreSQL store (--workspace, else ROSETTA_WORKSPACE).
 * The caller closes it (withStore does).
 */
export function openStateStore(options: StateOptions, io: Io): Promise<StateStore> {
  return openStore({ state: stateLocation(options, io.env), workspace: options.workspace ?? io.env.ROSETTA_WORKSPACE, cwd: io.cwd });
}

/**
 * --state, else ROSETTA_STATE, else undefined (the default file). An empty value is an error, not
 * the default: a CI secret that is missing arrives as an empty variable, and falling back to a
 * fresh local state would re-create everything (guarantee 7).
 */
export function stateLocation(options: StateOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.state === '') {
    throw new RosettaError('ROS_USAGE', '--state is empty', { hint: 'give a state file path or a postgres:// URL, or leave --state out for .rosetta/state.json' });
  }
  if (options.state === undefined && env.ROSETTA_STATE === '') {
    throw new RosettaError('ROS_USAGE', 'ROSETTA_STATE is set but empty (a CI secret that is missing or not passed to this job?)', {
      hint: 'set ROSETTA_STATE to the state file or postgres:// URL this pipeline uses; unset it to use .rosetta/state.json on purpose',
    });
  }
  return options.state ?? env.ROSETTA_STATE;
}

/** Opens the store, runs `work`, and closes it whatever happens (a database pool would keep the process alive). */
export async function withStore<T>(options: StateOptions, io: Io, work: (store: StateStore) => Promise<T>): Promise<T> {
  const store = await openStateStore(options, io);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Valid resources, or the diagnostics printed (to stderr) and exit 1. */
export async function loadResources(paths: string[], options: ManifestOptions, io: Io): Promise<Resource[]> {
  const { resources, diagnostics } = await loadManifests(paths, loadOptions(options, io));
  if (diagnostics.length > 0) {
    for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    throw new RosettaError('ROS_MANIFEST_INVALID', `${pluralise(diagnostics.length, 'error')} in the manifests (above); nothing was planned or sent`, { hint: 'rosetta validate shows them with GitHub annotations; fix them and run again' });
  }
  return resources;
}

/**
 * The API client for a command: endpoint from --endpoint/ROSETTA_ENDPOINT (checked), keys from the
 * environment (checked), proxies from the environment. `extra` adds per-command settings.
 */
export function apiClient(options: EndpointOptions & { requestTimeout?: string }, io: Io, extra: Partial<ClientOptions> = {}): RosettaClient {
  const timeouts = options.requestTimeout === undefined ? {} : { timeouts: { requestMs: requestTimeoutMs(options.requestTimeout) } };
  return new RosettaClient({ endpoint: resolveEndpoint(options, io.env), credentials: resolveCredentials(io.env), env: io.env, ...timeouts, ...extra });
}

/** --request-timeout: every API call's deadline (a read's retries included). */
export function requestTimeoutMs(text: string): number {
  const value = parseDuration('--request-timeout', text);
  if (value <= 0) throw new RosettaError('ROS_USAGE', '--request-timeout: must be more than 0');
  return value;
}

/** GitHub Actions job summary: append when the runner provides the file. */
export async function appendStepSummary(io: Io, markdown: () => string): Promise<void> {
  const file = io.env.GITHUB_STEP_SUMMARY;
  // Rendered only when there is a summary to write: for 50,000 resources it is work and memory.
  if (file) await appendFile(file, `${markdown()}\n`);
}

/**
 * "30s", "5m", "1h", "250ms", "1.5h" → milliseconds, by the `ms` package. A bare number is seconds
 * (the contract's `--timeout 30`), not `ms`'s milliseconds.
 */
export function parseDuration(flag: string, text: string): number {
  const trimmed = text.trim();
  const value = /^\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : trimmed === '' ? undefined : ms(trimmed as StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RosettaError('ROS_USAGE', `${flag}: expected a duration like 30s or 5m, found ${JSON.stringify(text)}`);
  }
  return Math.round(value);
}

/**
 * A hint's rosetta commands as this run was invoked: `--state`/`--workspace` given as flags are
 * added after the command's address (the state's password shown as ***), so the command printed
 * reaches the same state. Values from the environment need nothing: the same shell has them.
 */
export function withStateFlags(hint: string, options: StateOptions): string {
  const flags = [
    ...(options.state !== undefined ? [`--state ${shellQuote(redactUrl(options.state))}`] : []),
    ...(options.workspace !== undefined ? [`--workspace ${shellQuote(options.workspace)}`] : []),
  ];
  if (flags.length === 0) return hint;
  return hint.replace(/\brosetta (state (?:resolve|rm|mv|show)|import|apply|plan) (\S+)/g, (command) => `${command} ${flags.join(' ')}`);
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}