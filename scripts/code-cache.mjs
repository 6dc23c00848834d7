// Writes dist/bundle/<name>.cjs.cache for each bundle (see bin/load-bundle.js): the CLI bundle is
// loaded the way bin/rosetta.js loads it and runs the commands users run most on a small pipeline
// of its own (against the simulator for apply and status, which load the undici bundle), and V8's
// code for every function those runs compiled is written beside each. Run by scripts/build.mjs in
// a process of its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIMULATOR_CREDENTIALS, startSimulator } from '../dist/sim/server.js';

const { loadBundle, loaded, settings } = createRequire(import.meta.url)('../bin/load-bundle.js');
settings.wasmLiftoffOnly = false; // V8's flags as every command starts with them (see bin/load-bundle.js)
const cli = loadBundle('rosetta');
const dir = mkdtempSync(join(tmpdir(), 'rosetta-code-cache-'));
writeFileSync(
  join(dir, 'pipeline.yaml'),
  `apiVersion: rosetta/v1
kind: AnnotationRequest
metadata:
  name: warm-up
spec:
  annotationRequestName: Warm-up request
  campaignId: 7d44b43b-3bbd-4f53-9f95-b7c0217d8d5b
  sceneIdMap:
    550e8400-e29b-41d4-a716-446655440000: gs://warm-up/A.yaml
    f47ac10b-58cc-4372-a567-0e02b2c3d479: gs://warm-up/B.json
---
apiVersion: rosetta/v1
kind: SamplingPlan
metadata:
  name: warm-up-qa
spec:
  annotationRequestRef: warm-up
  poolName: warm-up-SamplingPool
  samplingQuantity: 1
`,
);
const sim = await startSimulator({ port: 0 });
const env = { PATH: process.env.PATH, ROSETTA_ENDPOINT: sim.url, ROSETTA_ACCESS_KEY: SIMULATOR_CREDENTIALS.accessKey, ROSETTA_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey };
const io = { stdout: () => true, stdoutChunks: async () => undefined, stderr: () => true, env, cwd: dir, interactive: false, terminal: false };
const state = join(dir, 'state.json');
try {
  for (const argv of [
    ['--help'],
    ['plan', '--help'],
    ['validate', dir],
    ['plan', dir, '--state', state],
    ['plan', dir, '--state', state, '--format', 'json'],
    ['apply', dir, '--state', state, '--auto-approve'],
    ['plan', dir, '--state', state],
    ['status', '--state', state],
    ['state', 'list', '--state', state],
    ['validate', join(dir, 'missing')],
  ]) {
    await cli.runCli(argv, io);
  }
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
for (const { script, file } of loaded.values()) writeFileSync(`${file}.cache`, script.createCachedData());
