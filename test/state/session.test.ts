// A commit is acknowledged only once a write holding it has completed: checked step by step with a
// store whose writes the test finishes by hand.
import { describe, expect, it } from 'vitest';
import { StateSession } from '../../src/state/session.js';
import { emptyState, type ResourceRecord, type State } from '../../src/model/records.js';

function handStore() {
  const writes: { snapshot: State; finish: () => void; fail: (e: Error) => void }[] = [];
  return {
    writes,
    write: (state: State) =>
      new Promise<void>((resolve, reject) => writes.push({ snapshot: structuredClone(state), finish: resolve, fail: reject })),
  };
}

const record = (name: string): ResourceRecord => ({ kind: 'AnnotationRequest', name, status: 'applied', outcome: 'created', digest: `sha256:${name}`, annotationRequestId: name, appliedAt: 't' });

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function track(promise: Promise<void>): { done: boolean; error?: unknown } {
  const status: { done: boolean; error?: unknown } = { done: false };
  promise.then(() => (status.done = true), (error: unknown) => ((status.done = true), (status.error = error)));
  return status;
}

describe('StateSession', () => {
  it('acknowledges a commit only after its write completes, and groups commits made meanwhile', async () => {
    const store = handStore();
    const session = new StateSession(store as never, emptyState());
    const a = track(session.put('AnnotationRequest/a', record('a')));
    await settle();
    expect(store.writes).toHaveLength(1);
    expect(a.done).toBe(false);

    const b = track(session.put('AnnotationRequest/b', record('b')));
    const c = track(session.put('AnnotationRequest/c', record('c')));
    await settle();
    expect(store.writes).toHaveLength(1); // one write at a time
    store.writes[0]!.finish();
    await settle();
    expect(a.done).toBe(true);
    expect(b.done).toBe(false);
    expect(c.done).toBe(false);
    expect(Object.keys(store.writes[0]!.snapshot.resources)).toEqual(['AnnotationRequest/a']);

    expect(store.writes).toHaveLength(2);
    expect(Object.keys(store.writes[1]!.snapshot.resources).sort()).toEqual(['AnnotationRequest/a', 'AnnotationRequest/b', 'AnnotationRequest/c']);
    store.writes[1]!.finish();
    await settle();
    expect(b.done && c.done).toBe(true);
    expect(store.writes[1]!.snapshot.serial).toBe(3);
  });

  it('after a failed write, refuses every later commit and writes nothing more', async () => {
    const store = handStore();
    const session = new StateSession(store as never, emptyState());
    const a = track(session.put('AnnotationRequest/a', record('a')));
    await settle();
    store.writes[0]!.fail(new Error('ENOSPC'));
    await settle();
    expect(a.error).toMatchObject({ message: 'ENOSPC' });
    await expect(session.put('AnnotationRequest/b', record('b'))).rejects.toMatchObject({ message: 'ENOSPC' });
    expect(store.writes).toHaveLength(1);
    expect(session.failed).toMatchObject({ message: 'ENOSPC' });
  });
});
