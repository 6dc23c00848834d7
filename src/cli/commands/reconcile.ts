/** rosetta reconcile --source DIR|GIT_URL: the GitOps controller (see src/reconcile/). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { RosettaError } from '../../errors.js';
import { Controller } from '../../reconcile/controller.js';
import { ReconcileMetrics } from '../../reconcile/metrics.js';
import { Notifier, githubRepository, webhookTarget, type NotifyTarget } from '../../reconcile/notify.js';
import { parseListen } from '../../reconcile/server.js';
import { isLoopbackHost } from '../../model/hosts.js';
import { openSource } from '../../reconcile/source.js';
import { isPostgresUrl } from '../../state/postgres/url.js';
import { apiClient, openStateStore, parseDuration, stateLocation, type StateOptions } from '../context.js';
import { printable } from '../../text.js';
import { ExitCode, type Io } from '../io.js';

export interface ReconcileOptions extends StateOptions {
  source: string;
  ref?: string;
  path: string;
  interval: string;
  listen: string;
  once?: boolean;
  dryRun?: boolean;
  endpoint?: string;
  insecure?: boolean;
  concurrency: string;
  logFormat: 'json' | 'text';
  cacheDir?: string;
  refreshInterval?: string;
  notify: string[];
}

export async function reconcileCommand(options: ReconcileOptions, io: Io): Promise<void> {
  const intervalMs = parseDuration('--interval', options.interval);
  if (intervalMs < 1000) throw new RosettaError('ROS_USAGE', '--interval: at least 1s');
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new RosettaError('ROS_USAGE', `--concurrency: expected an integer from 1 to 256, found ${JSON.stringify(options.concurrency)}`);
  let listenHost: string;
  try {
    listenHost = parseListen(options.listen).host;
  } catch (error) {
    throw new RosettaError('ROS_USAGE', (error as Error).message);
  }
  const uiToken = io.env.ROSETTA_UI_TOKEN || undefined;
  // The dashboard shows ids, names and messages: beyond loopback, only to whoever has the token.
  if (!options.once && !isLoopbackHost(listenHost) && uiToken === undefined) {
    throw new RosettaError('ROS_USAGE', `--listen ${options.listen} is reachable from other machines: set ROSETTA_UI_TOKEN, which the dashboard (GET /, /api/*) then requires`, { hint: 'generate one (openssl rand -hex 24) and keep it in a secret; /healthz, /readyz, /metrics and /hooks/* stay as they are' });
  }
  const refreshIntervalMs = options.refreshInterval === undefined ? undefined : parseDuration('--refresh-interval', options.refreshInterval);
  if (refreshIntervalMs !== undefined && refreshIntervalMs < 1000) throw new RosettaError('ROS_USAGE', '--refresh-interval: at least 1s');
  const targets = notifyTargets(options.notify, options.source, io.env);
  const logger = createLogger(options.logFormat, io);
  const metrics = new ReconcileMetrics();
  const cacheDir = options.cacheDir ?? join(io.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'rosetta', 'sources');
  const source = openSource(options.source, { ref: options.ref, cacheDir, cwd: io.cwd });
  const store = await openStateStore(options, io);
  const client = apiClient(options, io, { onAnswer: (endpoint, code) => metrics.apiRequests.inc({ endpoint, code }) });
  const notifier = new Notifier({ targets, secret: io.env.ROSETTA_NOTIFY_SECRET || undefined, log: store, logger, onSent: (target, result) => metrics.notifications.inc({ target, result }) });
  const controller = new Controller({
    source,
    path: options.path,
    store,
    client,
    logger,
    metrics,
    dryRun: options.dryRun ?? false,
    concurrency,
    intervalMs,
    standby: isPostgresUrl(stateLocation(options, io.env) ?? ''),
    listen: options.listen,
    webhookSecret: io.env.ROSETTA_WEBHOOK_SECRET || undefined,
    uiToken,
    refreshIntervalMs,
    notifier,
  });
  logger.info({ source: source.display, state: store.location, dryRun: options.dryRun ?? false, intervalMs }, `reconciling ${source.display} into ${store.location}`);
  const onSignal = () => controller.shutdown();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number;
  try {
    code = options.once ? await controller.once() : await controller.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // What is queued gets a little time to go out (a one-off run's events, above all).
    await notifier.close(options.once ? 30_000 : 5_000);
    await client.close();
    await store.close();
  }
  if (code !== 0) throw new ExitCode(code);
}

/** --notify URL (repeatable) and --notify github, checked before anything starts. */
function notifyTargets(values: readonly string[], source: string, env: NodeJS.ProcessEnv): NotifyTarget[] {
  return values.map((value) => {
    if (value !== 'github') {
      try {
        return webhookTarget(value);
      } catch (error) {
        throw new RosettaError('ROS_USAGE', (error as Error).message.startsWith('--notify') ? (error as Error).message : `--notify: not a URL: ${printable(value)}`);
      }
    }
    const repository = githubRepository(source);
    if (!repository) throw new RosettaError('ROS_USAGE', '--notify github: the source is not a GitHub repository (https://github.com/OWNER/REPO or git@github.com:OWNER/REPO.git)');
    const token = env.GITHUB_TOKEN;
    if (!token) throw new RosettaError('ROS_USAGE', '--notify github needs GITHUB_TOKEN (a token that may write commit statuses)');
    return { type: 'github', ...repository, apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token };
  });
}

/** JSON lines on stderr (level, time, msg, fields), or one readable line per entry for people. */
function createLogger(format: 'json' | 'text', io: Io): Logger {
  const options = { base: null, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label: string) => ({ level: label }) } };
  if (format === 'json') return pino(options, { write: (line: string) => io.stderr(line) });
  return pino(options, {
    write: (line: string) => {
      const { level, time, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      // Messages and fields carry server and git text: escaped, so one entry stays one line and
      // cannot move the cursor, retitle a terminal or forge a CI annotation.
      io.stderr(`${String(time)} ${String(level).toUpperCase().padEnd(5)} ${printable(`${String(msg)}${extra ? `  ${extra}` : ''}`)}\n`);
    },
  });
}
