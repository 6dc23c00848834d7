/**
 * The manifest stage: files → parsed documents → schema and rule checks →
 * cross-manifest checks → normalised resources. All problems are collected and
 * returned sorted by file and line; resources are returned only when there are none.
 */
import { assertNever } from '../assert.js';
import type { Candidate } from './cross-check.js';
import { crossCheck } from './cross-check.js';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { DEFAULT_MAX_FILE_BYTES, findManifestFiles, readSourceFile } from './files.js';
import { annotationRequestBody, deriveAnnotationRequestId, samplingBody } from './normalise.js';
import { parseSource } from './parse.js';
import { isObject } from '../values.js';
import { checkRules } from './rules.js';
import { checkSchema } from './schema-check.js';
import { addressOf, type AnnotationRequestSpec, type Kind, type Resource, type SamplingPlanSpec } from './types.js';

export interface LoadOptions {
  cwd?: string;
  /** Per-file size cap in bytes, checked before reading. */
  maxFileBytes?: number;
}

export interface LoadResult {
  files: string[];
  /** Sorted by address; empty when there are diagnostics. */
  resources: Resource[];
  diagnostics: Diagnostic[];
  /** Dot-files in the searched directories, not read (named on the command line, they are). */
  skippedDotFiles: string[];
}

export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const found = await findManifestFiles(paths, cwd);
  const diagnostics = [...found.diagnostics];
  const candidates: Candidate[] = [];
  const files: string[] = [];

  for (const absolute of found.files) {
    const read = await readSourceFile(absolute, cwd, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    files.push(read.file.display);
    const { documents, diagnostics: yamlProblems } = parseSource(read.file);
    diagnostics.push(...yamlProblems);
    for (const parsed of documents) {
      const schemaProblems = checkSchema(parsed);
      diagnostics.push(...schemaProblems);
      const value = parsed.value;
      if (!isObject(value) || !isObject(value.spec) || !isObject(value.metadata)) continue;
      const kind = value.kind;
      const name = value.metadata.name;
      if ((kind !== 'AnnotationRequest' && kind !== 'SamplingPlan') || typeof name !== 'string') continue;
      const ruleProblems = checkRules(parsed, kind, value.spec);
      diagnostics.push(...ruleProblems);
      candidates.push({
        parsed: { start: parsed.start, locate: parsed.locate },
        kind,
        name,
        spec: value.spec,
        annotationRequestId: kind === 'AnnotationRequest' ? requestIdOf(name, value.spec) : undefined,
      });
    }
  }
  diagnostics.push(...crossCheck(candidates));

  if (files.length > 0 && candidates.length === 0 && diagnostics.length === 0) {
    diagnostics.push({ rule: 'files.no-documents', file: files.join(', '), line: 0, col: 0, message: 'no manifests found (all documents are empty)' });
  }
  diagnostics.sort(compareDiagnostics);
  const { skippedDotFiles } = found;
  if (diagnostics.length > 0) return { files, resources: [], diagnostics, skippedDotFiles };
  return { files, resources: toResources(candidates), diagnostics, skippedDotFiles };
}

function requestIdOf(name: string, spec: Record<string, unknown>): string | undefined {
  if (typeof spec.annotationRequestId === 'string') return spec.annotationRequestId;
  return typeof spec.campaignId === 'string' ? deriveAnnotationRequestId(spec.campaignId, name) : undefined;
}

function toResources(candidates: readonly Candidate[]): Resource[] {
  const requestIds = new Map<string, string>(); // name → id
  const managedById = new Map<string, string>(); // id → address
  for (const c of candidates) {
    if (c.kind === 'AnnotationRequest' && c.annotationRequestId !== undefined) {
      requestIds.set(c.name, c.annotationRequestId);
      managedById.set(c.annotationRequestId, addressOf('AnnotationRequest', c.name));
    }
  }
  const resources = candidates.map((c): Resource => {
    const base = { name: c.name, address: addressOf(c.kind as Kind, c.name), source: c.parsed.start };
    const kind = c.kind as Kind;
    switch (kind) {
      case 'AnnotationRequest': {
        const spec = c.spec as unknown as AnnotationRequestSpec;
        // c.annotationRequestId is the given or derived id, computed once for the cross-checks.
        return { ...base, kind, body: annotationRequestBody(c.annotationRequestId!, spec), idDerived: spec.annotationRequestId === undefined };
      }
      case 'SamplingPlan': {
        const spec = c.spec as unknown as SamplingPlanSpec;
        const requestId = spec.annotationRequestRef !== undefined ? requestIds.get(spec.annotationRequestRef)! : spec.annotationRequestId!;
        // A literal id that a manifest here also creates is still a dependency.
        return { ...base, kind, body: samplingBody(spec, requestId), dependsOn: managedById.get(requestId) };
      }
      default:
        return assertNever(kind);
    }
  });
  return resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
