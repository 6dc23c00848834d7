/** rosetta import KIND/NAME ID [PATH...]: adopt what exists on the platform into state. */
import { resolve } from 'node:path';
import { importAction } from '../../actions/import.js';
import { importAllAction } from '../../actions/import-all.js';
import { idLabel } from '../../kinds/index.js';
import { pluralise, printable } from '../../text.js';
import { RosettaError } from '../../errors.js';
import { KINDS, parseAddress } from '../../model/resources.js';
import type { SamplingPlanResource } from '../../manifest/types.js';
import { apiClient, loadResources, parseDuration, withStore, type StateOptions } from '../context.js';
import { cliHost } from '../hosts/cli-host.js';
import type { Io } from '../io.js';
import type { ManifestOptions } from '../options.js';

export interface ImportOptions extends ManifestOptions, StateOptions {
  generateManifest?: string;
  all?: boolean;
  endpoint?: string;
  insecure?: boolean;
  lockTimeout: string;
}


export async function importCommand(address: string | undefined, id: string | undefined, paths: string[], options: ImportOptions, io: Io): Promise<void> {
  if (options.all) return importAllCommand(address, options, io);
  if (address === undefined || id === undefined) throw new RosettaError('ROS_USAGE', 'expected KIND/NAME ID, or --all --generate-manifest DIR', { hint: 'rosetta import --help' });
  const parsed = parseAddress(address);
  if (!parsed) throw new RosettaError('ROS_USAGE', `${JSON.stringify(address)}: expected KIND/NAME, KIND one of ${KINDS.join(', ')} and NAME as in metadata.name`);
  const { kind } = parsed;
  if (kind === 'SamplingPlan' && options.generateManifest) throw new RosettaError('ROS_USAGE', '--generate-manifest is not for a SamplingPlan: a sampling plan is imported for a manifest you already have');
  const packageId = kind === 'SamplingPlan' ? Number(id) : undefined;
  if (packageId !== undefined && (!/^\d+$/.test(id) || !Number.isSafeInteger(packageId))) {
    throw new RosettaError('ROS_USAGE', `PACKAGE_ID: expected a sampling package id (an integer), found ${JSON.stringify(id)}`);
  }
  const client = apiClient(options, io);
  try {
    // A sampling package is recorded for its manifest: the body it was made from is what plan compares.
    const manifest = kind === 'SamplingPlan' ? findManifest(await loadResources(paths, options, io), address) : undefined;
    const lock = { command: `rosetta import ${address} ${id}`, timeoutMs: parseDuration('--lock-timeout', options.lockTimeout), env: io.env };
    const generateManifest = options.generateManifest ? resolve(io.cwd, options.generateManifest) : undefined;
    const record = await withStore(options, io, (store) => importAction(address, id, { store, client, host: cliHost(io), lock, ...(manifest ? { manifest } : {}), ...(generateManifest ? { generateManifest } : {}) }));
    if (kind === 'SamplingPlan') {
      io.stdout(`Imported ${address} as sampling package ${packageId}.\n`);
      return;
    }
    io.stdout(`Imported ${address} (${printable(idLabel(record).replace('=', ' '))}).\n`);
  } finally {
    await client.close();
  }
  if (options.generateManifest) io.stdout(`Wrote its manifest to ${options.generateManifest}; the next plan shows it unchanged.\n`);
  else io.stdout(`Its manifest must match what the platform holds, or plan shows a conflict (--generate-manifest FILE writes one).\n`);
}

/** rosetta import --all --generate-manifest DIR */
async function importAllCommand(address: string | undefined, options: ImportOptions, io: Io): Promise<void> {
  if (address !== undefined) throw new RosettaError('ROS_USAGE', '--all takes no KIND/NAME ID: it imports every folder and its campaigns');
  if (!options.generateManifest) throw new RosettaError('ROS_USAGE', '--all needs --generate-manifest DIR: what is recorded must have manifests, or the next plan shows it as orphans');
  const client = apiClient(options, io);
  try {
    const lock = { command: 'rosetta import --all', timeoutMs: parseDuration('--lock-timeout', options.lockTimeout), env: io.env };
    const dir = resolve(io.cwd, options.generateManifest);
    const result = await withStore(options, io, (store) => importAllAction({ store, client, host: cliHost(io), lock, dir }));
    for (const { address, id } of result.alreadyManaged) io.stdout(`Already in state: ${address} (${printable(id)}).\n`);
    for (const address of result.imported) io.stdout(`Imported ${address}.\n`);
    io.stdout(`\n${pluralise(result.imported.length, 'resource')} imported into state, manifests in ${pluralise(result.files.length, 'file')} under ${options.generateManifest}; rosetta plan ${options.generateManifest} shows them unchanged.\n`);
  } finally {
    await client.close();
  }
}

function findManifest(resources: readonly { address: string }[], address: string): SamplingPlanResource {
  const found = resources.find((r) => r.address === address);
  if (!found) throw new RosettaError('ROS_USAGE', `no manifest for ${address} in the given paths`, { hint: 'a sampling package is imported for its SamplingPlan manifest: give the path that holds it' });
  return found as SamplingPlanResource;
}
