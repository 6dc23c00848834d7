import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

describe('npm run demo (the main job)', () => {
  it('validates, plans, applies and re-plans the examples against the simulator', () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/demo.mjs')], { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('21 manifests in 10 files valid');
    expect(run.stdout).toContain('Apply: 21 created, 0 adopted, 0 failed, 0 skipped.');
    expect(run.stdout).toContain('No changes. 21 resources are up to date.');
    expect(run.stdout).toContain('Status: 1 ACTIVE, 12 EXISTS, 7 FINISHED, 1 UNVERIFIABLE.');
    expect(run.stdout).toMatch(/^AnnotationRequest\/helix-3d: 3 new, 3 in all → .*results\/helix-3d\.jsonl$/m);
    expect(run.stdout).toContain('Pulled 21 new results for 7 annotation requests into');
    expect(run.stdout).toContain('The simulator started empty and now holds 1 folder, 1 taxonomy, 1 workflow template, 1 campaign, 7 annotation requests and 10 sampling packages. Done.');
    // Written to a pipe: no escape codes.
    expect(run.stdout).not.toContain('\u001b');
  });
});
