/**
 * Per-manifest rules the schema cannot say well: byte limits, choose-one and
 * required-when fields, ordering of ranges and times, callback URLs. They read
 * the spec defensively, so they run (and report) even when the schema failed.
 */
import { isLoopbackHost } from '../model/hosts.js';
import { codePointLabel } from '../text.js';
import { isObject } from '../values.js';
import type { Diagnostic } from './diagnostics.js';
import { INTERCEPTION_CUSTOM, INTERCEPTION_SEQUENCE_LENGTH, enumNumber } from './enums.js';
import type { ParsedDocument } from './parse.js';
import { entriesOf, isLargeKnownMap, keysOf } from '../model/known-keys.js';
import { formatPath, positionOf, type PathSegment } from './positions.js';
import { describeValue } from './schema-check.js';
import type { Kind } from './types.js';

/** The API's limit for ids and names, in UTF-8 bytes. */
export const MAX_ID_BYTES = 255;

type Spec = Record<string, unknown>;
type Report = (path: PathSegment[], rule: string, message: string, hint?: string, target?: 'key' | 'value') => void;

export function checkRules(parsed: ParsedDocument, kind: Kind, spec: Spec): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (path, rule, message, hint, target) => {
    diagnostics.push({ rule, ...positionOf(parsed, ['spec', ...path], target), message, ...(hint === undefined ? {} : { hint }) });
  };
  checkValues(spec, [], report);
  checkIdentifierEdges(spec, kind, report);
  if (kind === 'AnnotationRequest') checkAnnotationRequest(spec, report);
  else checkSamplingPlan(spec, report);
  return diagnostics;
}

/**
 * What no field may hold, whatever its type: an integer JavaScript cannot hold exactly (it would be
 * sent rounded: 9007199254740993 as 9007199254740992), a string that cannot be sent as UTF-8 (a
 * lone surrogate from a "\ud800" escape) or holding a NUL character. A large sceneIdMap is checked
 * in checkAnnotationRequest's own pass over it.
 */
function checkValues(value: unknown, path: PathSegment[], report: Report): void {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      report(path, 'rules.unsafe-integer', `spec.${formatPath(path)}: ${value} is too large to be sent exactly; integers must be at most ${Number.MAX_SAFE_INTEGER}`);
    }
  } else if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) report(path, 'rules.bad-string', `spec.${formatPath(path)}: ${problem}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkValues(item, [...path, i], report));
  } else if (isObject(value) && !isLargeKnownMap(value)) {
    for (const key of keysOf(value)) {
      const problem = stringProblem(key);
      if (problem) report([...path, key], 'rules.bad-string', `spec.${formatPath([...path, key])}: the key ${problem}`);
      checkValues(value[key], [...path, key], report);
    }
  }
}

function stringProblem(text: string): string | undefined {
  if (!text.isWellFormed()) return 'contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which cannot be sent as UTF-8';
  if (text.includes('\u0000')) return 'contains a NUL character';
  return undefined;
}

/**
 * Ids and names must not start or end with whitespace or an invisible character (a no-break space
 * pasted from a spreadsheet, a U+2028 from a document). YAML keeps them, the platform would store
 * them, and nobody reviewing the pull request sees them: an id that differs from the one everybody
 * reads, or a derived annotationRequestId that changes. Refused on every reading path (issue 18).
 */
const IDENTIFIER_FIELDS = {
  AnnotationRequest: ['annotationRequestId', 'annotationRequestName', 'campaignId'],
  SamplingPlan: ['annotationRequestId', 'annotationRequestRef', 'poolName'],
} as const satisfies Record<Kind, readonly string[]>;

function checkIdentifierEdges(spec: Spec, kind: Kind, report: Report): void {
  for (const field of IDENTIFIER_FIELDS[kind]) {
    const value = spec[field];
    if (typeof value !== 'string') continue;
    const problem = edgeProblem(value);
    if (problem) report([field], 'rules.edge-space', `spec.${field}: ${problem}`, EDGE_HINT);
  }
}

const EDGE_HINT = 'remove it: the character would be sent as part of the value, and reviewers cannot see it';

/** Says which invisible character a text starts or ends with, if any. */
export function edgeProblem(text: string): string | undefined {
  if (text === '') return undefined;
  const first = text.charCodeAt(0);
  if (isSpaceLike(first)) return `starts with ${describeCodePoint(first)}`;
  const last = text.charCodeAt(text.length - 1);
  if (isSpaceLike(last)) return `ends with ${describeCodePoint(last)}`;
  return undefined;
}

/** Whitespace by JavaScript's or Unicode's reckoning, controls, and the zero-width characters people paste by accident. */
function isSpaceLike(code: number): boolean {
  if (code > 32 && code < 127) return false; // the common case, decided at once
  return code <= 32 || (code >= 127 && code <= 0xa0) || code === 0x1680 || (code >= 0x2000 && code <= 0x200d) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x2060 || code === 0x3000 || code === 0xfeff;
}

const CODE_POINT_NAMES: Readonly<Record<number, string>> = {
  0x09: 'a tab',
  0x0a: 'a line feed',
  0x0d: 'a carriage return',
  0x20: 'a space',
  0x85: 'U+0085 (next line)',
  0xa0: 'U+00A0 (no-break space)',
  0x2028: 'U+2028 (line separator)',
  0x2029: 'U+2029 (paragraph separator)',
  0x200b: 'U+200B (zero-width space)',
  0x3000: 'U+3000 (ideographic space)',
  0xfeff: 'U+FEFF (zero-width no-break space, a byte order mark)',
};

function describeCodePoint(code: number): string {
  return CODE_POINT_NAMES[code] ?? `${codePointLabel(code)} (an invisible or space character)`;
}

function checkAnnotationRequest(spec: Spec, report: Report): void {
  checkNotBlank(spec, 'annotationRequestName', report);
  for (const field of ['annotationRequestId', 'annotationRequestName']) {
    const value = spec[field];
    if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > MAX_ID_BYTES) {
      report([field], 'rules.byte-limit', `spec.${field}: must be at most ${MAX_ID_BYTES} bytes in UTF-8, found ${Buffer.byteLength(value, 'utf8')}`, 'the API counts bytes, not characters: shorten it');
    }
  }
  // Empty ids and URIs are checked here rather than in the schema: ajv's minLength counts code
  // points, which costs seconds over a million scenes. For a map the fast parser marked as large,
  // the value types are checked here too (see schema-check.ts).
  const scenes = spec.sceneIdMap;
  if (isObject(scenes)) {
    const large = isLargeKnownMap(scenes);
    const field = (sceneId: string) => formatPath(['spec', 'sceneIdMap', sceneId]);
    const { keys, valueAt } = entriesOf(scenes);
    for (let i = 0; i < keys.length; i++) {
      const sceneId = keys[i]!;
      const uri = valueAt(i);
      if (sceneId === '') {
        report(['sceneIdMap', sceneId], 'rules.empty-scene', 'spec.sceneIdMap: a scene id must not be empty');
        continue;
      }
      const idEdge = edgeProblem(sceneId);
      if (idEdge) report(['sceneIdMap', sceneId], 'rules.edge-space', `${field(sceneId)}: the scene id ${idEdge}`, EDGE_HINT, 'key');
      if (uri === '') report(['sceneIdMap', sceneId], 'rules.empty-scene', `${field(sceneId)}: the scene URI must not be empty`);
      else if (typeof uri !== 'string') {
        if (large) report(['sceneIdMap', sceneId], 'schema.type', `${field(sceneId)}: expected a string, found ${describeValue(uri)}`);
      } else {
        const problem = large ? (stringProblem(sceneId) ?? stringProblem(uri)) : undefined;
        if (problem) report(['sceneIdMap', sceneId], 'rules.bad-string', `${field(sceneId)}: ${problem}`);
        const uriEdge = edgeProblem(uri);
        if (uriEdge) report(['sceneIdMap', sceneId], 'rules.edge-space', `${field(sceneId)}: the scene URI ${uriEdge}`, EDGE_HINT);
      }
    }
  }
  checkCallback(spec.annotationRequestCallback, ['annotationRequestCallback'], report);
  const results = spec.annotationResultCallback;
  if (isObject(results)) {
    for (const [name, url] of Object.entries(results)) checkCallback(url, ['annotationResultCallback', name], report);
  }
}

function checkCallback(value: unknown, path: PathSegment[], report: Report): void {
  if (typeof value !== 'string' || value === '') return;
  const problem = callbackProblem(value);
  if (problem) report(path, 'rules.callback-url', `spec.${path.join('.')}: ${problem}`, 'use an absolute https:// URL (http:// only for localhost)');
}

/** Callback URLs must be absolute https, or http on a loopback host. */
export function callbackProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `not an absolute URL: ${JSON.stringify(value)}`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  if (url.protocol === 'http:') return `plain http is allowed only for a loopback host, found ${JSON.stringify(value)}`;
  return `expected an https URL, found ${JSON.stringify(value)}`;
}

/** Names the platform shows to people: whitespace alone is no name. */
function checkNotBlank(spec: Spec, field: string, report: Report): void {
  const value = spec[field];
  if (typeof value === 'string' && value !== '' && value.trim() === '') report([field], 'rules.blank', `spec.${field}: must not be only whitespace`);
}

function checkSamplingPlan(spec: Spec, report: Report): void {
  const has = (field: string) => spec[field] !== undefined;
  checkNotBlank(spec, 'poolName', report);

  if (has('annotationRequestRef') === has('annotationRequestId')) {
    report(has('annotationRequestId') ? ['annotationRequestId'] : [], 'rules.one-of-request', has('annotationRequestRef')
      ? 'spec: set only one of annotationRequestRef and annotationRequestId'
      : 'spec: missing annotationRequestRef (the metadata.name of an AnnotationRequest) or annotationRequestId', 'use annotationRequestRef for a request managed here, annotationRequestId for one managed elsewhere');
  }
  if (has('samplingRatio') === has('samplingQuantity')) {
    report(has('samplingQuantity') ? ['samplingQuantity'] : [], 'rules.one-of-sampling', has('samplingRatio')
      ? 'spec: set only one of samplingRatio and samplingQuantity (the API answers 57015 otherwise)'
      : 'spec: missing samplingRatio or samplingQuantity (set exactly one)');
  }
  checkInterception(spec, report);
  if (isObject(spec.subCondition)) checkSubCondition(spec.subCondition, report);
}

function checkInterception(spec: Spec, report: Report): void {
  const mode = enumNumber('interceptionMode', spec.interceptionMode);
  const has = (field: string) => spec[field] !== undefined;
  if (spec.interceptionMode === undefined) {
    for (const field of ['interceptionFrame', 'sequenceLength', 'interceptionBoundary']) {
      if (has(field)) report([field], 'rules.interception', `spec.${field}: only used together with interceptionMode`, 'set interceptionMode, or remove this field');
    }
    return;
  }
  if (mode === undefined) return; // the schema reports the bad enum value
  if (mode === INTERCEPTION_SEQUENCE_LENGTH) {
    if (!has('sequenceLength')) report(['interceptionMode'], 'rules.interception', 'spec: sequenceLength is required when interceptionMode is sequence-length (6)');
    if (has('interceptionFrame')) report(['interceptionFrame'], 'rules.interception', 'spec.interceptionFrame: not used when interceptionMode is sequence-length (6); use sequenceLength');
  } else {
    if (!has('interceptionFrame')) report(['interceptionMode'], 'rules.interception', 'spec: interceptionFrame is required unless interceptionMode is sequence-length (6)');
    if (has('sequenceLength')) report(['sequenceLength'], 'rules.interception', 'spec.sequenceLength: only used when interceptionMode is sequence-length (6)');
  }
  if (mode === INTERCEPTION_CUSTOM) {
    if (!has('interceptionBoundary')) report(['interceptionMode'], 'rules.interception', 'spec: interceptionBoundary is required when interceptionMode is custom (5)', 'add interceptionBoundary: [{ start: 1, end: 20 }]');
  } else if (has('interceptionBoundary')) {
    report(['interceptionBoundary'], 'rules.interception', 'spec.interceptionBoundary: only used when interceptionMode is custom (5)');
  }
  const ranges = spec.interceptionBoundary;
  if (Array.isArray(ranges)) {
    ranges.forEach((range: unknown, i) => {
      if (isObject(range) && typeof range.start === 'number' && typeof range.end === 'number' && range.start > range.end) {
        report(['interceptionBoundary', i], 'rules.boundary-order', `spec.interceptionBoundary[${i}]: start (${range.start}) must not be after end (${range.end})`);
      }
    });
  }
}

function checkSubCondition(sub: Spec, report: Report): void {
  const at = (field: string): PathSegment[] => ['subCondition', field];
  if (sub.operationFilterType !== undefined && sub.userNameFilter === undefined) {
    report(at('operationFilterType'), 'rules.sub-condition', 'spec.subCondition.operationFilterType: only used together with userNameFilter', 'add userNameFilter with the users whose operations to filter by');
  }
  if ((sub.workPoolFilter === undefined) !== (sub.workPoolFilterType === undefined)) {
    const present = sub.workPoolFilter !== undefined ? 'workPoolFilter' : 'workPoolFilterType';
    const missing = present === 'workPoolFilter' ? 'workPoolFilterType' : 'workPoolFilter';
    report(at(present), 'rules.sub-condition', `spec.subCondition.${present}: must be given together with ${missing}`);
  }
  const validTimes = ['startTime', 'endTime'].map((field) => {
    const value = sub[field];
    if (typeof value !== 'string') return false;
    const problem = timeProblem(value);
    if (problem) report(at(field), 'rules.time', `spec.subCondition.${field}: ${problem}, found ${JSON.stringify(value)}`);
    return problem === undefined;
  });
  if (validTimes.every(Boolean) && typeof sub.startTime === 'string' && typeof sub.endTime === 'string') {
    const normal = (t: string) => t.replace('T', ' ');
    if (normal(sub.startTime) > normal(sub.endTime)) {
      report(at('startTime'), 'rules.time-order', `spec.subCondition.startTime (${sub.startTime}) must not be after endTime (${sub.endTime})`);
    }
  }
}

/**
 * The schema's pattern checks the shape (2025-03-13 or 2025-03-13 20:00[:00]); this checks that it
 * is a real date and time: no February 30th, no hour 25. Undefined when the shape itself is wrong
 * (the schema reports that).
 */
export function timeProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month! < 1 || month! > 12) return `month ${match[2]} does not exist`;
  const days = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (day! < 1 || day! > days) return `${year}-${match[2]} has no day ${match[3]}`;
  if (hour > 23 || minute > 59 || second > 59) return `${match[4]}:${match[5]}${match[6] ? `:${match[6]}` : ''} is not a time of day`;
  return undefined;
}
