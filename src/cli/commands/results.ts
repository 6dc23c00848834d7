/** rosetta results pull [PATH...] --out DIR: the finished results of each annotation request, as JSONL. */
import { resolve } from 'node:path';
import { checkTargets } from '../../actions/plan.js';
import { pullResults, type PullResult } from '../../actions/results.js';
import { RosettaError } from '../../errors.js';
import { printable } from '../../text.js';
import { apiClient, loadResources, withStore, type StateOptions } from '../context.js';
import { ExitCode, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';

export interface ResultsPullOptions extends ManifestOptions, StateOptions {
  out: string;
  target: string[];
  concurrency: string;
  format: 'text' | 'json';
  endpoint?: string;
  insecure?: boolean;
  requestTimeout?: string;
}

export async function resultsPullCommand(paths: string[], options: ResultsPullOptions, io: Io): Promise<void> {
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new RosettaError('ROS_USAGE', `--concurrency: expected an integer from 1 to 64, found ${JSON.stringify(options.concurrency)}`);
  const client = apiClient(options, io);
  try {
    const resources = paths.length > 0 ? await loadResources(paths, options, io) : undefined;
    const state = await withStore(options, io, (store) => store.read());
    const targets = checkTargets(options.target, resources ?? [], state);
    const only = targets.length > 0 ? new Set(targets) : resources ? new Set(resources.map((r) => r.address)) : undefined;
    const dir = resolve(io.cwd, options.out);
    const text = options.format === 'text';
    const results = await pullResults(state, { client, dir, concurrency, ...(only ? { only } : {}), ...(text ? { onPulled: (r: PullResult) => io.stdout(`${line(r, options.out)}\n`) } : {}) });
    if (text) io.stdout(`\nPulled ${results.reduce((n, r) => n + r.added, 0)} new results for ${results.length} annotation requests into ${options.out}.\n`);
    else io.stdout(`${JSON.stringify({ formatVersion: 1, results }, null, 2)}\n`);
    if (results.some((r) => r.error !== undefined)) throw new ExitCode(1);
  } finally {
    await client.close();
  }
}

function line(r: PullResult, out: string): string {
  if (r.error) return printable(`${r.address}: ${r.error}`);
  return `${r.address}: ${r.added} new, ${r.total} in all → ${out.replace(/\/+$/, '')}/${r.file}`;
}
