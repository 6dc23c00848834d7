// The built CLI starts from its V8 code caches (bin/load-bundle.js, scripts/code-cache.mjs): a
// cache V8 rejects costs nothing but speed, so only a check like this one sees it. A cache is
// rejected when it was written under other V8 flags than a command runs with; status sets one
// (--liftoff-only, once undici is loaded), so it is checked too.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runRosetta } from '../helpers/cli.js';
import { E2E_CREDENTIALS, annotationRequest, simulatorEnv } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';


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
    const dir = tempDir({ 'pipeline.yaml': annotationRequest('cached'), 'hook.cjs': HOOK });
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const api = simulatorEnv(sim);
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
