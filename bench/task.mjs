// One measured task, run in a fresh process by run.mjs; prints {ms, maxRssMb, ...} as JSON.
//   node bench/task.mjs floor DIR        parse with yaml + validate with the same schemas
//   node bench/task.mjs validate DIR     rosetta's manifest stage (what `rosetta validate` does)
//   node bench/task.mjs plan DIR STATE   manifest stage + plan + text rendering (what `rosetta plan` does)
//   node bench/task.mjs apply DIR STATE URL CONCURRENCY [WORKSPACE]   plan, then the apply engine (timed alone as engineMs);
//                                                       STATE is a file or a postgres:// URL
//   node bench/task.mjs vendor DIR URL   the vendor's sample client: one signed request at a time, a new connection each
//   node bench/task.mjs floor-huge DIR    the floor for one huge manifest: read the file, split its lines, a Map of the scenes
//   node bench/task.mjs floor-csv DIR     the floor for a sceneIdMapFrom CSV: read it, split its lines, a Map of the scenes
//   node bench/task.mjs plan-json DIR STATE   manifest stage + plan + JSON rendering written out (what `rosetta plan --format json` does)
//   node bench/task.mjs raw DIR URL CONCURRENCY   the floor for apply: the same signed creates through one keep-alive
//                                                   pool, CONCURRENCY at a time, nothing recorded
//   node bench/task.mjs apply-run DIR STATE URL CONCURRENCY   the creates as one run costs them: engine (records,
//                                                   bodies) and the end of the run (lock release: compaction)
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { glob } from 'tinyglobby';
import { parseAllDocuments } from 'yaml';
import { planAgainst } from '../dist/actions/plan.js';
import { loadManifests } from '../dist/manifest/load.js';
import { planTextChunks } from '../dist/plan/render-text.js';
import { planJsonChunks } from '../dist/plan/render-json.js';
import { FileStateStore } from '../dist/state/file-store.js';
import { openStore } from '../dist/state/open.js';
import { StateSession } from '../dist/state/session.js';
import { RosettaClient } from '../dist/api/client.js';
import { applyCreates } from '../dist/apply/engine.js';
import { quietHost } from '../dist/host/events.js';
import { SIMULATOR_CREDENTIALS } from '../dist/sim/server.js';
import { signedHeaders } from '../dist/api/signing.js';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';

const [mode, dir, statePath, url, concurrency, workspace] = process.argv.slice(2);
const requireDist = createRequire(import.meta.url);
const validators = { envelope: requireDist('../dist/model/generated/envelope.cjs'), annotationRequestSpec: requireDist('../dist/model/generated/annotationRequestSpec.cjs'), samplingPlanSpec: requireDist('../dist/model/generated/samplingPlanSpec.cjs') };

async function floor() {
  let documents = 0;
  for (const file of (await glob(['**/*.yaml', '**/*.yml'], { cwd: dir, absolute: true })).sort()) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const value = doc.toJS();
      validators.envelope(value);
      (value.kind === 'AnnotationRequest' ? validators.annotationRequestSpec : validators.samplingPlanSpec)(value.spec);
      documents++;
    }
  }
  return { documents };
}

/** The manifests of DIR, which must be valid. */
async function loadValid() {
  const { resources, diagnostics } = await loadManifests([dir], { cwd: process.cwd() });
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${diagnostics[0].message}`);
  return resources;
}

async function validate() {
  return { documents: (await loadValid()).length };
}

/** The plan of DIR against STATE, rendered by `chunks` and written out as the CLI writes it. */
async function planOut(chunks) {
  const resources = await loadValid();
  const store = new FileStateStore(statePath);
  const result = await planAgainst(resources, await store.read(), store, []);
  return { documents: resources.length, summary: result.summary, bytes: await writeOut(chunks(result)) };
}

const plan = () => planOut(planTextChunks);

/** What `rosetta plan --format json > file` does, in one process: the JSON is written out, chunk by chunk. */
const planJson = () => planOut(planJsonChunks);

/**
 * An apply run around `run` (timed by it): the state locked and read, the creates planned, a client;
 * everything closed afterwards.
 */
async function applyWith(run) {
  const resources = await loadValid();
  const store = await openStore({ state: statePath, workspace, cwd: process.cwd() });
  const lock = await store.lock({ command: 'bench apply' });
  const state = await store.read();
  const planned = await planAgainst(resources, state, store, []);
  const creates = planned.changes.filter((c) => c.action === 'create');
  const client = new RosettaClient({ endpoint: url, credentials: SIMULATOR_CREDENTIALS });
  const engine = () => applyCreates(creates, { client, session: new StateSession(store, state), store, host: quietHost, concurrency: Number(concurrency) });
  try {
    return { creates: creates.length, records: Object.keys(state.resources).length, ...(await run(engine, lock)) };
  } finally {
    await client.close();
    await lock.release();
    await store.close();
  }
}

/** The engine alone (engineMs). */
const apply = () =>
  applyWith(async (engine) => {
    const started = performance.now();
    const report = await engine();
    return { engineMs: performance.now() - started, summary: report.summary };
  });

/** Reading the huge manifest as cheaply as anything could: its lines, and a Map of its scenes. */
async function floorHuge() {
  let scenes = 0;
  for (const file of await glob(['**/*.yaml'], { cwd: dir, absolute: true })) {
    const map = new Map();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const colon = line.indexOf(': ');
      if (line.startsWith('    ') && colon > 0) map.set(line.slice(4, colon), line.slice(colon + 2));
    }
    scenes += map.size;
  }
  return { scenes };
}

/** The floor for a scene list: read the CSV, split its lines, a Map of the scenes. */
async function floorCsv() {
  const map = new Map();
  for (const line of readFileSync(`${dir}/scenes.csv`, 'utf8').split('\n')) {
    const comma = line.indexOf(',');
    if (comma > 0) map.set(line.slice(0, comma), line.slice(comma + 1));
  }
  return { scenes: map.size - 1 };
}

/** Writes chunks as the CLI writes them to stdout (with backpressure), to /dev/null; returns the length. */
async function writeOut(chunks) {
  const out = createWriteStream('/dev/null');
  let length = 0;
  for (const chunk of chunks) {
    length += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  await new Promise((resolve) => out.end(resolve));
  return length;
}

/** The same creates with nothing around them: signed, keep-alive, CONCURRENCY in flight, no state. */
async function raw() {
  const resources = await loadValid();
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  const limit = pLimit(Number(concurrency));
  const started = performance.now();
  let ok = 0;
  await Promise.all(
    resources.map((r) =>
      limit(async () => {
        const path = r.kind === 'AnnotationRequest' ? '/annotation-request' : '/sampling/create';
        const response = await request(`${url}${path}`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', ...signedHeaders(SIMULATOR_CREDENTIALS, Date.now()) }, body: JSON.stringify(r.body) });
        const answer = await response.body.json();
        if (answer.code === 2000) ok++;
      }),
    ),
  );
  const engineMs = performance.now() - started;
  await agent.close();
  return { creates: resources.length, ok, engineMs };
}

/** One apply run's creates: the engine, then the lock's release (where the file store compacts) (runMs). */
const applyRun = () =>
  applyWith(async (engine, lock) => {
    const started = performance.now();
    const report = await engine();
    await lock.release();
    return { runMs: performance.now() - started, summary: report.summary };
  });

/** Like the vendor's curl sample: sequential, a fresh connection and signature per request. */
async function vendor() {
  const resources = await loadValid();
  const sendStarted = performance.now();
  let ok = 0;
  for (const r of resources) {
    const ts = String(Date.now());
    const sign = createHash('md5').update(`${ts}&${SIMULATOR_CREDENTIALS.secretKey}&${SIMULATOR_CREDENTIALS.accessKey}`).digest('hex');
    const path = r.kind === 'AnnotationRequest' ? '/annotation-request' : '/sampling/create';
    const answer = await new Promise((resolve, reject) => {
      const req = httpRequest(`${url}${path}`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'X-STARDUST-KEY': SIMULATOR_CREDENTIALS.accessKey, 'X-TS': ts, 'X-SIGN': sign } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      });
      req.on('error', reject);
      req.end(JSON.stringify(r.body));
    });
    if (answer.code === 2000) ok++;
  }
  return { creates: resources.length, ok, engineMs: performance.now() - sendStarted };
}

const started = performance.now();
const extra = await { floor, validate, plan, apply, vendor, raw, 'apply-run': applyRun, 'floor-huge': floorHuge, 'floor-csv': floorCsv, 'plan-json': planJson }[mode]();
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra }));
