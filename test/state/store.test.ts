// What only the file store does: backups, corrupt files, taking over a dead process's lock file.
// The behaviour every store shares is in store-contract.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateSession } from '../../src/state/session.js';
import { FileStateStore } from '../../src/state/file-store.js';
import { tempDir } from '../helpers/files.js';

const record = (name: string) => ({ kind: 'AnnotationRequest' as const, name, status: 'applied' as const, outcome: 'created' as const, digest: `sha256:${name}`, annotationRequestId: `id-${name}`, appliedAt: 't' });

describe('file state store', () => {
  it('keeps the state as the run found it as a backup, and writes deterministic, sorted JSON', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    /** One run: lock, the commits, release (a small state is compacted into state.json then). */
    const run = async (...names: string[]) => {
      const store = new FileStateStore(path);
      const lock = await store.lock({ command: 'test' });
      const session = new StateSession(store, await store.read());
      for (const name of names) await session.put(`AnnotationRequest/${name}`, record(name));
      await lock.release();
    };
    await run('z');
    expect(existsSync(`${path}.backup`)).toBe(false);
    const before = readFileSync(path, 'utf8');

    await run('a', 'b');
    expect(readFileSync(`${path}.backup`, 'utf8')).toBe(before);
    const text = readFileSync(path, 'utf8');
    expect(text.indexOf('AnnotationRequest/a')).toBeLessThan(text.indexOf('AnnotationRequest/z'));
    expect(text.endsWith('}\n')).toBe(true);
    expect(existsSync(`${path}.journal`)).toBe(false);
  });

  it('reads a state over a megabyte back as it was written, all ASCII or not', async () => {
    // Two paths: an all-ASCII file is decoded as Latin-1 (the same text), any other as UTF-8.
    for (const suffix of ['plain', 'café ✓']) {
      const resources = Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`AnnotationRequest/r${i}`, { ...record(`r${i}`), annotationRequestName: `Request ${i} ${suffix}` }]));
      const dir = tempDir({ 'state.json': JSON.stringify({ version: 1, lineage: 'big', serial: 3, appliedPlans: [], resources }) });
      expect(statSync(join(dir, 'state.json')).size).toBeGreaterThan(1024 * 1024);
      const state = await new FileStateStore(join(dir, 'state.json')).read();
      expect(Object.keys(state.resources)).toHaveLength(8000);
      expect(state.resources['AnnotationRequest/r7999']).toEqual({ kind: 'AnnotationRequest', name: 'r7999', status: 'applied', outcome: 'created', digest: 'sha256:r7999', annotationRequestId: 'id-r7999', annotationRequestName: `Request 7999 ${suffix}`, appliedAt: 't' });
    }
  });

  it('reports a corrupt state with the backup to look at, when there is one', async () => {
    const dir = tempDir({ 'state.json': '{"version": 1, "resources": {', 'state.json.backup': '{"version": 1, "resources": {}}' });
    await expect(new FileStateStore(join(dir, 'state.json')).read()).rejects.toMatchObject({ code: 'ROS_STATE_CORRUPT', hint: expect.stringContaining(`${join(dir, 'state.json.backup')} holds the state as the last run found it`) });
  });

  it('never names a backup that does not exist', async () => {
    const dir = tempDir({ 'state.json': '{"version": 1, "resources": {' });
    const error = await new FileStateStore(join(dir, 'state.json')).read().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROS_STATE_CORRUPT', hint: 'no backup of the state exists; restore it from where you keep it (git, CI artifacts) before running apply' });
  });

  it('refuses a state written by a newer rosetta', async () => {
    const dir = tempDir({ 'state.json': '{"version": 9, "resources": {}}' });
    await expect(new FileStateStore(join(dir, 'state.json')).read()).rejects.toThrow('written by a newer rosetta (state version 9; this one reads 1)');
  });

  it('takes over the lock of a dead process on this host, with a warning', async () => {
    const dir = tempDir();
    const store = new FileStateStore(join(dir, 'state.json'));
    // The pid of a real process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
    const pid = Number(dead.stdout.toString().trim());
    const held = await store.lock({ command: 'rosetta apply' });
    const holder = JSON.parse(readFileSync(join(dir, 'state.json.lock'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'state.json.lock'), JSON.stringify({ ...holder, pid, id: 'dead-one' }));
    const warnings: string[] = [];
    const mine = await store.lock({ command: 'rosetta apply', onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^taking over the state lock of pid ${pid} on .*: that process is no longer running$`))]);
    await mine.release();
    await held.release();
    expect(existsSync(join(dir, 'state.json.lock'))).toBe(false);
  });
});

describe('serialiseState', () => {
  it('writes exactly JSON.stringify(state, null, 2) with resources sorted', async () => {
    const { serialiseState } = await import('../../src/state/state-document.js');
    const state = { version: 1 as const, lineage: 'l', serial: 3, appliedPlans: ['p'], resources: { 'AnnotationRequest/z': record('z'), 'AnnotationRequest/a': { ...record('a'), requestId: 'x\ny' } } };
    const sorted = { ...state, resources: { 'AnnotationRequest/a': state.resources['AnnotationRequest/a'], 'AnnotationRequest/z': state.resources['AnnotationRequest/z'] } };
    expect(serialiseState(state)).toBe(`${JSON.stringify(sorted, null, 2)}\n`);
    expect(serialiseState(state)).toBe(serialiseState(state));
    expect(serialiseState({ ...state, resources: {} })).toBe(`${JSON.stringify({ ...state, resources: {} }, null, 2)}\n`);
  });
});
