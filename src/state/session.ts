/**
 * A locked, in-memory copy of the state that writes itself after every change,
 * grouping changes that arrive while a write is in flight into the next write
 * (group commit). `commit` resolves only when its change is durable on disk.
 */
import { randomUUID } from 'node:crypto';
import type { StateStore } from './store.js';
import type { ResourceRecord, State } from './types.js';

const KEPT_PLAN_IDS = 20;

export class StateSession {
  private writing: Promise<void> | undefined;
  private dirty = false;
  /** The first failed write. After it nothing more is written: see `commit`. */
  private failure: unknown;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly store: StateStore,
    private readonly state: State,
  ) {}

  get current(): State {
    return this.state;
  }

  record(address: string): ResourceRecord | undefined {
    return this.state.resources[address];
  }

  put(address: string, record: ResourceRecord): Promise<void> {
    return this.commit((s) => {
      s.resources[address] = record;
    });
  }

  remove(address: string): Promise<void> {
    return this.commit((s) => {
      delete s.resources[address];
    });
  }

  markPlanApplied(planId: string): Promise<void> {
    return this.commit((s) => {
      s.appliedPlans = [...s.appliedPlans, planId].slice(-KEPT_PLAN_IDS);
    });
  }

  /** The error of the first write that failed, if one did. */
  get failed(): unknown {
    return this.failure;
  }

  /**
   * Applies `change` now and resolves once a write containing it has completed.
   *
   * Once a write has failed, every later commit is refused with that error and nothing more is
   * written: the in-memory state then holds changes that are not on disk (a pending record whose
   * create was therefore never sent, say), and writing them later would record things that did
   * not happen. The file keeps the last state that was written in full.
   */
  commit(change: (state: State) => void): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    // In place: a write started after this line includes the change, which is all commit promises.
    change(this.state);
    this.state.serial += 1;
    this.state.lineage ??= randomUUID();
    this.dirty = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.writing) this.writing = this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const waiters = this.waiters.splice(0);
      try {
        if (this.failure !== undefined) throw this.failure;
        await this.store.write(this.state);
        for (const w of waiters) w.resolve();
      } catch (error) {
        this.failure ??= error;
        for (const w of waiters) w.reject(error);
      }
    }
    this.writing = undefined;
  }
}
