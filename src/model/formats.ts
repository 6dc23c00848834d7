/**
 * The file formats rosetta reads back — the state, saved plans, simulator fixtures — checked with
 * their JSON Schemas (schemas/*.schema.json, compiled ahead of time by scripts/build.mjs), not by
 * hand: the schema is the one description of each format, for rosetta and for anyone's tooling.
 */
import { compiledValidator } from './compiled-validators.js';

export type Format = 'state' | 'planFile' | 'fixtures';

/** Undefined when `value` is in the format; else the first problem, as "where: what". */
export function formatProblem(format: Format, value: unknown): string | undefined {
  const validate = compiledValidator(format);
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return 'not in the expected format';
  // JSON Pointer (RFC 6901) back to a readable path: ~1 is "/", ~0 is "~".
  const where = error.instancePath === '' ? '(top level)' : error.instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join(' › ');
  const allowed = Array.isArray(error.params?.allowedValues) ? `: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : '';
  const constant = error.params && 'allowedValue' in error.params ? ` ${JSON.stringify(error.params.allowedValue)}` : '';
  return `${where}: ${error.message ?? 'is not valid'}${constant}${allowed}`;
}
