/**
 * Where state lives: the store interfaces (reader, writer, locker, body store),
 * and `FileStateStore`, the local file implementation. The PostgreSQL store is
 * in ./postgres/.
 *
 * Bodies are kept beside the state, content-addressed by digest and written
 * once, rather than inside it: the state is rewritten after every create, and
 * keeping a million-scene body in it would make every one of those writes
 * carry 70 MB.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RosettaError } from '../errors.js';
import { formatProblem } from '../model/formats.js';
import { printable } from '../text.js';
import { realFs, writeFileDurably, type DurableFs } from './durable-write.js';
import { acquireLock, forceUnlock, type HeldLock, type LockOptions } from './lock.js';
import { STATE_VERSION, emptyState, type LockHolder, type ResourceRecord, type State } from './types.js';

/** The records that changed since the last write (a session collects them). */
export interface StateDelta {
  put: Map<string, ResourceRecord>;
  remove: Set<string>;
}

/** Reads the whole state; an empty one (lineage null) when none was written yet. */
export interface StateReader {
  read(): Promise<State>;
}

/**
 * Makes a change durable in one step. `state` is the whole state after the change, `delta` the
 * records that changed: a file store writes the document, a database store the rows.
 */
export interface StateWriter {
  write(state: State, delta: StateDelta): Promise<void>;
  /** Replaces everything with `state` in one step (state migrate). */
  replace(state: State): Promise<void>;
}

export interface StateLocker {
  lock(options: LockOptions): Promise<HeldLock>;
  /** The reconcile leader's lock: separate from the state lock, held as long as a replica leads. */
  lockLeader(options: LockOptions): Promise<HeldLock>;
  /** Breaks the lock whoever holds it; returns the holder it removed. */
  forceUnlock(): Promise<LockHolder | undefined>;
}

/** Bodies that were sent (and sampling scene lists), by digest, for later diffs. */
export interface BodyStore {
  /** Stores a body under its digest (once). */
  putBody(digest: string, body: unknown): Promise<void>;
  /** The body, or undefined when it was never kept: bodies only improve diffs. */
  getBody(digest: string): Promise<unknown>;
}

/** Where state lives (statemgr-like: small interfaces, one shared test suite for every store). */
export interface StateStore extends StateReader, StateWriter, StateLocker, BodyStore {
  /** Where the state is, for messages; never holds a password. */
  readonly location: string;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

export class FileStateStore implements StateStore {
  readonly location: string;
  private readonly lockPath: string;
  private readonly backupPath: string;
  private readonly bodiesDir: string;
  private backedUp = false;
  private directoryReady = false;
  private bodiesDirReady = false;
  private readonly bodiesWritten = new Set<string>();

  constructor(path: string, private readonly fs: DurableFs = realFs) {
    this.location = path;
    this.lockPath = `${path}.lock`;
    this.backupPath = `${path}.backup`;
    this.bodiesDir = `${path}.bodies`;
  }

  async read(): Promise<State> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw stateIoError(error, this.location, 'read');
    }
    const backupExists = await stat(this.backupPath).then((s) => s.isFile(), () => false);
    return parseState(text, this.location, backupExists ? this.backupPath : undefined);
  }

  /**
   * All or nothing: the new state is written in full and fsynced before it replaces the old one
   * (see durable-write.ts). On failure the file on disk is the previous state, untouched.
   */
  async write(state: State, _delta?: StateDelta): Promise<void> {
    await this.ensureDirectory();
    // The backup is the state as this run found it (as terraform.tfstate.backup is), taken once,
    // and written the same all-or-nothing way: a half backup would be worse than none.
    if (!this.backedUp) {
      const previous = await readFile(this.location).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw stateIoError(error, this.location, 'read');
      });
      if (previous) await writeFileDurably(this.backupPath, previous, this.fs).catch((error) => Promise.reject(stateIoError(error, this.backupPath, 'write')));
      this.backedUp = true;
    }
    await writeFileDurably(this.location, serialiseState(state), this.fs).catch((error) => Promise.reject(stateIoError(error, this.location, 'write')));
  }

  replace(state: State): Promise<void> {
    return this.write(state);
  }

  async close(): Promise<void> {}

  async lock(options: LockOptions): Promise<HeldLock> {
    await this.ensureDirectory();
    try {
      return await acquireLock(this.lockPath, options);
    } catch (error) {
      throw stateIoError(error, this.lockPath, 'write');
    }
  }

  async lockLeader(options: LockOptions): Promise<HeldLock> {
    await this.ensureDirectory();
    try {
      return await acquireLock(`${this.location}.leader`, options);
    } catch (error) {
      throw stateIoError(error, `${this.location}.leader`, 'write');
    }
  }

  forceUnlock(): Promise<LockHolder | undefined> {
    return forceUnlock(this.lockPath);
  }

  async putBody(digest: string, body: unknown): Promise<void> {
    const path = this.bodyPath(digest);
    if (this.bodiesWritten.has(digest)) return;
    this.bodiesWritten.add(digest);
    if (await stat(path).then(() => true, () => false)) return;
    if (!this.bodiesDirReady) {
      await mkdir(this.bodiesDir, { recursive: true });
      this.bodiesDirReady = true;
    }
    // Written to a temporary name and renamed, so never half a file; not fsynced, and not through
    // write-file-atomic, whose realpath/chown probing costs several syscalls per file in the
    // apply's hot path. A body lost to a crash only makes a later conflict show digests, not fields.
    const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify(body));
    await rename(temporary, path);
  }

  private async ensureDirectory(): Promise<void> {
    if (this.directoryReady) return;
    await mkdir(dirname(this.location), { recursive: true }).catch((error) => Promise.reject(stateIoError(error, dirname(this.location), 'write')));
    const existing = await stat(this.location).catch(() => undefined);
    if (existing && !existing.isFile()) throw stateIoError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), this.location, 'read');
    this.directoryReady = true;
  }

  async getBody(digest: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.bodyPath(digest), 'utf8')) as unknown;
    } catch {
      return undefined; // bodies only improve diffs; a missing one is not an error
    }
  }

  private bodyPath(digest: string): string {
    return join(this.bodiesDir, `${digest.replace(/^sha256:/, '')}.json`);
  }
}

/** Records are never mutated once stored (they are replaced), so their text can be reused. */
const recordText = new WeakMap<object, string>();

/**
 * Deterministic text: resources sorted by address, two-space indent, trailing
 * newline — the same as JSON.stringify(state, null, 2) with sorted resources,
 * but reusing each record's text: the state is rewritten after every create.
 */
export function serialiseState(state: State): string {
  const { resources, ...header } = state;
  const entries = Object.keys(resources)
    .sort()
    .map((address) => {
      const record = resources[address]!;
      let text = recordText.get(record);
      if (text === undefined) {
        text = JSON.stringify(record, null, 2).replace(/\n/g, '\n    ');
        recordText.set(record, text);
      }
      return `    ${JSON.stringify(address)}: ${text}`;
    });
  const head = JSON.stringify(header, null, 2).slice(0, -2);
  const body = entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n  }`;
  return `${head},\n  "resources": ${body}\n}\n`;
}

export function parseState(text: string, location: string, backupPath: string | undefined): State {
  let value: Partial<State>;
  try {
    value = JSON.parse(text) as Partial<State>;
  } catch (error) {
    throw new RosettaError('ROS_STATE_CORRUPT', `the state file ${location} is not valid JSON: ${(error as Error).message}`, {
      hint: backupPath
        ? `${backupPath} holds the state as the last run found it, without that run's creates: compare both before replacing anything (a sampling plan missing from it would be created again)`
        : 'no backup of the state exists; restore it from where you keep it (git, CI artifacts) before running apply',
    });
  }
  if (typeof value !== 'object' || value === null || typeof value.version !== 'number' || typeof value.resources !== 'object') {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} is not a rosetta state file`);
  }
  if (value.version > STATE_VERSION) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} was written by a newer rosetta (state version ${value.version}; this one reads ${STATE_VERSION})`, { hint: 'upgrade rosetta' });
  }
  // Every record in the shape its kind needs (schemas/state.schema.json): a hand-edited or damaged
  // record is named here, not found later as a crash in the middle of an apply.
  const problem = formatProblem('state', value);
  if (problem) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} is not a valid rosetta state: ${printable(problem)}`, {
      hint: backupPath ? `fix that record by hand, or compare with ${backupPath}` : 'fix that record by hand, or restore the state from where you keep it',
    });
  }
  return { ...emptyState(), ...value, appliedPlans: value.appliedPlans ?? [] } as State;
}

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
