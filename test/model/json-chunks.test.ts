// jsonChunks must give JSON.stringify(value, null, 2)'s bytes; a LargeMap must read as the object it stands for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyText } from '../../src/model/body-text.js';
import { bodyDigest } from '../../src/model/digest.js';
import { jsonChunks } from '../../src/model/json-chunks.js';
import { entriesOf, keysOf } from '../../src/model/known-keys.js';
import { LargeMap } from '../../src/model/large-map.js';

const trickyKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', '0', '1', '01', '10', '4294967294', '4294967295', '-1', '1.5', '', 'é', '"q"', 'a\nb'), fc.string({ maxLength: 6 }));
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -0, 1.5, 1e21, Number.NaN, 'text', '', 'ünï\u2028', undefined),
    fc.string(),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(trickyKey, tie('v'), { maxKeys: 5 }),
  ),
})).v;

/** A LargeMap and the object it stands for, from unique keys in a random order. */
const largeMap = fc.uniqueArray(fc.tuple(trickyKey, fc.oneof(fc.string(), fc.constant(undefined))), { selector: ([k]) => k, maxLength: 30 }).map((entries) => {
  const map = new LargeMap(entries.map(([k]) => k), entries.map(([, v]) => v));
  return { map, object: map.toJSON() };
});

describe('jsonChunks', () => {
  it('gives exactly JSON.stringify(value, null, 2)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const expected = JSON.stringify(v, null, 2);
        fc.pre(expected !== undefined);
        expect([...jsonChunks(v)].join('')).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('cuts a big document into chunks of about 64 KiB', () => {
    const big = { scenes: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`scene-${i}`, `gs://bucket/${i}.yaml`])) };
    const chunks = [...jsonChunks(big)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70 * 1024);
    expect(chunks.join('')).toBe(JSON.stringify(big, null, 2));
  });
});

describe('LargeMap', () => {
  it('serialises, digests and lists its keys as the object it stands for', () => {
    fc.assert(
      fc.property(largeMap, ({ map, object }) => {
        const body = { annotationRequestId: 'x', sceneIdMap: map };
        const plain = { annotationRequestId: 'x', sceneIdMap: object };
        expect([...jsonChunks(body)].join('')).toBe(JSON.stringify(plain, null, 2));
        expect(JSON.stringify(body)).toBe(JSON.stringify(plain));
        expect(bodyText(body)).toBe(JSON.stringify(plain));
        expect(bodyDigest(body)).toBe(bodyDigest(plain));
        expect([...keysOf(map)].sort()).toEqual(Object.keys(object).sort());
        const { keys, valueAt } = entriesOf(map);
        keys.forEach((key, i) => expect(valueAt(i)).toBe(object[key]));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps "__proto__" as a key, never as the prototype', () => {
    const object = new LargeMap(['__proto__', 'a'], ['x', 'y']).toJSON();
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__', 'a']);
  });
});
