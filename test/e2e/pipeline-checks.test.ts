// GIVEN a pipeline manifest that breaks one of the platform's rules WHEN it is applied THEN the
// error names the file, line and column (inside a taxonomyDetailsFrom file, that file's), and
// nothing at all reaches the API: a bad template or taxonomy must never be sent.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, rosetta } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';
import type { Simulator } from '../../src/sim/server.js';

/** Lines 1-5 are the envelope; spec fields start on line 6. */
const doc = (kind: string, name: string, spec: string) => `apiVersion: rosetta/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

/** A template whose nodes start on line 8 and edges on line `8 + nodes.length + 1`. */
const workflow = (nodes: string[], edges: string[]) => doc('WorkflowTemplate', 'wf', `  name: Review\n  nodes:\n${nodes.map((n) => `    - ${n}\n`).join('')}  edges:\n${edges.map((e) => `    - ${e}\n`).join('')}`);
const D = '{ name: D, type: DISTRIBUTION }';
const A = '{ name: A, type: ANNOTATION }';
const C = '{ name: C, type: COMPLETE }';

/** A taxonomy whose operators start on line 8. */
const taxonomy = (operators: string) => doc('Taxonomy', 'tax', `  taxonomyVersionName: tax-v1\n  taxonomyDetails:\n${operators}`);

interface Case {
  name: string;
  files: Record<string, string>;
  /** The diagnostic's first line, as printed: file:line:col: error: message. */
  error: string;
  hint?: string;
}

const cases: Case[] = [
  // The six workflow rules, and the node types.
  { name: 'workflow: pool names unique (50525)', files: { 'm.yaml': workflow([D, A, '{ name: A, type: CHECK }', C], ['{ from: D, to: A }', '{ from: A, to: C }']) }, error: 'm.yaml:10:15: error: spec.nodes[2].name: pool name "A" is used twice (pool names must be unique)', hint: 'the platform would answer 50525' },
  { name: 'workflow: exactly one DISTRIBUTION (50522)', files: { 'm.yaml': workflow([D, '{ name: D2, type: DISTRIBUTION }', A, C], ['{ from: D, to: A }', '{ from: D2, to: A }', '{ from: A, to: C }']) }, error: 'm.yaml:9:25: error: spec.nodes[1].type: a second DISTRIBUTION pool "D2": a workflow has exactly one', hint: 'the platform would answer 50522' },
  { name: 'workflow: no DISTRIBUTION at all (50522)', files: { 'm.yaml': workflow([A, C], ['{ from: A, to: C }']) }, error: 'm.yaml:7:3: error: spec.nodes: no DISTRIBUTION pool: a workflow starts with exactly one', hint: 'the platform would answer 50522' },
  { name: 'workflow: the DISTRIBUTION pool is the head (50522)', files: { 'm.yaml': workflow([D, A, '{ name: R, type: CHECK }', C], ['{ from: D, to: A }', '{ from: A, to: R }', '{ from: R, to: D }', '{ from: D, to: C }']) }, error: 'm.yaml:15:22: error: spec.edges[2].to: an edge enters the DISTRIBUTION pool "D": it must be the head', hint: 'the platform would answer 50522' },
  { name: 'workflow: every branch ends in COMPLETE (50523)', files: { 'm.yaml': workflow([D, A, '{ name: R, type: CHECK }', C], ['{ from: D, to: A }', '{ from: A, to: R }', '{ from: D, to: C }']) }, error: 'm.yaml:10:15: error: spec.nodes[2].name: pool "R" (CHECK) has no outgoing edge: every branch must end in a COMPLETE pool', hint: 'the platform would answer 50523' },
  { name: 'workflow: a COMPLETE pool has no outgoing edge (50531)', files: { 'm.yaml': workflow([D, A, C, '{ name: C2, type: COMPLETE }'], ['{ from: D, to: A }', '{ from: A, to: C }', '{ from: C, to: C2 }']) }, error: 'm.yaml:15:15: error: spec.edges[2].from: an edge leaves the COMPLETE pool "C": a COMPLETE pool ends its branch', hint: 'the platform would answer 50531' },
  { name: 'workflow: no isolated pool (50526)', files: { 'm.yaml': workflow([D, A, '{ name: Spare, type: CHECK }', C], ['{ from: D, to: A }', '{ from: A, to: C }']) }, error: 'm.yaml:10:15: error: spec.nodes[2].name: pool "Spare" is on no edge', hint: 'the platform would answer 50526' },
  {
    name: 'workflow: at most 20 pools (50528)',
    files: { 'm.yaml': workflow([D, ...Array.from({ length: 19 }, (_, i) => `{ name: P${i}, type: CHECK }`), C], ['{ from: D, to: P0 }', ...Array.from({ length: 18 }, (_, i) => `{ from: P${i}, to: P${i + 1} }`), '{ from: P18, to: C }']) },
    error: 'm.yaml:28:7: error: spec.nodes[20]: 21 pools; a workflow has at most 20',
    hint: 'the platform would answer 50528',
  },
  { name: 'workflow: only DISTRIBUTION branches (50527)', files: { 'm.yaml': workflow([D, A, C, '{ name: C2, type: COMPLETE }'], ['{ from: D, to: A }', '{ from: A, to: C }', '{ from: A, to: C2 }']) }, error: 'm.yaml:15:15: error: spec.edges[2].from: pool "A" has a second outgoing edge: only the DISTRIBUTION pool may branch', hint: 'the platform would answer 50527' },
  { name: 'workflow: a type outside the list (50530)', files: { 'm.yaml': workflow([D, '{ name: A, type: MAGIC }', C], ['{ from: D, to: A }', '{ from: A, to: C }']) }, error: 'm.yaml:9:24: error: spec.nodes[1].type: expected one of "DISTRIBUTION", "ANNOTATION", "CHECK", "SAMPLING", "ALGORITHM", "COMPLETE"; found string "MAGIC"' },
  { name: 'workflow: ALGORITHM is not supported yet', files: { 'm.yaml': workflow([D, '{ name: A, type: ALGORITHM }', C], ['{ from: D, to: A }', '{ from: A, to: C }']) }, error: 'm.yaml:9:24: error: spec.nodes[1].type: pool "A" has type ALGORITHM, which the current platform version does not support', hint: 'the platform would answer 50530' },
  { name: 'workflow: an edge names no pool', files: { 'm.yaml': workflow([D, A, C], ['{ from: D, to: A }', '{ from: A, to: Done }']) }, error: 'm.yaml:13:22: error: spec.edges[1].to: edge to "Done": no pool has that name' },

  // The taxonomy rules.
  { name: 'taxonomy: keys unique, nested ones too (57002)', files: { 'm.yaml': taxonomy('    - { key: car, type: slotChildren, label: Car, children: [{ key: car, type: slot, label: Box, slotSpecification: { type: box3d } }] }\n') }, error: 'm.yaml:8:69: error: spec.taxonomyDetails[0].children[0].key: key "car" is used twice (first at taxonomyDetails[0]); keys are unique in a taxonomy', hint: 'the platform would answer 57002' },
  { name: 'taxonomy: labels unique among siblings (57012)', files: { 'm.yaml': taxonomy('    - { key: a, type: slot, label: Car, slotSpecification: { type: box2d } }\n    - { key: b, type: slot, label: Car, slotSpecification: { type: box3d } }\n') }, error: 'm.yaml:9:36: error: spec.taxonomyDetails[1].label: label "Car" is used twice among sibling operators', hint: 'the platform would answer 57012' },
  { name: 'taxonomy: minimum at most maximum (57005)', files: { 'm.yaml': taxonomy('    - { key: a, type: slot, label: A, slotSpecification: { type: box3d }, instanceOption: { minQuantity: 4, maxQuantity: 2 } }\n') }, error: 'm.yaml:8:106: error: spec.taxonomyDetails[0].instanceOption.minQuantity: instanceOption.minQuantity (4) is larger than instanceOption.maxQuantity (2)', hint: 'the platform would answer 57005' },
  { name: 'taxonomy: default among the items (57006)', files: { 'm.yaml': taxonomy('    - { key: c, type: input, label: Colour, inputSpecification: { type: select, items: [{ label: Red, value: red }], default: blue } }\n') }, error: 'm.yaml:8:127: error: spec.taxonomyDetails[0].inputSpecification.default: default "blue" is not among the items\' values', hint: 'the platform would answer 57006' },
  { name: 'taxonomy: imageSourceMapping names a sub-operator (57004)', files: { 'm.yaml': taxonomy('    - { key: a, type: slot, label: A, slotSpecification: { type: box2d, imageSourceMapping: [camera-left] } }\n') }, error: 'm.yaml:8:94: error: spec.taxonomyDetails[0].slotSpecification.imageSourceMapping[0]: imageSourceMapping names "camera-left", which is not the key of a sub-operator (an operator inside a slotChildren)', hint: 'the platform would answer 57004' },
  { name: 'taxonomy: children only for nested inputs (57001)', files: { 'm.yaml': taxonomy('    - { key: c, type: input, label: C, inputSpecification: { type: select, items: [{ label: R, value: r, children: [{ label: D, value: d }] }] } }\n') }, error: 'm.yaml:8:106: error: spec.taxonomyDetails[0].inputSpecification.items[0].children: an item of a "select" input has children; only nested-select and multiple-nested-select items may', hint: 'the platform would answer 57001' },
  { name: 'taxonomy: a known operator type', files: { 'm.yaml': taxonomy('    - { key: a, type: box, label: A }\n') }, error: 'm.yaml:8:23: error: spec.taxonomyDetails[0].type: expected one of "slot", "input", "slotChildren"; found string "box"' },
  { name: 'taxonomy: a known slot type', files: { 'm.yaml': taxonomy('    - { key: a, type: slot, label: A, slotSpecification: { type: cube } }\n') }, error: 'm.yaml:8:66: error: spec.taxonomyDetails[0].slotSpecification.type: expected one of "box2d", "square", "ellipse", "triangle", "line", "polygon", "point", "box3d", "polygon3d", "line3d", "semantic-segmentation3d", "select", "text", "group"; found string "cube"' },
  { name: 'taxonomy: a known input type', files: { 'm.yaml': taxonomy('    - { key: a, type: input, label: A, inputSpecification: { type: slider } }\n') }, error: 'm.yaml:8:68: error: spec.taxonomyDetails[0].inputSpecification.type: expected one of "select", "multiple-select", "nested-select", "multiple-nested-select", "number", "text"; found string "slider"' },
  {
    name: 'taxonomy: a rule broken inside taxonomyDetailsFrom names that file and line',
    files: { 'm.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: taxonomies/t.json\n'), 'taxonomies/t.json': '[\n  { "key": "a", "type": "slot", "label": "A", "slotSpecification": { "type": "box3d" } },\n  { "key": "a", "type": "slot", "label": "B", "slotSpecification": { "type": "box3d" } }\n]\n' },
    error: 'taxonomies/t.json:3:12: error: spec.taxonomyDetails[1].key: key "a" is used twice (first at taxonomyDetails[0]); keys are unique in a taxonomy',
    hint: 'the platform would answer 57002',
  },
  { name: 'taxonomy: malformed JSON in taxonomyDetailsFrom names that file', files: { 'm.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: t.json\n'), 't.json': '[\n  { "key": "a", "type": "slot" \n' }, error: 't.json:3:1: error: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }' },
  { name: 'taxonomy: a missing taxonomyDetailsFrom file', files: { 'm.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: taxonomies/none.json\n') }, error: 'm.yaml:7:24: error: spec.taxonomyDetailsFrom: cannot read "taxonomies/none.json": no such file', hint: 'the path is relative to the manifest' },
  { name: 'taxonomy: taxonomyDetailsFrom outside the manifest\'s folder', files: { 'sub/m.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: ../secret.json\n'), 'secret.json': '[]' }, error: 'sub/m.yaml:7:24: error: spec.taxonomyDetailsFrom: "../secret.json" is outside the manifest\'s folder', hint: "a data file must be in the manifest's folder or below it, named relative to the manifest" },
  { name: 'taxonomy: an absolute taxonomyDetailsFrom', files: { 'm.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: /etc/passwd\n') }, error: 'm.yaml:7:24: error: spec.taxonomyDetailsFrom: "/etc/passwd" is outside the manifest\'s folder' },
  { name: 'taxonomy: both taxonomyDetails and taxonomyDetailsFrom', files: { 'm.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: t.json\n  taxonomyDetails: []\n'), 't.json': '[]' }, error: 'm.yaml:8:3: error: spec: set only one of taxonomyDetails and taxonomyDetailsFrom' },

  // Folders, campaigns, references.
  { name: 'folder: a bucket path where a bucket name belongs', files: { 'm.yaml': doc('Folder', 'f', '  helixProjectId: p\n  name: F\n  helixBucketNameList: [helix-raw, gs://helix-raw/scenes]\n') }, error: 'm.yaml:8:36: error: spec.helixBucketNameList[1]: "gs://helix-raw/scenes" is a path; list the bucket\'s name', hint: 'write helix-raw (the API answers 54010 to a path)' },
  { name: 'folder: a name over 255 bytes', files: { 'm.yaml': doc('Folder', 'f', `  helixProjectId: p\n  name: ${'é'.repeat(128)}\n  helixBucketNameList: [b]\n`) }, error: 'm.yaml:7:9: error: spec.name: must be at most 255 bytes in UTF-8, found 256' },
  { name: 'campaign: a folderRef that names no Folder', files: { 'm.yaml': doc('Campaign', 'c', '  campaignName: C\n  campaignType: POC\n  folderRef: helix\n  taxonomyVersionName: t\n  workflowType: Manual Template\n') }, error: 'm.yaml:8:14: error: spec.folderRef: no Folder named "helix"', hint: 'name a Folder manifest, or use folderName for one managed elsewhere' },
  { name: 'campaign: both a ref and the name it stands for', files: { 'm.yaml': doc('Campaign', 'c', '  campaignName: C\n  campaignType: POC\n  folderName: F\n  taxonomyRef: t\n  taxonomyVersionName: t\n  workflowType: Manual Template\n') }, error: 'm.yaml:10:24: error: spec: set only one of taxonomyRef and taxonomyVersionName' },
  { name: 'campaign: an unknown campaignType', files: { 'm.yaml': doc('Campaign', 'c', '  campaignName: C\n  campaignType: Pilot\n  folderName: F\n  taxonomyVersionName: t\n  workflowType: Manual Template\n') }, error: 'm.yaml:7:17: error: spec.campaignType: expected one of "POC", "Formal"; found string "Pilot"' },
  { name: 'request: a campaignRef that names no Campaign', files: { 'm.yaml': doc('AnnotationRequest', 'r', '  annotationRequestName: R\n  campaignRef: lidar\n  sceneIdMap: { s1: gs://b/1.json }\n') }, error: 'm.yaml:7:16: error: spec.campaignRef: no Campaign named "lidar"', hint: 'name a Campaign manifest, or use campaignId for one managed elsewhere' },
];

describe('pipeline manifests that break a platform rule are refused before any request', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ credentials: [E2E_CREDENTIALS] });
  });
  afterAll(() => sim.close());

  it.each(cases)('$name', async ({ files, error, hint }) => {
    const dir = tempDir(files);
    const result = await rosetta(sim, dir, ['apply', '.', '--auto-approve']);
    expect(result.code).toBe(1);
    // apply prints the diagnostics on stderr, then ROS_MANIFEST_INVALID.
    const lines = result.stderr.split('\n');
    const at = lines.indexOf(error);
    expect(at, result.stderr).toBeGreaterThanOrEqual(0);
    if (hint) expect(lines[at + 1]).toBe(`  hint: ${hint}`);
    expect(result.stderr).toContain('error[ROS_MANIFEST_INVALID]');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(Object.values(sim.received).every((n) => n === 0), JSON.stringify(sim.received)).toBe(true);
  });

  it('refuses a taxonomyDetailsFrom symlink that leads out of the manifest\'s folder', async () => {
    const outside = tempDir({ 'secret.json': '[{ "key": "leak", "type": "slot", "label": "L", "slotSpecification": { "type": "box2d" } }]' });
    const dir = tempDir({ 'm.yaml': doc('Taxonomy', 'tax', '  taxonomyVersionName: tax-v1\n  taxonomyDetailsFrom: link.json\n') });
    symlinkSync(join(outside, 'secret.json'), join(dir, 'link.json'));
    const result = await rosetta(sim, dir, ['apply', '.', '--auto-approve']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('m.yaml:7:24: error: spec.taxonomyDetailsFrom: "link.json" is outside the manifest\'s folder');
    expect(sim.received.taxonomy).toBe(0);
  });
});
