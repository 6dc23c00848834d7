// The engine with a state store whose disk is full (the one failure that cannot be made real here).
import { describe, expect, it } from 'vitest';
import { applyCreates } from '../../src/apply/engine.js';
import type { ApplyReport, Reporter, ResourceResult } from '../../src/apply/types.js';
import { plan } from '../../src/plan/plan.js';
import type { Create } from '../../src/plan/types.js';
import { StateSession } from '../../src/state/session.js';
import { emptyState, type State } from '../../src/state/types.js';
import { requestResource, samplingResource } from '../helpers/resources.js';
import { client, simulator } from '../helpers/sim.js';

class RecordingReporter implements Reporter {
  events: string[] = [];
  begin(creates: readonly Create[]): void {
    this.events.push(`begin ${creates.length}`);
  }
  started(address: string): void {
    this.events.push(`started ${address}`);
  }
  retrying(address: string): void {
    this.events.push(`retrying ${address}`);
  }
  warned(address: string, message: string): void {
    this.events.push(`warned ${address}: ${message}`);
  }
  finished(result: ResourceResult): void {
    this.events.push(`finished ${result.address} ${result.outcome}`);
  }
  async end(report: ApplyReport): Promise<void> {
    this.events.push(`end ${JSON.stringify(report.summary)}`);
  }
}

describe('apply engine when state cannot be written', () => {
  it('reports the creates as not completed, keeps the sampling intent, and never resends', async () => {
    const sim = await simulator();
    const resources = [requestResource('a'), samplingResource('a-qa', 'a')];
    let writes = 0;
    const full = {
      putBody: async () => {
        throw new Error('ENOSPC: no space left on device');
      },
      write: async (_state: State) => {
        writes++;
        // The first write (the annotation request's result) lands; then the disk is full.
        if (writes > 1) throw new Error('ENOSPC: no space left on device');
      },
    };
    const session = new StateSession(full as never, emptyState());
    const reporter = new RecordingReporter();
    const creates = plan(resources, emptyState()).changes.filter((c): c is Create => c.action === 'create');
    const report = await applyCreates(creates, { client: client(sim), session, store: full, reporter });

    expect(report.summary).toEqual({ created: 1, adopted: 0, failed: 1, skipped: 0 });
    const failed = report.results.find((r) => r.outcome === 'failed')!;
    expect(failed).toMatchObject({ address: 'SamplingPlan/a-qa', message: 'could not complete: ENOSPC: no space left on device' });
    expect(failed.hint).toMatch(/a sampling create shows as pending/);
    expect(reporter.events).toContain('warned AnnotationRequest/a: could not keep the body for later diffs: ENOSPC: no space left on device');
    // The pending record could not be made durable, so the sampling create was never sent.
    expect(sim.received.sampling).toBe(0);
  });
});
