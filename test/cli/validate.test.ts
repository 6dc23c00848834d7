// The real CLI, in a real process, on real files.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runRosetta } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const BAD = `apiVersion: rosetta/v1
kind: SamplingPlan
metadata:
  name: qa
spec:
  annotationRequestRef: missing
  poolName: p
  samplingRatio: 2
`;

describe('rosetta validate', () => {
  it('reads .YAML and .YML files too', async () => {
    const dir = tempDir({ 'UPPER.YAML': BAD, 'Other.Yml': BAD.replace('name: qa', 'name: qa-2') });
    const result = await runRosetta(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('UPPER.YAML:8:18: error: spec.samplingRatio: must be <= 1, found number 2');
    expect(result.stdout).toContain('Other.Yml:8:18: error: spec.samplingRatio: must be <= 1, found number 2');
  });

  it('passes the examples with exit 0 and a summary', async () => {
    const result = await runRosetta(['validate', 'examples/']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('21 manifests in 10 files valid (1 Folder, 1 Taxonomy, 1 WorkflowTemplate, 1 Campaign, 7 AnnotationRequest, 10 SamplingPlan); skipped 2 dot-files (examples/ci/.gitlab-ci.yml, examples/deploy/.kubernetes.yaml)\n');
  });

  it('prints file:line:col errors sorted, a summary, exit 1 and no stack trace', async () => {
    const dir = tempDir({ 'qa.yaml': BAD });
    const result = await runRosetta(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'qa.yaml:6:25: error: spec.annotationRequestRef: no AnnotationRequest named "missing"',
        '  hint: name an AnnotationRequest manifest, or use annotationRequestId for one managed elsewhere',
        'qa.yaml:8:18: error: spec.samplingRatio: must be <= 1, found number 2',
        '',
        '2 errors in 1 file',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
  });

  it('adds GitHub annotations when GITHUB_ACTIONS=true', async () => {
    const dir = tempDir({ 'qa.yaml': BAD });
    const result = await runRosetta(['validate', 'qa.yaml'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error file=qa.yaml,line=8,col=18::spec.samplingRatio: must be <= 1, found number 2\n');
  });

  it('prints JSON for machines', async () => {
    const dir = tempDir({ 'qa.yaml': BAD });
    const result = await runRosetta(['validate', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { formatVersion: number; valid: boolean; diagnostics: { line: number }[] };
    expect(json).toMatchObject({ formatVersion: 1, valid: false });
    expect(json.diagnostics.map((d) => d.line)).toEqual([6, 8]);
  });

  it('honours --max-file-size and rejects a bad size', async () => {
    const dir = tempDir({ 'qa.yaml': BAD });
    const small = await runRosetta(['validate', '--max-file-size', '10b'], { cwd: dir });
    expect(small.code).toBe(1);
    expect(small.stdout).toContain(`qa.yaml: error: file is ${Buffer.byteLength(BAD)} bytes, over the 10 bytes limit`);
    const bad = await runRosetta(['validate', '--max-file-size', 'lots'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error[ROS_USAGE]: --max-file-size: expected a size like 256MB or 1GiB, found "lots"\n');
  });

  it('rejects unknown flags with exit 1', async () => {
    const result = await runRosetta(['validate', '--frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: unknown option '--frobnicate'");
  });
});

describe('rosetta', () => {
  it('--version prints the package version', async () => {
    const result = await runRosetta(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('--help lists the commands', async () => {
    const result = await runRosetta(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('validate [options] [paths...]');
  });
});

describe('rosetta COMMAND --help', () => {
  it('ends with examples and the reference page, which exists, for every command', async () => {
    for (const command of [['validate'], ['plan'], ['apply'], ['status'], ['import'], ['reconcile'], ['results', 'pull'], ['ui'], ['render'], ['state', 'resolve']]) {
      const help = await runRosetta([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`\nExamples:\n  $ rosetta ${command.join(' ')}`);
      const page = /Reference: (\S+)\n/.exec(help.stdout)?.[1];
      expect(page).toBe(`docs/reference/commands/${command.join('-')}.md`);
      expect(existsSync(join(REPO_ROOT, page!))).toBe(true);
    }
  });
});
