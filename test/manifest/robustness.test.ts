import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { keysOf } from '../../src/model/known-keys.js';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadManifests } from '../../src/manifest/load.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const EXAMPLE = readFileSync(join(REPO_ROOT, 'examples/helix-3d/sampling.yaml'), 'utf8');

/** Loading must end in resources or clean diagnostics, never an exception. */
async function loadText(text: string) {
  const dir = tempDir({ 'm.yaml': text });
  const result = await loadManifests([], { cwd: dir });
  expect(result.diagnostics.length === 0 || result.resources.length === 0).toBe(true);
  for (const d of result.diagnostics) {
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.line).toBeGreaterThanOrEqual(0);
  }
  return result;
}

describe('the loader never crashes', () => {
  it('on random text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => void (await loadText(text))), { numRuns: 150 });
  });

  it('on random YAML-looking text', async () => {
    const token = fc.constantFrom('a', ':', ' ', '\n', '- ', '{', '}', '[', ']', ',', '&x', '*x', '!!str', '"', "'", '#', '---', '|', '>', '? ', 'spec', 'kind', '\t', '0x1F', '~');
    await fc.assert(fc.asyncProperty(fc.array(token, { maxLength: 60 }), async (tokens) => void (await loadText(tokens.join('')))), { numRuns: 150 });
  });

  it('on random mutations of a valid manifest', async () => {
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));
    const paths: (string | number)[][] = [
      ['apiVersion'], ['kind'], ['metadata'], ['metadata', 'name'], ['spec'], ['spec', 'poolName'], ['spec', 'samplingRatio'],
      ['spec', 'sampleType'], ['spec', 'interceptionMode'], ['spec', 'interceptionBoundary'], ['spec', 'interceptionBoundary', 0, 'start'],
      ['spec', 'subCondition'], ['spec', 'subCondition', 'workPoolFilter'], ['spec', 'annotationRequestRef'], ['spec', '__proto__'], ['spec', 'constructor'],
    ];
    const mutation = fc.record({ path: fc.constantFrom(...paths), value: leaf, remove: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const doc = parseDocument(EXAMPLE.split('\n---\n')[0]!);
        for (const m of mutations) {
          try {
            if (m.remove) doc.deleteIn(m.path);
            else doc.setIn(m.path, m.value);
          } catch {
            // the path no longer exists after an earlier mutation; skip this one
          }
        }
        await loadText(doc.toString());
      }),
      { numRuns: 200 },
    );
  });
});

describe('defensive parsing', () => {
  // The test's timeout is the guard: expanding 9^9 strings would take minutes and gigabytes.
  it('rejects an alias bomb at once with a clear message', { timeout: 10_000 }, async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const { diagnostics } = await loadText(`${lines.join('\n')}\n`);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('YAML aliases in this document expand too much')]);
    expect(diagnostics[0]!.hint).toMatch(/alias bombs/);
  });

  it('rejects a file over the size cap before reading or parsing it', async () => {
    // Not even YAML: if the loader parsed it, the error would be a YAML error.
    const dir = tempDir({ 'big.yaml': `${'{'.repeat(4096)}` });
    const { diagnostics } = await loadManifests([], { cwd: dir, maxFileBytes: 1024 });
    expect(diagnostics).toEqual([
      { rule: 'files.too-large', file: 'big.yaml', line: 0, col: 0, message: 'file is 4 KiB, over the 1 KiB limit', hint: 'split it, or raise the limit with --max-file-size' },
    ]);
  });

  it('keeps YAML 1.2 core meanings: no, on and 0755 are not booleans or octal', async () => {
    const dir = tempDir({
      'm.yaml': 'apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata: { name: a }\nspec:\n  annotationRequestName: no\n  campaignId: on\n  sceneIdMap: { "0755": 0755 }\n',
    });
    const { diagnostics } = await loadManifests([], { cwd: dir });
    // "no" and "on" are strings (valid names), 0755 is the decimal number 755 (not a string).
    expect(diagnostics.map((d) => d.message)).toEqual(['spec.sceneIdMap["0755"]: expected a string, found number 755']);
  });

  it('treats __proto__ and constructor keys as plain data, polluting nothing', async () => {
    const dir = tempDir({
      'm.yaml': 'apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata: { name: a }\nspec:\n  annotationRequestName: n\n  campaignId: c\n  sceneIdMap:\n    __proto__: gs://b/polluted\n    constructor: gs://b/c\n',
    });
    const { diagnostics, resources } = await loadManifests([], { cwd: dir });
    expect(diagnostics).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call({}, '__proto__')).toBe(false);
    const map = resources[0]!.body as { sceneIdMap: Record<string, string> };
    // (A sceneIdMap is held as a LargeMap: keysOf lists its keys; its JSON is the object's.)
    expect(keysOf(map.sceneIdMap)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(map.sceneIdMap))).toEqual(JSON.parse('{"__proto__":"gs://b/polluted","constructor":"gs://b/c"}'));
  });

  it('skips empty documents and dot-folders, reads .yml and .yaml', async () => {
    const manifest = readFileSync(join(REPO_ROOT, 'examples/helix-3d/annotation-request.yaml'), 'utf8');
    const dir = tempDir({ 'a/one.yml': `---\n# nothing here\n---\n${manifest}---\n`, '.hidden/x.yaml': 'garbage: [', 'node_modules/x.yaml': 'garbage: [', 'notes.txt': 'x' });
    const { diagnostics, resources, files } = await loadManifests([], { cwd: dir });
    expect(diagnostics).toEqual([]);
    expect(files).toEqual(['a/one.yml']);
    expect(resources.map((r) => r.address)).toEqual(['AnnotationRequest/helix-3d']);
  });

  it('reports a path that does not exist, and a directory without manifests', async () => {
    const dir = tempDir({ 'empty/readme.md': '#' });
    const { diagnostics } = await loadManifests(['missing.yaml', 'empty'], { cwd: dir });
    expect(diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual(['empty: no .yaml or .yml files found in this directory', 'missing.yaml: no such file or directory']);
  });

  it('reports exact positions in a big file read by the fast path', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => (i === 15_000 ? `    scene-${i}: 42` : i === 17_000 ? `    scene-${i}: ""` : `    scene-${i}: gs://bucket/scenes/${i}.yaml`));
    const dir = tempDir();
    writeFileSync(join(dir, 'big.yaml'), `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata: { name: big }\nspec:\n  annotationRequestName: big\n  campaignId: c\n  sceneIdMap:\n${lines.join('\n')}\n`);
    const { diagnostics } = await loadManifests([], { cwd: dir });
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      '15008:18 spec.sceneIdMap["scene-15000"]: expected a string, found number 42',
      '17008:18 spec.sceneIdMap["scene-17000"]: the scene URI must not be empty',
    ]);
  });

  it('loads a 100k-scene request', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `    scene-${i}: gs://bucket/scenes/${i}.yaml`);
    const dir = tempDir();
    writeFileSync(join(dir, 'big.yaml'), `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata: { name: big }\nspec:\n  annotationRequestName: big\n  campaignId: c\n  sceneIdMap:\n${lines.join('\n')}\n`);
    const { diagnostics, resources } = await loadManifests([], { cwd: dir });
    expect(diagnostics).toEqual([]);
    // As sent (a big sceneIdMap is held as a LargeMap, which serialises as the object it stands for).
    expect(Object.keys(JSON.parse(JSON.stringify(resources[0]!.body)).sceneIdMap)).toHaveLength(100_000);
  });
});
