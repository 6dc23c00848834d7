/**
 * Deadlines and cancellation for requests, with timers and controllers of our own. Not
 * AbortSignal.timeout inside AbortSignal.any: Node 20's any() holds its sources weakly (a
 * collected timeout signal never fires), and both make weak references and finalizers for every
 * request, which showed in an apply's profile.
 */

/** Who waits on a caller's signal, by signal: one listener of ours each, however many wait. */
const waiting = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();

/**
 * Calls `callback` when `signal` fires (now, if it has); returns the way to stop waiting. One
 * signal cancels every create of an apply: it gets one listener, not one per request in flight or
 * retry asleep (64 of them set off Node's MaxListenersExceededWarning), and none once nobody waits.
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      waiting.delete(signal);
      for (const waiter of callbacks) waiter();
    };
    signal.addEventListener('abort', listener, { once: true });
    waiting.set(signal, (entry = { callbacks, listener }));
  }
  const { callbacks, listener } = entry;
  callbacks.add(callback);
  return () => {
    callbacks.delete(callback);
    if (callbacks.size === 0 && waiting.get(signal)?.callbacks === callbacks) {
      waiting.delete(signal);
      signal.removeEventListener('abort', listener);
    }
  };
}

/**
 * Runs `work` with a signal that fires `ms` from now, or when `cancel` does; `pastDeadline` tells
 * the two apart. The timer and the wait on `cancel` end with the work.
 */
export async function withDeadline<T>(ms: number, cancel: AbortSignal | undefined, work: (signal: AbortSignal, pastDeadline: () => boolean) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let past = false;
  const timer = setTimeout(() => {
    past = true;
    controller.abort();
  }, ms);
  const stopWaiting = cancel ? whenAborted(cancel, () => controller.abort()) : undefined;
  try {
    return await work(controller.signal, () => past);
  } finally {
    clearTimeout(timer);
    stopWaiting?.();
  }
}
