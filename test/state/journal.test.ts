// The file store's journal: a commit is one appended line; readers replay it; a torn tail is
// ignored and cut; a run ends with one compacted state.json unless the state is big.
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateSession } from '../../src/state/session.js';
import { FileStateStore } from '../../src/state/file-store.js';
import type { DurableFs } from '../../src/state/durable-write.js';
import { emptyState, type State } from '../../src/model/records.js';
import { tempDir } from '../helpers/files.js';

const record = (name: string) => ({ kind: 'AnnotationRequest' as const, name, status: 'applied' as const, outcome: 'created' as const, digest: `sha256:${name}`, annotationRequestId: `id-${name}`, appliedAt: 't' });

function bigState(records: number): State {
  const state = { ...emptyState(), lineage: 'big', serial: 1 };
  for (let i = 0; i < records; i++) state.resources[`AnnotationRequest/old-${i}`] = { ...record(`old-${i}`), annotationRequestName: `An old request with a long enough name ${i}` };
  return state;
}

describe('file state journal', () => {
  it('appends one line per commit and leaves state.json alone until the run ends', async () => {
    const path = join(tempDir(), 'state.json');
    const store = new FileStateStore(path);
    const lock = await store.lock({ command: 'test' });
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    await session.put('AnnotationRequest/b', record('b'));
    await session.remove('AnnotationRequest/a');

    expect(existsSync(path)).toBe(false);
    const lines = readFileSync(`${path}.journal`, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.serial)).toEqual([1, 2, 3]);
    expect(lines[2]).toEqual({ lineage: lines[0]!.lineage, serial: 3, remove: ['AnnotationRequest/a'] });
    // Another reader sees every commit.
    expect(Object.keys((await new FileStateStore(path).read()).resources)).toEqual(['AnnotationRequest/b']);

    await lock.release();
    expect(existsSync(`${path}.journal`)).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ serial: 3, resources: { 'AnnotationRequest/b': record('b') } });
  });

  it('ignores a torn last line, and the next writer cuts it off before appending', async () => {
    const path = join(tempDir(), 'state.json');
    const first = new FileStateStore(path);
    const session = new StateSession(first, await first.read());
    await session.put('AnnotationRequest/a', record('a'));
    // A crash in the middle of the next append: half a line, no newline.
    appendFileSync(`${path}.journal`, '{"lineage":"x","serial":2,"put":{"AnnotationRequest/b":{"ki');

    const second = new FileStateStore(path);
    const state = await second.read();
    expect(state.serial).toBe(1);
    expect(Object.keys(state.resources)).toEqual(['AnnotationRequest/a']);
    await new StateSession(second, state).put('AnnotationRequest/c', record('c'));
    const text = readFileSync(`${path}.journal`, 'utf8');
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { serial: number }).serial)).toEqual([1, 2]);
    expect(Object.keys((await new FileStateStore(path).read()).resources).sort()).toEqual(['AnnotationRequest/a', 'AnnotationRequest/c']);
  });

  it('keeps every byte of a journal holding non-ASCII text when the next run appends', async () => {
    const path = join(tempDir(), 'state.json');
    const first = new FileStateStore(path);
    const session = new StateSession(first, await first.read());
    await session.put('AnnotationRequest/a', { ...record('a'), annotationRequestName: 'Überprüfung – ünï 漢字' });
    await session.put('AnnotationRequest/b', record('b'));
    // The next run reads first (as every command does), then appends.
    const second = new FileStateStore(path);
    const state = await second.read();
    await new StateSession(second, state).put('AnnotationRequest/c', record('c'));
    const read = await new FileStateStore(path).read();
    expect(Object.keys(read.resources).sort()).toEqual(['AnnotationRequest/a', 'AnnotationRequest/b', 'AnnotationRequest/c']);
    expect(read.resources['AnnotationRequest/a']).toMatchObject({ annotationRequestName: 'Überprüfung – ünï 漢字' });
  });

  it('refuses a complete line that does not parse, naming the line', async () => {
    const path = join(tempDir(), 'state.json');
    const store = new FileStateStore(path);
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    appendFileSync(`${path}.journal`, 'not json\n');
    await session.put('AnnotationRequest/b', record('b')).catch(() => undefined);
    await expect(new FileStateStore(path).read()).rejects.toMatchObject({ code: 'ROS_STATE_CORRUPT', message: expect.stringContaining(`${path}.journal, line 2: not valid JSON`) });
  });

  it('refuses journal lines of another state, and skips lines already compacted', async () => {
    const path = join(tempDir(), 'state.json');
    await new FileStateStore(path).write({ ...emptyState(), lineage: 'mine', serial: 5, resources: { 'AnnotationRequest/a': record('a') } });
    // Left by a crash between a compaction's rename and the journal's removal: serials ≤ 5.
    writeFileSync(`${path}.journal`, `${JSON.stringify({ lineage: 'mine', serial: 4, remove: ['AnnotationRequest/a'] })}\n`);
    expect(Object.keys((await new FileStateStore(path).read()).resources)).toEqual(['AnnotationRequest/a']);

    appendFileSync(`${path}.journal`, `${JSON.stringify({ lineage: 'theirs', serial: 6, put: { 'AnnotationRequest/b': record('b') } })}\n`);
    await expect(new FileStateStore(path).read()).rejects.toMatchObject({ code: 'ROS_STATE_CORRUPT', message: expect.stringContaining('it belongs to another state (lineage theirs') });
  });

  it('keeps the journal of a big state between runs, and compacts it once it has grown as big as the state', async () => {
    const path = join(tempDir(), 'state.json');
    await new FileStateStore(path).write(bigState(13_000));
    const snapshotBytes = statSync(path).size;
    expect(snapshotBytes).toBeGreaterThan(4 * 1024 * 1024);
    const untouched = readFileSync(path, 'utf8');

    const store = new FileStateStore(path);
    const lock = await store.lock({ command: 'test' });
    const session = new StateSession(store, await store.read());
    for (let i = 0; i < 20; i++) await session.put(`AnnotationRequest/new-${i}`, record(`new-${i}`));
    await lock.release();
    // Rewriting megabytes for 20 records would make creates cost more in a big state: not done.
    expect(readFileSync(path, 'utf8')).toBe(untouched);
    expect(existsSync(`${path}.journal`)).toBe(true);
    expect(Object.keys((await new FileStateStore(path).read()).resources)).toHaveLength(13_020);
    // The backup of the next run is the pair as found: state.json and its journal.
    const next = new FileStateStore(path);
    const nextLock = await next.lock({ command: 'test' });
    const nextSession = new StateSession(next, await next.read());
    // Records big enough that the journal outgrows the snapshot within a few hundred commits.
    const filler = 'x'.repeat(20_000);
    let commits = 0;
    while (existsSync(`${path}.journal`) && commits < 1000) {
      await nextSession.put(`AnnotationRequest/big-${commits}`, { ...record(`big-${commits}`), annotationRequestName: filler });
      commits++;
    }
    await nextLock.release();
    expect(commits).toBeLessThan(1000);
    expect(existsSync(`${path}.journal`)).toBe(false);
    expect(Object.keys((await new FileStateStore(path).read()).resources)).toHaveLength(13_020 + commits);
    expect(readFileSync(`${path}.backup`, 'utf8')).toBe(untouched);
    expect(Object.keys((await new FileStateStore(`${path}.backup`).read()).resources)).toHaveLength(13_020);
  });
});

describe('file state journal: durability and a failed append (issue 24)', () => {
  /** Real files; the journal's handle logs its writes and syncs, and its write number `failAt` fails with EIO. */
  function journalFs(failAt = Infinity): DurableFs & { log: string[] } {
    const log: string[] = [];
    let writes = 0;
    return {
      log,
      open: (async (path: string, flags: string, mode?: number) => {
        const handle = await fsPromises.open(path, flags, mode);
        if (!path.endsWith('.journal')) return handle;
        return new Proxy(handle, {
          get(target, prop) {
            if (prop === 'write') {
              return async (...args: Parameters<typeof target.write>) => {
                if (++writes === failAt) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
                log.push('write');
                return (target.write as (...a: unknown[]) => unknown)(...args);
              };
            }
            if (prop === 'datasync') return async () => (log.push('datasync'), target.datasync());
            const value = Reflect.get(target, prop) as unknown;
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          },
        });
      }) as DurableFs['open'],
      rename: fsPromises.rename,
      unlink: fsPromises.unlink,
    };
  }

  it('a commit resolves only after its line is fdatasync\'d', async () => {
    const fs = journalFs();
    const path = join(tempDir(), 'state.json');
    const store = new FileStateStore(path, fs);
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    expect(fs.log).toEqual(['write', 'datasync']);
    await session.put('AnnotationRequest/b', record('b'));
    expect(fs.log).toEqual(['write', 'datasync', 'write', 'datasync']);
  });

  it('after a failed append, the end of the run writes nothing that did not become durable', async () => {
    const path = join(tempDir(), 'state.json');
    const store = new FileStateStore(path, journalFs(2));
    const lock = await store.lock({ command: 'test' });
    const session = new StateSession(store, await store.read());
    await session.put('AnnotationRequest/a', record('a'));
    await expect(session.put('AnnotationRequest/b', record('b'))).rejects.toMatchObject({ code: 'EIO' });
    await lock.release();
    const after = await new FileStateStore(path).read();
    expect(Object.keys(after.resources)).toEqual(['AnnotationRequest/a']);
  });
});
