// rosetta plan reads a file state before the manifests (for memory: src/cli/commands/plan.ts), but
// what it says stays in the order it always had: the manifests' errors first, then the state's.
import { describe, expect, it } from 'vitest';
import { SIMULATOR_CREDENTIALS } from '../../src/sim/server.js';
import { runRosetta } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const VALID = `apiVersion: rosetta/v1
kind: AnnotationRequest
metadata:
  name: order
spec:
  annotationRequestName: Order
  campaignId: 7d44b43b-3bbd-4f53-9f95-b7c0217d8d5b
  sceneIdMap:
    550e8400-e29b-41d4-a716-446655440000: gs://order/A.yaml
`;
const INVALID = VALID.replace('  annotationRequestName: Order\n', '');
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
    const sim = await simulator();
    const api = { ROSETTA_ENDPOINT: sim.url, ROSETTA_ACCESS_KEY: SIMULATOR_CREDENTIALS.accessKey, ROSETTA_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey };
    expect((await runRosetta(['apply', 'pipeline.yaml', '--auto-approve', '--state', 'state.json'], { cwd: dir, env: api })).code).toBe(0);
    const plan = await runRosetta(['plan', 'pipeline.yaml', '--state', 'state.json'], { cwd: dir });
    expect(plan).toMatchObject({ code: 0, stderr: '', stdout: 'No changes. 1 resource is up to date.\n' });
  });
});
