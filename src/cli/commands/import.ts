/** rosetta import KIND/NAME ID [PATH...]: adopt what exists on the platform into state. */
import { resolve } from 'node:path';
import { importAction } from '../../actions/import.js';
import { RosettaError } from '../../errors.js';
import { parseAddress } from '../../model/resources.js';
import type { SamplingPlanResource } from '../../manifest/types.js';
import { apiClient, loadResources, parseDuration, withStore, type StateOptions } from '../context.js';
import { cliHost } from '../hosts/cli-host.js';
import type { Io } from '../io.js';
import type { ManifestOptions } from '../options.js';

export interface ImportOptions extends ManifestOptions, StateOptions {
  generateManifest?: string;
  endpoint?: string;
  insecure?: boolean;
  lockTimeout: string;
}


export async function importCommand(address: string, id: string, paths: string[], options: ImportOptions, io: Io): Promise<void> {
  const parsed = parseAddress(address);
  if (!parsed) throw new RosettaError('ROS_USAGE', `${JSON.stringify(address)}: expected AnnotationRequest/NAME or SamplingPlan/NAME (NAME as in metadata.name)`);
  const { kind } = parsed;
  if (kind === 'SamplingPlan' && options.generateManifest) throw new RosettaError('ROS_USAGE', '--generate-manifest is for an AnnotationRequest: a sampling plan is imported for a manifest you already have');
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
    await withStore(options, io, (store) => importAction(address, id, { store, client, host: cliHost(io), lock, ...(manifest ? { manifest } : {}), ...(generateManifest ? { generateManifest } : {}) }));
  } finally {
    await client.close();
  }
  if (kind === 'SamplingPlan') {
    io.stdout(`Imported ${address} as sampling package ${packageId}.\n`);
    return;
  }
  io.stdout(`Imported ${address} (annotationRequestId ${id}).\n`);
  if (options.generateManifest) io.stdout(`Wrote its manifest to ${options.generateManifest}; the next plan shows it unchanged.\n`);
  else io.stdout(`Its manifest must match the request as the platform holds it, or plan shows a conflict (--generate-manifest FILE writes one).\n`);
}

function findManifest(resources: readonly { address: string }[], address: string): SamplingPlanResource {
  const found = resources.find((r) => r.address === address);
  if (!found) throw new RosettaError('ROS_USAGE', `no manifest for ${address} in the given paths`, { hint: 'a sampling package is imported for its SamplingPlan manifest: give the path that holds it' });
  return found as SamplingPlanResource;
}
