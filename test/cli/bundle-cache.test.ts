// The built CLI starts from its V8 code caches (bin/load-bundle.js, scripts/code-cache.mjs): a
// cache V8 rejects costs nothing but speed, so only a check like this one sees it. A cache is
// rejected when it was written under other V8 flags than a command runs with; status sets one
// (--liftoff-only, once undici is loaded), so it is checked too.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIMULATOR_CREDENTIALS } from '../../src/sim/server.js';
import { BIN, runRosetta } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const MANIFEST = `apiVersion: rosetta/v1
kind: AnnotationRequest
metadata:
  name: cached
spec:
  annotationRequestName: Cached
  campaignId: 7d44b43b-3bbd-4f53-9f95-b7c0217d8d5b
  sceneIdMap:
    550e8400-e29b-41d4-a716-446655440000: gs://cached/A.yaml
`;

// Preloaded into the CLI's process: at exit, which bundles it loaded and whether V8 took each cache.
const HOOK = `
const { loaded } = require(${JSON.stringify(join(BIN, '..', 'load-bundle.js'))});
process.on('exit', () => {
  const report = {};
  for (const [name, { script }] of loaded) report[name] = script.cachedDataRejected === false ? 'accepted' : 'rejected';
  require('node:fs').writeFileSync(process.env.REPORT, JSON.stringify(report));
});
`;

describe('the bundle’s code caches', () => {
  it('are taken by V8 for a command that sends nothing and for one that loads undici', async () => {
    const dir = tempDir({ 'pipeline.yaml': MANIFEST, 'hook.cjs': HOOK });
    const sim = await simulator();
    const api = { ROSETTA_ENDPOINT: sim.url, ROSETTA_ACCESS_KEY: SIMULATOR_CREDENTIALS.accessKey, ROSETTA_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey };
    const traced = (report: string) => ({ NODE_OPTIONS: `--require ${join(dir, 'hook.cjs')}`, REPORT: join(dir, report) });

    const validate = await runRosetta(['validate', '.'], { cwd: dir, env: traced('validate.json') });
    expect(validate).toMatchObject({ code: 0, stderr: '' });
    // The CLI, and the schema validators of the envelope and of the one kind met (bundles of their own).
    expect(JSON.parse(readFileSync(join(dir, 'validate.json'), 'utf8'))).toEqual({ rosetta: 'accepted', 'generated/envelope': 'accepted', 'generated/annotationRequestSpec': 'accepted' });

    const apply = await runRosetta(['apply', '.', '--auto-approve', '--state', 'state.json'], { cwd: dir, env: api });
    expect(apply.code).toBe(0);
    const status = await runRosetta(['status', '--state', 'state.json'], { cwd: dir, env: { ...api, ...traced('status.json') } });
    expect(status.stdout).toContain('AnnotationRequest/cached');
    expect(JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'))).toEqual({ rosetta: 'accepted', 'generated/state': 'accepted', undici: 'accepted' });
  });
});
