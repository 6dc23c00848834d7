import { describe, expect, it } from 'vitest';
import { resolveCredentials, resolveEndpoint } from '../../src/api/config.js';
import { backoffDelay, parseRetryAfter } from '../../src/api/retry.js';

describe('endpoint', () => {
  it.each([
    [{ endpoint: 'https://rosetta.example.com/rosetta-open/' }, {}, 'https://rosetta.example.com/rosetta-open'],
    [{}, { ROSETTA_ENDPOINT: 'http://127.0.0.1:8470/rosetta-open' }, 'http://127.0.0.1:8470/rosetta-open'],
    [{ endpoint: 'http://[::1]:9/rosetta-open' }, {}, 'http://[::1]:9/rosetta-open'],
    [{ endpoint: 'http://10.0.0.5/rosetta-open', insecure: true }, {}, 'http://10.0.0.5/rosetta-open'],
    [{ endpoint: 'https://flag.example.com/rosetta-open' }, { ROSETTA_ENDPOINT: 'https://env.example.com/rosetta-open' }, 'https://flag.example.com/rosetta-open'],
  ])('%j with env %j → %s', (options, env, expected) => {
    expect(resolveEndpoint(options, env)).toBe(expected);
  });

  it.each([
    [{}, 'no API endpoint: set ROSETTA_ENDPOINT or pass --endpoint'],
    [{ endpoint: 'rosetta.example.com' }, 'the endpoint is not an absolute URL: "rosetta.example.com"'],
    [{ endpoint: 'http://rosetta.example.com/rosetta-open' }, 'refusing plain http to rosetta.example.com: the signature can be replayed by anyone who sees a request'],
    [{ endpoint: 'https://rosetta.example.com/api' }, 'the endpoint must end in /rosetta-open, found "https://rosetta.example.com/api"'],
    [{ endpoint: 'https://u:p@rosetta.example.com/rosetta-open' }, 'the endpoint must not contain credentials'],
    [{ endpoint: 'ftp://rosetta.example.com/rosetta-open' }, 'the endpoint must be an https URL, found ftp:'],
  ])('%j is refused', (options, message) => {
    expect(() => resolveEndpoint(options, {})).toThrow(expect.objectContaining({ code: 'ROS_CONFIG', message }));
  });
});

describe('credentials', () => {
  it('names every missing variable and never echoes a value', () => {
    expect(() => resolveCredentials({})).toThrow('ROSETTA_ACCESS_KEY and ROSETTA_SECRET_KEY are not set');
    expect(() => resolveCredentials({ ROSETTA_ACCESS_KEY: 'ak' })).toThrow('ROSETTA_SECRET_KEY is not set');
    expect(resolveCredentials({ ROSETTA_ACCESS_KEY: 'ak', ROSETTA_SECRET_KEY: 'sk' })).toEqual({ accessKey: 'ak', secretKey: 'sk' });
  });
});

describe('retry policy', () => {
  const policy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };
  it('is full jitter under an exponential, capped ceiling', () => {
    expect([1, 2, 3, 4, 8, 20].map((n) => backoffDelay(policy, n, () => 0.999999))).toEqual([499, 999, 1999, 3999, 29999, 29999]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
  it('prefers Retry-After, capped', () => {
    expect(backoffDelay(policy, 1, () => 0.5, 7000)).toBe(7000);
    expect(backoffDelay(policy, 1, () => 0.5, 600_000)).toBe(30_000);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
