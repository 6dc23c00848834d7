/**
 * Data files a manifest names (`taxonomyDetailsFrom: taxonomies/lidar.json`): read, parsed with
 * source positions, and put in place of the field they fill (`taxonomyDetails`) before any check,
 * so the schema and the rules see one spec, and a problem inside the file is reported at the
 * file's own line and column.
 *
 * Only a file in the manifest's folder or below is read, after symlinks are followed (what
 * kustomize calls its root-only load restriction): a manifest in a pull request must not be able
 * to send /etc/passwd or a CI secret to the platform as a taxonomy.
 */
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { specModule } from '../kinds/index.js';
import type { Kind } from '../model/resources.js';
import { isObject } from '../values.js';
import type { Diagnostic } from './diagnostics.js';
import { displayPath, readSourceFile, type SourceFile } from './files.js';
import { readSceneList } from './scene-list.js';
import { parseSource, type ParsedDocument } from './parse.js';
import { positionOf, type PathSegment } from './positions.js';

export interface WithDataFiles {
  /** The document with each data file's content in place (unchanged when there is none). */
  parsed: ParsedDocument;
  diagnostics: Diagnostic[];
}

/** `dataFiles` collects the real paths of the files read (a YAML one is then no manifest). */
export async function withDataFiles(parsed: ParsedDocument, kind: Kind, manifestPath: string, cwd: string, maxBytes: number, dataFiles?: Set<string>): Promise<WithDataFiles> {
  const fields = specModule(kind).dataFiles ?? [];
  const value = parsed.value as Record<string, unknown>;
  if (fields.length === 0 || !isObject(value.spec)) return { parsed, diagnostics: [] };
  let spec: Record<string, unknown> = value.spec;
  let current = parsed;
  const diagnostics: Diagnostic[] = [];
  for (const { field, into, format } of fields) {
    const named = spec[field];
    if (typeof named !== 'string' || named === '') continue; // the schema says what is wrong
    const at = (message: string, hint?: string, path: PathSegment[] = ['spec', field]): Diagnostic => ({ rule: 'files.data-file', ...positionOf(current, path), message, ...(hint === undefined ? {} : { hint }) });
    if (spec[into] !== undefined) {
      diagnostics.push({ ...at(`spec: set only one of ${into} and ${field}`, undefined, ['spec', into]), rule: 'rules.one-of-data' });
      continue;
    }
    const read = format === 'scene-list' ? await readSceneFile(named, manifestPath, cwd, maxBytes) : await readDataFile(named, manifestPath, cwd, maxBytes, dataFiles);
    if ('problem' in read) {
      diagnostics.push(at(`spec.${field}: ${read.problem}`, read.hint));
      continue;
    }
    if ('diagnostics' in read) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const { [field]: _named, ...rest } = spec;
    spec = { ...rest, [into]: read.document.value };
    current = placed(current, spec, into, read.document);
  }
  return { parsed: current, diagnostics };
}

/** The document with `spec` in place, positions under spec.<into> looked up in the data file. */
function placed(parsed: ParsedDocument, spec: Record<string, unknown>, into: string, data: Pick<ParsedDocument, 'locate'>): ParsedDocument {
  return {
    file: parsed.file,
    value: { ...(parsed.value as object), spec },
    start: parsed.start,
    locate: (path, target) => (path[0] === 'spec' && path[1] === into ? data.locate(path.slice(2), target) : parsed.locate(path, target)),
  };
}

/** The file's one document; or problems inside the file (at its lines); or a problem with the field's path. */
type Read = { document: Pick<ParsedDocument, 'value' | 'locate'> } | { diagnostics: Diagnostic[] } | { problem: string; hint?: string };

/** A scene list (sceneIdMapFrom), as a document whose positions are the list's lines. */
async function readSceneFile(named: string, manifestPath: string, cwd: string, maxBytes: number): Promise<Read> {
  const resolved = await resolveDataPath(named, manifestPath);
  if (!('path' in resolved)) return resolved;
  const file = displayPath(resolved.path, cwd);
  const list = await readSceneList(resolved.path, file, maxBytes);
  if ('diagnostics' in list) return list;
  return {
    document: {
      value: list.map,
      // Only an error needs a position: finding a scene's line by a scan is fine then.
      locate: (path) => ({ file, line: path.length > 0 ? list.lineOf(String(path[0])) : 1, col: 1 }),
    },
  };
}

/**
 * Where a data file a manifest names is, once it is known to be a file in the manifest's folder or
 * below (symlinks followed); or what is wrong with the name.
 */
export async function resolveDataPath(named: string, manifestPath: string): Promise<{ path: string } | { problem: string; hint?: string }> {
  const root = dirname(manifestPath);
  const outside = { problem: `"${named}" is outside the manifest's folder`, hint: "a data file must be in the manifest's folder or below it, named relative to the manifest" };
  if (isAbsolute(named) || named.includes('\0')) return outside;
  try {
    const real = await realpath(resolve(root, named));
    const rel = relative(await realpath(root), real);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return outside;
    return { path: real };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { problem: `cannot read "${named}": no such file`, hint: 'the path is relative to the manifest' } : { problem: `cannot read "${named}": ${code ?? (error as Error).message}` };
  }
}

/**
 * A data file a manifest names, read as text like a manifest (size cap, UTF-8, regular file), once
 * it is known to be in the manifest's folder; `dataFiles` collects its real path. Or what is wrong:
 * with the name (`problem`), or with the file (diagnostics at its place).
 */
export async function readDataText(named: string, manifestPath: string, cwd: string, maxBytes: number, dataFiles?: Set<string>): Promise<{ file: SourceFile; path: string } | { diagnostics: Diagnostic[] } | { problem: string; hint?: string }> {
  const resolved = await resolveDataPath(named, manifestPath);
  if (!('path' in resolved)) return resolved;
  dataFiles?.add(resolved.path);
  let read: Awaited<ReturnType<typeof readSourceFile>>;
  try {
    read = await readSourceFile(resolved.path, cwd, maxBytes);
  } catch (error) {
    return { problem: `cannot read "${named}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  return read.ok ? { file: read.file, path: resolved.path } : { diagnostics: [read.diagnostic] };
}

async function readDataFile(named: string, manifestPath: string, cwd: string, maxBytes: number, dataFiles?: Set<string>): Promise<Read> {
  const read = await readDataText(named, manifestPath, cwd, maxBytes, dataFiles);
  if (!('file' in read)) return read;
  const { documents, diagnostics } = parseSource(read.file);
  if (diagnostics.length > 0) return { diagnostics };
  if (documents.length !== 1) return { problem: `"${named}" holds ${documents.length} documents; a data file holds one (a JSON array)` };
  return { document: documents[0]! };
}
