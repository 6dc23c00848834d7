// What a failed git command said, as the controller logs it: the cause, never a credential.
import { describe, expect, it } from 'vitest';
import { gitCause } from '../../src/reconcile/source.js';

describe('gitCause', () => {
  it('keeps the fatal lines, drops progress, redacts credentials', () => {
    const url = 'https://ci-bot:glpat-SECRET@git.example.com/team/manifests.git';
    const error = new Error(`Cloning into '/cache/abc'...\nremote: HTTP Basic: Access denied\nfatal: Authentication failed for '${url}/'\n`);
    const cause = gitCause(error, url);
    expect(cause).toBe("fatal: Authentication failed for 'https://***@git.example.com/team/manifests.git/'");
    expect(cause).not.toContain('SECRET');
  });

  it('says what a server error was when git has no fatal line', () => {
    expect(gitCause(new Error("Cloning into 'x'...\nThe requested URL returned error: 502\n"), 'https://h/r.git')).toBe('The requested URL returned error: 502');
  });
});
