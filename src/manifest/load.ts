/**
 * The manifest stage: files → parsed documents → schema and rule checks →
 * cross-manifest checks → normalised resources. All problems are collected and
 * returned sorted by file and line; resources are returned only when there are none.
 */
import { specModule } from '../kinds/index.js';
import { addressOf, isKind, type Resource } from '../model/resources.js';
import { isObject } from '../values.js';
import { crossCheck, identitiesOf, needsOf, resolver, reverseIdentities, type Candidate, type Identities } from './cross-check.js';
import { withDataFiles } from './data-files.js';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { DEFAULT_MAX_FILE_BYTES, findManifestFiles, readSourceFile } from './files.js';
import { parseSource } from './parse.js';
import { checkRules } from './rules.js';
import { checkSchema } from './schema-check.js';

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
    for (const document of documents) {
      // Data files (taxonomyDetailsFrom) are read into the spec first: every check sees one spec.
      const kind = isObject(document.value) ? document.value.kind : undefined;
      const withData = isKind(kind) ? await withDataFiles(document, kind, absolute, cwd, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES) : { parsed: document, diagnostics: [] };
      diagnostics.push(...withData.diagnostics);
      const { parsed } = withData;
      diagnostics.push(...checkSchema(parsed));
      const value = parsed.value;
      if (!isObject(value) || !isObject(value.spec) || !isObject(value.metadata)) continue;
      const name = value.metadata.name;
      if (!isKind(kind) || typeof name !== 'string') continue;
      diagnostics.push(...checkRules(parsed, kind, value.spec));
      candidates.push({ parsed: { start: parsed.start, locate: parsed.locate }, kind, name, spec: value.spec });
    }
  }
  const identities = identitiesOf(candidates);
  diagnostics.push(...crossCheck(candidates, identities));

  if (files.length > 0 && candidates.length === 0 && diagnostics.length === 0) {
    diagnostics.push({ rule: 'files.no-documents', file: files.join(', '), line: 0, col: 0, message: 'no manifests found (all documents are empty)' });
  }
  diagnostics.sort(compareDiagnostics);
  const { skippedDotFiles } = found;
  if (diagnostics.length > 0) return { files, resources: [], diagnostics, skippedDotFiles };
  return { files, resources: toResources(candidates, identities), diagnostics, skippedDotFiles };
}

/** Each candidate as a resource, built by its kind's spec module with its references resolved. */
function toResources(candidates: readonly Candidate[], identities: Identities): Resource[] {
  const reverse = reverseIdentities(identities);
  const resources = candidates.map((c): Resource => {
    const needs = needsOf(c, reverse);
    const base = { name: c.name, address: addressOf(c.kind, c.name), source: c.parsed.start, ...(needs.length > 0 ? { needs } : {}) };
    // Without diagnostics every identity is known (a missing one fails the schema or a reference).
    return specModule(c.kind).toResource(base, c.spec, identities.get(c.kind)!.get(c.name)!, resolver(c, identities));
  });
  return resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
