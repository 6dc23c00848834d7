// Generators and data files through the real CLI against the simulator: rows make resources that
// are planned, applied and recorded like written ones; the same rows in any order plan and render
// the same; bad data fails at its file and line with nothing sent.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/load.js';
import { emptyState } from '../../src/model/records.js';
import { plan } from '../../src/plan/plan.js';
import { renderPlanJson } from '../../src/plan/render-json.js';
import type { Simulator } from '../../src/sim/server.js';
import { E2E_CREDENTIALS, rosetta } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const GENERATOR = `apiVersion: rosetta/v1
kind: Generator
metadata:
  name: nightly
spec:
  rows: drives.csv
  resources:
    - kind: AnnotationRequest
      metadata:
        name: night-\${drive}
      spec:
        annotationRequestName: Night drive \${drive}
        campaignId: lidar
        sceneIdMapFrom: scenes/\${drive}.csv
    - kind: SamplingPlan
      metadata:
        name: night-\${drive}-qa
      spec:
        annotationRequestRef: night-\${drive}
        poolName: QA
        samplingQuantity: \${qty}
`;

const drive = (i: number) => `d${String(i).padStart(3, '0')}`;
const csv = (rows: number[]) => `drive,qty\n${rows.map((i) => `${drive(i)},${(i % 3) + 1}`).join('\n')}\n`;
const scenes = (name: string, n = 3) => `sceneId,uri\n${Array.from({ length: n }, (_, i) => `${name}-s${i},gs://bucket/${name}/${i}.json`).join('\n')}\n`;

/** A folder with the generator, `rows` in drives.csv, and a scene list per row. */
function project(rows: number[], extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { 'generator.yaml': GENERATOR, 'drives.csv': csv(rows) };
  for (const i of rows) files[`scenes/${drive(i)}.csv`] = scenes(drive(i));
  return tempDir({ ...files, ...extra });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('a generator through plan, apply and plan again', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ credentials: [E2E_CREDENTIALS] });
  });
  afterAll(() => sim.close());

  it('applies 40 rows; a second plan is clean; a new row is exactly its creates; a removed row an orphan', { timeout: 60_000 }, async () => {
    const dir = project(range(40));
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect((JSON.parse(apply.stdout) as { summary: Record<string, number> }).summary).toMatchObject({ created: 80, failed: 0 });
    const request = sim.platform.listAnnotationRequests().find((r) => r.annotationRequestName === 'Night drive d007')!;
    expect(Object.keys(request.sceneIdMap)).toEqual(['d007-s0', 'd007-s1', 'd007-s2']);
    expect(sim.platform.listSamplingPackages().find((p) => p.annotationRequestId === request.annotationRequestId)!.body.samplingQuantity).toBe(2); // the number, from "${qty}"

    expect((await rosetta(sim, dir, ['plan', '--detailed-exitcode'])).code).toBe(0);

    writeFileSync(join(dir, 'drives.csv'), csv([...range(40), 41]));
    writeFileSync(join(dir, 'scenes/d041.csv'), scenes('d041'));
    const grown = await rosetta(sim, dir, ['plan', '--format', 'json']);
    const changes = (JSON.parse(grown.stdout) as { changes: { action: string; address: string; generator?: string; row?: number }[] }).changes.filter((c) => c.action !== 'noop');
    expect(changes).toEqual([
      expect.objectContaining({ action: 'create', address: 'AnnotationRequest/night-d041', generator: 'nightly', row: 41 }),
      expect.objectContaining({ action: 'create', address: 'SamplingPlan/night-d041-qa', generator: 'nightly', row: 41 }),
    ]);
    const text = await rosetta(sim, dir, ['plan']);
    expect(text.stdout).toContain('  + AnnotationRequest/night-d041 will be created (retry-safe: the id ');
    expect(text.stdout).toContain('      (made by Generator/nightly from row 41 of drives.csv)');

    writeFileSync(join(dir, 'drives.csv'), csv(range(39)));
    const shrunk = JSON.parse((await rosetta(sim, dir, ['plan', '--format', 'json'])).stdout) as { summary: Record<string, number> };
    expect(shrunk.summary).toMatchObject({ create: 0, orphan: 2, noop: 78 });
  });
});

describe('rows in other formats', () => {
  it('reads rows from JSONL, YAML and inline, with their types', async () => {
    const template = (rows: string) => GENERATOR.replace('  rows: drives.csv\n', rows);
    for (const [rows, files] of [
      ['  rows: drives.jsonl\n', { 'drives.jsonl': '{"drive": "d001", "qty": 2}\n\n{"drive": "d002", "qty": 1}\n' }],
      ['  rows: drives.yaml\n', { 'drives.yaml': '- { drive: d001, qty: 2 }\n- { drive: d002, qty: 1 }\n' }],
      ['  rows:\n    - { drive: d001, qty: 2 }\n    - { drive: d002, qty: "1" }\n', {}],
    ] as const) {
      const dir = tempDir({ 'generator.yaml': template(rows), ...files, 'scenes/d001.csv': scenes('d001'), 'scenes/d002.csv': scenes('d002') });
      const { diagnostics, resources } = await loadManifests([], { cwd: dir });
      expect(diagnostics, rows).toEqual([]);
      expect(resources.map((r) => [r.address, r.kind === 'SamplingPlan' ? r.body.samplingQuantity : undefined])).toEqual([
        ['AnnotationRequest/night-d001', undefined],
        ['AnnotationRequest/night-d002', undefined],
        ['SamplingPlan/night-d001-qa', 2],
        ['SamplingPlan/night-d002-qa', 1],
      ]);
    }
  });
});

interface Case {
  name: string;
  dir: () => string;
  error: string;
}

const written = `apiVersion: rosetta/v1\nkind: SamplingPlan\nmetadata:\n  name: night-d002-qa\nspec:\n  annotationRequestId: x\n  poolName: QA\n  samplingQuantity: 1\n`;

const cases: Case[] = [
  { name: 'a value that cannot be the type its field wants', dir: () => project([1, 2], { 'drives.csv': 'drive,qty\nd001,2\nd002,lots\n' }), error: 'drives.csv:3:1: error: row 2, column "qty": "lots" is not an integer (spec.samplingQuantity wants one)' },
  { name: 'an empty value for a required field', dir: () => project([1, 2], { 'drives.csv': 'drive,qty\nd001,2\nd002,\n' }), error: 'drives.csv:3:1: error: row 2, column "qty": "" is not an integer (spec.samplingQuantity wants one)' },
  { name: 'an unknown column', dir: () => project([1], { 'generator.yaml': GENERATOR.replace('poolName: QA', 'poolName: ${pool}') }), error: 'generator.yaml:20:19: error: spec.resources[1].spec.poolName: unknown column "pool"' },
  { name: 'two rows making one name', dir: () => project([1, 2], { 'drives.csv': 'drive,qty\nd001,2\nd002,1\nd001,3\n' }), error: 'drives.csv:4:1: error: AnnotationRequest name "night-d001" is already used at drives.csv:2:1' },
  { name: 'a generated name a written manifest has (both named)', dir: () => project([1, 2], { 'written.yaml': written }), error: 'written.yaml:4:9: error: SamplingPlan name "night-d002-qa" is already used at drives.csv:3:1' },
  { name: 'a missing rows file', dir: () => tempDir({ 'generator.yaml': GENERATOR }), error: 'generator.yaml:6:9: error: spec.rows: cannot read "drives.csv": no such file' },
  { name: 'a rows file outside the folder', dir: () => tempDir({ 'g/generator.yaml': GENERATOR.replace('rows: drives.csv', 'rows: ../drives.csv'), 'drives.csv': csv([1]) }), error: 'g/generator.yaml:6:9: error: spec.rows: "../drives.csv" is outside the manifest\'s folder' },
  { name: 'malformed CSV', dir: () => project([1], { 'drives.csv': 'drive,qty\nd001,2\n"d002,1\n' }), error: 'drives.csv:3:1: error: invalid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 3' },
  { name: 'a CSV header naming a column twice', dir: () => project([1], { 'drives.csv': 'drive,drive\nd001,2\n' }), error: 'drives.csv:1:1: error: invalid CSV: the header row names column "drive" twice' },
  { name: 'a JSONL line that is not JSON', dir: () => project([1], { 'generator.yaml': GENERATOR.replace('drives.csv', 'drives.jsonl'), 'drives.jsonl': '{"drive": "d001", "qty": 2}\n{"drive": d002}\n' }), error: 'drives.jsonl:2:1: error: not a JSON line: each line holds one object, the row' },
  { name: 'a row holding a list', dir: () => project([1], { 'generator.yaml': GENERATOR.replace('drives.csv', 'drives.yaml'), 'drives.yaml': '- { drive: d001, qty: 2 }\n- { drive: [d002], qty: 1 }\n' }), error: 'drives.yaml:2:3: error: row 2, column "drive": expected a plain value, found a list' },
  { name: 'a missing scene list', dir: () => project([1, 2], { 'scenes/d002.csv': '' }).replace(/$/, ''), error: 'scenes/d002.csv:1:1: error: the scene list is empty: a request needs at least one scene' },
  { name: 'a scene id twice in a scene list', dir: () => project([1], { 'scenes/d001.csv': 'sceneId,uri\na,gs://b/1.json\nb,gs://b/2.json\na,gs://b/3.json\n' }), error: 'scenes/d001.csv:4:1: error: scene id "a" appears twice (first on line 2)' },
  { name: 'a malformed scene list line', dir: () => project([1], { 'scenes/d001.csv': 'sceneId,uri\na,gs://b/1.json,extra\n' }), error: 'scenes/d001.csv:2:1: error: expected two fields, sceneId,uri (quote a value that holds a comma), found "a,gs://b/1.json,extra"' },
  { name: 'a scene list with the wrong header', dir: () => project([1], { 'scenes/d001.csv': 'id,uri\na,gs://b/1.json\n' }), error: 'scenes/d001.csv:1:1: error: the header must be sceneId,uri, found "id,uri"' },
];

describe('bad generators and data files fail at their file and line, and nothing is sent', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ credentials: [E2E_CREDENTIALS] });
  });
  afterAll(() => sim.close());

  it.each(cases)('$name', async ({ dir, error }) => {
    const result = await rosetta(sim, dir(), ['apply', '--auto-approve']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n'), result.stderr).toContain(error);
    expect(result.stderr).toContain('error[ROS_MANIFEST_INVALID]');
    expect(Object.values(sim.received).every((n) => n === 0)).toBe(true);
  });
});

describe('rosetta render', () => {
  it('prints the same bytes across runs and row orders, in YAML and JSON', async () => {
    const dir = project([3, 1, 2]);
    const first = await rosetta({ url: 'http://127.0.0.1:9/rosetta-open' }, dir, ['render']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('---\n').map((d) => /name: (\S+)/.exec(d)![1])).toEqual(['night-d001', 'night-d002', 'night-d003', 'night-d001-qa', 'night-d002-qa', 'night-d003-qa']);
    expect(first.stdout).toContain('# made by Generator/nightly\napiVersion: rosetta/v1\nkind: SamplingPlan\nmetadata:\n  name: night-d002-qa\nspec:\n  annotationRequestRef: night-d002\n  poolName: QA\n  samplingQuantity: 3\n');
    writeFileSync(join(dir, 'drives.csv'), csv([2, 3, 1]));
    expect((await rosetta({ url: 'http://127.0.0.1:9/rosetta-open' }, dir, ['render'])).stdout).toBe(first.stdout);
    const json = JSON.parse((await rosetta({ url: 'http://127.0.0.1:9/rosetta-open' }, dir, ['render', '--format', 'json'])).stdout) as { kind: string; spec: { sceneIdMap?: object } }[];
    expect(json).toHaveLength(6);
    expect(json[0]!.spec.sceneIdMap).toEqual({ 'd001-s0': 'gs://bucket/d001/0.json', 'd001-s1': 'gs://bucket/d001/1.json', 'd001-s2': 'gs://bucket/d001/2.json' });
  });
});

describe('shuffling rows never changes the plan (property)', () => {
  it('same changes, names, ids and bodies for any order of the rows', async () => {
    const rows = range(12);
    const base = project(rows);
    const bodies = async (order: number[]) => {
      writeFileSync(join(base, 'drives.csv'), csv(order));
      const { resources, diagnostics } = await loadManifests([], { cwd: base });
      expect(diagnostics).toEqual([]);
      // Row numbers follow the data's order; everything else must not.
      return renderPlanJson(plan(resources, emptyState())).replace(/"row": \d+/g, '"row": 0');
    };
    const expected = await bodies(rows);
    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(rows, { minLength: rows.length }), async (order) => {
        expect(await bodies(order)).toBe(expected);
      }), { numRuns: 25 });
    expect(readFileSync(join(base, 'drives.csv'), 'utf8')).toContain('drive,qty');
  });
});
