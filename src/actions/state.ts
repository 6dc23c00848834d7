/**
 * State operations as a library (rosetta state list|show|rm|mv|resolve|unlock): read and edit
 * records without sending anything to the API. Edits hold the state lock; the API is only read,
 * to check a package id before it is recorded.
 */
import { takeLock, type ActionLockOptions } from './lock.js';
import { RosettaError } from '../errors.js';
import { parseAddress } from '../model/resources.js';
import type { IoHost } from '../host/events.js';
import { StateSession } from '../state/session.js';
import type { StateStore, UnlockedLock } from '../state/store.js';
import type { ResourceRecord } from '../model/records.js';
import { checkPackageExists } from './import.js';
import type { ReadClient } from '../api/reads.js';

export interface StateEdit {
  store: StateStore;
  host: IoHost;
  lock: ActionLockOptions;
}

export interface ListedRecord {
  address: string;
  record: ResourceRecord;
}

/** Every record, sorted by address. */
export async function listState(store: Pick<StateStore, 'read'>): Promise<{ lineage: string | null; serial: number; records: ListedRecord[] }> {
  const state = await store.read();
  const records = Object.entries(state.resources)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([address, record]) => ({ address, record }));
  return { lineage: state.lineage, serial: state.serial, records };
}

/** One record, with the body that was sent when it is kept. */
export async function showState(store: StateStore, address: string): Promise<{ record: ResourceRecord; body?: unknown }> {
  const record = requireRecord((await store.read()).resources, address, store);
  const body = await store.getBody(record.digest);
  return body === undefined ? { record } : { record, body };
}

/** Forgets a resource (it stays on the platform). Returns the record removed. */
export function removeFromState(edit: StateEdit, address: string): Promise<ResourceRecord> {
  return withSession(edit, async (session) => {
    const record = requireRecord(session.current.resources, address, edit.store);
    await session.remove(address);
    return record;
  });
}

/** Renames a resource in state (after its manifest was renamed), so the next apply does not create another. */
export async function moveInState(edit: StateEdit, from: string, to: string): Promise<void> {
  const [fromKind] = from.split('/');
  const target = parseAddress(to);
  if (!target) {
    throw new RosettaError('ROS_USAGE', `${JSON.stringify(to)}: expected KIND/NAME, e.g. SamplingPlan/helix-3d-qa (NAME as in metadata.name)`);
  }
  if (fromKind !== target.kind) throw new RosettaError('ROS_USAGE', `cannot move ${from} to another kind (${to})`);
  await withSession(edit, async (session) => {
    const record = requireRecord(session.current.resources, from, edit.store);
    if (session.current.resources[to]) throw new RosettaError('ROS_USAGE', `${to} is already in the state`, { hint: `rosetta state show ${to}` });
    await session.move(from, to, { ...record, name: target.name });
  });
}

export type Resolution = { samplingPackageId: number } | { notCreated: true };

/**
 * Settles a pending sampling create: the package the user found on the platform (checked there
 * when a client is given; a mistyped id would otherwise be recorded), or that none was created
 * (the record is cleared and the next apply creates it).
 */
export function resolvePending(edit: StateEdit & { client?: ReadClient }, address: string, resolution: Resolution): Promise<void> {
  return withSession(edit, async (session) => {
    const record = requireRecord(session.current.resources, address, edit.store);
    if (record.status !== 'pending') throw new RosettaError('ROS_USAGE', `${address} is not pending (it is ${recordStatus(record)}); nothing to resolve`);
    if (record.kind === 'AnnotationRequest') {
      throw new RosettaError('ROS_USAGE', `${address} is an annotation request sent without a recorded answer; it needs nothing by hand`, { hint: 'run apply: it is sent again with the same id, and 53004 confirms it' });
    }
    if ('notCreated' in resolution) {
      await session.remove(address);
      return;
    }
    const { samplingPackageId } = resolution;
    if (edit.client) await checkPackageExists(edit.client, samplingPackageId);
    else edit.host.notify({ code: 'state.resolve.unchecked', level: 'warn', data: { samplingPackageId } });
    await session.put(address, {
      kind: 'SamplingPlan',
      name: record.name,
      status: 'applied',
      outcome: 'resolved',
      digest: record.digest,
      annotationRequestId: record.annotationRequestId,
      samplingPackageId,
      appliedAt: new Date().toISOString(),
    });
  });
}

/** Breaks the lock whoever holds it; returns who did, if anyone. */
export function unlockState(store: Pick<StateStore, 'forceUnlock'>): Promise<UnlockedLock[]> {
  return store.forceUnlock();
}

export interface Migrated {
  resources: number;
  bodies: number;
  lineage: string;
  serial: number;
}

/** Copies the whole state (bodies first, then the records) to another store, both locked. */
export async function migrateState(source: StateStore, target: StateStore, options: Omit<StateEdit, 'store'>): Promise<Migrated> {
  const sourceLock = await takeLock(source, options.lock, options.host);
  try {
    const targetLock = await takeLock(target, options.lock, options.host);
    try {
      return await copyState(source, target);
    } finally {
      await targetLock.release().catch(() => undefined);
    }
  } finally {
    await sourceLock.release().catch(() => undefined);
  }
}

async function copyState(source: StateStore, target: StateStore): Promise<Migrated> {
  const state = await source.read();
  if (state.lineage === null) throw new RosettaError('ROS_STATE_NOT_FOUND', `there is no state at ${source.location} to migrate`);
  const existing = await target.read();
  if (existing.lineage !== null && existing.lineage !== state.lineage) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${target.location} already holds another state (lineage ${existing.lineage}; this one is ${state.lineage})`, {
      hint: 'choose an empty target (another file, or another --to-workspace)',
    });
  }
  if (existing.lineage === state.lineage && existing.serial > state.serial) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${target.location} holds a newer copy of this state (serial ${existing.serial}; the source is at ${state.serial})`, {
      hint: 'it was migrated before and used since: keep using the target',
    });
  }
  // Bodies first: a record never refers to a body the target does not have.
  const digests = new Set<string>();
  for (const record of Object.values(state.resources)) {
    digests.add(record.digest);
    if (record.kind === 'SamplingPlan' && record.status === 'applied' && record.sceneListDigest) digests.add(record.sceneListDigest);
  }
  let bodies = 0;
  for (const digest of digests) {
    const body = await source.getBody(digest);
    if (body === undefined) continue;
    await target.putBody(digest, body);
    bodies++;
  }
  await target.replace(state);
  return { resources: Object.keys(state.resources).length, bodies, lineage: state.lineage, serial: state.serial };
}

/** `applied`'s outcome (created, adopted, imported, resolved) or `pending`. */
export function recordStatus(record: ResourceRecord): string {
  return record.status === 'pending' ? 'pending' : record.outcome;
}

async function withSession<T>(edit: StateEdit, work: (session: StateSession) => Promise<T>): Promise<T> {
  const lock = await takeLock(edit.store, edit.lock, edit.host);
  try {
    return await work(new StateSession(edit.store, await edit.store.read()));
  } finally {
    await lock.release();
  }
}

function requireRecord(resources: Record<string, ResourceRecord>, address: string, store: Pick<StateStore, 'location'>): ResourceRecord {
  const record = resources[address];
  if (!record) throw new RosettaError('ROS_STATE_NOT_FOUND', `${address} is not in the state (${store.location})`, { hint: 'rosetta state list shows what is' });
  return record;
}
