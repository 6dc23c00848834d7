/** rosetta state list|show|rm|mv|resolve|unlock: flags → src/actions/state.ts → text. */
import { listState, moveInState, recordStatus, removeFromState, resolvePending, showState, unlockState, type Resolution, type StateEdit } from '../../actions/state.js';
import { RosettaError } from '../../errors.js';
import { describeHolder } from '../../state/lock.js';
import type { StateStore } from '../../state/store.js';
import { idLabel, kindInfo } from '../../kinds/index.js';
import { apiClient, parseDuration, withStore, type StateOptions } from '../context.js';
import { cliHost } from '../hosts/cli-host.js';
import type { Io } from '../io.js';
import { printable } from '../../text.js';

type EditOptions = StateOptions & { lockTimeout: string };

export function stateListCommand(options: StateOptions & { format: 'text' | 'json' }, io: Io): Promise<void> {
  return withStore(options, io, async (store) => {
    const { lineage, serial, records } = await listState(store);
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ formatVersion: 1, lineage, serial, resources: records.map(({ address, record }) => ({ address, ...record })) }, null, 2)}\n`);
      return;
    }
    if (records.length === 0) {
      io.stdout(`No resources in state (${store.location}).\n`);
      return;
    }
    const width = Math.max(...records.map((r) => r.address.length));
    for (const { address, record } of records) io.stdout(`${address.padEnd(width)}  ${recordStatus(record)}  ${idLabel(record)}\n`);
  });
}

export function stateShowCommand(address: string, options: StateOptions, io: Io): Promise<void> {
  return withStore(options, io, async (store) => {
    const { record, body } = await showState(store, address);
    io.stdout(`${JSON.stringify({ address, ...record, ...(body === undefined ? {} : { body }) }, null, 2)}\n`);
  });
}

export function stateRmCommand(address: string, options: EditOptions, io: Io): Promise<void> {
  return withEdit(options, io, `rosetta state rm ${address}`, async (edit) => {
    const record = await removeFromState(edit, address);
    io.stdout(`Removed ${address} from state. Nothing was sent to the API; the ${kindInfo(record.kind).noun} still exists on the platform${record.status === 'pending' ? ' (if it was created)' : ''}.\n`);
    if (!kindInfo(record.kind).retrySafe) {
      io.stdout(`If ${address} is still in your manifests, the next apply creates another ${kindInfo(record.kind).noun} for it.\n`);
    }
  });
}

export function stateMvCommand(from: string, to: string, options: EditOptions, io: Io): Promise<void> {
  return withEdit(options, io, `rosetta state mv ${from} ${to}`, async (edit) => {
    await moveInState(edit, from, to);
    io.stdout(`Moved ${from} to ${to} in state. Nothing was sent to the API.\n`);
  });
}

export async function stateResolveCommand(address: string, options: EditOptions & { samplingPackageId?: string; notCreated?: boolean }, io: Io): Promise<void> {
  const resolution = resolutionOf(options);
  // The package id is checked on the platform when the API is configured (ROSETTA_ENDPOINT and
  // keys); without them, state commands stay offline and say that the id was not checked.
  const configured = Boolean(io.env.ROSETTA_ENDPOINT && io.env.ROSETTA_ACCESS_KEY && io.env.ROSETTA_SECRET_KEY);
  const client = 'samplingPackageId' in resolution && configured ? apiClient({}, io) : undefined;
  try {
    await withEdit(options, io, `rosetta state resolve ${address}`, (edit) => resolvePending({ ...edit, ...(client ? { client } : {}) }, address, resolution));
  } finally {
    await client?.close();
  }
  if ('notCreated' in resolution) io.stdout(`Cleared the pending create of ${address}. The next apply will create it.\n`);
  else io.stdout(`Recorded ${address} as sampling package ${resolution.samplingPackageId}.\n`);
}

export async function stateUnlockCommand(options: StateOptions, io: Io): Promise<void> {
  const removed = await withStore(options, io, (store) => unlockState(store));
  if (removed.length === 0) {
    io.stdout('The state was not locked (no state lock, no reconcile leader lock).\n');
    return;
  }
  for (const { lock, holder, where } of removed) {
    const name = lock === 'state' ? 'the state lock' : 'the reconcile leader lock';
    const by = holder ? `held by ${describeHolder(holder)}` : 'whose holder could not be read';
    const risk = lock === 'state' ? 'two runs may now write the same state' : 'two controllers may now lead';
    io.stderr(`warning: removed ${name} (${printable(where)}) ${by}. If that process is still running, ${risk}.\n`);
  }
  io.stdout('Unlocked.\n');
}

function resolutionOf(options: { samplingPackageId?: string; notCreated?: boolean }): Resolution {
  if ((options.samplingPackageId === undefined) === !options.notCreated) {
    throw new RosettaError('ROS_USAGE', 'give exactly one of --sampling-package-id N and --not-created');
  }
  if (options.samplingPackageId === undefined) return { notCreated: true };
  const samplingPackageId = Number(options.samplingPackageId);
  if (!Number.isSafeInteger(samplingPackageId) || samplingPackageId < 0) {
    throw new RosettaError('ROS_USAGE', `--sampling-package-id: expected a package id (an integer), found ${JSON.stringify(options.samplingPackageId)}`);
  }
  return { samplingPackageId };
}

function withEdit<T>(options: EditOptions, io: Io, command: string, work: (edit: StateEdit) => Promise<T>): Promise<T> {
  const timeoutMs = parseDuration('--lock-timeout', options.lockTimeout);
  return withStore(options, io, (store: StateStore) => work({ store, host: cliHost(io), lock: { command, timeoutMs, env: io.env } }));
}
