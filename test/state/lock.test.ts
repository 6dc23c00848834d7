// The lock file protocol under contention: real files, real concurrent callers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, breakStaleLock, forceUnlock, isAlive } from '../../src/state/lock.js';
import { tempDir } from '../helpers/files.js';

/** The pid of a real process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim());
}

function staleLock(path: string, holder: Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify({ id: 'stale', pid: deadPid(), host: hostname(), user: 'someone', command: 'rosetta apply', startedAt: '2026-01-01T00:00:00.000Z', ...holder }));
}

describe('taking over a stale lock', () => {
  it('lets exactly one of several racing callers win, every time', { timeout: 60_000 }, async () => {
    const pid = deadPid();
    for (let trial = 0; trial < 60; trial++) {
      const dir = tempDir();
      const path = join(dir, 'state.json.lock');
      staleLock(path, { pid });
      const racers = await Promise.allSettled(Array.from({ length: 4 }, () => acquireLock(path, { command: 'rosetta apply', onWarning: () => undefined })));
      const winners = racers.filter((r) => r.status === 'fulfilled');
      expect(winners, `trial ${trial}`).toHaveLength(1);
      for (const r of racers) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ROS_STATE_LOCKED' });
      const holder = JSON.parse(readFileSync(path, 'utf8')) as { id: string };
      expect(holder.id).toBe((winners[0] as PromiseFulfilledResult<{ holder: { id: string } }>).value.holder.id);
    }
  });

  it('never takes over a lock from another host, even when a process with its pid runs here', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json.lock');
    staleLock(path, { host: 'ci-runner-7', pid: process.pid });
    await expect(acquireLock(path, { command: 'rosetta apply' })).rejects.toMatchObject({ code: 'ROS_STATE_LOCKED', message: expect.stringContaining(`pid ${process.pid} on ci-runner-7`) });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ id: 'stale' });
  });

  it('never takes over the lock of a live process on this host', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json.lock');
    staleLock(path, { pid: process.pid });
    await expect(acquireLock(path, { command: 'rosetta apply' })).rejects.toMatchObject({ code: 'ROS_STATE_LOCKED' });
  });
});

describe('what a lock holder may and may not do (issue 24)', () => {
  it('a lock from another host stays, even when its pid is dead here (two runners sharing a volume)', async () => {
    const path = join(tempDir(), 'state.json.lock');
    staleLock(path, { host: 'ci-runner-7' });
    await expect(acquireLock(path, { command: 'rosetta apply' })).rejects.toMatchObject({ code: 'ROS_STATE_LOCKED', message: expect.stringContaining('on ci-runner-7') });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ id: 'stale', host: 'ci-runner-7' });
  });

  it('breaking a stale lock re-checks its holder: a fresh lock that replaced it stays', async () => {
    const path = join(tempDir(), 'state.json.lock');
    // Read as stale with id "stale"; by the time it is broken, a live run holds a fresh lock.
    staleLock(path, { id: 'fresh', pid: process.pid });
    expect(await breakStaleLock(path, 'stale')).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ id: 'fresh' });
    expect(existsSync(`${path}.break`)).toBe(false);
  });

  it('releasing removes only the releaser\'s own lock: A, force-unlock, B, A releases, B still holds it', async () => {
    const path = join(tempDir(), 'state.json.lock');
    const a = await acquireLock(path, { command: 'a' });
    await forceUnlock(path);
    const b = await acquireLock(path, { command: 'b' });
    await a.release();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ id: b.holder.id });
    await expect(acquireLock(path, { command: 'c' })).rejects.toMatchObject({ code: 'ROS_STATE_LOCKED' });
    await b.release();
  });

  it('a process that kill(pid, 0) answers with EPERM (another user\'s) is alive; ESRCH is not', () => {
    const throwing = (code: string) => () => {
      throw Object.assign(new Error(code), { code });
    };
    expect(isAlive(4242, throwing('EPERM'))).toBe(true);
    expect(isAlive(4242, throwing('ESRCH'))).toBe(false);
    expect(isAlive(4242, () => true)).toBe(true);
  });
});
