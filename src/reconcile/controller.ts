/**
 * rosetta reconcile: the GitOps loop. One replica leads (the store's leader lock) and runs cycles:
 * at start, every interval with a little jitter, and at once on a webhook; never two at a time (a
 * trigger during a cycle queues one more). A failed cycle is retried sooner, backing off up to the
 * interval; nothing ends the process but a signal. Standbys serve health and metrics and wait for
 * the leader's lock, which frees itself when the leader dies.
 */
import { systemClock } from '../api/client.js';
import { isRosettaError } from '../errors.js';
import type { HeldLock } from '../state/lock.js';
import type { Kind } from '../model/resources.js';
import { idLabel } from '../kinds/index.js';
import { dashboardData, type CycleRecord, type DashboardData } from '../ui/data.js';
import { runCycle, type CycleDeps, type CycleOutcome } from './cycle.js';
import { refreshRound } from './refresh-loop.js';
import { startServer } from './server.js';

/** What every cycle runs with (the rest of CycleDeps is the controller's own). */
export type CycleSettings = Omit<CycleDeps, 'stop' | 'known' | 'completion'>;

/** The cycles the dashboard lists. */
const HISTORY = 20;

export interface ControllerOptions extends CycleSettings {
  intervalMs: number;
  /** --refresh-interval: read the platform this often while leading (refresh-loop.ts); off when absent. */
  refreshIntervalMs?: number | undefined;
  /** Standbys wait for the leader lock (PostgreSQL); false: a second replica fails fast (file state). */
  standby: boolean;
  listen?: string | undefined;
  webhookSecret?: string | undefined;
  /** ROSETTA_UI_TOKEN: the dashboard needs it (required by the command when not on loopback). */
  uiToken?: string | undefined;
  random?: () => number;
}

/** The first retry after a failed cycle; doubled each time, up to the interval. */
const FIRST_RETRY_MS = 5_000;

export class Controller {
  private readonly stopping = new AbortController();
  private readonly known = new Map<string, string>();
  private readonly completion = new Map<string, number>();
  /** The last cycles' records, oldest first: what the dashboard shows (and /readyz and metrics follow). */
  private readonly history: CycleRecord[] = [];
  private last: CycleOutcome['details'];
  /** Where each resource was applied from, as this process saw it. */
  private readonly origins = new Map<string, { revision?: string; file?: string }>();
  private wake: (() => void) | undefined;
  private running = false;
  private again = false;
  private cycles = 0;
  private completed = false;
  private storeReachable = false;
  private leading = false;

  constructor(private readonly options: ControllerOptions) {}

  /** SIGTERM/SIGINT: no new cycle or create; creates in flight finish and are recorded. */
  shutdown(): void {
    if (this.stopping.signal.aborted) return;
    this.options.logger.info('shutting down: no new cycle or create; waiting for the creates in flight');
    this.stopping.abort();
    this.wake?.();
  }

  /** Starts a cycle now, or right after the running one. */
  trigger(reason: string): void {
    this.options.logger.info({ reason }, `reconcile triggered by ${reason}`);
    if (this.running) this.again = true;
    else this.wake?.();
  }

  /** One cycle, for --once and cron: apply's exit codes. */
  async once(): Promise<number> {
    const outcome = await this.cycle();
    return outcome.result === 'success' ? 0 : 1;
  }

  /** Runs until shutdown; resolves with the exit code. */
  async run(): Promise<number> {
    const { logger } = this.options;
    const server = this.options.listen
      ? await startServer(this.options.listen, {
          registry: this.options.metrics.registry,
          ready: () => this.ready(),
          leading: () => this.leading,
          trigger: (reason) => this.trigger(reason),
          webhookSecret: this.options.webhookSecret,
          ui: { data: () => this.dashboard(), token: this.options.uiToken, title: 'rosetta reconcile' },
        })
      : undefined;
    if (server) logger.info({ url: server.url }, `serving /healthz, /readyz, /metrics and webhooks on ${server.url}`);
    try {
      while (!this.stopping.signal.aborted) {
        await this.checkStore();
        const leader = await this.becomeLeader();
        if (!leader) continue;
        try {
          await this.lead(leader);
        } finally {
          this.leading = false;
          this.options.metrics.leader.set(0);
          await leader.release().catch(() => undefined);
        }
      }
      return 0;
    } finally {
      await server?.close();
      logger.info('stopped');
    }
  }

  private ready(): boolean {
    return this.storeReachable && (this.completed || !this.leading);
  }

  private async checkStore(): Promise<void> {
    try {
      await this.options.store.read();
      this.storeReachable = true;
    } catch (error) {
      this.storeReachable = false;
      this.options.logger.error({ err: message(error) }, `state store unreachable: ${message(error)}`);
      await this.sleep(FIRST_RETRY_MS);
    }
  }

  private async becomeLeader(): Promise<HeldLock | undefined> {
    const { store, logger, metrics } = this.options;
    try {
      logger.info(this.options.standby ? 'waiting to become the leader' : 'taking the leader lock');
      const lock = await store.lockLeader({ command: 'rosetta reconcile', timeoutMs: this.options.standby ? 10 * 365 * 24 * 3600_000 : 0, signal: this.stopping.signal });
      this.leading = true;
      metrics.leader.set(1);
      logger.info('leading: this replica applies');
      return lock;
    } catch (error) {
      if (this.stopping.signal.aborted) return undefined;
      if (!this.options.standby && isRosettaError(error) && error.code === 'ROS_STATE_LOCKED') throw error; // a second replica on a file state
      logger.error({ err: message(error) }, `could not take the leader lock: ${message(error)}`);
      await this.sleep(FIRST_RETRY_MS);
      return undefined;
    }
  }

  private async lead(leader: HeldLock): Promise<void> {
    // The moment the lock's connection dies another replica may lead: say so at once (the metric,
    // readiness) and stop waiting for the next cycle, rather than find out when it comes.
    const onLost = () => {
      this.leading = false;
      this.options.metrics.leader.set(0);
      this.options.logger.warn('lost the leader lock (its database connection ended); standing by');
      this.wake?.();
    };
    leader.lost?.addEventListener('abort', onLost, { once: true });
    const led = new AbortController();
    const refreshing = this.refreshLoop(AbortSignal.any([led.signal, this.stopping.signal]), () => this.leading && leader.held !== false);
    try {
      await this.leadCycles(leader);
    } finally {
      led.abort();
      await refreshing;
      leader.lost?.removeEventListener('abort', onLost);
    }
  }

  /** --refresh-interval: a read of the platform every interval while this replica leads; a failed one is logged. */
  private async refreshLoop(stop: AbortSignal, leading: () => boolean): Promise<void> {
    const every = this.options.refreshIntervalMs;
    if (every === undefined) return;
    const drifted = new Map<string, Kind>();
    for (let round = 0; ; round++) {
      await systemClock.sleep(every, stop);
      if (stop.aborted || !leading()) return;
      try {
        const { read, drifted: found } = await refreshRound({ ...this.options, known: this.known, drifted }, round);
        this.options.logger.info({ read, drifted: found }, `refreshed ${read} resources from the platform`);
      } catch (error) {
        this.options.logger.error({ err: message(error) }, `refresh failed: ${message(error)}`);
      }
    }
  }

  private async leadCycles(leader: HeldLock): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      if (leader.held === false) return;
      const outcome = await this.cycle();
      failures = outcome.result === 'success' ? 0 : failures + 1;
      if (this.again) {
        this.again = false;
        continue;
      }
      await this.sleep(failures > 0 ? Math.min(this.options.intervalMs, FIRST_RETRY_MS * 2 ** (failures - 1)) : this.jittered());
    }
  }

  private async cycle(): Promise<CycleOutcome> {
    this.running = true;
    try {
      const outcome = await runCycle({ ...this.options, stop: this.stopping.signal, known: this.known, completion: this.completion }, ++this.cycles);
      this.remember(outcome);
      this.completed ||= outcome.result !== 'failed';
      // Readiness follows the store: lost with it, back with the first cycle that reaches it.
      if (outcome.storeFailed) this.storeReachable = false;
      else if (outcome.result !== 'failed') this.storeReachable = true;
      return outcome;
    } finally {
      this.running = false;
    }
  }

  /** Keeps the cycle's record and what the dashboard shows of it. */
  private remember(outcome: CycleOutcome): void {
    if (outcome.record) this.history.push(outcome.record);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    if (!outcome.details) return;
    this.last = outcome.details;
    for (const [address, file] of outcome.details.files) this.origins.set(address, { ...this.origins.get(address), file });
    for (const r of outcome.details.results) {
      if (r.outcome === 'created' || r.outcome === 'adopted' || r.outcome === 'updated') this.origins.set(r.address, { ...this.origins.get(r.address), ...(outcome.revision ? { revision: outcome.revision } : {}) });
    }
  }

  /** The dashboard's data: the state as stored, with what this process knows of the platform and its cycles. */
  async dashboard(): Promise<DashboardData> {
    const state = await this.options.store.read();
    const statuses = new Map<string, { status: string; completion?: number }>();
    for (const [address, status] of this.known) statuses.set(address, { status, ...(this.completion.has(address) ? { completion: this.completion.get(address)! } : {}) });
    return dashboardData({
      state,
      statuses,
      ...(this.last ? { plan: this.last.plan, results: this.last.results } : {}),
      origins: this.origins,
      cycles: this.history,
      leading: this.leading,
      idLabel,
    });
  }

  /** The interval, ±10%, so replicas and cron-like schedules do not beat in step. */
  private jittered(): number {
    const random = this.options.random ?? Math.random;
    return Math.round(this.options.intervalMs * (0.9 + 0.2 * random()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      if (this.stopping.signal.aborted) done();
    });
  }
}

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
