// Whole processes, timed from the outside as a user lives through them: spawn to exit, cold
// start included. Peak memory comes from GNU time (%M) when it is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROSETTA = join(root, 'bin/rosetta.js');
const GNU_TIME = '/usr/bin/time';
const scratch = mkdtempSync(join(tmpdir(), 'rosetta-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs `node ...args` to its end; { ms, rssMb, stdout }. Throws when it fails (a benchmark of a
 * failing command measures nothing). `rss: true` wraps it in GNU time for the peak RSS; both
 * sides of a ratio are then wrapped alike.
 */
export function node(args, { env = {}, cwd = root, rss = false, stdout = false } = {}) {
  const rssFile = join(scratch, 'rss');
  const wrapped = rss && existsSync(GNU_TIME);
  const [command, argv] = wrapped ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, args];
  const started = performance.now();
  const result = spawnSync(command, argv, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
  return { ms, rssMb: wrapped ? Number(readFileSync(rssFile, 'utf8').trim()) / 1024 : NaN, stdout: result.stdout };
}

/** `rosetta ...args`, a whole process. */
export const rosetta = (args, options) => node([ROSETTA, ...args], options);

/**
 * A long-running `rosetta …args` (simulator, ui) in a process of its own, once it prints the URL
 * `pattern` captures; { url, close() }.
 */
export async function server(args, pattern) {
  const child = spawn(process.execPath, [ROSETTA, ...args], { cwd: root, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = pattern.exec(out);
      if (found) resolve(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`rosetta ${args[0]} exited with ${code}`)));
  });
  return {
    url,
    close: () => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGINT');
    }),
  };
}

/** `rosetta simulator` in a process of its own; { url, env (for rosetta), close() }. */
export async function simulator(flags = []) {
  const { url, close } = await server(['simulator', '--port', '0', ...flags], /listening on (http:\S+)/);
  return { url, env: { ROSETTA_ENDPOINT: url, ROSETTA_ACCESS_KEY: 'sim-access-key', ROSETTA_SECRET_KEY: 'sim-secret-key' }, close };
}

/** Runs `work` against a fresh simulator process (nothing created yet), then stops it. */
export async function withSimulator(flags, work) {
  const sim = await simulator(flags);
  try {
    return await work(sim);
  } finally {
    await sim.close();
  }
}

export const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The two sides of a ratio, alternated `repeats` times (a then b, a then b, …); medians.
 * Each side is a function that returns a { ms, rssMb } measurement.
 */
export async function alternate(repeats, a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < repeats; i++) {
    as.push(await a(i));
    bs.push(await b(i));
  }
  return [summary(as), summary(bs)];
}

export const summary = (runs) => ({ ms: medianOf(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)), runs: runs.length });
