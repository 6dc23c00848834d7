// rosetta plan reads a file state before the manifests (for memory: src/cli/commands/plan.ts), but
// what it says stays in the order it always had: the manifests' errors first, then the state's.
import { describe, expect, it } from 'vitest';
import { runRosetta } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, simulatorEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const VALID = annotationRequest('order');
const INVALID = VALID.replace('  annotationRequestName: Request order\n', '');
const CORRUPT_STATE = '{"version": 1, "resources": {';

describe('rosetta plan with a file state', () => {
  it('reports invalid manifests, not a corrupt state, when both are wrong', async () => {
    const dir = tempDir({ 'pipeline.yaml': INVALID, 'state.json': CORRUPT_STATE });
    const result = await runRosetta(['plan', 'pipeline.yaml', '--state', 'state.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error[ROS_MANIFEST_INVALID]: 1 error in the manifests (above); nothing was planned or sent');
    expect(result.stderr).not.toContain('ROS_STATE_CORRUPT');
  });

  it('reports the corrupt state when the manifests are valid, and plans nothing', async () => {
    const dir = tempDir({ 'pipeline.yaml': VALID, 'state.json': CORRUPT_STATE });
    const result = await runRosetta(['plan', 'pipeline.yaml', '--state', 'state.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error\[ROS_STATE_CORRUPT\]: the state file .*state\.json is not valid JSON/);
  });

  it('plans against the state it read first: nothing to do once applied', async () => {
    const dir = tempDir({ 'pipeline.yaml': VALID });
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const api = simulatorEnv(sim);
    expect((await runRosetta(['apply', 'pipeline.yaml', '--auto-approve', '--state', 'state.json'], { cwd: dir, env: api })).code).toBe(0);
    const plan = await runRosetta(['plan', 'pipeline.yaml', '--state', 'state.json'], { cwd: dir });
    expect(plan).toMatchObject({ code: 0, stderr: '', stdout: 'No changes. 1 resource is up to date.\n' });
  });
});
