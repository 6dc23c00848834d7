// Text from the server is data: it must not move the cursor, retitle the window or forge a CI annotation.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, annotationRequest, rosetta } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('a hostile message from the server', () => {
  it('is printed escaped, on one line', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const message = '\u001b]0;owned\u0007\u001b[2J\n::error::fake annotation\u202e';
    sim.faults.inject('annotation-request', { type: 'http', status: 200, body: JSON.stringify({ code: 53002, message, requestId: 'r\u001b[31m1' }) });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve'], { GITHUB_ACTIONS: 'true' });
    expect(apply.code).toBe(1);
    const output = apply.stdout + apply.stderr;
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(output.split('\n').some((line) => line.startsWith('::error::fake'))).toBe(false);
    expect(apply.stdout).toContain('AnnotationRequest/req failed: \\u001b]0;owned\\u0007\\u001b[2J\\u000a::error::fake annotation\\u202e (code 53002, requestId r\\u001b[31m1)');
  });
});

describe('an unknown status from the server', () => {
  it('is shown as UNKNOWN, escaped in text, markdown and the step summary, and exits 1', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    expect((await rosetta(sim, dir, ['apply', '--auto-approve'])).code).toBe(0);
    const weird = '\u001b]0;owned\u0007DONE\n::error::x';
    const answer = JSON.stringify({ code: 2000, data: { status: weird, successTaskMap: {}, errorSceneIdMap: {} } });
    for (const format of ['text', 'markdown', 'json']) {
      sim.faults.inject('get', { type: 'http', status: 200, body: answer });
      const summary = join(dir, `summary-${format}.md`);
      writeFileSync(summary, '');
      const status = await rosetta(sim, dir, ['status', '--format', format], { GITHUB_STEP_SUMMARY: summary });
      expect(status.code, format).toBe(1);
      const output = status.stdout + status.stderr + readFileSync(summary, 'utf8');
      expect(output, format).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(output.split('\n').some((line) => line.startsWith('::error::x'))).toBe(false);
      expect(output, format).toContain('UNKNOWN');
      expect(output, format).toContain('a status rosetta does not know');
    }
  });
});

describe('import --generate-manifest with hostile text from the server', () => {
  it('writes no manifest and records nothing', async () => {
    const hostile = { annotationRequestId: 'evil-1', annotationRequestName: 'Evil\u001b]0;owned\u0007 name', campaignId: 'campaign-9', sceneIdMap: { 's-1': 'gs://bucket/1.yaml' } };
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: { permissive: true, campaigns: [], pools: [], annotationRequests: [hostile, { ...hostile, annotationRequestId: 'bidi-1', annotationRequestName: 'Plain', sceneIdMap: { 's\u202e-1': 'gs://bucket/1.yaml' } }] } });
    const dir = tempDir();
    const evil = await rosetta(sim, dir, ['import', 'AnnotationRequest/evil', 'evil-1', '--generate-manifest', 'evil.yaml']);
    expect(evil.code).toBe(1);
    expect(evil.stderr).toContain("the platform's annotation request holds a control or invisible character in spec.annotationRequestName (U+001B); no manifest was written and nothing was imported");
    const bidi = await rosetta(sim, dir, ['import', 'AnnotationRequest/bidi', 'bidi-1', '--generate-manifest', 'bidi.yaml']);
    expect(bidi.stderr).toContain('in spec.sceneIdMap (a key) (U+202E)');
    expect(existsSync(join(dir, 'evil.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'bidi.yaml'))).toBe(false);
    const list = await rosetta(sim, dir, ['state', 'list', '--format', 'json']);
    expect(JSON.parse(list.stdout).resources).toEqual([]);
  });
});

describe('reconcile --log-format text', () => {
  it('writes server text escaped, one entry a line', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const message = '\u001b]0;owned\u0007\r\n::error::forged\u0007';
    sim.faults.inject('annotation-request', { type: 'http', status: 200, body: JSON.stringify({ code: 53002, message }) });
    const dir = tempDir({ 'm.yaml': annotationRequest('req') });
    const run = await rosetta(sim, dir, ['reconcile', '--source', dir, '--once', '--log-format', 'text', '--state', join(tempDir(), 'state.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(run.stderr.split('\n').some((line) => line.startsWith('::'))).toBe(false);
    expect(run.stderr).toContain('\\u001b]0;owned\\u0007\\u000d\\u000a::error::forged');
  });
});
