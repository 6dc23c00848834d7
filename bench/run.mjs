// npm run bench: every suite on generated data, each figure a ratio taken in
// this one run, written to docs/benchmarks.md with the command and the machine.
// Benchmarks never run inside npm test (a smoke run of this harness does, with --smoke).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../dist/sim/server.js';
import { generateHugeRequest, generateRequests } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const smoke = process.argv.includes('--smoke');
const data = join(root, 'bench/.data', smoke ? 'smoke' : 'full');
const N = smoke ? 20 : 1000;
const SCENES = smoke ? 10 : 100;
const HUGE = smoke ? 10_000 : 1_000_000;
const LATENCY = 20;
const CONCURRENCY = 16;
const REPEATS = smoke ? 1 : 3;
const rows = [];
const log = (text) => process.stderr.write(`${text}\n`);

/** Runs bench/task.mjs in a fresh process. Asynchronous: the simulator lives in this process and must keep answering. */
async function task(...args) {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench/task.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(stdout);
}

/** Median of `REPEATS` runs of a task (each in a fresh process). */
async function median(...args) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await task(...args));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

function row(suite, figure, target, met, note = '') {
  rows.push({ suite, figure, target, met, note });
  log(`${met ? 'met ' : 'MISS'}  ${suite}: ${figure} (target ${target}) ${note}`);
}

function wallOf(args, env = {}) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'bin/rosetta.js'), ...args], { cwd: root, env: { ...process.env, CI: 'true', ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0 && run.status !== 2) throw new Error(`rosetta ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return performance.now() - started;
}

const x = (n) => `${n.toFixed(2)}×`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

rmSync(data, { recursive: true, force: true });
mkdirSync(data, { recursive: true });
const manifests = join(data, 'requests');
log(`generating ${N} manifests with ${SCENES} scenes each, and one with ${HUGE} scenes…`);
generateRequests(manifests, N, SCENES);
const withSampling = join(data, 'requests-and-sampling');
generateRequests(withSampling, N, SCENES, { sampling: N / 10 });
generateHugeRequest(join(data, 'huge'), HUGE);

// 1. plan vs floor
const floor = await median('floor', manifests);
const planEmpty = await median('plan', manifests, join(data, 'empty-state.json'));
row('plan vs floor', `${x(planEmpty.ms / floor.ms)} (plan ${s(planEmpty.ms)}, floor ${s(floor.ms)})`, '≤ 1.3×', planEmpty.ms / floor.ms <= 1.3, `${N} manifests × ${SCENES} scenes, empty state`);

// 2. huge request: the real CLI, wall clock including start-up; peak RSS of the same work in-process
const hugeState = join(data, 'huge-state.json');
const hugeValidateWall = wallOf(['validate', join(data, 'huge')]);
const hugePlanWall = wallOf(['plan', join(data, 'huge')], { ROSETTA_STATE: hugeState });
const hugeRss = (await task('plan', join(data, 'huge'), hugeState)).maxRssMb;
const hugeMet = hugeValidateWall < 3000 && hugePlanWall < 3000 && hugeRss < 400;
row('huge request', `validate ${s(hugeValidateWall)}, plan ${s(hugePlanWall)}, peak RSS ${hugeRss.toFixed(0)} MB`, '< 3 s and < 400 MB', hugeMet, `${HUGE.toLocaleString('en')} sceneIdMap entries`);

// 4. apply vs ideal (before 3: it produces the applied state)
const applied = join(data, 'applied-state.json');
const sim = await startSimulator({ port: 0, faults: { latencyMs: LATENCY } });
const apply = await task('apply', manifests, applied, sim.url, String(CONCURRENCY));
await sim.close();
const ideal = (N * LATENCY) / CONCURRENCY;
row('apply vs ideal', `${x(apply.engineMs / ideal)} (${s(apply.engineMs)} vs ideal ${s(ideal)})`, '≤ 1.15×', apply.engineMs / ideal <= 1.15, `${N} creates, ${LATENCY} ms latency, --concurrency ${CONCURRENCY}; ${apply.summary.created} created`);

// 3. no-op plan at scale
const noop = await median('plan', manifests, applied);
if (noop.summary.noop !== N) throw new Error(`expected ${N} no-ops, got ${JSON.stringify(noop.summary)}`);
row('no-op plan at scale', `${x(noop.ms / floor.ms)} (plan ${s(noop.ms)}, floor ${s(floor.ms)})`, '≤ 1.5×', noop.ms / floor.ms <= 1.5, `state with ${N} records`);

// 5. the vendor's sample client
const vendorSim = await startSimulator({ port: 0, faults: { latencyMs: LATENCY } });
const vendor = await task('vendor', manifests, '-', vendorSim.url);
await vendorSim.close();
row('apply vs vendor sample client', `${x(vendor.engineMs / apply.engineMs)} faster (${s(apply.engineMs)} vs ${s(vendor.engineMs)})`, 'report', true, 'sequential, new connection per request');

// 6. faults: 10% answered 5000
const baseSim = await startSimulator({ port: 0, faults: { latencyMs: LATENCY } });
const base = await task('apply', withSampling, join(data, 'base-state.json'), baseSim.url, String(CONCURRENCY));
await baseSim.close();
const faultSim = await startSimulator({ port: 0, seed: 5, faults: { latencyMs: LATENCY, rate5000: 0.1 } });
const faulted = await task('apply', withSampling, join(data, 'fault-state.json'), faultSim.url, String(CONCURRENCY));
const pools = faultSim.platform.listSamplingPackages().map((p) => p.poolName);
const duplicates = pools.length - new Set(pools).size;
await faultSim.close();
row(
  'faults (10% 5000)',
  `+${s(faulted.engineMs - base.engineMs)} (${x(faulted.engineMs / base.engineMs)}), ${duplicates} duplicate sampling packages`,
  'report; zero duplicates',
  duplicates === 0 && faulted.summary.failed === 0,
  `${faulted.creates} creates (${N / 10} sampling); ${faulted.summary.created} created, ${faulted.summary.failed} failed`,
);

// 7. start-up
const startups = (args) => {
  const times = Array.from({ length: smoke ? 3 : 15 }, () => {
    const started = performance.now();
    spawnSync(process.execPath, args, { cwd: root });
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
};
const bare = startups(['-e', '0']);
const version = startups([join(root, 'bin/rosetta.js'), '--version']);
const validateExamples = startups([join(root, 'bin/rosetta.js'), 'validate', 'examples/']);
row('start-up: --version', `${x(version / bare)} (${version.toFixed(0)} ms vs node -e 0 ${bare.toFixed(0)} ms)`, '≤ 2×', version / bare <= 2);
row('start-up: validate examples/', `${x(validateExamples / bare)} (${validateExamples.toFixed(0)} ms)`, 'report', true);

if (!smoke) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const table = rows.map((r) => `| ${r.suite} | ${r.figure} | ${r.target} | ${r.met ? 'yes' : '**no**'} | ${r.note} |`).join('\n');
  const text = `# Benchmarks

Produced by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node.js ${process.version}.
Every figure is a ratio of two measurements taken in the same run (medians of ${REPEATS} fresh processes where marked as plan/floor).

| suite | figure | target | met | setup |
| --- | --- | --- | --- | --- |
${table}

How each is measured:
- **plan vs floor**: \`bench/task.mjs plan\` (rosetta's manifest stage, planner and text renderer, in one process) against \`bench/task.mjs floor\` (the same files parsed with \`yaml\` and checked with the same precompiled validators).
- **huge request**: wall clock of the real CLI (\`rosetta validate\`, \`rosetta plan\`) including Node start-up; peak RSS (\`process.resourceUsage().maxRSS\`) of the same plan work in one process.
- **apply vs ideal**: the apply engine's wall time (state writes included) against N × latency ÷ concurrency, with the simulator in another process on loopback.
- **vendor sample client**: the same creates sent one at a time, each on a new connection, as the vendor's curl sample does.
- **faults**: the same apply with 10% of answers 5000 (seeded), against one without; duplicates counted in the simulator.
- **start-up**: median of 15 runs each.

${process.env.BENCH_NOTES ?? ''}`;
  writeFileSync(join(root, 'docs/benchmarks.md'), text);
  log('wrote docs/benchmarks.md');
}
rmSync(data, { recursive: true, force: true });
if (smoke) process.stdout.write(`${JSON.stringify(rows)}\n`);
