/**
 * Live progress in a terminal with listr2: one line per resource, a spinner
 * while it runs, retries shown in place. The engine runs the work; each listr
 * task only waits for its resource's result.
 *
 * listr2 would install its own SIGINT handler (and exit); the apply command
 * owns Ctrl-C instead, so it can stop starting creates, let the ones in flight
 * finish, write state and release the lock.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import type { RetryEvent } from '../../api/client.js';
import { printable } from '../../text.js';
import type { Create } from '../../plan/types.js';
import type { ApplyReport, Reporter, ResourceResult } from '../types.js';
import { describeResult } from './describe.js';

interface Slot {
  task?: ListrTaskWrapper<unknown, never, never>;
  /** Set before listr has started the task (it starts them asynchronously); applied when it does. */
  title?: string;
  resolve: (result: ResourceResult) => void;
  done: Promise<ResourceResult>;
}

export class ListrReporter implements Reporter {
  private readonly slots = new Map<string, Slot>();
  private running: Promise<unknown> | undefined;

  begin(creates: readonly Create[]): void {
    for (const c of creates) {
      let resolve!: (r: ResourceResult) => void;
      const done = new Promise<ResourceResult>((r) => (resolve = r));
      this.slots.set(c.address, { resolve, done });
    }
    const list = new Listr(
      creates.map((c) => ({
        title: `${c.address} waiting`,
        task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
          const slot = this.slots.get(c.address)!;
          slot.task = task;
          if (slot.title) task.title = slot.title;
          const result = await slot.done;
          task.title = describeResult(result);
          if (result.outcome === 'skipped') task.skip(describeResult(result));
          if (result.outcome === 'failed') throw new Error(describeResult(result));
        },
      })),
      { concurrent: true, exitOnError: false, registerSignalListeners: false, collectErrors: false, rendererOptions: { collapseErrors: false } } as never,
    );
    this.running = list.run().catch(() => undefined);
  }

  started(address: string): void {
    const slot = this.slots.get(address);
    if (!slot) return;
    slot.title = `${address} creating…`;
    if (slot.task) slot.task.title = slot.title;
  }

  retrying(address: string, event: RetryEvent): void {
    const task = this.slots.get(address)?.task;
    if (task) task.output = `attempt ${event.attempt}: ${printable(event.reason)}; retrying in ${(event.delayMs / 1000).toFixed(1)}s`;
  }

  warned(address: string, message: string): void {
    const task = this.slots.get(address)?.task;
    if (task) task.output = `warning: ${printable(message)}`;
  }

  finished(result: ResourceResult): void {
    this.slots.get(result.address)?.resolve(result);
  }

  async end(_report: ApplyReport): Promise<void> {
    await this.running;
  }
}
