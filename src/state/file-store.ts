/**
 * The file state store: state.json (the snapshot) and state.json.journal (a line per commit,
 * fdatasync'd), folded into the snapshot when cheap or due; a backup of the state each run found;
 * the lock file; bodies in packs beside it (./body-packs.ts).
 */
import { nodeCrypto } from '../model/node-crypto.js';
import { copyFile, link, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { emptyState, type State } from '../model/records.js';
import { BodyPacks } from './body-packs.js';
import { NotificationFile } from './notification-file.js';
import { fsyncDirectory, realFs, writeFileDurably, type DurableFs } from './durable-write.js';
import { stateIoError } from './io-errors.js';
import { JournalWriter, journalLine, replayJournal } from './journal.js';
import { acquireLock, forceUnlock, type HeldLock, type LockOptions } from './lock.js';
import { checkStateFormat, parseStateDocument, serialiseState } from './state-document.js';
import type { StateDelta, StateStore, UnlockedLock } from './store.js';

/** A state as state.json text, taken at one moment. */
interface Snapshot {
  text: string;
  appliedPlans: string;
}

/** Below this size (snapshot + journal) a run always ends with one compacted state.json: cheap, and one file to keep. */
const SMALL_STATE_BYTES = 4 * 1024 * 1024;

/**
 * A file's text, or undefined when it does not exist; any other failure is a state read error.
 * A big state that is all ASCII (they are, but for names) is decoded as Latin-1, which reads the
 * same for ASCII: Node then keeps the text outside V8's heap, where it is freed as soon as it has
 * been parsed instead of at the next full collection (50 MB held through the plan of 100,000
 * resources), and decoding is faster.
 */
function readIfThere(path: string): string | undefined {
  try {
    const bytes = readFileSync(path);
    return bytes.length > 1024 * 1024 && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateIoError(error, path, 'read');
  }
}

export class FileStateStore implements StateStore {
  readonly location: string;
  private readonly lockPath: string;
  private readonly backupPath: string;
  private readonly journalPath: string;
  private backedUp = false;
  private directoryReady = false;
  private readonly bodies: BodyPacks;
  private readonly notified: NotificationFile;
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
    this.bodies = new BodyPacks(`${path}.bodies`);
    this.notified = new NotificationFile(`${path}.notified`);
  }

  /**
   * state.json, then the journal's commits since it was last compacted. Read synchronously, as
   * the manifests are: parsing the JSON blocks as long anyway, and each promise-based call was a
   * trip through the thread pool (and loaded node:fs/promises) at the start of every command.
   */
  async read(): Promise<State> {
    const text = readIfThere(this.location);
    const journal = readIfThere(this.journalPath) ?? '';
    const backup = statSync(this.backupPath, { throwIfNoEntry: false })?.isFile() ? this.backupPath : undefined;
    const state = text === undefined ? emptyState() : parseStateDocument(text, this.location, backup);
    const { validBytes } = replayJournal(state, journal, this.journalPath);
    // A state that is not there yet is empty by construction: nothing to check (nor a validator to load).
    if (text !== undefined || journal !== '') checkStateFormat(state, journal === '' ? this.location : `${this.location} (with ${this.journalPath})`, backup);
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
        const temporary = `${this.backupPath}.${process.pid}.${nodeCrypto().randomUUID().slice(0, 8)}.tmp`;
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
    return this.bodies.putBodies(new Map([[digest, body]]));
  }

  putBodies(bodies: ReadonlyMap<string, unknown>): Promise<void> {
    return this.bodies.putBodies(bodies);
  }

  getBody(digest: string): Promise<unknown> {
    return this.bodies.getBody(digest);
  }

  async claimNotifications(keys: readonly string[]): Promise<string[]> {
    await this.ensureDirectory();
    return this.notified.claim(keys);
  }

  private async ensureDirectory(): Promise<void> {
    if (this.directoryReady) return;
    await mkdir(dirname(this.location), { recursive: true }).catch((error) => Promise.reject(stateIoError(error, dirname(this.location), 'write')));
    const existing = await stat(this.location).catch(() => undefined);
    if (existing && !existing.isFile()) throw stateIoError(Object.assign(new Error('not a file'), { code: 'EISDIR' }), this.location, 'read');
    this.directoryReady = true;
  }
}

