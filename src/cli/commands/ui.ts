/**
 * rosetta ui [PATH...] [--listen 127.0.0.1:8080]: the dashboard for a state no controller runs
 * (teams that apply from CI). Statuses are read from the API when the endpoint and keys are set
 * (at most every 10 s); with PATH, the manifests are planned against the state, for conflicts and
 * orphans. Read-only, like the controller's page.
 */
import { createServer } from 'node:http';
import { planAgainst } from '../../actions/plan.js';
import { readStatus } from '../../actions/status.js';
import type { RosettaClient } from '../../api/client.js';
import { RosettaError } from '../../errors.js';
import { idLabel } from '../../kinds/index.js';
import type { Plan } from '../../model/changes.js';
import { listenOn, parseListen } from '../../reconcile/server.js';
import { dashboardData, type DashboardData } from '../../ui/data.js';
import { handleUi } from '../../ui/routes.js';
import { isLoopbackHost } from '../../model/hosts.js';
import { apiClient, loadResources, openStateStore, type StateOptions } from '../context.js';
import { untilStopped, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';

export interface UiOptions extends ManifestOptions, StateOptions {
  listen: string;
  endpoint?: string;
  insecure?: boolean;
}

const STATUS_EVERY_MS = 10_000;

export async function uiCommand(paths: string[], options: UiOptions, io: Io): Promise<void> {
  let host: string;
  try {
    ({ host } = parseListen(options.listen));
  } catch (error) {
    throw new RosettaError('ROS_USAGE', (error as Error).message);
  }
  const token = io.env.ROSETTA_UI_TOKEN || undefined;
  if (!isLoopbackHost(host) && token === undefined) throw new RosettaError('ROS_USAGE', `--listen ${options.listen} is reachable from other machines: set ROSETTA_UI_TOKEN, which the page then requires`);
  const store = await openStateStore(options, io);
  const client: RosettaClient | undefined = (options.endpoint ?? io.env.ROSETTA_ENDPOINT) && io.env.ROSETTA_ACCESS_KEY && io.env.ROSETTA_SECRET_KEY ? apiClient(options, io) : undefined;
  let statuses: { at: number; map: Map<string, { status: string; completion?: number }> } | undefined;

  const data = async (): Promise<DashboardData> => {
    const state = await store.read();
    if (client && (!statuses || Date.now() - statuses.at > STATUS_EVERY_MS)) {
      const report = await readStatus(state, { client });
      statuses = { at: Date.now(), map: new Map(report.resources.map((r) => [r.address, { status: r.status, ...('completion' in r && r.completion !== undefined ? { completion: r.completion } : {}) }])) };
    }
    let plan: Plan | undefined;
    if (paths.length > 0) plan = await planAgainst(await loadResources(paths, options, io), state, store, []);
    return dashboardData({ state, ...(statuses ? { statuses: statuses.map } : {}), ...(plan ? { plan } : {}), leading: null, idLabel });
  };

  const server = createServer((req, res) => {
    handleUi(req, res, { data, token, title: 'rosetta' })
      .then((handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${(error as Error).message}\n`);
      });
  });
  const url = await listenOn(server, options.listen);
  io.stdout(`Serving the dashboard of ${store.location} on ${url}/ (Ctrl-C stops)\n`);
  await untilStopped();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await client?.close();
  await store.close();
}
