/**
 * A locked, in-memory copy of the state that writes itself after every change,
 * grouping changes that arrive while a write is in flight into the next write
 * (group commit). `commit` resolves only when its change is durable.
 *
 * The session tracks which records changed since the last write, so a store
 * can write records rather than documents (PostgreSQL: one transaction with the
 * rows that changed); the file store writes the whole document.
 */
import { nodeCrypto } from '../model/node-crypto.js';
import { canonicalJson } from '../model/digest.js';
import type { StateStore, StateDelta } from './store.js';
import type { ResourceRecord, State } from '../model/records.js';

const KEPT_PLAN_IDS = 20;

export class StateSession {
  private writing: Promise<void> | undefined;
  private dirty = false;
  private delta: StateDelta = { put: new Map(), remove: new Set() };
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** The first failed write. After it nothing more is written: see `commit`. */
  private failure: unknown;

  constructor(
    private readonly store: Pick<StateStore, 'write'>,
    private readonly state: State,
  ) {}

  get current(): State {
    return this.state;
  }

  /** The error of the first write that failed, if one did. */
  get failed(): unknown {
    return this.failure;
  }

  record(address: string): ResourceRecord | undefined {
    return this.state.resources[address];
  }

  put(address: string, record: ResourceRecord): Promise<void> {
    return this.commit({ put: [[address, record]] });
  }

  /** Several records in one write (one journal line, one transaction). */
  putMany(entries: readonly [string, ResourceRecord][]): Promise<void> {
    return this.commit({ put: [...entries] });
  }

  remove(address: string): Promise<void> {
    return this.commit({ remove: [address] });
  }

  /** Renames a record in one write: the state never holds both, or neither. */
  move(from: string, to: string, record: ResourceRecord): Promise<void> {
    return this.commit({ put: [[to, record]], remove: [from] });
  }

  markPlanApplied(planId: string): Promise<void> {
    return this.commit({ appliedPlan: planId });
  }

  /**
   * Applies a change now and resolves once a write containing it has completed.
   *
   * Once a write has failed, every later commit is refused with that error and nothing more is
   * written: the in-memory state then holds changes that are not durable (a pending record whose
   * create was therefore never sent, say), and writing them later would record things that did
   * not happen. The store keeps the last state that was written in full.
   */
  private commit(change: { put?: [string, ResourceRecord][]; remove?: string[]; appliedPlan?: string }): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    // Nothing would change (the same record again, a remove of what is not there): no write and no
    // new serial, or a saved plan would go stale for nothing. Durable once any write in flight is.
    if (this.isNoOp(change)) return this.afterWritesInFlight();
    // In place: a write started after this line includes the change, which is all commit promises.
    for (const address of change.remove ?? []) {
      delete this.state.resources[address];
      this.delta.put.delete(address);
      this.delta.remove.add(address);
    }
    for (const [address, record] of change.put ?? []) {
      this.state.resources[address] = record;
      this.delta.remove.delete(address);
      this.delta.put.set(address, record);
    }
    if (change.appliedPlan) this.state.appliedPlans = [...this.state.appliedPlans, change.appliedPlan].slice(-KEPT_PLAN_IDS);
    this.state.serial += 1;
    this.state.lineage ??= nodeCrypto().randomUUID();
    this.dirty = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.writing) this.writing = this.flush();
    return done;
  }

  private isNoOp(change: { put?: [string, ResourceRecord][]; remove?: string[]; appliedPlan?: string }): boolean {
    return (
      (change.remove ?? []).every((address) => this.state.resources[address] === undefined) &&
      (change.put ?? []).every(([address, record]) => sameRecord(this.state.resources[address], record)) &&
      (change.appliedPlan === undefined || this.state.appliedPlans.includes(change.appliedPlan))
    );
  }

  private async afterWritesInFlight(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private async flush(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const waiters = this.waiters.splice(0);
      const delta = this.delta;
      this.delta = { put: new Map(), remove: new Set() };
      try {
        if (this.failure !== undefined) throw this.failure;
        await this.store.write(this.state, delta);
        for (const w of waiters) w.resolve();
      } catch (error) {
        this.failure ??= error;
        for (const w of waiters) w.reject(error);
      }
    }
    this.writing = undefined;
  }
}

function sameRecord(a: ResourceRecord | undefined, b: ResourceRecord): boolean {
  if (a === undefined) return false;
  if (a === b) return true;
  // Most changes differ here (a pending record becoming applied): no need to serialise both.
  if (a.status !== b.status || a.digest !== b.digest) return false;
  return canonicalJson(a) === canonicalJson(b);
}
