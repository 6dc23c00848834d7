/**
 * Where state lives. `StateStore` is the one interface (read, write, lock,
 * unlock, bodies) so a shared backend can be added behind the same tests;
 * `FileStateStore` is the local file implementation.
 *
 * Bodies are kept beside the state, content-addressed by digest and written
 * once, rather than inside it: the state is rewritten after every create, and
 * keeping a million-scene body in it would make every one of those writes
 * carry 70 MB.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { RosettaError } from '../errors.js';
import { acquireLock, forceUnlock, type HeldLock, type LockOptions } from './lock.js';
import { STATE_VERSION, emptyState, type LockHolder, type State } from './types.js';

export interface StateStore {
  /** Where the state is, for messages. */
  readonly location: string;
  /** The current state; an empty one (lineage null) when none was written yet. */
  read(): Promise<State>;
  /** Replaces the state atomically and durably; the state as first read is kept as a backup. */
  write(state: State): Promise<void>;
  lock(options: LockOptions): Promise<HeldLock>;
  forceUnlock(): Promise<LockHolder | undefined>;
  /** Stores a body under its digest (once). */
  putBody(digest: string, body: unknown): Promise<void>;
  getBody(digest: string): Promise<unknown>;
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

  constructor(path: string) {
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
      throw error;
    }
    return parseState(text, this.location, this.backupPath);
  }

  async write(state: State): Promise<void> {
    await this.ensureDirectory();
    // The backup is the state as this run found it (as terraform.tfstate.backup is), taken once.
    if (!this.backedUp) {
      const exists = await stat(this.location).then(() => true, () => false);
      if (exists) await copyFile(this.location, this.backupPath);
      this.backedUp = true;
    }
    await writeFileAtomic(this.location, serialiseState(state), { fsync: true });
    await fsyncDirectory(dirname(this.location));
  }

  async lock(options: LockOptions): Promise<HeldLock> {
    await this.ensureDirectory();
    return acquireLock(this.lockPath, options);
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
    await mkdir(dirname(this.location), { recursive: true });
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

export function parseState(text: string, location: string, backupPath: string): State {
  let value: Partial<State>;
  try {
    value = JSON.parse(text) as Partial<State>;
  } catch (error) {
    throw new RosettaError('ROS_STATE_CORRUPT', `the state file ${location} is not valid JSON: ${(error as Error).message}`, {
      hint: `the previous state is kept in ${backupPath}; inspect both before replacing anything`,
    });
  }
  if (typeof value !== 'object' || value === null || typeof value.version !== 'number' || typeof value.resources !== 'object') {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} is not a rosetta state file`);
  }
  if (value.version > STATE_VERSION) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} was written by a newer rosetta (state version ${value.version}; this one reads ${STATE_VERSION})`, { hint: 'upgrade rosetta' });
  }
  return { ...emptyState(), ...value, appliedPlans: value.appliedPlans ?? [] } as State;
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Not possible on every platform (Windows): best effort.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignore
  }
}
