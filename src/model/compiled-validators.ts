/**
 * The JSON Schema validators scripts/build.mjs compiles ahead of time: one CommonJS module per
 * validator in ./generated (the manifest envelope, each kind's spec, each file format), each
 * loaded the first time it is needed, so a run compiles only the validators it uses (all of them
 * together were 460 KB of code that every `plan` parsed).
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

const loaded = new Map<string, CompiledValidator>();

/** The validator `name` (`envelope`, `annotationRequestSpec`, …, `state`, `planFile`, `fixtures`). */
export function compiledValidator(name: string): CompiledValidator {
  let found = loaded.get(name);
  if (!found) {
    found = load(name);
    loaded.set(name, found);
  }
  return found;
}

function load(name: string): CompiledValidator {
  // In the CLI bundle (CommonJS) this require is left as it is and bin/load-bundle.js answers it
  // with dist/bundle/generated/<name>.cjs, a code-cached bundle of its own (scripts/build.mjs);
  // run as ES modules (tsc's dist/, vitest) there is no `require`, and Node's loader finds the
  // file beside this one.
  if (typeof require === 'function') return require(`./generated/${name}.cjs`) as CompiledValidator;
  return createRequire(import.meta.url)(`./generated/${name}.cjs`) as CompiledValidator;
}
