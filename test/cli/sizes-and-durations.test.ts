// Flag values: durations (ms package, bare numbers in seconds) and sizes (bytes package, binary units).
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/context.js';
import { parseByteSize } from '../../src/manifest/files.js';

describe('durations', () => {
  it.each([
    ['30', 30_000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['0', 0],
    [' 2m ', 120_000],
  ])('%j is %d ms', (text, expected) => {
    expect(parseDuration('--timeout', text)).toBe(expected);
  });

  it.each(['', 'soon', '-5s', '5 fortnights', '1e999'])('%j is refused with the flag named', (text) => {
    expect(() => parseDuration('--timeout', text)).toThrow(`--timeout: expected a duration like 30s or 5m, found ${JSON.stringify(text)}`);
  });
});

describe('sizes', () => {
  it.each([
    ['100', 100],
    ['10k', 10_240],
    ['10KiB', 10_240],
    ['256MB', 268_435_456],
    ['256mib', 268_435_456],
    ['1.5M', 1_572_864],
    ['1GiB', 1_073_741_824],
  ])('%j is %d bytes', (text, expected) => {
    expect(parseByteSize(text)).toBe(expected);
  });

  it.each(['', 'big', '1TB', '-1MB', '1 MB extra'])('%j is not a size', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});
