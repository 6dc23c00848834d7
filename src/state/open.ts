/** Picks the store for a state location: a PostgreSQL URL, or a file path. */
import { resolve } from 'node:path';
import { RosettaError } from '../errors.js';
import { PostgresStateStore } from './postgres/store.js';
import { WORKSPACE_PATTERN, isPostgresUrl } from './postgres/url.js';
import { FileStateStore, type StateStore } from './store.js';

export const DEFAULT_STATE_PATH = '.rosetta/state.json';
export const DEFAULT_WORKSPACE = 'default';

export interface StoreLocation {
  /** A file path (relative to cwd) or a postgres:// URL. */
  state?: string | undefined;
  /** PostgreSQL only: which of the database's states. */
  workspace?: string | undefined;
  cwd: string;
}

export function openStore({ state, workspace, cwd }: StoreLocation): StateStore {
  const location = state === undefined || state === '' ? DEFAULT_STATE_PATH : state;
  if (isPostgresUrl(location)) {
    const name = workspace ?? DEFAULT_WORKSPACE;
    if (!WORKSPACE_PATTERN.test(name)) {
      throw new RosettaError('ROS_USAGE', `--workspace: expected letters, digits, ".", "_" or "-" (at most 63), found ${JSON.stringify(name)}`);
    }
    return new PostgresStateStore(location, name);
  }
  if (workspace !== undefined && workspace !== DEFAULT_WORKSPACE) {
    throw new RosettaError('ROS_USAGE', '--workspace applies to a PostgreSQL state only', { hint: 'with a file state, use another --state path for another state' });
  }
  return new FileStateStore(resolve(cwd, location));
}
