// The Generator's template schemas, made from the kinds' own: `<kind>TemplateSpec` is the kind's
// spec with every value that is not free text also allowed to be one `${column}` placeholder, and
// names' patterns dropped (night-${drive} is a fine template for a name). Editors then complete
// and check a generator's templates as far as JSON Schema allows.
//
// `node scripts/template-schemas.mjs` rewrites schemas/manifest.schema.json; a test fails when the
// file is not what this makes (test/manifest/schema-types.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATED = 'made by scripts/template-schemas.mjs from the definition of the same name without Template';
export const PLACEHOLDER = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$' };
const KINDS = ['Folder', 'Taxonomy', 'WorkflowTemplate', 'Campaign', 'AnnotationRequest', 'SamplingPlan'];
const spec = (kind) => `${kind[0].toLowerCase()}${kind.slice(1)}Spec`;

/** The schema with its template definitions made afresh (others untouched, order kept). */
export function withTemplateDefinitions(schema) {
  const definitions = Object.fromEntries(Object.entries(schema.definitions).filter(([, def]) => def.$comment !== GENERATED));
  const made = {};
  const templateOf = (name) => {
    const target = name.endsWith('Spec') ? `${name.slice(0, -'Spec'.length)}TemplateSpec` : `${name}Template`;
    if (!(target in made)) {
      made[target] = null; // taken: a definition that refers to itself (taxonomy children) ends here
      made[target] = { $comment: GENERATED, ...transform(definitions[name]) };
    }
    return target;
  };
  const transform = (node) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    if (node.$ref) {
      const name = node.$ref.replace('#/definitions/', '');
      return { ...node, $ref: `#/definitions/${templateOf(name)}` };
    }
    const { description, ...rest } = node;
    const described = (value) => (description === undefined ? value : { description, ...value });
    if (rest.enum || rest.const !== undefined || isNonText(rest.type)) return described({ anyOf: [rest, PLACEHOLDER] });
    const out = { ...rest };
    delete out.pattern;
    if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, transform(v)]));
    if (out.items) out.items = transform(out.items);
    if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = transform(out.additionalProperties);
    if (out.anyOf) out.anyOf = out.anyOf.map(transform);
    return described(out);
  };
  for (const kind of KINDS) templateOf(spec(kind));
  return { ...schema, definitions: { ...definitions, ...made } };
}

function isNonText(type) {
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  return types.some((t) => t === 'number' || t === 'integer' || t === 'boolean' || t === 'null');
}

// `--check`: exit 1, saying so, when the file is not what this makes (a test runs it).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas/manifest.schema.json');
  const { format } = await import('./json-format.mjs');
  const now = readFileSync(path, 'utf8');
  const made = format(withTemplateDefinitions(JSON.parse(now)));
  if (process.argv.includes('--check')) {
    if (made !== now) {
      process.stderr.write('schemas/manifest.schema.json: the Generator template definitions are stale; run node scripts/template-schemas.mjs\n');
      process.exit(1);
    }
  } else {
    writeFileSync(path, made);
  }
}
