// One contract for every StateStore: the file store and PostgreSQL (a real server, a database of
// this suite's own, a workspace per test).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { StateSession } from '../../src/state/session.js';
import { FileStateStore } from '../../src/state/file-store.js';
import type { StateStore } from '../../src/state/store.js';
import { emptyState } from '../../src/model/records.js';
import { tempDir } from '../helpers/files.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

const record = (name: string) => ({ kind: 'AnnotationRequest' as const, name, status: 'applied' as const, outcome: 'created' as const, digest: `sha256:${name}`, annotationRequestId: `id-${name}`, appliedAt: 't' });

const opened: StateStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

/** `concurrentReplicas`: the store serves replicas running at once (PostgreSQL; a file state has one). */
function contract(make: () => StateStore, concurrentReplicas = true): void {
  const open = () => {
    const store = make();
    opened.push(store);
    return store;
  };

  it('reads an empty state before the first write', async () => {
    expect(await open().read()).toEqual({ version: 1, lineage: null, serial: 0, appliedPlans: [], resources: {} });
  });

  it('sets the lineage once and bumps the serial on every change', async () => {
    const store = open();
    const lock = await store.lock({ command: 'test' });
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    const first = await store.read();
    expect(first.serial).toBe(1);
    expect(first.lineage).toMatch(/^[0-9a-f-]{36}$/);
    await Promise.all([session.put('AnnotationRequest/b', record('b')), session.put('AnnotationRequest/c', record('c')), session.remove('AnnotationRequest/a')]);
    await session.move('AnnotationRequest/c', 'AnnotationRequest/d', { ...record('c'), name: 'd' });
    await session.markPlanApplied('plan-1');
    const second = await store.read();
    expect(second.serial).toBe(6);
    expect(second.lineage).toBe(first.lineage);
    expect(second.appliedPlans).toEqual(['plan-1']);
    expect(second.resources).toEqual({ 'AnnotationRequest/b': record('b'), 'AnnotationRequest/d': { ...record('c'), name: 'd' } });
    await lock.release();
  });

  it('writes nothing and keeps the serial on a no-op', async () => {
    const store = open();
    const lock = await store.lock({ command: 'test' });
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    await session.markPlanApplied('plan-1');
    const before = await store.read();
    expect(before.serial).toBe(2);
    // The same record again (a copy, not the same object), a remove of an absent address, a plan already marked.
    await session.put('AnnotationRequest/a', structuredClone(record('a')));
    await session.remove('AnnotationRequest/never-there');
    await session.markPlanApplied('plan-1');
    expect(await store.read()).toEqual(before);
    // A real change still bumps it by one.
    await session.put('AnnotationRequest/a', { ...record('a'), requestId: 'changed' });
    expect((await store.read()).serial).toBe(3);
    await lock.release();
  });

  it('replaces everything in one step (state migrate)', async () => {
    const store = open();
    const lock = await store.lock({ command: 'test' });
    await new StateSession(store, await store.read()).put('AnnotationRequest/old', record('old'));
    const replacement = { ...emptyState(), lineage: 'lineage-x', serial: 42, appliedPlans: ['p'], resources: { 'AnnotationRequest/new': record('new') } };
    await store.replace(replacement);
    expect(await store.read()).toEqual(replacement);
    await lock.release();
  });

  it('keeps bodies by digest', async () => {
    const store = open();
    await store.putBody('sha256:abc', { x: 1, list: ['a', 'b'] });
    await store.putBody('sha256:abc', { x: 1, list: ['a', 'b'] });
    expect(await store.getBody('sha256:abc')).toEqual({ x: 1, list: ['a', 'b'] });
    expect(await store.getBody('sha256:missing')).toBeUndefined();
  });

  it('keeps many bodies in one step, skipping those it has, readable by another instance', async () => {
    const store = open();
    await store.putBody('sha256:one', { n: 1 });
    const many = new Map<string, unknown>(Array.from({ length: 50 }, (_, i) => [`sha256:b${i}`, { n: i, text: `line\nbreak ${'é'.repeat(i)}` }]));
    many.set('sha256:one', { n: 'not stored again' });
    many.set('sha256:separator', { text: 'a\u001eb\u001e' });
    await store.putBodies(many);
    await store.putBodies(new Map());
    const reader = open();
    expect(await reader.getBody('sha256:one')).toEqual({ n: 1 });
    expect(await reader.getBody('sha256:b0')).toEqual({ n: 0, text: 'line\nbreak ' });
    expect(await reader.getBody('sha256:b49')).toEqual({ n: 49, text: `line\nbreak ${'é'.repeat(49)}` });
    expect(await reader.getBody('sha256:separator')).toEqual({ text: 'a\u001eb\u001e' });
  });

  it('locks: a second holder fails fast, naming the first; released, it can be taken again', async () => {
    const store = open();
    const other = open();
    const held = await store.lock({ command: 'rosetta apply', env: { GITHUB_RUN_ID: '99' } });
    // Rejected while the first still holds it: it did not wait for the release.
    await expect(other.lock({ command: 'rosetta apply' })).rejects.toMatchObject({
      code: 'ROS_STATE_LOCKED',
      message: expect.stringMatching(new RegExp(`is locked by pid ${process.pid} on .+ \\(user .+, \`rosetta apply\`, since .+, GitHub run 99\\)$`)),
    });
    await held.release();
    const again = await other.lock({ command: 'x' });
    await again.release();
  });

  it('waits for the lock with a timeout', async () => {
    const store = open();
    const other = open();
    const held = await store.lock({ command: 'first' });
    let acquired = false;
    const waiting = other.lock({ command: 'second', timeoutMs: 10_000 }).then((lock) => ((acquired = true), lock));
    await new Promise((r) => setTimeout(r, 0));
    expect(acquired).toBe(false);
    await held.release();
    const second = await waiting;
    expect(second.holder.command).toBe('second');
    await second.release();
  });

  it('force-unlocks and reports the holder it removed', async () => {
    const store = open();
    await store.lock({ command: 'stuck' });
    expect(await open().forceUnlock()).toEqual([expect.objectContaining({ lock: 'state', holder: expect.objectContaining({ command: 'stuck', pid: process.pid }) })]);
    expect(await open().forceUnlock()).toEqual([]);
    const after = await open().lock({ command: 'next' });
    await after.release();
  });

  it('records notified event keys once: a second claim of the same key, from another instance too, gets nothing', async () => {
    const first = open();
    expect(await first.claimNotifications(['created:Folder/a', 'created:Folder/b', 'created:Folder/a'])).toEqual(['created:Folder/a', 'created:Folder/b']);
    expect(await first.claimNotifications(['created:Folder/a'])).toEqual([]);
    const other = open();
    expect(await other.claimNotifications(['created:Folder/b', 'finished:AnnotationRequest/r'])).toEqual(['finished:AnnotationRequest/r']);
    if (!concurrentReplicas) return;
    // Two replicas claiming the same new key at once (a failover): exactly one gets it.
    const [x, y] = await Promise.all([open().claimNotifications(['drift:Campaign/c']), open().claimNotifications(['drift:Campaign/c'])]);
    expect([...x, ...y]).toEqual(['drift:Campaign/c']);
  });

  it('force-unlocks the reconcile leader lock too, naming it', async () => {
    await open().lockLeader({ command: 'rosetta reconcile' });
    expect(await open().forceUnlock()).toEqual([expect.objectContaining({ lock: 'leader', holder: expect.objectContaining({ command: 'rosetta reconcile' }) })]);
    const next = await open().lockLeader({ command: 'next' });
    await next.release();
  });
}

describe('file state store (contract)', () => {
  // Two stores opened on one path share the state, as two processes would.
  let path = '';
  contract(() => {
    path ||= join(tempDir(), 'nested/state.json');
    return new FileStateStore(path);
  }, false);
  afterEach(() => void (path = ''));
});

describePostgres('PostgreSQL state store (contract)', () => {
  let url = '';
  let workspace = '';
  beforeAll(async () => {
    url = await freshDatabase();
  });
  afterEach(() => void (workspace = ''));
  contract(() => {
    workspace ||= `ws-${randomBytes(4).toString('hex')}`;
    return new PostgresStateStore(url, workspace);
  });
});
