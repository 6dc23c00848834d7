// A smoke run of the benchmark harness on tiny inputs: it must run end to end
// and report every suite. No timing is asserted here; npm run bench measures.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

describe('bench/run.mjs --smoke', () => {
  it('runs every suite', { timeout: 120_000 }, () => {
    const out = execFileSync(process.execPath, [join(REPO_ROOT, 'bench/run.mjs'), '--smoke'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = JSON.parse(out) as { suite: string; figure: string }[];
    expect(rows.map((r) => r.suite)).toEqual([
      'plan vs floor',
      'huge request: plan --format json vs floor',
      'huge request: validate vs plan',
      'huge request: 3× the scenes',
      'generator: plan --format json vs written out',
      'sceneIdMapFrom CSV: plan --format json vs floor',
      '500 manifests: validate',
      '500 manifests: plan',
      'apply vs raw signed pool (16)',
      'apply vs raw signed pool (64)',
      'creates into 200 records',
      'creates into 1,000 records',
      'no-op plan at scale',
      'apply vs vendor sample client',
      'faults (10% 5000)',
      'apply: PostgreSQL vs file state',
      'dashboard: the page vs GET /api/resources',
      'start-up: --version',
      'start-up: validate examples/',
    ]);
    expect(rows.find((r) => r.suite === 'faults (10% 5000)')?.figure).toContain(', 0 duplicate sampling packages');
  });
});
