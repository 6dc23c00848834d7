/**
 * The JSON Schema validators scripts/build.mjs compiles ahead of time: one CommonJS module per
 * validator in ./generated (the manifest envelope, each kind's spec, each file format), each
 * loaded the first time it is needed, so a run compiles only the validators it uses (all of them
 * together were 460 KB of code that every `plan` parsed). The bundle (dist/bundle) has a copy of
 * ./generated beside it, so the same relative require works from there.
 */
import { createRequire } from 'node:module';

export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: Record<string, unknown>;
}

export type CompiledValidator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

const requireHere = createRequire(import.meta.url);
const loaded = new Map<string, CompiledValidator>();

/** The validator `name` (`envelope`, `annotationRequestSpec`, …, `state`, `planFile`, `fixtures`). */
export function compiledValidator(name: string): CompiledValidator {
  let found = loaded.get(name);
  if (!found) {
    found = requireHere(`./generated/${name}.cjs`) as CompiledValidator;
    loaded.set(name, found);
  }
  return found;
}
