import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyDigest } from '../../src/model/digest.js';

describe('bodyDigest', () => {
  it('is sha256 of canonicalize (RFC 8785) for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(bodyDigest(value)).toBe(`sha256:${createHash('sha256').update(canonicalize(value)!).digest('hex')}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on key order', () => {
    expect(bodyDigest({ a: 1, b: { c: 'x', d: [1, 'é', '\u2028'] } })).toBe(bodyDigest({ b: { d: [1, 'é', '\u2028'], c: 'x' }, a: 1 }));
  });
});
