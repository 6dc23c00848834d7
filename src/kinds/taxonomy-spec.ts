/**
 * Taxonomy, the manifest side: the label schema annotators use, written inline (taxonomyDetails)
 * or, for the large ones edited with tools, read from a JSON file next to the manifest
 * (taxonomyDetailsFrom). Its content rules are checked before sending: once created, a taxonomy
 * cannot be read back, so a mistake would never be found.
 */
import { formatPath } from '../model/paths.js';
import type { TaxonomyResource } from '../model/resources.js';
import { extended } from '../values.js';
import { taxonomyProblems } from '../model/taxonomy-rules.js';
import { checkByteLimits, checkNotBlank } from './spec-checks.js';
import type { Spec, SpecModule, SpecReport } from './types.js';

export interface TaxonomySpec {
  taxonomyVersionName: string;
  taxonomyDetails?: unknown[];
  taxonomyDetailsFrom?: string;
}

export const TAXONOMY_SPEC_KEYS = { taxonomyVersionName: true, taxonomyDetails: true, taxonomyDetailsFrom: true } as const satisfies Record<keyof TaxonomySpec, true>;

/** Reported by the schema already (its enums), which editors also complete. */
const SCHEMA_CHECKED: ReadonlySet<string> = new Set(['taxonomy.unknown-type', 'taxonomy.unknown-slot-type', 'taxonomy.unknown-input-type']);

function checkTaxonomy(spec: Spec, report: SpecReport): void {
  checkNotBlank(spec, 'taxonomyVersionName', report);
  checkByteLimits(spec, ['taxonomyVersionName'], report);
  // taxonomyDetailsFrom has been read into taxonomyDetails by now (the manifest stage does that).
  if (spec.taxonomyDetails === undefined && spec.taxonomyDetailsFrom === undefined) {
    report([], 'rules.one-of-taxonomy', 'spec: missing taxonomyDetails (the operators) or taxonomyDetailsFrom (a JSON file holding them)');
    return;
  }
  for (const problem of taxonomyProblems(spec.taxonomyDetails)) {
    if (SCHEMA_CHECKED.has(problem.rule)) continue;
    const path = ['taxonomyDetails', ...problem.path];
    report(path, problem.rule, `spec.${formatPath(path)}: ${problem.message}`, `the platform would answer ${problem.code}`);
  }
}

export const taxonomySpec: SpecModule<'Taxonomy'> = {
  kind: 'Taxonomy',
  rank: 0,
  identifierFields: ['taxonomyVersionName', 'taxonomyDetailsFrom'],
  references: [],
  dataFiles: [{ field: 'taxonomyDetailsFrom', into: 'taxonomyDetails' }],
  identityField: 'taxonomyVersionName',
  unique: [{ field: 'taxonomyVersionName', rule: 'cross.duplicate-taxonomy-name' }],
  checkSpec: checkTaxonomy,
  identity: (_name, spec) => (typeof spec.taxonomyVersionName === 'string' ? spec.taxonomyVersionName : undefined),
  toResource(base, spec): TaxonomyResource {
    const { taxonomyVersionName, taxonomyDetails = [] } = spec as unknown as TaxonomySpec;
    return extended(base, { kind: 'Taxonomy' as const, body: { taxonomyVersionName, taxonomyDetails } });
  },
};
