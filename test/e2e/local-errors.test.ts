// Problems found on this machine are errors before any request, never "outcome unknown".
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, SECRET, annotationRequest, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const manifests = () => tempDir({ 'm.yaml': `${annotationRequest('req')}---\n${samplingPlan('qa', 'req')}` });

describe('keys and settings that cannot be sent', () => {
  it.each([
    ['ROSETTA_ACCESS_KEY', { ROSETTA_ACCESS_KEY: 'e2e-access\r' }, 'ROSETTA_ACCESS_KEY contains a line break (carriage return or newline)'],
    ['ROSETTA_SECRET_KEY', { ROSETTA_SECRET_KEY: `${SECRET}\r\n` }, 'ROSETTA_SECRET_KEY contains a line break (carriage return or newline)'],
    ['ROSETTA_SECRET_KEY', { ROSETTA_SECRET_KEY: ` ${SECRET}` }, 'ROSETTA_SECRET_KEY starts or ends with whitespace'],
  ])('a bad %s is refused before any request, nothing pending, lock not left', async (_name, env, message) => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = manifests();
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve'], env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe(`error[ROS_CONFIG]: ${message}\n  hint: a file edited on Windows ends lines with \\r\\n: strip it, e.g. tr -d '\\r' < key.txt\n`);
    expect(apply.stderr + apply.stdout).not.toContain(SECRET);
    expect(sim.received).toEqual({ 'annotation-request': 0, sampling: 0, folder: 0, taxonomy: 0, workflow: 0, campaign: 0, get: 0 });
    expect(existsSync(join(dir, '.rosetta/state.json'))).toBe(false);
    expect(existsSync(join(dir, '.rosetta/state.json.lock'))).toBe(false);
  });

  it('an invalid HTTPS_PROXY is a clear error, not a stack trace, and leaves no lock', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = manifests();
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve'], { HTTPS_PROXY: 'http://[::1' });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe('error[ROS_CONFIG]: HTTPS_PROXY is not a valid URL\n  hint: set it to a proxy URL such as http://proxy.example.com:3128, or unset it\n');
    expect(existsSync(join(dir, '.rosetta/state.json.lock'))).toBe(false);
  });

  it.each([
    ['a directory', (dir: string) => dir, 'it is a directory, not a file (EISDIR)'],
    ['a path through a file', (dir: string) => join(dir, 'm.yaml', 'state.json'), 'a part of the path is a file, not a folder'],
  ])('--state naming %s is a clear error', async (_what, state, message) => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = manifests();
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const run = await rosetta(sim, dir, [...command, '--state', state(dir)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error\[ROS_STATE_IO\]: cannot (read|write) /);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain('    at ');
    }
    expect(sim.received).toEqual({ 'annotation-request': 0, sampling: 0, folder: 0, taxonomy: 0, workflow: 0, campaign: 0, get: 0 });
  });
});
