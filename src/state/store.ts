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
import { copyFile, link, mkdir, open, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RosettaError } from '../errors.js';
import { bodyText } from '../model/body-text.js';
import { formatProblem } from '../model/formats.js';
import { printable } from '../text.js';
import { fsyncDirectory, realFs, writeFileDurably, type DurableFs } from './durable-write.js';
import { JournalWriter, journalLine, replayJournal } from './journal.js';
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
  /** Breaks every lock rosetta holds on this state (the state lock and the reconcile leader's), naming each holder removed. */
  forceUnlock(): Promise<UnlockedLock[]>;
}

/** Bodies that were sent (and sampling scene lists), by digest, for later diffs. */
export interface BodyStore {
  /** Stores a body under its digest (once). */
  putBody(digest: string, body: unknown): Promise<void>;
  /** Stores many at once, in one step where the store can (one pack file; one statement): an apply's bodies. */
  putBodies(bodies: ReadonlyMap<string, unknown>): Promise<void>;
  /** The body, or undefined when it was never kept: bodies only improve diffs. */
  getBody(digest: string): Promise<unknown>;
}

/** Where state lives (statemgr-like: small interfaces, one shared test suite for every store). */
/** A lock that `state unlock` removed: which one, who held it (unknown if its file was unreadable), where. */
export interface UnlockedLock {
  lock: 'state' | 'leader';
  holder: LockHolder | undefined;
  where: string;
}

export interface StateStore extends StateReader, StateWriter, StateLocker, BodyStore {
  /** Where the state is, for messages; never holds a password. */
  readonly location: string;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** A kept body: a byte range of a pack, or (rosetta before packs) a file of its own. */
type BodyLocation = { pack: string; at: number; length: number } | 'file';

/** A state as state.json text, taken at one moment. */
interface Snapshot {
  text: string;
  appliedPlans: string;
}

/** Below this size (snapshot + journal) a run always ends with one compacted state.json: cheap, and one file to keep. */
const SMALL_STATE_BYTES = 4 * 1024 * 1024;

export class FileStateStore implements StateStore {
  readonly location: string;
  private readonly lockPath: string;
  private readonly backupPath: string;
  private readonly journalPath: string;
  private readonly bodiesDir: string;
  private backedUp = false;
  private directoryReady = false;
  private bodiesDirReady = false;
  private bodies: Promise<Map<string, BodyLocation>> | undefined;
  /** Open from the first journalled write of a run until the lock is released. */
  private journal: JournalWriter | undefined;
  /** Size of state.json as last read or written: the journal is compacted when it outgrows it. */
  private snapshotBytes = 0;
  /** Complete-line bytes of the journal as last read; undefined before a read. */
  private journalValidBytes: number | undefined;
  /** appliedPlans as last written, to journal the list only when it changes. */
  private appliedPlansText: string | undefined;
  /** The state after the last successful write (compacted at the end of the run). */
  private latest: State | undefined;
  /** A write failed this run: nothing more is compacted from memory (it may hold what never became durable). */
  private writeFailed = false;
  private compactionFailed = false;

  constructor(path: string, private readonly fs: DurableFs = realFs) {
    this.location = path;
    this.lockPath = `${path}.lock`;
    this.backupPath = `${path}.backup`;
    this.journalPath = `${path}.journal`;
    this.bodiesDir = `${path}.bodies`;
  }

  /** state.json, then the journal's commits since it was last compacted. */
  async read(): Promise<State> {
    let text: string | undefined;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw stateIoError(error, this.location, 'read');
    }
    const journal = await readFile(this.journalPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw stateIoError(error, this.journalPath, 'read');
    });
    const backupExists = await stat(this.backupPath).then((s) => s.isFile(), () => false);
    const backup = backupExists ? this.backupPath : undefined;
    const state = text === undefined ? emptyState() : parseStateDocument(text, this.location, backup);
    const { validBytes } = replayJournal(state, journal, this.journalPath);
    checkStateFormat(state, journal === '' ? this.location : `${this.location} (with ${this.journalPath})`, backup);
    this.snapshotBytes = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    this.journalValidBytes = validBytes;
    this.appliedPlansText = JSON.stringify(state.appliedPlans);
    return state;
  }

  /**
   * A commit (`delta` given): one line appended to the journal and fdatasync'd — the same cost
   * with ten records or a hundred thousand. Without a delta, or when the journal has outgrown
   * state.json, the whole state is written as state.json, all or nothing (durable-write.ts).
   */
  async write(state: State, delta?: StateDelta): Promise<void> {
    // What is written is taken from `state` now, before the first await: the session goes on
    // changing it (the next group of commits) while this write runs.
    if (delta === undefined) {
      const snapshot = this.snapshotOf(state);
      await this.ensureDirectory();
      await this.backupOnce();
      await this.compact(snapshot).catch((error) => Promise.reject(stateIoError(error, this.location, 'write')));
      return;
    }
    const plans = JSON.stringify(state.appliedPlans);
    const line = journalLine(state, delta, plans !== this.appliedPlansText);
    // Amortised: the snapshot is rewritten only once the journal has grown as big as it is.
    const journalBytes = this.journal?.size ?? this.journalValidBytes ?? 0;
    const due = journalBytes + line.length > Math.max(SMALL_STATE_BYTES, this.snapshotBytes) && !this.compactionFailed ? this.snapshotOf(state) : undefined;
    await this.ensureDirectory();
    await this.backupOnce();
    try {
      this.journal ??= await JournalWriter.open(this.journalPath, await this.completeJournalBytes(), this.fs);
      await this.journal.append(line);
      this.appliedPlansText = plans;
      this.latest = state;
    } catch (error) {
      this.writeFailed = true;
      // Named as the state: the journal is part of it.
      throw stateIoError(error, this.location, 'write');
    }
    if (due) await this.compactQuietly(due);
  }

  private snapshotOf(state: State): Snapshot {
    return { text: serialiseState(state), appliedPlans: JSON.stringify(state.appliedPlans) };
  }

  replace(state: State): Promise<void> {
    return this.write(state);
  }

  /**
   * End of a run (the lock is released): fold the journal into state.json when that is cheap (a
   * small state) or due (the journal is half the snapshot), so a state at rest is usually one
   * file. A big state keeps its journal between runs: rewriting 50 MB after every run would make
   * a create cost more in a big state than in a small one.
   */
  private async endOfRun(): Promise<void> {
    const journal = this.journal;
    this.journal = undefined;
    if (!journal) return;
    await journal.close().catch(() => undefined);
    if (this.writeFailed || !this.latest) return;
    // No write is in flight once the lock is released: `latest` is exactly what was written.
    if (this.snapshotBytes + journal.size < SMALL_STATE_BYTES || journal.size > this.snapshotBytes / 2) await this.compactQuietly(this.snapshotOf(this.latest));
  }

  /** Writes the whole state as state.json, then drops the journal (its lines are now at or below the snapshot's serial). */
  private async compact({ text, appliedPlans }: Snapshot): Promise<void> {
    await writeFileDurably(this.location, text, this.fs);
    this.snapshotBytes = Buffer.byteLength(text, 'utf8');
    this.appliedPlansText = appliedPlans;
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
    // If this fails (or we crash first), replay skips the old lines by their serial.
    await this.fs.unlink(this.journalPath).catch(() => undefined);
    this.journalValidBytes = 0;
  }

  /** A compaction that fails (a full disk) loses nothing: the journal holds every commit. Not retried this run. */
  private async compactQuietly(snapshot: Snapshot): Promise<void> {
    if (this.compactionFailed) return;
    await this.compact(snapshot).catch(() => {
      this.compactionFailed = true;
    });
  }

  /**
   * The backup is the state as this run found it (as terraform.tfstate.backup is), taken once: a
   * hard link to state.json (which is only ever replaced by rename, never written in place) and a
   * copy of the journal, if there is one. `--state state.json.backup` reads the pair.
   */
  private async backupOnce(): Promise<void> {
    if (this.backedUp) return;
    const backupJournal = `${this.backupPath}.journal`;
    try {
      if (await stat(this.location).then((s) => s.isFile(), () => false)) {
        const temporary = `${this.backupPath}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
        await link(this.location, temporary).catch(async () => writeFile(temporary, await readFile(this.location)));
        await this.fs.rename(temporary, this.backupPath);
      }
      const journalBytes = await this.completeJournalBytes();
      if (journalBytes > 0) await copyFile(this.journalPath, backupJournal);
      else await this.fs.unlink(backupJournal).catch(() => undefined);
      await fsyncDirectory(dirname(this.location), this.fs);
    } catch (error) {
      throw stateIoError(error, this.backupPath, 'write');
    }
    this.backedUp = true;
  }

  /** How much of the journal is complete lines: known from the last read, else read once (a write without a read first). */
  private async completeJournalBytes(): Promise<number> {
    if (this.journalValidBytes === undefined) {
      const text = await readFile(this.journalPath, 'utf8').catch(() => '');
      this.journalValidBytes = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8');
    }
    return this.journalValidBytes;
  }

  async close(): Promise<void> {
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
  }

  async lock(options: LockOptions): Promise<HeldLock> {
    await this.ensureDirectory();
    let held: HeldLock;
    try {
      held = await acquireLock(this.lockPath, options);
    } catch (error) {
      throw stateIoError(error, this.lockPath, 'write');
    }
    // A new run: its first write takes a new backup and reopens the journal.
    this.backedUp = false;
    this.writeFailed = false;
    this.compactionFailed = false;
    this.latest = undefined;
    return {
      holder: held.holder,
      release: async () => {
        await this.endOfRun();
        await held.release();
      },
    };
  }

  async lockLeader(options: LockOptions): Promise<HeldLock> {
    await this.ensureDirectory();
    try {
      return await acquireLock(`${this.location}.leader`, options);
    } catch (error) {
      throw stateIoError(error, `${this.location}.leader`, 'write');
    }
  }

  async forceUnlock(): Promise<UnlockedLock[]> {
    const removed: UnlockedLock[] = [];
    for (const [lock, path] of [['state', this.lockPath], ['leader', `${this.location}.leader`]] as const) {
      const holder = await forceUnlock(path);
      if (holder !== null) removed.push({ lock, holder, where: path });
    }
    return removed;
  }

  putBody(digest: string, body: unknown): Promise<void> {
    return this.putBodies(new Map([[digest, body]]));
  }

  /**
   * One pack per call: the bodies as JSON lines, and an index (digest → offset and length) renamed
   * into place last, so a pack without its index is never read. Not fsynced: a body lost to a crash
   * only makes a later conflict show digests instead of fields. One file for a whole apply instead
   * of a stat, a write and a rename per create.
   */
  async putBodies(bodies: ReadonlyMap<string, unknown>): Promise<void> {
    const index = await this.bodyIndex();
    const lines: Buffer[] = [];
    const entries: Record<string, [number, number]> = {};
    let offset = 0;
    for (const [digest, body] of bodies) {
      if (index.has(digest) || Object.hasOwn(entries, digest)) continue;
      const line = Buffer.from(`${bodyText(body)}\n`, 'utf8');
      entries[digest] = [offset, line.length - 1];
      lines.push(line);
      offset += line.length;
    }
    if (lines.length === 0) return;
    if (!this.bodiesDirReady) {
      await mkdir(this.bodiesDir, { recursive: true });
      this.bodiesDirReady = true;
    }
    const name = `pack-${Date.now()}-${randomUUID().slice(0, 8)}`;
    const pack = join(this.bodiesDir, `${name}.jsonl`);
    await writeFile(`${pack}.tmp`, Buffer.concat(lines));
    await rename(`${pack}.tmp`, pack);
    const indexPath = join(this.bodiesDir, `${name}.index.json`);
    await writeFile(`${indexPath}.tmp`, JSON.stringify(entries));
    await rename(`${indexPath}.tmp`, indexPath);
    for (const [digest, [at, length]] of Object.entries(entries)) index.set(digest, { pack, at, length });
  }

  async getBody(digest: string): Promise<unknown> {
    try {
      const where = (await this.bodyIndex()).get(digest);
      if (where === undefined) return undefined;
      if (where === 'file') return JSON.parse(await readFile(this.bodyPath(digest), 'utf8')) as unknown;
      const handle = await open(where.pack, 'r');
      try {
        const buffer = Buffer.alloc(where.length);
        await handle.read(buffer, 0, where.length, where.at);
        return JSON.parse(buffer.toString('utf8')) as unknown;
      } finally {
        await handle.close();
      }
    } catch {
      return undefined; // bodies only improve diffs; a missing or damaged one is not an error
    }
  }

  /** Where each kept body is: a pack's range, or a file of its own (rosetta before packs). Read once per store. */
  private bodyIndex(): Promise<Map<string, BodyLocation>> {
    this.bodies ??= (async () => {
      const index = new Map<string, BodyLocation>();
      const names = await readdir(this.bodiesDir).catch(() => [] as string[]);
      for (const name of names) {
        if (name.endsWith('.index.json')) {
          const pack = join(this.bodiesDir, `${name.slice(0, -'.index.json'.length)}.jsonl`);
          const entries = await readFile(join(this.bodiesDir, name), 'utf8').then((text) => JSON.parse(text) as Record<string, [number, number]>).catch(() => ({}));
          for (const [digest, [at, length]] of Object.entries(entries)) index.set(digest, { pack, at, length });
        } else if (/^[0-9a-f]{64}\.json$/.test(name)) {
          index.set(`sha256:${name.slice(0, 64)}`, 'file');
        }
      }
      return index;
    })();
    return this.bodies;
  }

  private bodyPath(digest: string): string {
    return join(this.bodiesDir, `${digest.replace(/^sha256:/, '')}.json`);
  }

  private async ensureDirectory(): Promise<void> {
    if (this.directoryReady) return;
    await mkdir(dirname(this.location), { recursive: true }).catch((error) => Promise.reject(stateIoError(error, dirname(this.location), 'write')));
    const existing = await stat(this.location).catch(() => undefined);
    if (existing && !existing.isFile()) throw stateIoError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), this.location, 'read');
    this.directoryReady = true;
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

/** The snapshot document: JSON, a state, a version this rosetta reads (records are checked after the journal). */
export function parseStateDocument(text: string, location: string, backupPath: string | undefined): State {
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
  return { ...emptyState(), ...value, appliedPlans: value.appliedPlans ?? [] } as State;
}

/**
 * Every record in the shape its kind needs (schemas/state.schema.json): a hand-edited or damaged
 * record is named here, not found later as a crash in the middle of an apply.
 */
export function checkStateFormat(state: State, location: string, backupPath: string | undefined): void {
  const problem = formatProblem('state', state);
  if (problem) {
    throw new RosettaError('ROS_STATE_CORRUPT', `${location} is not a valid rosetta state: ${printable(problem)}`, {
      hint: backupPath ? `fix that record by hand, or compare with ${backupPath}` : 'fix that record by hand, or restore the state from where you keep it',
    });
  }
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
