import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

describe('npm run demo (the main job)', () => {
  it('validates, plans, applies and re-plans the examples against the simulator', () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/demo.mjs')], { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('9 manifests in 4 files valid');
    expect(run.stdout).toContain('Apply: 9 created, 0 adopted, 0 failed, 0 skipped.');
    expect(run.stdout).toContain('No changes. 9 resources are up to date.');
    expect(run.stdout).toContain('Status: 6 EXISTS, 3 FINISHED.');
    expect(run.stdout).toContain('The simulator now holds 3 annotation requests and 6 sampling packages. Done.');
    // Written to a pipe: no escape codes.
    expect(run.stdout).not.toContain('\u001b');
  });
});
