/** Picks the store for a state location: a PostgreSQL URL, or a file path. */
import { resolve } from 'node:path';
import { RosettaError } from '../errors.js';
import { WORKSPACE_PATTERN, isPostgresUrl } from './postgres/url.js';
import { FileStateStore } from './file-store.js';
import type { StateStore } from './store.js';

export const DEFAULT_STATE_PATH = '.rosetta/state.json';
export const DEFAULT_WORKSPACE = 'default';

export interface StoreLocation {
  /** A file path (relative to cwd) or a postgres:// URL. */
  state?: string | undefined;
  /** PostgreSQL only: which of the database's states. */
  workspace?: string | undefined;
  cwd: string;
}

/** Whether a state location (undefined: the default file) is a file rather than a PostgreSQL URL. */
export function isFileState(state: string | undefined): boolean {
  return !isPostgresUrl(state ?? DEFAULT_STATE_PATH);
}

/**
 * The store for a location. Asynchronous because the PostgreSQL store (and `pg` with it) is
 * loaded only for a postgres:// state: a file-state command does not pay for the driver.
 */
export async function openStore({ state, workspace, cwd }: StoreLocation): Promise<StateStore> {
  if (state === '') throw new RosettaError('ROS_USAGE', 'the state location is empty', { hint: 'give a state file path or a postgres:// URL' });
  const location = state ?? DEFAULT_STATE_PATH;
  if (!isFileState(location)) {
    const name = workspace ?? DEFAULT_WORKSPACE;
    if (!WORKSPACE_PATTERN.test(name)) {
      throw new RosettaError('ROS_USAGE', `--workspace: expected letters, digits, ".", "_" or "-" (at most 63), found ${JSON.stringify(name)}`);
    }
    const { PostgresStateStore } = await import('./postgres/store.js');
    return new PostgresStateStore(location, name);
  }
  if (workspace !== undefined && workspace !== DEFAULT_WORKSPACE) {
    throw new RosettaError('ROS_USAGE', `a workspace (--workspace or ROSETTA_WORKSPACE, here ${JSON.stringify(workspace)}) applies to a PostgreSQL state only, and this state is the file ${location}`, {
      hint: 'with a file state, use another --state path for another state; unset ROSETTA_WORKSPACE if it is meant for another job',
    });
  }
  return new FileStateStore(resolve(cwd, location));
}
