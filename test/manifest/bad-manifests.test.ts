// GIVEN one bad manifest WHEN it is validated THEN the error names the exact
// line, column and problem. Each row is a distinct mistake a user can make.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/load.js';
import { tempDir } from '../helpers/files.js';

const AR = (spec: string, name = 'helix-3d') => `apiVersion: rosetta/v1
kind: AnnotationRequest
metadata:
  name: ${name}
spec:
${spec}`;
// Lines 1-5 are the envelope; spec fields start on line 6.
const AR_SPEC = `  annotationRequestName: Helix 3D
  campaignId: c-1
  sceneIdMap:
    s1: gs://bucket/a.yaml
`;
const SP = (spec: string, name = 'helix-qa') => `apiVersion: rosetta/v1
kind: SamplingPlan
metadata:
  name: ${name}
spec:
${spec}`;

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  expected: { file?: string; line: number; col: number; message: string };
}

const cases: Case[] = [
  { name: 'malformed YAML', files: { 'm.yaml': 'apiVersion: rosetta/v1\nkind: [AnnotationRequest\n' }, expected: { line: 3, col: 1, message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' } },
  { name: 'duplicate key', files: { 'm.yaml': AR(AR_SPEC + '  campaignId: c-2\n') }, expected: { line: 10, col: 3, message: 'duplicate key "campaignId": map keys must be unique' } },
  { name: 'tab indentation', files: { 'm.yaml': 'apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n\tname: x\n' }, expected: { line: 4, col: 1, message: 'invalid YAML: Tabs are not allowed as indentation' } },
  { name: 'document is a list', files: { 'm.yaml': '- a\n- b\n' }, expected: { line: 1, col: 1, message: '(document): expected a map, found a list' } },
  { name: 'missing apiVersion', files: { 'm.yaml': AR(AR_SPEC).replace('apiVersion: rosetta/v1\n', '') }, expected: { line: 1, col: 1, message: 'missing required field "apiVersion"' } },
  { name: 'wrong apiVersion', files: { 'm.yaml': AR(AR_SPEC).replace('rosetta/v1', 'rosetta/v2') }, expected: { line: 1, col: 13, message: 'apiVersion: expected "rosetta/v1", found string "rosetta/v2"' } },
  { name: 'unknown kind', files: { 'm.yaml': AR(AR_SPEC).replace('kind: AnnotationRequest', 'kind: Annotation') }, expected: { line: 2, col: 7, message: 'kind: expected one of "Folder", "Taxonomy", "WorkflowTemplate", "Campaign", "AnnotationRequest", "SamplingPlan", "Generator"; found string "Annotation"' } },
  { name: 'missing metadata.name', files: { 'm.yaml': AR(AR_SPEC).replace('  name: helix-3d\n', '  labels: {}\n') }, expected: { line: 4, col: 3, message: 'metadata.labels: unknown field "labels"' } },
  { name: 'uppercase name', files: { 'm.yaml': AR(AR_SPEC, 'Helix') }, expected: { line: 4, col: 9, message: 'metadata.name: must be lowercase letters, digits and "-", starting and ending with a letter or digit, found string "Helix"' } },
  { name: 'name too long', files: { 'm.yaml': AR(AR_SPEC, 'a'.repeat(64)) }, expected: { line: 4, col: 9, message: 'metadata.name: must be at most 63 characters, found 64' } },
  { name: 'spec not a map', files: { 'm.yaml': 'apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata: { name: a }\nspec: [1]\n' }, expected: { line: 4, col: 1, message: 'spec: expected a map, found a list' } },
  { name: 'unknown top-level field', files: { 'm.yaml': AR(AR_SPEC) + 'status: {}\n' }, expected: { line: 10, col: 1, message: 'status: unknown field "status"' } },
  { name: 'missing campaignId', files: { 'm.yaml': AR(AR_SPEC.replace('  campaignId: c-1\n', '')) }, expected: { line: 5, col: 1, message: 'spec: missing campaignRef (the metadata.name of a Campaign) or campaignId' } },
  { name: 'misspelt field', files: { 'm.yaml': AR(AR_SPEC.replace('campaignId', 'campaignID')) }, expected: { line: 7, col: 3, message: 'spec.campaignID: unknown field "campaignID"' } },
  { name: 'taxonomyInfo', files: { 'm.yaml': AR(AR_SPEC + '  taxonomyInfo: {}\n') }, expected: { line: 10, col: 3, message: 'spec.taxonomyInfo: unknown field "taxonomyInfo"' } },
  { name: 'empty sceneIdMap', files: { 'm.yaml': AR('  annotationRequestName: a\n  campaignId: c\n  sceneIdMap: {}\n') }, expected: { line: 8, col: 3, message: 'spec.sceneIdMap: must not be empty' } },
  { name: 'scene uri not a string', files: { 'm.yaml': AR(AR_SPEC.replace('gs://bucket/a.yaml', '42')) }, expected: { line: 9, col: 9, message: 'spec.sceneIdMap.s1: expected a string, found number 42' } },
  { name: 'name over 255 bytes but not characters', files: { 'm.yaml': AR(AR_SPEC.replace('Helix 3D', 'é'.repeat(128))) }, expected: { line: 6, col: 26, message: 'spec.annotationRequestName: must be at most 255 bytes in UTF-8, found 256' } },
  { name: 'id over 255 bytes', files: { 'm.yaml': AR(`  annotationRequestId: ${'x'.repeat(256)}\n` + AR_SPEC) }, expected: { line: 6, col: 24, message: 'spec.annotationRequestId: must be at most 255 bytes in UTF-8, found 256' } },
  { name: 'operatorKeys not a list', files: { 'm.yaml': AR(AR_SPEC + '  operatorKeys: KEY1\n') }, expected: { line: 10, col: 17, message: 'spec.operatorKeys: expected a list, found string "KEY1"' } },
  { name: 'callback not https', files: { 'm.yaml': AR(AR_SPEC + '  annotationRequestCallback: http://example.com/cb\n') }, expected: { line: 10, col: 30, message: 'spec.annotationRequestCallback: plain http is allowed only for a loopback host, found "http://example.com/cb"' } },
  { name: 'result callback relative', files: { 'm.yaml': AR(AR_SPEC + '  annotationResultCallback:\n    default: /results\n') }, expected: { line: 11, col: 14, message: 'spec.annotationResultCallback.default: not an absolute URL: "/results"' } },
  { name: 'sampling: neither ref nor id', files: { 'm.yaml': SP('  poolName: p\n  samplingRatio: 0.5\n') }, expected: { line: 5, col: 1, message: 'spec: missing annotationRequestRef (the metadata.name of an AnnotationRequest) or annotationRequestId' } },
  { name: 'sampling: both ref and id', files: { 'm.yaml': SP('  annotationRequestRef: a\n  annotationRequestId: b\n  poolName: p\n  samplingRatio: 0.5\n') }, expected: { line: 7, col: 24, message: 'spec: set only one of annotationRequestRef and annotationRequestId' } },
  { name: 'sampling: ratio and quantity (57015)', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingRatio: 0.5\n  samplingQuantity: 5\n') }, expected: { line: 9, col: 21, message: 'spec: set only one of samplingRatio and samplingQuantity (the API answers 57015 otherwise)' } },
  { name: 'sampling: neither ratio nor quantity', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n') }, expected: { line: 5, col: 1, message: 'spec: missing samplingRatio or samplingQuantity (set exactly one)' } },
  { name: 'sampling: ratio above 1', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingRatio: 1.5\n') }, expected: { line: 8, col: 18, message: 'spec.samplingRatio: must be <= 1, found number 1.5' } },
  { name: 'sampling: ratio zero', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingRatio: 0\n') }, expected: { line: 8, col: 18, message: 'spec.samplingRatio: must be > 0, found number 0' } },
  { name: 'sampling: quantity not an integer', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 2.5\n') }, expected: { line: 8, col: 21, message: 'spec.samplingQuantity: expected an integer, found number 2.5' } },
  { name: 'sampling: quoted number', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: "5"\n') }, expected: { line: 8, col: 21, message: 'spec.samplingQuantity: expected an integer, found string "5"' } },
  { name: 'sampling: bad enum name', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  sampleType: randomly\n') }, expected: { line: 9, col: 15, message: 'spec.sampleType: expected one of 1, 2, "sequential", "random"; found string "randomly"' } },
  { name: 'sampling: enum number out of range', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: 7\n  interceptionFrame: 1\n') }, expected: { line: 9, col: 21, message: 'spec.interceptionMode: expected one of 1, 2, 3, 4, 5, 6, "random-continuity", "positive", "reversed", "system-random", "custom", "sequence-length"; found number 7' } },
  { name: 'interception: frame missing', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: positive\n') }, expected: { line: 9, col: 21, message: 'spec: interceptionFrame is required unless interceptionMode is sequence-length (6)' } },
  { name: 'interception: sequenceLength with another mode', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: 1\n  interceptionFrame: 3\n  sequenceLength: 4\n') }, expected: { line: 11, col: 19, message: 'spec.sequenceLength: only used when interceptionMode is sequence-length (6)' } },
  { name: 'interception: sequenceLength missing', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: 6\n') }, expected: { line: 9, col: 21, message: 'spec: sequenceLength is required when interceptionMode is sequence-length (6)' } },
  { name: 'interception: boundary missing for custom', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: custom\n  interceptionFrame: 2\n') }, expected: { line: 9, col: 21, message: 'spec: interceptionBoundary is required when interceptionMode is custom (5)' } },
  { name: 'interception: empty boundary', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: custom\n  interceptionFrame: 2\n  interceptionBoundary: []\n') }, expected: { line: 11, col: 3, message: 'spec.interceptionBoundary: must not be empty' } },
  { name: 'interception: start after end', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: custom\n  interceptionFrame: 2\n  interceptionBoundary:\n    - { start: 9, end: 3 }\n') }, expected: { line: 12, col: 7, message: 'spec.interceptionBoundary[0]: start (9) must not be after end (3)' } },
  { name: 'interception: boundary start zero', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: custom\n  interceptionFrame: 2\n  interceptionBoundary:\n    - { start: 0, end: 3 }\n') }, expected: { line: 12, col: 16, message: 'spec.interceptionBoundary[0].start: must be >= 1, found number 0' } },
  { name: 'interception: frame with sequence-length', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: 6\n  sequenceLength: 4\n  interceptionFrame: 3\n') }, expected: { line: 11, col: 22, message: 'spec.interceptionFrame: not used when interceptionMode is sequence-length (6); use sequenceLength' } },
  { name: 'interception: boundary with a mode that is not custom', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: 1\n  interceptionFrame: 2\n  interceptionBoundary: [{ start: 1, end: 3 }]\n') }, expected: { line: 11, col: 3, message: 'spec.interceptionBoundary: only used when interceptionMode is custom (5)' } },
  { name: 'interception: frame without mode', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionFrame: 2\n') }, expected: { line: 9, col: 22, message: 'spec.interceptionFrame: only used together with interceptionMode' } },
  { name: 'sub-condition: operation types without users', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  subCondition:\n    operationFilterType: [review]\n') }, expected: { line: 10, col: 5, message: 'spec.subCondition.operationFilterType: only used together with userNameFilter' } },
  { name: 'sub-condition: pool filter without type', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  subCondition:\n    workPoolFilter: [pool-a]\n') }, expected: { line: 10, col: 5, message: 'spec.subCondition.workPoolFilter: must be given together with workPoolFilterType' } },
  { name: 'sub-condition: start after end', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  subCondition:\n    startTime: 2025-04-01\n    endTime: 2025-03-01\n') }, expected: { line: 10, col: 16, message: 'spec.subCondition.startTime (2025-04-01) must not be after endTime (2025-03-01)' } },
  { name: 'sub-condition: bad time', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  subCondition:\n    startTime: yesterday\n') }, expected: { line: 10, col: 16, message: 'spec.subCondition.startTime: expected a time like 2025-03-13 or 2025-03-13 20:00:00, found string "yesterday"' } },
  { name: 'sub-condition: join type', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  subCondition:\n    conditionJoinType: xor\n') }, expected: { line: 10, col: 24, message: 'spec.subCondition.conditionJoinType: expected one of "and", "or"; found string "xor"' } },
  { name: 'sub-condition: YAML 1.1 boolean stays a string', files: { 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  subCondition:\n    haveIssue: yes\n') }, expected: { line: 10, col: 16, message: 'spec.subCondition.haveIssue: expected true or false, found string "yes"' } },
  { name: 'cross: duplicate name in two files', files: { 'a.yaml': AR(AR_SPEC), 'b.yaml': AR(AR_SPEC.replace('Helix 3D', 'Other')) }, expected: { file: 'b.yaml', line: 4, col: 9, message: 'AnnotationRequest name "helix-3d" is already used at a.yaml:4:9' } },
  { name: 'cross: duplicate annotationRequestName', files: { 'm.yaml': `${AR(AR_SPEC)}---\n${AR(AR_SPEC, 'other')}` }, expected: { line: 16, col: 26, message: 'annotationRequestName "Helix 3D" is already used at m.yaml:6:26' } },
  { name: 'cross: duplicate annotationRequestId', files: { 'm.yaml': `${AR('  annotationRequestId: same\n' + AR_SPEC)}---\n${AR('  annotationRequestId: same\n' + AR_SPEC.replace('Helix 3D', 'Other'), 'other')}` }, expected: { line: 17, col: 24, message: 'annotationRequestId "same" is already used at m.yaml:6:24' } },
  { name: 'cross: unresolved ref', files: { 'm.yaml': `${AR(AR_SPEC)}---\n${SP('  annotationRequestRef: helix-2d\n  poolName: p\n  samplingQuantity: 5\n')}` }, expected: { line: 16, col: 25, message: 'spec.annotationRequestRef: no AnnotationRequest named "helix-2d"' } },
  { name: 'alias bomb', files: { 'm.yaml': 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n' }, expected: { line: 1, col: 1, message: 'YAML aliases in this document expand too much (limit 100): Excessive alias count indicates a resource exhaustion attack' } },
  { name: 'not UTF-8', files: { 'm.yaml': Buffer.concat([Buffer.from('apiVersion: rosetta/v1\nkind: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]) }, expected: { line: 2, col: 7, message: 'file is not valid UTF-8' } },
  // Over 8 MiB the reader decodes in one step and reads the bytes again only when something is off: the same answers.
  { name: 'not UTF-8, in a file over 8 MiB', files: { 'm.yaml': Buffer.concat([Buffer.from(`${'#'.padEnd(99, 'x')}\n`.repeat(90_000)), Buffer.from('apiVersion: rosetta/v1\nkind: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]) }, expected: { line: 90_002, col: 7, message: 'file is not valid UTF-8' } },
  { name: 'NUL byte, in a file over 8 MiB', files: { 'm.yaml': `${'#'.padEnd(99, 'x')}\n`.repeat(90_000) + AR(AR_SPEC).replace('Helix 3D', 'Helix\u00003D') }, expected: { line: 90_006, col: 31, message: 'file contains a NUL byte: not a text file' } },
  { name: 'UTF-16', files: { 'm.yaml': Buffer.from('\ufeffapiVersion: rosetta/v1\n', 'utf16le') }, expected: { line: 0, col: 0, message: 'file is UTF-16; manifests must be UTF-8' } },
  // Integers JavaScript cannot hold exactly would be sent rounded.
  { name: 'integer beyond 2^53-1', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingQuantity: 9007199254740993\n') }, expected: { line: 8, col: 21, message: 'spec.samplingQuantity: 9007199254740992 is too large to be sent exactly; integers must be at most 9007199254740991' } },
  { name: 'integer written as 1e+23', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingQuantity: 99999999999999999999999\n') }, expected: { line: 8, col: 21, message: 'spec.samplingQuantity: 1e+23 is too large to be sent exactly; integers must be at most 9007199254740991' } },
  { name: 'impossible date', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingQuantity: 1\n  subCondition:\n    startTime: "2025-02-30 10:00"\n') }, expected: { line: 10, col: 16, message: 'spec.subCondition.startTime: 2025-02 has no day 30, found "2025-02-30 10:00"' } },
  { name: 'impossible time', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingQuantity: 1\n  subCondition:\n    endTime: "2025-03-01 25:61:99"\n') }, expected: { line: 10, col: 14, message: 'spec.subCondition.endTime: 25:61:99 is not a time of day, found "2025-03-01 25:61:99"' } },
  { name: 'impossible month', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingQuantity: 1\n  subCondition:\n    endTime: "2025-13-45"\n') }, expected: { line: 10, col: 14, message: 'spec.subCondition.endTime: month 13 does not exist, found "2025-13-45"' } },
  { name: 'leap day in a common year', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingQuantity: 1\n  subCondition:\n    startTime: "2025-02-29"\n') }, expected: { line: 10, col: 16, message: 'spec.subCondition.startTime: 2025-02 has no day 29, found "2025-02-29"' } },
  { name: 'NUL byte in the file', files: { 'm.yaml': AR(AR_SPEC).replace('Helix 3D', 'Helix\u00003D') }, expected: { line: 6, col: 31, message: 'file contains a NUL byte: not a text file' } },
  { name: 'NUL character from an escape', files: { 'm.yaml': AR(AR_SPEC).replace('Helix 3D', '"Helix\\0 3D"') }, expected: { line: 6, col: 26, message: 'spec.annotationRequestName: contains a NUL character' } },
  { name: 'lone surrogate from an escape', files: { 'm.yaml': AR(AR_SPEC).replace('Helix 3D', '"Helix \\ud800 3D"') }, expected: { line: 6, col: 26, message: 'spec.annotationRequestName: contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which cannot be sent as UTF-8' } },
  { name: 'whitespace-only name', files: { 'm.yaml': AR(AR_SPEC).replace('Helix 3D', '"   "') }, expected: { line: 6, col: 26, message: 'spec.annotationRequestName: must not be only whitespace' } },
  { name: 'whitespace-only pool', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: "\\t "\n  samplingQuantity: 1\n') }, expected: { line: 7, col: 13, message: 'spec.poolName: must not be only whitespace' } },
  { name: 'complex key', files: { 'm.yaml': AR(AR_SPEC.replace('    s1: gs://bucket/a.yaml\n', '    ? [a, b]\n    : gs://bucket/a.yaml\n')) }, expected: { line: 9, col: 7, message: 'a map key must be a plain value, not a list or a map' } },
  { name: '__proto__ key', files: { 'm.yaml': AR(AR_SPEC + '  __proto__: 1\n') }, expected: { line: 10, col: 3, message: 'spec.__proto__: unknown field "__proto__"' } },
  { name: '.nan for a number', files: { 'm.yaml': SP('  annotationRequestId: x\n  poolName: p\n  samplingRatio: .nan\n') }, expected: { line: 8, col: 18, message: 'spec.samplingRatio: expected a number, found not-a-number (.nan)' } },
  { name: '!!binary for a string', files: { 'm.yaml': AR(AR_SPEC).replace('Helix 3D', '!!binary aGVsbG8=') }, expected: { line: 6, col: 35, message: 'spec.annotationRequestName: expected a string, found binary data (!!binary)' } },
];

describe('limits that are exactly met', () => {
  it('accepts a custom boundary whose start equals its end (one frame)', async () => {
    const dir = tempDir({ 'm.yaml': SP('  annotationRequestId: a\n  poolName: p\n  samplingQuantity: 5\n  interceptionMode: custom\n  interceptionFrame: 2\n  interceptionBoundary: [{ start: 4, end: 4 }]\n') });
    const { diagnostics, resources } = await loadManifests([], { cwd: dir });
    expect(diagnostics).toEqual([]);
    expect(resources[0]!.body).toMatchObject({ interceptionBoundary: [{ start: 4, end: 4 }] });
  });

  it('accepts a name and an id of exactly 255 bytes', async () => {
    const name = 'é'.repeat(127) + 'x'; // 255 bytes, 128 characters
    const id = 'y'.repeat(255);
    const dir = tempDir({ 'm.yaml': AR(`  annotationRequestId: ${id}\n` + AR_SPEC.replace('Helix 3D', name)) });
    const { diagnostics, resources } = await loadManifests([], { cwd: dir });
    expect(diagnostics).toEqual([]);
    expect(resources[0]!.body).toMatchObject({ annotationRequestId: id, annotationRequestName: name });
  });
});

describe('bad manifests', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', async ({ files, expected }) => {
    const dir = tempDir(files);
    const { diagnostics, resources } = await loadManifests([], { cwd: dir });
    expect(resources).toEqual([]);
    const { file = Object.keys(files)[0], line, col, message } = expected;
    const found = diagnostics.map((d) => ({ file: d.file, line: d.line, col: d.col, message: d.message }));
    expect(found).toContainEqual({ file, line, col, message });
  });
});
