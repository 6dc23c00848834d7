/**
 * Runs the precompiled schema validators (see scripts/build.mjs) and turns
 * ajv's errors into friendly, positioned diagnostics.
 */
import { compiledValidator, type CompiledValidator, type SchemaError } from '../model/compiled-validators.js';
import { distance } from 'fastest-levenshtein';
import type { Diagnostic } from './diagnostics.js';
import { isLargeKnownMap } from '../model/known-keys.js';
import type { ParsedDocument } from './parse.js';
import { formatPath, parseJsonPointer, positionOf, type PathSegment } from './positions.js';
import { isKind, type Kind } from '../model/resources.js';

/** The kind's spec validator: `definitions.<kind>Spec` of the schema (folderSpec, campaignSpec, …, generatorSpec). */
function specValidator(kind: Kind | 'Generator'): CompiledValidator {
  return compiledValidator(`${kind[0]!.toLowerCase()}${kind.slice(1)}Spec`);
}

/** Fields that are not in the schema on purpose, with why. */
const UNKNOWN_FIELD_HINTS: Record<string, string> = {
  taxonomyInfo: 'taxonomyInfo is not used by the current Rosetta API version; remove it',
  sampleRatio: 'the field is called samplingRatio',
};

/**
 * Validates the envelope and, when the kind is known and spec is a map, the
 * kind's spec, so one run reports the problems of both. Empty when valid.
 */
export function checkSchema(parsed: ParsedDocument): Diagnostic[] {
  const value = parsed.value as { kind?: unknown; spec?: unknown } | null;
  const envelope = compiledValidator('envelope');
  const diagnostics = envelope(value) ? [] : toDiagnostics(parsed, envelope.errors ?? [], []);
  const kind = value?.kind;
  const spec = value?.spec;
  if ((isKind(kind) || kind === 'Generator') && typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    const validateSpec = specValidator(kind);
    if (!validateSpec(withoutLargeMaps(spec))) diagnostics.push(...toDiagnostics(parsed, validateSpec.errors ?? [], ['spec']));
  }
  return diagnostics;
}

/**
 * A huge sceneIdMap is checked entry by entry in rules.ts, in one pass over the
 * parser's key list; ajv would enumerate the object again (0.8 s for a million
 * scenes). The schema sees a one-entry stand-in so its other checks still run.
 */
function withoutLargeMaps(spec: object): object {
  const scenes = (spec as { sceneIdMap?: unknown }).sceneIdMap;
  return isLargeKnownMap(scenes) ? { ...spec, sceneIdMap: { 'scene-id': 'uri' } } : spec;
}

function toDiagnostics(parsed: ParsedDocument, errors: readonly SchemaError[], prefix: PathSegment[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // `if` failures only say which branch was taken; the branch's own errors follow.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const path = [...prefix, ...parseJsonPointer(error.instancePath)];
    const diagnostic = describe(parsed, error, path);
    const key = `${diagnostic.line}:${diagnostic.col}:${diagnostic.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(diagnostic);
    }
  }
  return out;
}

function describe(parsed: ParsedDocument, error: SchemaError, path: PathSegment[]): Diagnostic {
  const field = formatPath(path);
  const found = valueAt(parsed.value, path);
  const p = error.params;
  const make = (message: string, hint?: string, at: PathSegment[] = path, target: 'key' | 'value' = 'value'): Diagnostic => ({
    rule: `schema.${error.keyword}`,
    ...positionOf(parsed, at, target),
    message,
    ...(hint === undefined ? {} : { hint }),
  });
  switch (error.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return make(`${field === '(document)' ? '' : `${field}: `}missing required field "${missing}"`);
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      // hasOwn: a field named __proto__ or constructor must not find Object.prototype's members.
      const hint = (Object.hasOwn(UNKNOWN_FIELD_HINTS, extra) ? UNKNOWN_FIELD_HINTS[extra] : undefined) ?? suggestion(extra, allowed) ?? (allowed.length > 0 ? `allowed fields: ${allowed.join(', ')}` : undefined);
      return make(`${formatPath([...path, extra])}: unknown field "${extra}"`, hint, [...path, extra], 'key');
    }
    case 'type':
      return make(`${field}: expected ${article(String(p.type))}, found ${describeValue(found)}`, typeHint(String(p.type), found));
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      const quotedNumber = typeof found === 'string' && allowed.includes(Number(found));
      return make(`${field}: expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}; found ${describeValue(found)}`, quotedNumber ? 'remove the quotes: the API expects a number' : undefined);
    }
    case 'const':
      return make(`${field}: expected ${JSON.stringify(p.allowedValue)}, found ${describeValue(found)}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return make(`${field}: must be ${p.comparison} ${p.limit}, found ${describeValue(found)}`);
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return make(`${field}: must not be empty`);
    case 'maxLength':
      return make(`${field}: must be at most ${p.limit} characters, found ${typeof found === 'string' ? found.length : '?'}`);
    case 'pattern':
      return make(`${field}: ${patternMessage(path)}, found ${describeValue(found)}`);
    default:
      return make(`${field}: ${error.message ?? 'is invalid'}`);
  }
}

function patternMessage(path: PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === 'name') return 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
  if (last === 'startTime' || last === 'endTime') return 'expected a time like 2025-03-13 or 2025-03-13 20:00:00';
  return 'does not match the expected format';
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment as string];
  }
  return value;
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false' };
  return names[type] ?? type;
}

export { describeValue, MAX_EXCERPT_CHARS } from '../text.js';
import { describeValue } from '../text.js';

function typeHint(expected: string, found: unknown): string | undefined {
  if ((expected === 'number' || expected === 'integer') && typeof found === 'string' && found.trim() !== '' && !Number.isNaN(Number(found))) {
    return 'remove the quotes: the API expects a number';
  }
  if (expected === 'string' && (typeof found === 'number' || typeof found === 'boolean')) {
    return 'quote the value to make it a string';
  }
  return undefined;
}

/** "did you mean" for a misspelt field: the closest allowed name within 3 edits. */
function suggestion(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of allowed) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : `did you mean "${best}"?`;
}
