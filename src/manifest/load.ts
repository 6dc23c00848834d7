/**
 * The manifest stage: files → parsed documents → schema and rule checks →
 * cross-manifest checks → normalised resources. All problems are collected and
 * returned sorted by file and line; resources are returned only when there are none.
 */
import { realpath } from 'node:fs/promises';
import { specModule } from '../kinds/index.js';
import { addressOf, isKind, type Kind, type Resource, type SourcePosition } from '../model/resources.js';
import { isObject } from '../values.js';
import { crossCheck, identitiesOf, needsOf, resolver, reverseIdentities, type Candidate, type Identities } from './cross-check.js';
import { withDataFiles } from './data-files.js';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { DEFAULT_MAX_FILE_BYTES, findManifestFiles, readSourceFile } from './files.js';
import { expandGenerator, type Origin } from './generators.js';
import { parseSource, type ParsedDocument } from './parse.js';
import { positionOf } from './positions.js';
import { checkRules } from './rules.js';
import { checkSchema } from './schema-check.js';

export interface LoadOptions {
  cwd?: string;
  /** Keep each manifest as expanded (generators, data files) for rosetta render. */
  keepDocuments?: boolean;
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
  /** With keepDocuments and no diagnostics: every manifest as expanded, sorted by address. */
  documents?: ExpandedDocument[];
}

/** A manifest after generators and data files are expanded (what rosetta render prints). */
export interface ExpandedDocument {
  kind: Kind;
  name: string;
  spec: Record<string, unknown>;
  origin?: Origin;
}

export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const found = await findManifestFiles(paths, cwd);
  const diagnostics = [...found.diagnostics];
  const candidates: Candidate[] = [];
  const generators = new Map<string, SourcePosition>();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const files: string[] = [];

  /** YAML files some manifest names as data (a generator's rows): not manifests, whatever their extension. */
  const dataFiles = new Set<string>();
  /** Each file's own results, kept apart until it is known whether the file is one of those. */
  const perFile: { absolute: string; display: string; diagnostics: Diagnostic[]; candidates: Candidate[] }[] = [];

  for (const absolute of found.files) {
    const read = await readSourceFile(absolute, cwd, maxBytes);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const { documents, diagnostics: yamlProblems } = parseSource(read.file);
    const mine = { absolute, display: read.file.display, diagnostics: [...yamlProblems], candidates: [] as Candidate[] };
    perFile.push(mine);
    const take = async (document: ParsedDocument, origin?: Origin): Promise<void> => {
      // Data files (taxonomyDetailsFrom, sceneIdMapFrom) are read into the spec first: every check sees one spec.
      const kind = isObject(document.value) ? document.value.kind : undefined;
      const withData = isKind(kind) ? await withDataFiles(document, kind, absolute, cwd, maxBytes, dataFiles) : { parsed: document, diagnostics: [] };
      mine.diagnostics.push(...withData.diagnostics);
      const { parsed } = withData;
      mine.diagnostics.push(...checkSchema(parsed));
      const value = parsed.value;
      if (!isObject(value) || !isObject(value.spec) || !isObject(value.metadata)) return;
      const name = value.metadata.name;
      if (!isKind(kind) || typeof name !== 'string') return;
      mine.diagnostics.push(...checkRules(parsed, kind, value.spec));
      mine.candidates.push({ parsed: { start: parsed.start, locate: parsed.locate }, kind, name, spec: value.spec, ...(origin ? { origin } : {}) });
    };
    for (const document of documents) {
      if (!isGenerator(document)) {
        await take(document);
        continue;
      }
      // A generator is no resource: checked, then expanded into documents that are checked like written ones.
      const problems = checkSchema(document);
      mine.diagnostics.push(...problems);
      if (problems.length > 0) continue;
      const name = (document.value as { metadata: { name: string } }).metadata.name;
      const earlier = generators.get(name);
      if (earlier) {
        mine.diagnostics.push({ rule: 'cross.duplicate-name', ...positionOf(document, ['metadata', 'name']), message: `Generator name "${name}" is already used at ${earlier.file}:${earlier.line}:${earlier.col}`, hint: 'each must be unique across all manifests' });
        continue;
      }
      generators.set(name, positionOf(document, ['metadata', 'name']));
      const expanded = await expandGenerator(document, absolute, cwd, maxBytes, dataFiles);
      mine.diagnostics.push(...expanded.diagnostics);
      for (const { document: made, origin } of expanded.generated) await take(made, origin);
    }
  }
  const isData = dataFiles.size === 0 ? () => false : await realPathIn(dataFiles);
  for (const file of perFile) {
    if (await isData(file.absolute)) continue;
    files.push(file.display);
    diagnostics.push(...file.diagnostics);
    candidates.push(...file.candidates);
  }
  const identities = identitiesOf(candidates);
  diagnostics.push(...crossCheck(candidates, identities));

  if (files.length > 0 && candidates.length === 0 && diagnostics.length === 0) {
    diagnostics.push({ rule: 'files.no-documents', file: files.join(', '), line: 0, col: 0, message: 'no manifests found (all documents are empty)' });
  }
  diagnostics.sort(compareDiagnostics);
  dropRepeatedTypeErrors(diagnostics);
  const { skippedDotFiles } = found;
  if (diagnostics.length > 0) return { files, resources: [], diagnostics, skippedDotFiles };
  const resources = toResources(candidates, identities);
  if (!options.keepDocuments) return { files, resources, diagnostics, skippedDotFiles };
  const documents = candidates
    .map((c) => ({ kind: c.kind, name: c.name, spec: c.spec, ...(c.origin ? { origin: c.origin } : {}) }))
    .sort((a, b) => compareText(addressOf(a.kind, a.name), addressOf(b.kind, b.name)));
  return { files, resources, diagnostics, skippedDotFiles, documents };
}

/** Each candidate as a resource, built by its kind's spec module with its references resolved. */
function toResources(candidates: readonly Candidate[], identities: Identities): Resource[] {
  const reverse = reverseIdentities(identities);
  const resources = candidates.map((c): Resource => {
    const needs = needsOf(c, reverse);
    const base = { name: c.name, address: addressOf(c.kind, c.name), source: c.parsed.start, ...(needs.length > 0 ? { needs } : {}), ...(c.origin ? { origin: c.origin } : {}) };
    // Without diagnostics every identity is known (a missing one fails the schema or a reference).
    return specModule(c.kind).toResource(base, c.spec, identities.get(c.kind)!.get(c.name)!, resolver(c, identities));
  });
  return resources.sort((a, b) => compareText(a.address, b.address));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isGenerator(document: ParsedDocument): boolean {
  return isObject(document.value) && document.value.kind === 'Generator';
}

/**
 * A generated value that cannot be the type its field wants is reported with its row and column
 * (generator.value-type); the schema's own type error at the same place says less, so it goes.
 */
function dropRepeatedTypeErrors(diagnostics: Diagnostic[]): void {
  const said = new Set(diagnostics.filter((d) => d.rule === 'generator.value-type').map((d) => `${d.file}:${d.line}:${d.col}`));
  if (said.size === 0) return;
  for (let i = diagnostics.length - 1; i >= 0; i--) {
    const d = diagnostics[i]!;
    if (d.rule === 'schema.type' && said.has(`${d.file}:${d.line}:${d.col}`)) diagnostics.splice(i, 1);
  }
}

/** Whether a path is (by its real path) one of `reals`. */
async function realPathIn(reals: ReadonlySet<string>): Promise<(path: string) => Promise<boolean>> {
  return async (path) => reals.has(await realpath(path).catch(() => path));
}
