/** File-system errors on state paths, as user-facing errors: what is wrong and what to do. */
import { RosettaError } from '../errors.js';

/** A file-system error on a state path, as a user-facing error: what is wrong and what to do. */
export function stateIoError(error: unknown, path: string, action: 'read' | 'write'): unknown {
  if (error instanceof RosettaError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const known: Record<string, [string, string]> = {
    ENOSPC: ['the disk is full', 'free some space, then run rosetta plan to see what was recorded'],
    EDQUOT: ['the disk quota is exhausted', 'free some space, then run rosetta plan to see what was recorded'],
    EACCES: ['permission denied', 'check the permissions of the state folder, or choose another with --state'],
    EPERM: ['permission denied', 'check the permissions of the state folder, or choose another with --state'],
    EROFS: ['the file system is read-only', 'choose a writable place with --state'],
    EISDIR: ['it is a directory, not a file', 'give --state the path of a file, e.g. .rosetta/state.json'],
    ENOTDIR: ['a part of the path is a file, not a folder', 'give --state a path whose folders are folders, e.g. .rosetta/state.json'],
    EEXIST: ['a part of the path is a file, not a folder', 'give --state a path whose folders are folders, e.g. .rosetta/state.json'],
  };
  const entry = code === undefined ? undefined : known[code];
  if (!entry) return error;
  return new RosettaError('ROS_STATE_IO', `cannot ${action} ${path}: ${entry[0]} (${code})`, { hint: entry[1], cause: error });
}
