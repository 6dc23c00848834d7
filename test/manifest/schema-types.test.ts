// The schema is the source of truth; these checks keep the TypeScript types
// and the enum map from drifting away from it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENUMS } from '../../src/model/enums.js';
import { ANNOTATION_REQUEST_SPEC_KEYS, REQUIRED_KEYS, SAMPLING_PLAN_SPEC_KEYS, SUB_CONDITION_KEYS } from '../../src/manifest/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface SchemaNode {
  $schema?: string;
  $id?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  enum?: unknown[];
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
  definitions?: Record<string, SchemaNode>;
  $ref?: string;
}
const schema = JSON.parse(readFileSync(`${REPO_ROOT}/schemas/manifest.schema.json`, 'utf8')) as SchemaNode;
const defs = schema.definitions!;
const resolveRef = (ref: string): SchemaNode =>
  ref.slice(2).split('/').reduce<SchemaNode>((node, key) => (node as Record<string, SchemaNode>)[key]!, schema);

describe('schemas/manifest.schema.json', () => {
  it('is draft-07 (what editors support) with an $id', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/^urn:rosetta-iac:schema:v1:/);
  });

  it('has the same spec fields as the TypeScript types', () => {
    expect(Object.keys(defs.annotationRequestSpec!.properties!).sort()).toEqual(Object.keys(ANNOTATION_REQUEST_SPEC_KEYS).sort());
    expect(Object.keys(defs.samplingPlanSpec!.properties!).sort()).toEqual(Object.keys(SAMPLING_PLAN_SPEC_KEYS).sort());
    expect(Object.keys(defs.subCondition!.properties!).sort()).toEqual(Object.keys(SUB_CONDITION_KEYS).sort());
    expect(defs.annotationRequestSpec!.required).toEqual(REQUIRED_KEYS.AnnotationRequest);
    expect(defs.samplingPlanSpec!.required).toEqual(REQUIRED_KEYS.SamplingPlan);
  });

  it('accepts exactly the enum names and numbers of the enum map', () => {
    const accepted = (field: keyof typeof ENUMS) => [...Object.values(ENUMS[field]), ...Object.keys(ENUMS[field])];
    expect(defs.samplingPlanSpec!.properties!.sampleType!.enum).toEqual(accepted('sampleType'));
    expect(defs.samplingPlanSpec!.properties!.interceptionMode!.enum).toEqual(accepted('interceptionMode'));
    expect(defs.subCondition!.properties!.workPoolFilterType!.enum).toEqual(accepted('workPoolFilterType'));
    expect(defs.subCondition!.properties!.operationFilterType!.items!.enum).toEqual(accepted('operationFilterType'));
  });

  it("keeps the Generator's template definitions made from the kinds' own (scripts/template-schemas.mjs)", () => {
    // Fails (exit 1) when a kind's spec changed and the templates were not made again.
    expect(() => execFileSync(process.execPath, [`${REPO_ROOT}/scripts/template-schemas.mjs`, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('keeps docs/reference as npm run docs makes it from the schema, the kinds and the CLI', () => {
    // Fails (exit 1, naming the stale pages) when the source changed and the reference was not made again.
    expect(() => execFileSync(process.execPath, [`${REPO_ROOT}/scripts/docs.mjs`, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('describes every field and forbids unknown ones in every object', () => {
    const walk = (node: SchemaNode, path: string): void => {
      if (node.properties) {
        expect(node.additionalProperties, `${path} additionalProperties`).toBe(false);
        for (const [key, child] of Object.entries(node.properties)) {
          expect(child.description ?? (child.$ref ? resolveRef(child.$ref).description : undefined), `${path}.${key} description`).toBeTruthy();
          walk(child, `${path}.${key}`);
        }
      }
      if (node.items) walk(node.items, `${path}[]`);
    };
    for (const [name, def] of Object.entries(defs)) walk(def, name);
  });
});
