// Files that are not what they claim: devices, pipes, /proc entries, links out of the tree, loops.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRosetta } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const VALID = `apiVersion: rosetta/v1
kind: AnnotationRequest
metadata:
  name: ok
spec:
  annotationRequestName: OK
  campaignId: c-1
  sceneIdMap:
    s-1: gs://b/1.yaml
`;

describe('validate on hostile files', () => {
  it('refuses a device named on the command line without reading it', async () => {
    const dir = tempDir();
    symlinkSync('/dev/zero', join(dir, 'x.yaml'));
    const result = await runRosetta(['validate', 'x.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('x.yaml: error: not a regular file (a device, pipe or socket); only YAML files are read');
  });

  it('refuses a named pipe without waiting for a writer', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const result = await runRosetta(['validate', 'pipe.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('pipe.yaml: error: not a regular file');
  });

  it('never echoes /proc/self/environ (where the secret is) and stops at the size cap', async () => {
    const dir = tempDir();
    symlinkSync('/proc/self/environ', join(dir, 'env.yaml'));
    const secret = 'hostile-files-SECRET-must-not-print';
    const result = await runRosetta(['validate', 'env.yaml'], { cwd: dir, env: { ROSETTA_SECRET_KEY: secret } });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stdout).toMatch(/env\.yaml:1:\d+: error: file contains a NUL byte: not a text file/);
    const capped = await runRosetta(['validate', 'env.yaml', '--max-file-size', '16'], { cwd: dir, env: { ROSETTA_SECRET_KEY: secret } });
    expect(capped.stdout).toContain('env.yaml: error: file is more than 16 bytes, over the 16 bytes limit');
  });

  it('refuses links found in a directory that lead out of it', async () => {
    const dir = tempDir({ 'outside.yaml': VALID, 'tree/ok.yaml': VALID.replace('name: ok', 'name: inside').replace('OK', 'Inside') });
    symlinkSync('../outside.yaml', join(dir, 'tree/link.yaml'));
    symlinkSync('/dev/zero', join(dir, 'tree/zero.yaml'));
    const result = await runRosetta(['validate', 'tree'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('tree/link.yaml: error: a symbolic link that leads outside tree');
    expect(result.stdout).toContain('tree/zero.yaml: error: a symbolic link that leads outside tree');
    expect(result.stdout).toContain('2 errors in 2 files');
  });

  it('reads each file once through a symlink loop or a link to a file inside', async () => {
    const dir = tempDir({ 'tree/bad.yaml': VALID.replace('campaignId: c-1', 'campaignId: 7') });
    mkdirSync(join(dir, 'tree/sub'));
    symlinkSync('..', join(dir, 'tree/sub/loop'));
    symlinkSync('bad.yaml', join(dir, 'tree/alias.yaml'));
    const result = await runRosetta(['validate', 'tree'], { cwd: dir });
    expect(result.code).toBe(1);
    // Found as tree/alias.yaml (first in order) and deduplicated by its real path: one error.
    expect(result.stdout).toBe('tree/alias.yaml:7:15: error: spec.campaignId: expected a string, found number 7\n  hint: quote the value to make it a string\n\n1 error in 1 file\n');
  });

  it('quotes at most a short excerpt of a wrong value, escaped', async () => {
    const long = `\u001b]0;pwned\u0007${'A'.repeat(60)}`;
    const dir = tempDir({ 'm.yaml': VALID.replace('campaignId: c-1', `campaignId: [${JSON.stringify(long)}]`) });
    const result = await runRosetta(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('spec.campaignId: expected a string, found a list');
    const dir2 = tempDir({ 'm.yaml': VALID.replace('name: ok', `name: ${JSON.stringify(long)}`) });
    const result2 = await runRosetta(['validate'], { cwd: dir2 });
    expect(result2.stdout).not.toContain('\u001b');
    expect(result2.stdout).toContain('found string "\\u001b]0;pwned\\u0007AAAAAAAAAA…" (70 characters)');
  });
});
