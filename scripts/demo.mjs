// The main job: start the simulator on a free loopback port, then validate,
// plan, apply and plan again on examples/ with a throwaway state. Leaves nothing
// running and nothing behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_CREDENTIALS, startSimulator } from '../dist/sim/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin/rosetta.js');
const stateDir = mkdtempSync(join(tmpdir(), 'rosetta-demo-'));
const sim = await startSimulator({ port: 0, faults: { latencyMs: [20, 120] }, seed: 7 });
const env = {
  ...process.env,
  ROSETTA_ENDPOINT: sim.url,
  ROSETTA_ACCESS_KEY: SIMULATOR_CREDENTIALS.accessKey,
  ROSETTA_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
  ROSETTA_STATE: join(stateDir, 'state.json'),
};

// Bold only for a terminal that wants colour (https://no-color.org): never escape codes into a pipe.
const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (text) => `\x1b[1m${text}\x1b[0m` : (text) => text;

function step(title, args, expected = [0]) {
  process.stdout.write(`\n${bold(`$ rosetta ${args.join(' ')}`)}   # ${title}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => (expected.includes(code) ? resolve(code) : reject(new Error(`rosetta ${args[0]} exited with ${code}`))));
  });
}

let failed = false;
try {
  process.stdout.write(`Rosetta simulator running at ${sim.url}; state in a temporary folder.\n`);
  await step('check the manifests', ['validate', 'examples/']);
  await step('what would be sent (exit 2: there are changes)', ['plan', 'examples/', '--detailed-exitcode'], [2]);
  await step('send the creates', ['apply', 'examples/', '--auto-approve']);
  await step('nothing left to do (exit 0)', ['plan', 'examples/', '--detailed-exitcode']);
  await step('what the state now records', ['state', 'list']);
  await step('what the platform did with it (waits until it has processed the requests)', ['status', '--wait', '--timeout', '1m']);
  await step('fetch the finished results, a JSONL file per request (a rerun adds only what is new)', ['results', 'pull', '--out', join(stateDir, 'results')]);
  const packages = sim.platform.listSamplingPackages().length;
  const requests = sim.platform.listAnnotationRequests().length;
  const { pipeline } = sim.platform;
  const pipelineCounts = `${pipeline.listFolders().length} folder, ${pipeline.listTaxonomies().length} taxonomy, ${pipeline.listWorkflowTemplates().length} workflow template, ${pipeline.listCampaigns().length} campaign`;
  process.stdout.write(`\nThe simulator started empty and now holds ${pipelineCounts}, ${requests} annotation requests and ${packages} sampling packages. Done.\n`);
} catch (error) {
  failed = true;
  process.stderr.write(`\ndemo failed: ${error.message}\n`);
} finally {
  await sim.close();
  rmSync(stateDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
