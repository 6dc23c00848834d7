// The floor for `rosetta plan` of many manifests: the same files parsed with `yaml` and checked
// with the same precompiled schema validators, nothing else. A whole process.
//   node bench/floors/yaml-ajv.mjs DIR
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const dir = process.argv[2];
const validator = (name) => createRequire(import.meta.url)(`../../dist/model/generated/${name}.cjs`);
const envelope = validator('envelope');
const specs = { AnnotationRequest: validator('annotationRequestSpec'), SamplingPlan: validator('samplingPlanSpec') };
let documents = 0;
for (const file of readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.yaml')).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
    const value = doc.toJS();
    if (!envelope(value) || !specs[value.kind](value.spec)) throw new Error(`${file}: not valid`);
    documents++;
  }
}
if (documents === 0) throw new Error(`no manifests in ${dir}`);
