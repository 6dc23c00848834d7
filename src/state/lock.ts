/**
 * The state lock: a file created atomically (O_EXCL) that names its holder.
 *
 * Not proper-lockfile: its mtime-heartbeat model cannot say who holds a lock,
 * and a run killed with -9 would block the next one for the stale period. Here
 * the lock file holds pid, host, user, command and CI run; a lock whose holder
 * is a dead process on this same host is taken over with a warning, and any
 * other lock is broken only by `rosetta state unlock`.
 */
import { nodeCrypto } from '../model/node-crypto.js';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { RosettaError } from '../errors.js';
import type { LockHolder } from '../model/records.js';

export interface LockOptions {
  command: string;
  /** How long to wait for a held lock before failing. @default 0 (fail fast) */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  onWarning?: (message: string) => void;
  /** Stops waiting (with ROS_ABORTED). */
  signal?: AbortSignal;
}

export interface HeldLock {
  holder: LockHolder;
  release(): Promise<void>;
  /** False once the lock may have passed to someone else (its database connection was lost). */
  readonly held?: boolean;
  /** Aborted the moment `held` turns false (a lock that cannot be lost has none). */
  readonly lost?: AbortSignal;
}

export async function acquireLock(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const holder = describeSelf(options.command, options.env ?? process.env);
  const deadline = Date.now() + (options.timeoutMs ?? 0);
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(holder, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { holder, release: () => releaseLock(lockPath, holder.id) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(lockPath);
    if (current && current.host === holder.host && !isAlive(current.pid)) {
      if (await breakStaleLock(lockPath, current.id)) {
        options.onWarning?.(`taking over the state lock of ${describeHolder(current)}: that process is no longer running`);
        continue;
      }
      // Another caller is breaking it: wait like for any held lock (or fail fast).
    }
    if (options.signal?.aborted) throw new RosettaError('ROS_ABORTED', 'stopped while waiting for the lock');
    if (Date.now() >= deadline) {
      throw new RosettaError('ROS_STATE_LOCKED', `the state is locked by ${current ? describeHolder(current) : 'another run (holder unknown)'}`, {
        hint: `wait for it to finish, retry with --lock-timeout 5m, or if it is dead: rosetta state unlock`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(10, deadline - Date.now()))));
  }
}

/** A breaker older than this was left by a process that died while breaking (it takes milliseconds). */
const STALE_BREAKER_MS = 10_000;

/**
 * Removes a stale lock, atomically with respect to other callers doing the same. Reading the lock,
 * finding its holder dead and deleting it are three steps: between them another caller may have
 * removed the stale lock and taken the lock itself, and a plain unlink would delete that live lock.
 * So breaking is done by one caller at a time, holding `<lock>.break` (created with O_EXCL), and the
 * lock is removed only if it still names the stale holder that was found dead. Only breakers remove
 * someone else's lock, so while the breaker is held the lock cannot change from the stale holder
 * to another one. Returns true when this caller removed it.
 */
export async function breakStaleLock(lockPath: string, staleId: string): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  try {
    const handle = await open(breaker, 'wx');
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await stat(breaker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > STALE_BREAKER_MS) await unlink(breaker).catch(() => undefined);
    return false; // someone else is breaking it; the caller tries again
  }
  try {
    const current = await readHolder(lockPath);
    if (current?.id !== staleId) return false;
    await unlink(lockPath);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Removes the lock whoever holds it: the holder it removed, undefined for a lock file that could
 * not be read, null when there was no lock.
 */
export async function forceUnlock(lockPath: string): Promise<LockHolder | undefined | null> {
  const current = await readHolder(lockPath);
  try {
    await unlink(lockPath);
    return current;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return null;
  }
}

export async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(lockPath, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} (user ${h.user}, \`${h.command}\`, since ${h.startedAt}${h.ci ? `, ${h.ci}` : ''})`;
}

async function releaseLock(lockPath: string, id: string): Promise<void> {
  const current = await readHolder(lockPath);
  if (current?.id === id) await unlink(lockPath).catch(() => undefined);
}

/** Who this process is, for the holder record of a lock (file or PostgreSQL). */
export function describeSelf(command: string, env: NodeJS.ProcessEnv): LockHolder {
  let user = env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  const ci = env.GITHUB_RUN_ID
    ? `GitHub run ${env.GITHUB_RUN_ID}${env.GITHUB_SHA ? ` at ${env.GITHUB_SHA.slice(0, 12)}` : ''}`
    : env.CI_PIPELINE_ID
      ? `GitLab pipeline ${env.CI_PIPELINE_ID}${env.CI_COMMIT_SHORT_SHA ? ` at ${env.CI_COMMIT_SHORT_SHA}` : ''}`
      : undefined;
  return { id: nodeCrypto().randomUUID(), pid: process.pid, host: hostname(), user, command, startedAt: new Date().toISOString(), ...(ci ? { ci } : {}) };
}

/** Whether a process with this pid runs here. EPERM: it does, as another user (so its lock stands). */
export function isAlive(pid: number, kill: (pid: number, signal: number) => unknown = process.kill.bind(process)): boolean {
  try {
    kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
