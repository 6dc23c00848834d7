// The fast path against the yaml package with rosetta's settings, over an alphabet that holds
// every character JavaScript's trim() strips and YAML does not (issue 18), the control
// characters, YAML's indicators and keys near yaml's 1024-character limit. Whatever the fast path
// accepts must read exactly as yaml reads it; anything else it must hand to the full parser.
//
// Bounded for `npm test`; FUZZ_RUNS=200000 runs each property that many times (docs/testing.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fastParse } from '../../src/manifest/fast-parse.js';
import { plain, viaYaml } from '../helpers/yaml.js';
import { loadManifests } from '../../src/manifest/load.js';
import { bodyDigest } from '../../src/model/digest.js';
import { tempDir } from '../helpers/files.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || undefined;
const runs = (fallback: number) => ({ numRuns: RUNS ?? fallback });



/** The property: the fast path steps aside, or reads what yaml reads (and yaml accepts the text). */
function agrees(text: string): boolean {
  const fast = fastParse(text);
  if (fast === undefined) return false;
  expect(fast.map((d) => plain(d.value)), JSON.stringify(text)).toEqual(viaYaml(text));
  return true;
}

/** Every Unicode space separator, the line and paragraph separators, BOM, NEL, VT and FF. */
const UNICODE_SPACES = ['\u00a0', '\u1680', ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)), '\u202f', '\u205f', '\u3000', '\u2028', '\u2029', '\ufeff', '\u0085', '\v', '\f'];
const CONTROLS = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0080', '\u009f', '\u200b'];
const INDICATORS = [':', '-', '?', '#', '"', "'", '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '\\', '~', '.'];
const ORDINARY = ['a', 'b', 'z', '0', '1', '5', 'e', 'x', 'é', 'ü', '中', '😀', ' ', ' ', ' '];
const ODD = [...UNICODE_SPACES, ...CONTROLS];

const char = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ORDINARY) }, { weight: 2, arbitrary: fc.constantFrom(...INDICATORS) }, { weight: 2, arbitrary: fc.constantFrom(...ODD) });
// Mostly clean words, so that the fast path takes a good part of the input and is compared.
const cleanChar = fc.constantFrom(...ORDINARY, ':', '-', '.', '#', '/');
const word = fc.oneof({ weight: 4, arbitrary: fc.string({ unit: cleanChar, maxLength: 10 }) }, { weight: 1, arbitrary: fc.string({ unit: char, maxLength: 10 }) });
const edge = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...ODD) });
/** A plain word with odd characters only at its edges: the shape of the reproducers. */
const edged = fc.tuple(edge, fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9./:-]{0,8}$/), edge).map(([a, b, c]) => a + b + c);
const quotedForm = fc.tuple(word, fc.constantFrom('"', "'")).map(([w, q]) => (q === '"' ? JSON.stringify(w) : `'${w.replace(/'/g, "''")}'`));
const scalar = fc.oneof(word, edged, quotedForm, fc.constantFrom('50', '50\u00a0', '.5', 'true', '~', '[K1\u00a0, K2]', '{a\ufeff: b}', '[a, b]', '{ start: 1, end: 2 }', 'a #c', 'a\u00a0#c'));
/** Keys near yaml's limit of 1024 characters between a key's start and its colon. */
const longKey = fc.integer({ min: 1015, max: 1035 }).map((n) => 'k'.repeat(n));
const key = fc.oneof({ weight: 8, arbitrary: fc.oneof(word, edged, quotedForm) }, { weight: 1, arbitrary: longKey }, { weight: 1, arbitrary: longKey.map((k) => `"${k}"`) });

type Tree = { key: string; value: string | Tree | string[] }[];
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.array(fc.record({ key, value: fc.oneof({ depthSize: 'small' }, scalar, tie('tree'), fc.array(scalar, { minLength: 1, maxLength: 3 })) }), { minLength: 1, maxLength: 4 }),
})).tree;

function render(t: Tree, indent = 0): string {
  const pad = ' '.repeat(indent);
  return t
    .map(({ key: k, value }) => {
      if (typeof value === 'string') return `${pad}${k}: ${value}\n`;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return `${pad}${k}:\n${(value as string[]).map((v) => `${pad}- ${v}\n`).join('')}`;
      return `${pad}${k}:\n${render(value as Tree, indent + 2)}`;
    })
    .join('');
}

/** Text with one odd character put somewhere: after a value, before a colon, on a line of its own. */
const withOddInserted = fc.tuple(tree, fc.constantFrom(...ODD), fc.nat()).map(([t, odd, at]) => {
  const text = render(t);
  const i = at % (text.length + 1);
  return text.slice(0, i) + odd + text.slice(i);
});

describe('the fast path reads exactly what yaml reads', () => {
  it('on generated trees whose keys and values hold odd characters', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 2 }), (docs) => {
        if (agrees(docs.map((d) => render(d)).join('---\n'))) accepted++;
      }),
      runs(1500),
    );
    // The property is only worth something if the fast path takes part of the input.
    expect(accepted).toBeGreaterThan(20);
  });

  it('with an odd character inserted anywhere in a document', () => {
    fc.assert(fc.property(withOddInserted, (text) => void agrees(text)), runs(1500));
  });

  it('on random text over the whole alphabet with line breaks and tabs', () => {
    const unit = fc.oneof(char, fc.constantFrom('\n', '\n', '\r\n', '\t', ': ', '- ', '---\n'));
    fc.assert(fc.property(fc.string({ unit, maxLength: 80 }), (text) => void agrees(text)), runs(2000));
  });

  it('on the reproducers of issue 18', () => {
    const cases: [string, unknown[] | undefined][] = [
      ['annotationRequestName: Helix\u00a0\n', [{ annotationRequestName: 'Helix\u00a0' }]],
      ['campaignId: c-1\u2028\n', [{ campaignId: 'c-1\u2028' }]],
      ['samplingQuantity: 50\u00a0\n', [{ samplingQuantity: '50\u00a0' }]],
      ['ids: [K1\u00a0, K2]\n', [{ ids: ['K1\u00a0', 'K2'] }]],
      ['m: {a\ufeff: b}\n', [{ m: { 'a\ufeff': 'b' } }]],
      ['a: b\n\u00a0\u3000\n', undefined],
      ['metadata:\u00a0\n  name: x\n', undefined],
      ['---\u00a0\na: 1\n', undefined],
      ['a: x\u000b\n', [{ a: 'x\u000b' }]],
      ['a: x\u000c\n', [{ a: 'x\u000c' }]],
      [`${'s'.repeat(1100)}: gs://b/1.json\n`, undefined],
      [`${'s'.repeat(1024)}: v\n`, [{ ['s'.repeat(1024)]: 'v' }]],
    ];
    for (const [text, expected] of cases) {
      // Expected values are yaml's reading, written out here; the fast path must not read otherwise.
      expect(viaYaml(text), JSON.stringify(text)).toEqual(expected);
      agrees(text);
    }
    // The fast path steps aside for all of them: none is the plain ASCII it is sure of.
    for (const [text] of cases.slice(0, 11)) expect(fastParse(text), JSON.stringify(text)).toBeUndefined();
  });

  it('a scene URI with a trailing no-break space in a big map steps aside as a whole', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `    s-${String(i).padStart(6, '0')}: gs://b/${i}.json${i === 54_321 ? '\u00a0' : ''}`);
    const text = `spec:\n  sceneIdMap:\n${lines.join('\n')}\n`;
    expect(fastParse(text)).toBeUndefined();
    expect(fastParse(text.replace('\u00a0', ''))).toBeDefined();
  });
});

describe('a body reads the same whichever parser reads the file', () => {
  // A tab in a comment sends a file to the full parser; the same manifest without it takes the fast path.
  const TAB_COMMENT = '#\tthis comment sends the file to the full parser\n';

  // One folder, the file rewritten per case: a long run makes hundreds of thousands of cases.
  let dir: string | undefined;
  beforeEach(() => void (dir = undefined)); // (test/helpers/files removes it after each test)
  async function outcome(text: string) {
    dir ??= tempDir();
    writeFileSync(join(dir, 'm.yaml'), text);
    const result = await loadManifests([], { cwd: dir });
    return {
      digests: result.resources.map((r) => [r.address, bodyDigest(r.body)]),
      problems: result.diagnostics.map((d) => `${d.rule} ${d.line}:${d.col} ${d.message}`),
    };
  }

  const sceneId = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), edged);
  const manifest = fc.record({
    name: fc.oneof(edged, fc.constantFrom('Helix', 'Helix\u00a0', '\u3000Helix', 'Überprüfung')),
    campaignId: fc.oneof(edged, fc.constantFrom('c-1', 'c-1\u2028', 'c-1\u00a0')),
    scenes: fc.uniqueArray(fc.tuple(sceneId, edged), { minLength: 1, maxLength: 5, selector: ([id]) => id }),
  });
  const renderManifest = ({ name, campaignId, scenes }: { name: string; campaignId: string; scenes: [string, string][] }) =>
    `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: helix\nspec:\n  annotationRequestName: ${name}\n  campaignId: ${campaignId}\n  sceneIdMap:\n${scenes.map(([id, uri]) => `    ${id}: ${uri}`).join('\n')}\n`;

  it('same digests, or the same errors at the same places', async () => {
    await fc.assert(
      fc.asyncProperty(manifest, async (m) => {
        const text = renderManifest(m);
        const fast = await outcome(text);
        const full = await outcome(TAB_COMMENT + text);
        // The full-parser file has one more line at the top.
        const shifted = full.problems.map((p) => p.replace(/ (\d+):(\d+) /, (_, line: string, col: string) => ` ${Number(line) - 1}:${col} `));
        expect(fast.digests).toEqual(full.digests);
        expect(fast.problems).toEqual(shifted);
      }),
      // Found by a long run: a scene id with an edge character and a URI that reads as a number.
      { ...runs(150), examples: [[{ name: 'A', campaignId: 'A', scenes: [['\u200b0', '0']] }]] },
    );
  });

  it('refuses a name, an id or a scene with an invisible character at its edge, at its line and column, on both paths', async () => {
    const text = renderManifest({ name: 'Helix\u00a0', campaignId: 'c-1\u2028', scenes: [['s-1', 'gs://b/1.json\u00a0'], ['\u3000s-2', 'gs://b/2.json']] });
    for (const [prefix, offset] of [['', 0], [TAB_COMMENT, 1]] as const) {
      const { problems, digests } = await outcome(prefix + text);
      expect(digests).toEqual([]);
      expect(problems).toEqual([
        `rules.edge-space ${6 + offset}:26 spec.annotationRequestName: ends with U+00A0 (no-break space)`,
        `rules.edge-space ${7 + offset}:15 spec.campaignId: ends with U+2028 (line separator)`,
        `rules.edge-space ${9 + offset}:10 spec.sceneIdMap["s-1"]: the scene URI ends with U+00A0 (no-break space)`,
        `rules.edge-space ${10 + offset}:5 spec.sceneIdMap["\u3000s-2"]: the scene id starts with U+3000 (ideographic space)`,
      ]);
    }
  });
});
