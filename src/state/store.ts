/**
 * The state store interfaces: reader, writer, locker, body store. Implementations: the file store
 * (./file-store.ts: a snapshot, a journal, body packs) and PostgreSQL (./postgres/).
 */
import type { HeldLock, LockOptions } from './lock.js';
import type { LockHolder, ResourceRecord, State } from '../model/records.js';

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

/**
 * What reconcile --notify sent, by event key (`created\0Folder/helix`): kept with the state so an
 * event goes out at most once across restarts and replicas.
 */
export interface NotificationLog {
  /** Records the keys not recorded before, in one durable step, and returns those (the events to send). */
  claimNotifications(keys: readonly string[]): Promise<string[]>;
}

/** Where state lives (statemgr-like: small interfaces, one shared test suite for every store). */
/** A lock that `state unlock` removed: which one, who held it (unknown if its file was unreadable), where. */
export interface UnlockedLock {
  lock: 'state' | 'leader';
  holder: LockHolder | undefined;
  where: string;
}

export interface StateStore extends StateReader, StateWriter, StateLocker, BodyStore, NotificationLog {
  /** Where the state is, for messages; never holds a password. */
  readonly location: string;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

