// Real `rosetta reconcile` processes for tests: started, watched through their log and /metrics,
// killed after each test.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Simulator } from '../../src/sim/server.js';
import { BIN } from './cli.js';
import { spawnEnv } from './e2e.js';
import { tempDir } from './files.js';

export const HOOK_SECRET = 'hook-secret-DO-NOT-PRINT';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export interface Controller {
  child: ChildProcess;
  url: () => string;
  log: () => string;
  exited: Promise<number | null>;
}

/** Starts `rosetta reconcile` and waits until it serves HTTP. */
export async function startController(sim: Pick<Simulator, 'url'>, args: string[], env: Record<string, string> = {}): Promise<Controller> {
  const child = spawn(process.execPath, [BIN, 'reconcile', '--listen', '127.0.0.1:0', '--cache-dir', join(tempDir(), 'cache'), ...args], { env: spawnEnv(sim, { ROSETTA_WEBHOOK_SECRET: HOOK_SECRET, ...env }) });
  running.push(child);
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let url = '';
  await until(() => {
    url = /"url":"(http:\/\/[^"]+)"/.exec(log)?.[1] ?? '';
    return url !== '';
  });
  return { child, url: () => url, log: () => log, exited };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function metric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

