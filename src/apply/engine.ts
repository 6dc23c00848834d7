/**
 * Runs the creates and updates of a plan: dependency order (a campaign only after its folder,
 * taxonomy and template exist, a request after its campaign, a sampling plan after its request),
 * bounded concurrency, state written after every create, stop and cancel, and confirmed creates
 * that state could not hold.
 * How each kind is created and recorded is its module's protocol (src/kinds/):
 * for sampling plans, at most once (pending record → send → record the answer).
 */
import type { CallOptions } from '../api/client.js';
import { heldAdvice, intentOf, sendCreate, sendUpdate } from '../kinds/index.js';
import type { CreateContext } from '../kinds/types.js';
import type { Create, Operation } from '../model/changes.js';
import type { StateSession } from '../state/session.js';
import type { StateStore } from '../state/store.js';
import { Semaphore } from './semaphore.js';
import { summariseResults, type ApplyClient, type ApplyEventSink, type ApplyReport, type ResourceResult } from './types.js';

export interface ApplyDeps {
  client: ApplyClient;
  session: StateSession;
  /** Where bodies are kept for later diffs. */
  store: Pick<StateStore, 'putBodies'>;
  /** Progress: `apply.*` events (an IoHost). */
  host: ApplyEventSink;
  /** @default 10 */
  concurrency?: number;
  /** A mismatch after 53004/53005 fails instead of warning. */
  strictAdopt?: boolean;
  /** Stop (Ctrl-C, SIGTERM): start nothing new; creates in flight go on and are recorded. */
  stop?: AbortSignal;
  /**
   * Cancel: abort the requests in flight (the caller fires it when the grace period after a stop
   * is over). An aborted sampling create is ambiguous, so it stays pending.
   */
  cancel?: AbortSignal;
  now?: () => Date;
}

/** Thrown when an answer the API confirmed cannot be recorded; carries the answer's result. */
class Unrecorded extends Error {
  constructor(readonly result: ResourceResult, reason: unknown) {
    super((reason as Error)?.message ?? String(reason), { cause: reason });
  }
}

export async function applyCreates(operations: readonly Operation[], deps: ApplyDeps): Promise<ApplyReport> {
  const creates = operations.filter((o): o is Create => o.action === 'create');
  const now = deps.now ?? (() => new Date());
  const slots = new Semaphore(deps.concurrency ?? 10);
  const results = new Map<string, Promise<ResourceResult>>();
  /** Bodies to keep for later diffs, by digest; written after the run (see keepBodies). */
  const bodies = new Map<string, { address: string; body: unknown }>();
  let unstarted = 0;
  deps.host.notify({ code: 'apply.begin', level: 'info', data: { creates: operations } });

  /** Why nothing new may start, if something says so. */
  const stopReason = (): string | undefined => {
    if (deps.session.failed !== undefined) return 'not started: the state could not be written';
    if (deps.stop?.aborted) return 'stopped before it started';
    return undefined;
  };

  const run = async (create: Operation): Promise<ResourceResult> => {
    // Let every create register in `results` first, so a dependency is found whatever the order.
    await null;
    const base = { kind: create.kind, name: create.name, address: create.address };
    const skipped = await dependencyProblem(create);
    if (skipped) return finish({ ...base, outcome: 'skipped', ...skipped });
    const release = await slots.acquire();
    try {
      const stopped = stopReason();
      if (stopped) {
        unstarted++;
        return finish({ ...base, outcome: 'skipped', message: stopped });
      }
      if (create.action === 'create') await intents.ensure(create);
      deps.host.notify({ code: 'apply.create.start', level: 'info', data: { address: create.address } });
      const call: CallOptions = { onRetry: (event) => deps.host.notify({ code: 'apply.create.retry', level: 'warn', data: { address: create.address, ...event } }), ...(deps.cancel ? { signal: deps.cancel } : {}) };
      // --concurrency bounds requests to the API: the slot is freed as soon as the answer is in,
      // while the answer is being made durable (the result is reported only once it is).
      const context = contextFor(create.address, call, release);
      return finish(await (create.action === 'create' ? sendCreate(create, context) : sendUpdate(create, context)));
    } catch (error) {
      if (error instanceof Unrecorded) {
        return finish({
          ...error.result,
          outcome: 'failed',
          unrecorded: true,
          message: `the API confirmed it, but it could not be recorded in state: ${error.message}`,
          hint: recordHint(error.result),
        });
      }
      // The state could not be written before the request: nothing was sent.
      return finish({
        ...base,
        outcome: 'failed',
        message: `not sent: ${(error as Error).message}`,
        hint: 'fix the cause, then run plan and apply again',
      });
    } finally {
      release();
    }
  };

  /**
   * A resource waits for what it needs in this run (a campaign for its folder); a sampling plan for
   * its annotation request, with that request's own reasons to hold back. Why it must be skipped, if so.
   */
  const dependencyProblem = async (create: Operation): Promise<Partial<ResourceResult> | undefined> => {
    for (const need of create.action === 'create' ? (create.needs ?? []) : []) {
      const inThisRun = results.get(need);
      if (!inThisRun || (create.kind === 'SamplingPlan' && need === create.dependsOn)) continue;
      const dependency = await inThisRun;
      if (dependency.outcome !== 'created' && dependency.outcome !== 'adopted' && dependency.outcome !== 'updated') return { message: `${need} was not applied (${dependency.outcome})` };
    }
    if (create.kind !== 'SamplingPlan' || create.action !== 'create' || !create.dependsOn) return undefined;
    const dependsOn = create.dependsOn;
    const inThisRun = results.get(dependsOn);
    if (inThisRun) {
      const dependency = await inThisRun;
      if (dependency.outcome !== 'created' && dependency.outcome !== 'adopted') return { message: `${dependsOn} was not applied (${dependency.outcome})` };
      if (dependency.absent) return { message: absentMessage(dependsOn) };
      // Adopted in this run without this state having sent it: guarantee 7.
      if (dependency.existedBefore && !create.onAdoptedRequest) return heldResult(create.address, dependsOn, dependency.code);
      return undefined;
    }
    const applied = deps.session.record(dependsOn);
    return applied?.kind === 'AnnotationRequest' && applied.status === 'applied' && applied.absent ? { message: absentMessage(dependsOn) } : undefined;
  };

  const warn = (address: string, message: string): void => {
    deps.host.notify({ code: 'apply.create.warning', level: 'warn', data: { address, message } });
  };

  const finish = (result: ResourceResult): ResourceResult => {
    deps.host.notify({ code: 'apply.create.result', level: result.outcome === 'failed' ? 'error' : 'info', data: { result } });
    return result;
  };

  /**
   * Bodies only improve later diffs, so they are kept after every create has been recorded, off
   * the create path, and not at all once a state write has failed: they must never take the disk
   * space (or the time) that records need. Failing to keep one is a warning, never a failure.
   */
  const keepBodies = async (): Promise<void> => {
    if (deps.session.failed !== undefined || bodies.size === 0) return;
    const all = new Map([...bodies].map(([digest, { body }]) => [digest, body]));
    await deps.store.putBodies(all).catch((error: Error) => {
      for (const { address } of bodies.values()) warn(address, `could not keep the body for later diffs: ${error.message}`);
    });
  };

  /** What a kind's create protocol may do (src/kinds/): send, record, warn, keep bodies. */
  const contextFor = (address: string, call: CallOptions, answered: () => void): CreateContext => ({
    client: deps.client,
    call,
    answered,
    warn: (message) => warn(address, message),
    // Written ahead with the creates queued after it: durable already, nothing to wait for.
    recordIntent: (entry) => (intents.written(address) ? Promise.resolve() : deps.session.put(address, entry)),
    // A confirmed answer that cannot be recorded: its ids must still reach the user.
    recordConfirmed: async (entry, result) => {
      try {
        await deps.session.put(address, entry);
      } catch (error) {
        throw new Unrecorded(result, error);
      }
      return result;
    },
    recordQuietly: (entry) => deps.session.put(address, entry).catch(() => undefined),
    forget: () => deps.session.remove(address).catch(() => undefined),
    restore: () => restoreFound(address),
    current: () => deps.session.record(address),
    keepBody: (digest, body) => void bodies.set(digest, { address, body }),
    strictAdopt: deps.strictAdopt ?? false,
    now,
  });

  /** The records the creates found, to put back when a create's intent turns out to be void. */
  const found = new Map(operations.map((c) => [c.address, deps.session.record(c.address)]));
  /** Best effort: the record `address` had before this run, or none. */
  const restoreFound = (address: string): Promise<void> => {
    const before = found.get(address);
    return (before ? deps.session.put(address, before) : deps.session.remove(address)).catch(() => undefined);
  };
  const intents = new IntentsAhead(creates, deps.session, deps.concurrency ?? 10, now);
  for (const operation of operations) results.set(operation.address, run(operation));
  const settled = await Promise.all(results.values());
  // Intents written ahead for creates that never started (a stop, a failed state write): void.
  for (const result of settled) {
    if (result.outcome === 'skipped' && intents.written(result.address) && deps.session.failed === undefined) await restoreFound(result.address);
  }
  await keepBodies();
  const report: ApplyReport = { results: settled, summary: summariseResults(settled), interrupted: unstarted > 0 };
  await deps.host.notify({ code: 'apply.end', level: 'info', data: { report } });
  return report;
}

/**
 * The intents of retry-safe creates, kept a window ahead of the creates: written in commits of
 * `window` (the next creates waiting for slots), and the next commit started as soon as fewer than
 * a window are written and not yet started, so a create finds its intent durable already instead
 * of waiting for a write (only the first create of a run waits). One commit per create made apply
 * 1.17x a raw request pool; one per window, with each window's first create waiting, 1.09x at 16
 * in flight; ahead, 1.04x. An intent written ahead for a create that then never starts is put
 * back at the end of the run; after a kill -9 it stays, and the next run sends that create again,
 * as it would anyway (see docs/guides/recovering.md, guarantee 7).
 */
class IntentsAhead {
  private readonly done = new Map<string, Promise<void>>();
  /** The creates whose kind has an intent to write ahead, in the order they wait for slots. */
  private readonly queue: Create[];
  private readonly queued: ReadonlySet<string>;
  /** The next create of `queue` whose intent is not being written yet. */
  private next = 0;
  /** Intents written (or being written), and creates that have asked for theirs. */
  private writtenCount = 0;
  private startedCount = 0;

  constructor(
    creates: readonly Create[],
    private readonly session: StateSession,
    private readonly window: number,
    private readonly now: () => Date,
  ) {
    const at = now();
    this.queue = creates.filter((c) => intentOf(c, at) !== undefined);
    this.queued = new Set(this.queue.map((c) => c.address));
  }

  /** Whether the create's intent was written ahead (ensure awaits it before the create is sent). */
  written(address: string): boolean {
    return this.done.has(address);
  }

  /** Resolves once the create's intent is durable; starts writing the next window's if it is due. */
  async ensure(create: Create): Promise<void> {
    if (!this.queued.has(create.address)) return;
    this.startedCount++;
    const pending = this.done.get(create.address) ?? this.writeFrom(create);
    if (this.writtenCount - this.startedCount < this.window && this.next < this.queue.length) {
      // Not awaited here: the creates it is for wait for it. A failed write stops the run (session.failed).
      this.writeFrom(undefined).catch(() => undefined);
    }
    await pending;
  }

  /** One commit: `first` (a create whose turn came before its intent was written) and the next window's intents. */
  private writeFrom(first: Create | undefined): Promise<void> {
    const batch: Create[] = first ? [first] : [];
    while (this.next < this.queue.length && batch.length <= this.window) {
      const queued = this.queue[this.next++]!;
      if (!this.done.has(queued.address) && queued.address !== first?.address) batch.push(queued);
    }
    if (batch.length === 0) return Promise.resolve();
    const at = this.now();
    const pending = this.session.putMany(batch.map((c) => [c.address, intentOf(c, at)!]));
    for (const c of batch) this.done.set(c.address, pending);
    this.writtenCount += batch.length;
    return pending;
  }
}

function heldResult(address: string, dependsOn: string, code: number | undefined): Partial<ResourceResult> {
  return {
    held: true,
    message: `held back: ${dependsOn} already existed (${code ?? 'adopted'}) and this state had not sent it, so a sampling package may exist already`,
    hint: heldAdvice(address),
  };
}

function absentMessage(dependsOn: string): string {
  return `${dependsOn} was adopted by name (53005), but the platform has no request with its id: the name belongs to another request. Give it another annotationRequestName, then rosetta state rm ${dependsOn} and apply`;
}

/** What to run to record a create the API confirmed but state could not hold. */
function recordHint(result: ResourceResult): string {
  if (result.kind === 'SamplingPlan' && result.samplingPackageId !== undefined) {
    return `once state can be written: rosetta state resolve ${result.address} --sampling-package-id ${result.samplingPackageId}`;
  }
  return 'once state can be written, run apply again: the request is adopted by its id (53004)';
}
