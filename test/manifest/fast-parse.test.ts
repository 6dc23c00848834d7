// The fast path must build exactly what yaml's toJS builds, or step aside.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../src/manifest/fast-parse.js';
import { plain, viaYaml } from '../helpers/yaml.js';
import { keysOf } from '../../src/model/known-keys.js';
import { LargeMap } from '../../src/model/large-map.js';


const scalar = fc.oneof(
  fc.constantFrom('a', 'gs://b/c.yaml', 'x y', 'true', 'False', 'null', '~', '12', '-3', '+4', '0.5', '.5', '1e3', '0x1F', '0o17', '.inf', '007', 'a #b', 'a:b', '"q"', "'s'", "'it''s'", '"a\\nb"', '"\\x41"', '[a, b]', '[]', '{}', '{ start: 1, end: 2 }', '-', '- x', '&a x', '*a', '!tag x', '|', '>', '', 'ünï', '__proto__', 'constructor'),
  fc.string({ maxLength: 8 }),
);
const key = fc.oneof(fc.constantFrom('a', 'b', 'sceneIdMap', '"quoted key"', "'single'", '12', 'true', '__proto__', 'constructor', 'k:v', 'a b', '- x', '? x'), fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/));

type Tree = { key: string; value: string | Tree }[];
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.array(fc.record({ key, value: fc.oneof({ depthSize: 'small' }, scalar, tie('tree')) }), { minLength: 1, maxLength: 5 }),
})).tree;

function render(t: Tree, indent = 0): string {
  return t
    .map(({ key: k, value }) => (typeof value === 'string' ? `${' '.repeat(indent)}${k}: ${value}\n` : `${' '.repeat(indent)}${k}:\n${render(value, indent + 2)}`))
    .join('');
}


describe('fastParse', () => {
  it('agrees with yaml on every document it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), fc.boolean(), (docs, leadingMarker) => {
        const text = (leadingMarker ? '---\n' : '') + docs.map((d) => render(d)).join('---\n');
        const fast = fastParse(text);
        if (fast === undefined) return;
        accepted++;
        expect(fast.map((d) => plain(d.value))).toEqual(viaYaml(text));
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('agrees on random text, or steps aside', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ':', ' ', '\n', '-', '#', '"', "'", '[', ']', '{', '}', ',', '1', '.', '\r', '\t') , maxLength: 60 }), (text) => {
        const fast = fastParse(text);
        if (fast === undefined) return;
        expect(fast.map((d) => plain(d.value))).toEqual(viaYaml(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('parses a manifest with lists, flow maps and comments, and reads a big sceneIdMap as a LargeMap', () => {
    // Out of order on purpose (the duplicate check then needs its Set), with keys V8 would order first.
    const scenes = Array.from({ length: 1200 }, (_, i) => `    ${i % 2 === 0 ? `s-${1200 - i}` : `"${i}"`}: gs://b/${i}.yaml`).join('\n');
    const text = `# header\napiVersion: rosetta/v1  # trailing\nkind: SamplingPlan\nmetadata:\n  name: qa\nspec:\n  list:\n  - a\n  - 2\n  boundary: [{ start: 1, end: 2 }]\n  flow: [x, y]\n  map: { start: 1, end: 2 }\n  sceneIdMap:\n${scenes}\n  other:\n${scenes}\n`;
    // Flow maps inside flow lists are outside the subset: the full parser takes the file.
    expect(fastParse(text)).toBeUndefined();
    const simple = text.replace('  boundary: [{ start: 1, end: 2 }]\n', '');
    const parsed = fastParse(simple);
    const spec = (parsed![0]!.value as { spec: { sceneIdMap: object; other: object } }).spec;
    expect(spec.sceneIdMap).toBeInstanceOf(LargeMap);
    // Only a sceneIdMap: any other map is an object (the schema validates those as usual).
    expect(spec.other).not.toBeInstanceOf(LargeMap);
    expect(keysOf(spec.sceneIdMap)).toHaveLength(1200);
    expect(keysOf(spec.sceneIdMap).slice(0, 2)).toEqual(['s-1200', '1']);
    expect(JSON.parse(JSON.stringify(parsed!.map((d) => d.value)))).toEqual(viaYaml(simple));
    // A repeated scene id sends the file to the full parser, which reports it.
    expect(fastParse(simple.replace('    s-1198:', '    s-1200:'))).toBeUndefined();
  });

  it('steps aside for anchors, tags, block scalars, duplicates and directives', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  x\n', 'a: 1\na: 2\n', '%YAML 1.2\n---\na: 1\n', 'a:\n  - b: 1\n', 'a: "multi\n  line"\n', 'a: plain\n  continued\n']) {
      expect(fastParse(text), text).toBeUndefined();
    }
  });
});
