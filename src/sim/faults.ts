/**
 * Fault injection for tests and benchmarks, seeded and reproducible: random
 * faults by rate, and scripted one-shot faults queued per route.
 */

/** The creates (and the one update), each on its own, and all reads together. */
export type Route = 'annotation-request' | 'sampling' | 'folder' | 'taxonomy' | 'workflow' | 'campaign' | 'get';

export type Fault =
  /** Answer this business code without processing (with this message instead of the code's own, if given). */
  | { type: 'business'; code: number; message?: string }
  /** Answer a raw HTTP status and body (a proxy page, say) without processing. */
  | { type: 'http'; status: number; body?: string; headers?: Record<string, string> }
  /** Cut the connection before processing. */
  | { type: 'reset' }
  /** Process (store the create), then cut the connection before answering. */
  | { type: 'commit-then-drop' }
  /** Never answer; `commit` says whether the create is stored first. */
  | { type: 'hang'; commit: boolean }
  /** A real TCP reset (RST, ECONNRESET at the client), before or after storing the create. */
  | { type: 'rst'; commit: boolean }
  /** Store the create, send the headers, then one byte of the answer every `intervalMs`, forever. */
  | { type: 'trickle'; intervalMs: number }
  /** Answer normally after a delay. */
  | { type: 'delay'; ms: number };

export interface RandomFaults {
  /** Latency added to every request: fixed ms, or a [min, max] range. */
  latencyMs?: number | [number, number];
  /** Share of requests answered 5000 without processing. */
  rate5000?: number;
  /** Share of requests whose connection is reset before processing. */
  resetRate?: number;
  /** Share of creates stored and then dropped before the answer, per route. */
  commitThenDropRate?: Partial<Record<Exclude<Route, 'get'>, number>>;
}

export class FaultPlan {
  private readonly queues: Record<Route, Fault[]> = { 'annotation-request': [], sampling: [], folder: [], taxonomy: [], workflow: [], campaign: [], get: [] };

  constructor(
    private readonly random: () => number,
    public config: RandomFaults = {},
  ) {}

  /** Queues `fault` for the next `times` requests on `route`. */
  inject(route: Route, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.queues[route].push(fault);
  }

  latency(): number {
    const l = this.config.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    return l[0] + this.random() * (l[1] - l[0]);
  }

  /** The fault for this request, if any: a queued one first, then the random ones. */
  next(route: Route): Fault | undefined {
    const queued = this.queues[route].shift();
    if (queued) return queued;
    const { rate5000 = 0, resetRate = 0, commitThenDropRate = {} } = this.config;
    // Always draw the same number of values so a schedule does not shift with the config.
    const [a, b, c] = [this.random(), this.random(), this.random()];
    if (a < resetRate) return { type: 'reset' };
    if (b < rate5000) return { type: 'business', code: 5000 };
    if (route !== 'get' && c < (commitThenDropRate[route] ?? 0)) return { type: 'commit-then-drop' };
    return undefined;
  }
}
