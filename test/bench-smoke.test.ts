// A smoke run of the benchmark harness on tiny inputs: it must run end to end
// (whole rosetta processes, the simulator in its own) and report every suite.
// No timing is asserted here; npm run bench measures.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

describe('bench/run.mjs --smoke', () => {
  it('runs every suite', { timeout: 300_000 }, () => {
    const out = execFileSync(process.execPath, [join(REPO_ROOT, 'bench/run.mjs'), '--smoke'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = JSON.parse(out) as { suite: string; figure: string }[];
    expect(rows.map((r) => r.suite)).toEqual([
      'start-up: --version',
      'start-up: validate (one manifest)',
      'start-up: plan (one manifest)',
      'start-up: status (one resource)',
      'start-up: state list (one resource)',
      'start-up: status vs the same reads with undici',
      'plan of 50 small manifests',
      'plan vs floor',
      'huge request: plan --format json vs floor',
      'huge request: validate vs plan',
      'huge request: 3× the scenes',
      'generator: plan --format json vs written out',
      'sceneIdMapFrom CSV: plan --format json vs floor',
      '500 manifests: validate',
      '500 manifests: plan',
      '500 unchanged resources: plan',
      'apply vs raw signed pool (16)',
      'apply vs raw signed pool (64)',
      'apply into 500 records (file)',
      'no-op plan at scale',
      'apply vs vendor sample client',
      'faults (10% 5000)',
      'apply: PostgreSQL vs file state',
      'apply into 500 records (PostgreSQL)',
      'dashboard: the page vs GET /api/resources',
    ]);
    expect(rows.find((r) => r.suite === 'faults (10% 5000)')?.figure).toContain(', 0 duplicate sampling packages');
  });
});
