/** rosetta import KIND/NAME ID [PATH...]: adopt what exists on the platform into state. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importAnnotationRequest, importSamplingPlan, manifestFor } from '../../actions/import.js';
import { RosettaError } from '../../errors.js';
import type { SamplingPlanResource } from '../../manifest/types.js';
import { StateSession } from '../../state/session.js';
import { apiClient, loadResources, lockState, withStore, type StateOptions } from '../context.js';
import type { Io } from '../io.js';
import type { ManifestOptions } from '../options.js';

export interface ImportOptions extends ManifestOptions, StateOptions {
  generateManifest?: string;
  endpoint?: string;
  insecure?: boolean;
  lockTimeout: string;
}

const ADDRESS = /^(AnnotationRequest|SamplingPlan)\/([a-z0-9]([a-z0-9-]*[a-z0-9])?)$/;

export async function importCommand(address: string, id: string, paths: string[], options: ImportOptions, io: Io): Promise<void> {
  const match = ADDRESS.exec(address);
  if (!match) throw new RosettaError('ROS_USAGE', `${JSON.stringify(address)}: expected AnnotationRequest/NAME or SamplingPlan/NAME (NAME as in metadata.name)`);
  const [, kind, name] = match as unknown as [string, 'AnnotationRequest' | 'SamplingPlan', string];
  if (kind === 'SamplingPlan' && options.generateManifest) throw new RosettaError('ROS_USAGE', '--generate-manifest is for an AnnotationRequest: a sampling plan is imported for a manifest you already have');
  const packageId = kind === 'SamplingPlan' ? Number(id) : undefined;
  if (packageId !== undefined && (!/^\d+$/.test(id) || !Number.isSafeInteger(packageId))) {
    throw new RosettaError('ROS_USAGE', `PACKAGE_ID: expected a sampling package id (an integer), found ${JSON.stringify(id)}`);
  }
  const client = apiClient(options, io);
  try {
    // A sampling package is recorded for its manifest: the body it was made from is what plan compares.
    const manifest = kind === 'SamplingPlan' ? findManifest(await loadResources(paths, options, io), address) : undefined;
    await withStore(options, io, async (store) => {
      const lock = await lockState(store, `rosetta import ${address} ${id}`, options, io);
      try {
        const session = new StateSession(store, await store.read());
        const existing = session.record(address);
        if (existing && existing.status !== 'pending') {
          throw new RosettaError('ROS_USAGE', `${address} is already in the state`, { hint: `rosetta state show ${address}; to replace it: rosetta state rm ${address}, then import` });
        }
        if (manifest) {
          const record = await importSamplingPlan(client, manifest, packageId!, new Date());
          await session.put(address, record);
          io.stdout(`Imported ${address} as sampling package ${packageId}.\n`);
          return;
        }
        const holder = Object.entries(session.current.resources).find(([other, r]) => other !== address && r.kind === 'AnnotationRequest' && r.annotationRequestId === id);
        if (holder) throw new RosettaError('ROS_USAGE', `annotation request ${id} is already in the state as ${holder[0]}`, { hint: `to manage it under another name: rosetta state mv ${holder[0]} ${address}` });
        const imported = await importAnnotationRequest(client, name, id, new Date());
        // The manifest is written before the record: if it cannot be, nothing is recorded.
        if (options.generateManifest) await writeNew(resolve(io.cwd, options.generateManifest), manifestFor(name, imported.body));
        await session.put(address, imported.record);
        await store.putBody(imported.record.digest, imported.body).catch(() => undefined);
        io.stdout(`Imported ${address} (annotationRequestId ${id}).\n`);
        if (options.generateManifest) io.stdout(`Wrote its manifest to ${options.generateManifest}; the next plan shows it unchanged.\n`);
        else io.stdout(`Its manifest must match the request as the platform holds it, or plan shows a conflict (--generate-manifest FILE writes one).\n`);
      } finally {
        await lock.release();
      }
    });
  } finally {
    await client.close();
  }
}

function findManifest(resources: readonly { address: string }[], address: string): SamplingPlanResource {
  const found = resources.find((r) => r.address === address);
  if (!found) throw new RosettaError('ROS_USAGE', `no manifest for ${address} in the given paths`, { hint: 'a sampling package is imported for its SamplingPlan manifest: give the path that holds it' });
  return found as SamplingPlanResource;
}

async function writeNew(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new RosettaError('ROS_USAGE', `${path} already exists; --generate-manifest never overwrites`, { hint: 'choose another path' });
    throw error;
  }
}
