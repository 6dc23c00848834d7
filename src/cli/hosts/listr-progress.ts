/**
 * Live progress in a terminal with listr2: one line per resource, a spinner while it runs, retries
 * shown in place. The engine runs the work; each listr task only waits for its resource's result.
 *
 * listr2 would install its own SIGINT handler (and exit); the apply command owns Ctrl-C instead,
 * so it can stop starting creates, let the ones in flight finish, write state and release the lock.
 */
import { Listr, type ListrTaskWrapper } from 'listr2';
import { assertNever } from '../../assert.js';
import type { ApplyEvent, ResourceResult } from '../../apply/types.js';
import type { Operation } from '../../model/changes.js';
import { printable } from '../../text.js';
import { describeResult } from './describe.js';

interface Slot {
  task?: ListrTaskWrapper<unknown, never, never>;
  /** Set before listr has started the task (it starts them asynchronously); applied when it does. */
  title?: string;
  resolve: (result: ResourceResult) => void;
  done: Promise<ResourceResult>;
}

export class ListrProgress {
  private readonly slots = new Map<string, Slot>();
  private running: Promise<unknown> | undefined;

  readonly handle = (event: ApplyEvent): void | Promise<void> => {
    switch (event.code) {
      case 'apply.begin':
        return this.begin(event.data.creates);
      case 'apply.create.start': {
        const slot = this.slots.get(event.data.address);
        if (!slot) return;
        slot.title = `${event.data.address} creating…`;
        if (slot.task) slot.task.title = slot.title;
        return;
      }
      case 'apply.create.retry': {
        const { address, attempt, reason, delayMs } = event.data;
        return this.output(address, `attempt ${attempt}: ${printable(reason)}; retrying in ${(delayMs / 1000).toFixed(1)}s`);
      }
      case 'apply.create.warning':
        return this.output(event.data.address, `warning: ${printable(event.data.message)}`);
      case 'apply.create.result':
        return this.slots.get(event.data.result.address)?.resolve(event.data.result);
      case 'apply.end':
        return this.running?.then(() => undefined);
      default:
        return assertNever(event);
    }
  };

  private output(address: string, text: string): void {
    const task = this.slots.get(address)?.task;
    if (task) task.output = text;
  }

  private begin(creates: readonly Operation[]): void {
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
}
