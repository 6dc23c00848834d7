/** The controller's Prometheus metrics (names from the contract), on a registry of its own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CycleResult = 'success' | 'failed' | 'invalid';

export const ATTENTION_REASONS = ['conflict', 'orphan', 'pending', 'held', 'drift'] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

export class ReconcileMetrics {
  readonly registry = new Registry();
  readonly cycles = new Counter({ name: 'rosetta_reconcile_total', help: 'Reconcile cycles by result.', labelNames: ['result'] as const, registers: [this.registry] });
  readonly duration = new Histogram({ name: 'rosetta_reconcile_duration_seconds', help: 'How long a reconcile cycle took.', buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300], registers: [this.registry] });
  readonly resources = new Gauge({ name: 'rosetta_resources', help: 'Resources in state by kind and last known status.', labelNames: ['kind', 'status'] as const, registers: [this.registry] });
  readonly apiRequests = new Counter({ name: 'rosetta_api_requests_total', help: 'Rosetta API answers by endpoint and business code (or HTTP status, or network).', labelNames: ['endpoint', 'code'] as const, registers: [this.registry] });
  readonly lastCycle = new Gauge({ name: 'rosetta_last_reconcile_timestamp_seconds', help: 'When the last reconcile cycle ended (Unix time).', registers: [this.registry] });
  readonly revision = new Gauge({ name: 'rosetta_source_revision_info', help: 'The source revision of the last cycle (value 1).', labelNames: ['revision'] as const, registers: [this.registry] });
  readonly attention = new Gauge({
    name: 'rosetta_attention_resources',
    help: 'Resources the last cycle planned but could not act on, by reason: conflict, orphan, pending (a sampling create with an unknown outcome), held (a sampling plan under a request that existed before this state), drift. pending and held wait for a person.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly drift = new Gauge({ name: 'rosetta_drift_resources', help: 'Resources the last refresh (--refresh-interval) found drifted or gone on the platform, by kind.', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly completion = new Gauge({ name: 'rosetta_annotation_completion_ratio', help: 'How far along each annotation request is: its completion pool share, 0 to 1.', labelNames: ['name'] as const, registers: [this.registry] });
  readonly notifications = new Counter({ name: 'rosetta_notifications_total', help: 'Notifications by target (without its secret path) and result: sent, or failed after every retry.', labelNames: ['target', 'result'] as const, registers: [this.registry] });
  readonly leader = new Gauge({ name: 'rosetta_leader', help: '1 while this replica is the leader that applies, 0 on a standby.', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    for (const result of ['success', 'failed', 'invalid'] as const) this.cycles.inc({ result }, 0);
    this.leader.set(0);
    for (const reason of ATTENTION_REASONS) this.attention.set({ reason }, 0);
  }

  /** The last plan's counts of what a person must look at. */
  setAttention(summary: Readonly<Record<AttentionReason, number>>): void {
    for (const reason of ATTENTION_REASONS) this.attention.set({ reason }, summary[reason]);
  }

  cycleEnded(result: CycleResult, seconds: number, revision: string | undefined): void {
    this.cycles.inc({ result });
    this.duration.observe(seconds);
    this.lastCycle.set(Date.now() / 1000);
    if (revision) {
      this.revision.reset();
      this.revision.set({ revision }, 1);
    }
  }

  /** Replaces the resource counts. */
  setResources(counts: ReadonlyMap<string, number>): void {
    this.resources.reset();
    for (const [key, count] of counts) {
      const [kind, status] = key.split('\0') as [string, string];
      this.resources.set({ kind, status }, count);
    }
  }
}
