/**
 * rosetta import: bring what exists on the platform under management. An annotation request is
 * read back and recorded with the digest of the body as the platform holds it, so a manifest that
 * differs shows as a conflict rather than a silent no-op. A sampling package is recorded for its
 * manifest once the platform confirms it exists: nothing lists or reads packages, and the
 * accuracy read answering 57008 is the only "does not exist".
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { codePointLabel, printable } from '../text.js';
import { takeLock, type ActionLockOptions } from './lock.js';
import { RosettaError } from '../errors.js';
import { idLabel, kindInfo, kindModule } from '../kinds/index.js';
import type { SamplingPlanResource } from '../manifest/types.js';
import { parseAddress, type Kind } from '../model/resources.js';
import { bodyDigest } from '../model/digest.js';
import type { IoHost } from '../host/events.js';
import { StateSession } from '../state/session.js';
import type { StateStore } from '../state/store.js';
import type { AppliedSamplingPlan, ResourceRecord } from '../model/records.js';
import { readFailureError, type ReadClient } from '../api/reads.js';

/**
 * A manifest that plans as a no-op against the imported record: the body as the platform holds it.
 * Refused when the platform's text holds control, bidirectional or invisible characters: yaml
 * writes some of them raw, where they would retitle a terminal that prints the file or hide what a
 * reviewer reads, and escaping them would write a manifest that differs from what the platform
 * holds. Nothing is recorded then (the manifest is written before the record).
 */
export function manifestFor(kind: Kind, name: string, spec: Record<string, unknown>, importedBy: string): string {
  const unsafe = findUnsafeText(spec, 'spec');
  if (unsafe) {
    throw new RosettaError('ROS_API', `the platform's ${kindInfo(kind).noun} holds a control or invisible character in ${unsafe.path} (${unsafe.character}); no manifest was written and nothing was imported`, {
      hint: 'import without --generate-manifest and write the manifest by hand, or fix it on the platform',
    });
  }
  const manifest = { apiVersion: 'rosetta/v1', kind, metadata: { name }, spec };
  return `# Imported with ${printable(importedBy)}\n${stringify(manifest, { lineWidth: 0 })}`;
}

/** C0/C1 controls, line and paragraph separators, bidirectional controls, zero-width characters, BOM. */
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

function findUnsafeText(value: unknown, path: string): { path: string; character: string } | undefined {
  const check = (text: string, where: string) => {
    const match = UNSAFE_TEXT.exec(text);
    return match ? { path: where, character: codePointLabel(match[0].charCodeAt(0)) } : undefined;
  };
  if (typeof value === 'string') return check(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const where = `${path}.${printable(key)}`;
      const found = check(key, `${path} (a key)`) ?? findUnsafeText(item, where);
      if (found) return found;
    }
  }
  return undefined;
}

/** Throws unless the platform has the package (the accuracy read answers 57008 for one it does not). */
export async function checkPackageExists(client: ReadClient, samplingPackageId: number): Promise<void> {
  const read = await client.getSamplingAccuracy(samplingPackageId);
  if (read.code === 57008) {
    throw new RosettaError('ROS_REMOTE_NOT_FOUND', `the platform has no sampling package ${samplingPackageId} (57008)`, { hint: 'check the package id on the platform' });
  }
  if (read.outcome !== 'ok') {
    throw readFailureError(`could not check sampling package ${samplingPackageId}`, read);
  }
}

export async function importSamplingPlan(client: ReadClient, resource: SamplingPlanResource, samplingPackageId: number, now: Date): Promise<AppliedSamplingPlan> {
  await checkPackageExists(client, samplingPackageId);
  return {
    kind: 'SamplingPlan',
    name: resource.name,
    status: 'applied',
    outcome: 'imported',
    digest: bodyDigest(resource.body),
    annotationRequestId: resource.body.annotationRequestId,
    samplingPackageId,
    appliedAt: now.toISOString(),
  };
}

export interface ImportActionOptions {
  store: StateStore;
  client: ReadClient;
  host: IoHost;
  lock: ActionLockOptions;
  /** The SamplingPlan manifest a package is imported for (the body plan compares against). */
  manifest?: SamplingPlanResource;
  /** Absolute path: write a manifest for the imported request here (never over an existing file). */
  generateManifest?: string;
  now?: Date;
}

/**
 * rosetta import KIND/NAME ID: checks that the address is free (or only pending), reads the
 * platform, and records what it holds. For a request, the manifest (if asked for) is written
 * before the record: if it cannot be, nothing is recorded.
 */
export async function importAction(address: string, id: string, options: ImportActionOptions): Promise<ResourceRecord> {
  const { store, client, host } = options;
  const now = options.now ?? new Date();
  const lock = await takeLock(store, options.lock, host);
  try {
    const session = new StateSession(store, await store.read());
    const existing = session.record(address);
    if (existing && existing.status !== 'pending') {
      throw new RosettaError('ROS_USAGE', `${address} is already in the state`, { hint: `rosetta state show ${address}; to replace it: rosetta state rm ${address}, then import` });
    }
    if (options.manifest) {
      const record = await importSamplingPlan(client, options.manifest, Number(id), now);
      await session.put(address, record);
      return record;
    }
    const { kind, name } = parseAddress(address)!;
    const importById = kindModule(kind).importById;
    if (!importById) throw new RosettaError('ROS_USAGE', `a ${kindInfo(kind).noun} cannot be imported: the API has no call that reads one back`, { hint: kind === 'Taxonomy' ? 'declare it with its content and apply: "already exists" (57003) adopts it' : undefined });
    const imported = await importById(name, id, client, now);
    const label = idLabel(imported.record);
    const holder = Object.entries(session.current.resources).find(([other, r]) => other !== address && r.kind === kind && idLabel(r) === label);
    if (holder) throw new RosettaError('ROS_USAGE', `${kindInfo(kind).noun} ${printable(id)} is already in the state as ${holder[0]}`, { hint: `to manage it under another name: rosetta state mv ${holder[0]} ${address}` });
    if (options.generateManifest) await writeNew(options.generateManifest, manifestFor(kind, name, imported.spec, `rosetta import ${address} ${id}`));
    await session.put(address, imported.record);
    await store.putBody(imported.record.digest, imported.body).catch(() => undefined);
    return imported.record;
  } finally {
    await lock.release();
  }
}

export async function writeNew(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new RosettaError('ROS_USAGE', `${path} already exists; --generate-manifest never overwrites`, { hint: 'choose another path' });
    throw error;
  }
}
