/** rosetta state migrate --to PATH|URL: copy the whole state to another store, both locked. */
import { RosettaError } from '../../errors.js';
import { openStore } from '../../state/open.js';
import type { StateStore } from '../../state/store.js';
import { pluralise } from '../../text.js';
import { lockState, openStateStore, type StateOptions } from '../context.js';
import type { Io } from '../io.js';

export interface MigrateOptions extends StateOptions {
  to: string;
  toWorkspace?: string;
  lockTimeout: string;
}

export async function stateMigrateCommand(options: MigrateOptions, io: Io): Promise<void> {
  const source = openStateStore(options, io);
  const target = openStore({ state: options.to, workspace: options.toWorkspace ?? options.workspace ?? io.env.ROSETTA_WORKSPACE, cwd: io.cwd });
  try {
    if (source.location === target.location) throw new RosettaError('ROS_USAGE', `--to names the state being migrated (${source.location})`);
    const command = `rosetta state migrate --to ${target.location}`;
    const sourceLock = await lockState(source, command, options, io);
    try {
      const targetLock = await lockState(target, command, options, io);
      try {
        await copyState(source, target, io);
      } finally {
        await targetLock.release().catch(() => undefined);
      }
    } finally {
      await sourceLock.release().catch(() => undefined);
    }
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

async function copyState(source: StateStore, target: StateStore, io: Io): Promise<void> {
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
  const count = Object.keys(state.resources).length;
  io.stdout(`Copied ${pluralise(count, 'resource')} and ${bodies === 1 ? '1 body' : `${bodies} bodies`} (lineage ${state.lineage}, serial ${state.serial}) from ${source.location} to ${target.location}.\n`);
  io.stdout(`Use the new state from now on (--state or ROSETTA_STATE); the old one is left as it was.\n`);
}
