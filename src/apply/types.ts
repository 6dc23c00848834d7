/** The events an apply reports progress with; its results are model vocabulary (src/model/results.ts). */
import type { RetryEvent } from '../api/client.js';
import type { Operation } from '../model/changes.js';
import type { ApplyReport, ResourceResult } from '../model/results.js';

export { RESULT_OUTCOMES, summariseResults, type ApplyReport, type ApplySummary, type ResourceResult, type ResultOutcome } from '../model/results.js';
export type { ApplyClient } from '../kinds/types.js';

/**
 * What the engine reports while it runs, as coded events (see src/host/events.ts). `apply.end` is
 * awaited: a progress display may still be drawing.
 */
export type ApplyEvent =
  | { code: 'apply.begin'; level: 'info'; data: { creates: readonly Operation[] } }
  | { code: 'apply.create.start'; level: 'info'; data: { address: string } }
  | { code: 'apply.create.retry'; level: 'warn'; data: { address: string } & RetryEvent }
  | { code: 'apply.create.warning'; level: 'warn'; data: { address: string; message: string } }
  | { code: 'apply.create.result'; level: 'info' | 'error'; data: { result: ResourceResult } }
  | { code: 'apply.end'; level: 'info'; data: { report: ApplyReport } };

/** Where the engine sends its events; an IoHost is one. */
export interface ApplyEventSink {
  notify(event: ApplyEvent): void | Promise<void>;
}

