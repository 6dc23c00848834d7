// Text from the server is data: it must not move the cursor, retitle the window or forge a CI annotation.
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
