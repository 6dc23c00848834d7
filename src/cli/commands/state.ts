/** rosetta state list|show|rm|resolve|unlock: read and edit state without touching the API. */
import { checkPackageExists } from '../../actions/import.js';
import { RosettaError } from '../../errors.js';
import { describeHolder } from '../../state/lock.js';
import { StateSession } from '../../state/session.js';
import type { StateStore } from '../../state/store.js';
import type { ResourceRecord } from '../../state/types.js';
import { apiClient, lockState, withStore, type StateOptions } from '../context.js';
import type { Io } from '../io.js';

export function stateListCommand(options: StateOptions & { format: 'text' | 'json' }, io: Io): Promise<void> {
  return withStore(options, io, (store) => stateList(store, options, io));
}

async function stateList(store: StateStore, options: { format: 'text' | 'json' }, io: Io): Promise<void> {
  const state = await store.read();
  const entries = Object.entries(state.resources).sort(([a], [b]) => (a < b ? -1 : 1));
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ formatVersion: 1, lineage: state.lineage, serial: state.serial, resources: entries.map(([address, r]) => ({ address, ...r })) }, null, 2)}\n`);
    return;
  }
  if (entries.length === 0) {
    io.stdout(`No resources in state (${store.location}).\n`);
    return;
  }
  const width = Math.max(...entries.map(([a]) => a.length));
  for (const [address, record] of entries) io.stdout(`${address.padEnd(width)}  ${statusOf(record)}  ${idOf(record)}\n`);
}

export function stateShowCommand(address: string, options: StateOptions, io: Io): Promise<void> {
  return withStore(options, io, async (store) => {
    const record = requireRecord((await store.read()).resources, address, store);
    const body = await store.getBody(record.digest);
    io.stdout(`${JSON.stringify({ address, ...record, ...(body === undefined ? {} : { body }) }, null, 2)}\n`);
  });
}

export async function stateRmCommand(address: string, options: StateOptions & { lockTimeout: string }, io: Io): Promise<void> {
  await withLockedState(options, io, `rosetta state rm ${address}`, async (session, store) => {
    const record = requireRecord(session.current.resources, address, store);
    await session.remove(address);
    io.stdout(`Removed ${address} from state. Nothing was sent to the API; the ${record.kind === 'SamplingPlan' ? 'sampling package' : 'annotation request'} still exists on the platform${record.status === 'pending' ? ' (if it was created)' : ''}.\n`);
    if (record.kind === 'SamplingPlan') {
      io.stdout(`If ${address} is still in your manifests, the next apply creates another sampling package for it.\n`);
    }
  });
}

/** Renames a resource in state (after renaming its manifest), so the next apply does not create another. */
export async function stateMvCommand(from: string, to: string, options: StateOptions & { lockTimeout: string }, io: Io): Promise<void> {
  const [fromKind] = from.split('/');
  const [toKind, toName = ''] = to.split('/');
  if (!/^(AnnotationRequest|SamplingPlan)\/[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(to)) {
    throw new RosettaError('ROS_USAGE', `${JSON.stringify(to)}: expected KIND/NAME, e.g. SamplingPlan/helix-3d-qa (NAME as in metadata.name)`);
  }
  if (fromKind !== toKind) throw new RosettaError('ROS_USAGE', `cannot move ${from} to another kind (${to})`);
  await withLockedState(options, io, `rosetta state mv ${from} ${to}`, async (session, store) => {
    const record = requireRecord(session.current.resources, from, store);
    if (session.current.resources[to]) throw new RosettaError('ROS_USAGE', `${to} is already in the state`, { hint: `rosetta state show ${to}` });
    await session.move(from, to, { ...record, name: toName });
    io.stdout(`Moved ${from} to ${to} in state. Nothing was sent to the API.\n`);
  });
}

export async function stateResolveCommand(
  address: string,
  options: StateOptions & { lockTimeout: string; samplingPackageId?: string; notCreated?: boolean },
  io: Io,
): Promise<void> {
  if ((options.samplingPackageId === undefined) === !options.notCreated) {
    throw new RosettaError('ROS_USAGE', 'give exactly one of --sampling-package-id N and --not-created');
  }
  const packageId = options.samplingPackageId === undefined ? undefined : Number(options.samplingPackageId);
  if (packageId !== undefined && (!Number.isSafeInteger(packageId) || packageId < 0)) {
    throw new RosettaError('ROS_USAGE', `--sampling-package-id: expected a package id (an integer), found ${JSON.stringify(options.samplingPackageId)}`);
  }
  await withLockedState(options, io, `rosetta state resolve ${address}`, async (session, store) => {
    const record = requireRecord(session.current.resources, address, store);
    if (record.status !== 'pending') throw new RosettaError('ROS_USAGE', `${address} is not pending (it is ${statusOf(record)}); nothing to resolve`);
    if (packageId !== undefined) await checkWhenPossible(packageId, io);
    if (packageId === undefined) {
      await session.remove(address);
      io.stdout(`Cleared the pending create of ${address}. The next apply will create it.\n`);
      return;
    }
    await session.put(address, {
      kind: 'SamplingPlan',
      name: record.name,
      status: 'applied',
      outcome: 'resolved',
      digest: record.digest,
      annotationRequestId: record.annotationRequestId,
      samplingPackageId: packageId,
      appliedAt: new Date().toISOString(),
    });
    io.stdout(`Recorded ${address} as sampling package ${packageId}.\n`);
  });
}

/**
 * The same existence check as import, when the API is configured (ROSETTA_ENDPOINT and keys): a
 * mistyped id would otherwise be recorded as the package. Without them, state commands stay
 * offline, and say that the id was not checked.
 */
async function checkWhenPossible(packageId: number, io: Io): Promise<void> {
  if (!io.env.ROSETTA_ENDPOINT || !io.env.ROSETTA_ACCESS_KEY || !io.env.ROSETTA_SECRET_KEY) {
    io.stderr(`warning: sampling package ${packageId} was not checked on the platform (set ROSETTA_ENDPOINT and the keys to check it)\n`);
    return;
  }
  const client = apiClient({}, io);
  try {
    await checkPackageExists(client, packageId);
  } finally {
    await client.close();
  }
}

export async function stateUnlockCommand(options: StateOptions, io: Io): Promise<void> {
  const holder = await withStore(options, io, (store) => store.forceUnlock());
  if (!holder) {
    io.stdout('The state was not locked.\n');
    return;
  }
  io.stderr(`warning: removed the lock held by ${describeHolder(holder)}. If that run is still going, two runs may now write the same state.\n`);
  io.stdout('Unlocked.\n');
}

async function withLockedState(options: StateOptions & { lockTimeout: string }, io: Io, command: string, work: (session: StateSession, store: StateStore) => Promise<void>): Promise<void> {
  await withStore(options, io, async (store) => {
    const lock = await lockState(store, command, options, io);
    try {
      await work(new StateSession(store, await store.read()), store);
    } finally {
      await lock.release();
    }
  });
}

function requireRecord(resources: Record<string, ResourceRecord>, address: string, store: StateStore): ResourceRecord {
  const record = resources[address];
  if (!record) throw new RosettaError('ROS_STATE_NOT_FOUND', `${address} is not in the state (${store.location})`, { hint: 'rosetta state list shows what is' });
  return record;
}

function statusOf(record: ResourceRecord): string {
  return record.status === 'pending' ? 'pending' : record.outcome;
}

function idOf(record: ResourceRecord): string {
  if (record.kind === 'AnnotationRequest') return `annotationRequestId=${record.annotationRequestId}`;
  if (record.status === 'pending') return `annotationRequestId=${record.annotationRequestId} (package unknown)`;
  return `samplingPackageId=${record.samplingPackageId}`;
}
