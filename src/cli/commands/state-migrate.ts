/** rosetta state migrate --to PATH|URL: copy the whole state to another store, both locked. */
import { RosettaError } from '../../errors.js';
import { openStore } from '../../state/open.js';
import { isPostgresUrl } from '../../state/postgres/url.js';
import { migrateState } from '../../actions/state.js';
import { pluralise } from '../../text.js';
import { openStateStore, parseDuration, type StateOptions } from '../context.js';
import { cliHost } from '../hosts/cli-host.js';
import type { Io } from '../io.js';

export interface MigrateOptions extends StateOptions {
  to: string;
  toWorkspace?: string;
  lockTimeout: string;
}

export async function stateMigrateCommand(options: MigrateOptions, io: Io): Promise<void> {
  const source = await openStateStore(options, io);
  // The source's workspace carries over only to a PostgreSQL target: a file holds one state.
  const toWorkspace = options.toWorkspace ?? (isPostgresUrl(options.to) ? (options.workspace ?? io.env.ROSETTA_WORKSPACE) : undefined);
  const target = await openStore({ state: options.to, workspace: toWorkspace, cwd: io.cwd });
  try {
    if (source.location === target.location) throw new RosettaError('ROS_USAGE', `--to names the state being migrated (${source.location})`);
    const lock = { command: `rosetta state migrate --to ${target.location}`, timeoutMs: parseDuration('--lock-timeout', options.lockTimeout), env: io.env };
    const copied = await migrateState(source, target, { host: cliHost(io), lock });
    io.stdout(`Copied ${pluralise(copied.resources, 'resource')} and ${copied.bodies === 1 ? '1 body' : `${copied.bodies} bodies`} (lineage ${copied.lineage}, serial ${copied.serial}) from ${source.location} to ${target.location}.\n`);
    io.stdout(`Use the new state from now on (--state or ROSETTA_STATE); the old one is left as it was.\n`);
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}
