import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../src/model/uuid.js';

describe('uuidV5', () => {
  it("gives RFC 9562's example and the ids rosetta has always derived", () => {
    // RFC 9562 (appendix A.4): the DNS namespace and www.example.com.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // examples/helix-3d's derived annotationRequestId, pinned since rosetta 0.1.
    expect(uuidV5('7d44b43b-3bbd-4f53-9f95-b7c0217d8d5b/helix-3d', '5c1f7d2e-8a4b-4c3d-9e6f-0a1b2c3d4e5f')).toBe('43d5ed28-0081-5726-8e22-695c6c007d7e');
  });
});
