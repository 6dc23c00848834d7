/**
 * Per-manifest rules the schema cannot say well, in two parts: what holds for every kind (no value
 * that cannot be sent exactly, no invisible character at the edge of an id, exactly one of a
 * reference and its alternative), and each kind's own rules (its spec module in src/kinds/). They
 * read the spec defensively, so they run (and report) even when the schema failed.
 */
import { specModule } from '../kinds/index.js';
import { EDGE_HINT, edgeProblem, stringProblem } from '../kinds/spec-checks.js';
import type { SpecReport } from '../kinds/types.js';
import { isLargeKnownMap, keysOf } from '../model/known-keys.js';
import { article } from '../text.js';
import { isObject } from '../values.js';
import type { Diagnostic } from './diagnostics.js';
import type { ParsedDocument } from './parse.js';
import { formatPath, positionOf, type PathSegment } from './positions.js';
import type { Kind } from './types.js';

export { MAX_ID_BYTES } from '../kinds/spec-checks.js';

type Spec = Record<string, unknown>;

export function checkRules(parsed: Pick<ParsedDocument, 'locate'>, kind: Kind, spec: Spec): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report: SpecReport = (path, rule, message, hint, target) => {
    diagnostics.push({ rule, ...positionOf(parsed, ['spec', ...path], target), message, ...(hint === undefined ? {} : { hint }) });
  };
  const module = specModule(kind);
  checkValues(spec, [], report);
  checkIdentifierEdges(spec, module.identifierFields, report);
  checkReferences(spec, module.references, report);
  module.checkSpec(spec, report);
  return diagnostics;
}

/**
 * What no field may hold, whatever its type: an integer JavaScript cannot hold exactly (it would be
 * sent rounded: 9007199254740993 as 9007199254740992), a string that cannot be sent as UTF-8 (a
 * lone surrogate from a "\ud800" escape) or holding a NUL character. A large sceneIdMap is checked
 * in checkAnnotationRequest's own pass over it.
 */
function checkValues(value: unknown, path: PathSegment[], report: SpecReport): void {
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

/**
 * Ids and names must not start or end with whitespace or an invisible character (a no-break space
 * pasted from a spreadsheet, a U+2028 from a document). YAML keeps them, the platform would store
 * them, and nobody reviewing the pull request sees them: an id that differs from the one everybody
 * reads, or a derived annotationRequestId that changes. Refused on every reading path (issue 18).
 */
function checkIdentifierEdges(spec: Spec, fields: readonly string[], report: SpecReport): void {
  for (const field of fields) {
    const value = spec[field];
    if (typeof value !== 'string') continue;
    const problem = edgeProblem(value);
    if (problem) report([field], 'rules.edge-space', `spec.${field}: ${problem}`, EDGE_HINT);
  }
}

/** A reference (campaignRef) or its alternative (campaignId): exactly one of the two. */
function checkReferences(spec: Spec, references: readonly { field: string; kind: Kind; alternative: string }[], report: SpecReport): void {
  for (const { field, kind, alternative } of references) {
    const hasRef = spec[field] !== undefined;
    const hasAlternative = spec[alternative] !== undefined;
    if (hasRef && hasAlternative) report([alternative], 'rules.one-of-reference', `spec: set only one of ${field} and ${alternative}`, `use ${field} for a ${kind} managed here, ${alternative} for one managed elsewhere`);
    if (!hasRef && !hasAlternative) {
      report([], 'rules.one-of-reference', `spec: missing ${field} (the metadata.name of ${article(kind)} ${kind}) or ${alternative}`, `use ${field} for a ${kind} managed here, ${alternative} for one managed elsewhere`);
    }
  }
}
