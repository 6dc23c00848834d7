/**
 * YAML text → documents with source positions.
 *
 * Defensive settings: YAML 1.2 core schema (`no`, `on` and `0755` stay strings
 * or decimal numbers, as YAML 1.2 says), duplicate keys are errors, no `<<`
 * merge keys, and alias expansion is capped so an alias bomb fails fast instead
 * of being expanded. `__proto__` keys become plain own properties (yaml defines
 * them with defineProperty), so nothing can be polluted.
 */
import { LineCounter, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { fastParse, type FastDocument } from './fast-parse.js';
import type { SourceFile } from './files.js';
import { locateInDocument, type PathSegment } from './positions.js';
import type { SourcePosition } from './types.js';

/** How many alias expansions a document may cause (yaml's count, weighted by size). */
const MAX_ALIAS_COUNT = 100;

export interface ParsedDocument {
  file: string;
  value: unknown;
  /** Where the document's content starts. */
  start: SourcePosition;
  /** Where the node at `path` is (see positionOf). */
  locate(path: readonly PathSegment[], target: 'key' | 'value'): SourcePosition;
}

/**
 * Documents of a file: from the fast path (fast-parse.ts) when the file is plain
 * enough, otherwise from the full parser. Fast documents find their positions
 * (only needed to report a problem) by parsing the file fully on first use.
 */
export function parseSource(source: SourceFile): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const fast = fastParse(source.text);
  if (!fast) return parseSourceFully(source);
  // The text is read again for a position (an error path) when the file can be: the documents
  // then do not keep it alive (see SourceFile.reread). No closure here may mention `source`.
  return { diagnostics: [], documents: fastDocuments(fast, source.display, source.reread ?? keep(source)) };
}

function keep(source: SourceFile): () => SourceFile {
  return () => source;
}

function fastDocuments(fast: readonly FastDocument[], display: string, again: () => SourceFile | undefined): ParsedDocument[] {
  let full: ParsedDocument[] | undefined;
  return fast.map(({ value, line }) => {
    const start = { file: display, line, col: 1 };
    return {
      file: display,
      value,
      start,
      locate: (path, target) => {
        if (full === undefined) {
          const text = again();
          full = text ? parseSourceFully(text).documents : [];
        }
        return full.find((d) => d.start.line === line)?.locate(path, target) ?? start;
      },
    };
  });
}

/** The full parser: every YAML error reported, positions for every node. */
export function parseSourceFully(source: SourceFile): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.display, line, col };
  };

  const parsed = parseAllDocuments(source.text, {
    lineCounter,
    version: '1.2',
    schema: 'core',
    merge: false,
    // yaml's own duplicate-key check compares every key with every earlier one
    // (quadratic: minutes for a 100k-scene map); findDuplicateKeys does it with a Set.
    uniqueKeys: false,
    strict: true,
    prettyErrors: false,
  });
  // parseAllDocuments returns an EmptyStream (an array with `empty`) for blank input.
  parsed.forEach((doc) => {
    const problems = [...doc.errors, ...doc.warnings];
    for (const problem of problems) {
      diagnostics.push({ rule: `yaml.${problem.code.toLowerCase()}`, ...at(problem.pos[0]), message: yamlMessage(problem.code, problem.message) });
    }
    const duplicates = problems.length === 0 ? findBadKeys(doc) : [];
    for (const { key, offset } of duplicates) {
      diagnostics.push(
        key === undefined
          ? { rule: 'yaml.complex-key', ...at(offset), message: 'a map key must be a plain value, not a list or a map', hint: 'remove the "? " complex key; manifest keys are field names and scene ids' }
          : { rule: 'yaml.duplicate_key', ...at(offset), message: `duplicate key ${JSON.stringify(key)}: map keys must be unique` },
      );
    }
    if (problems.length > 0 || duplicates.length > 0 || doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const offset = doc.contents.range[0];
      diagnostics.push({
        rule: 'yaml.alias-limit',
        ...at(offset),
        message: `YAML aliases in this document expand too much (limit ${MAX_ALIAS_COUNT}): ${(error as Error).message}`,
        hint: 'write the values out instead of using anchors and aliases; this protects against alias bombs',
      });
      return;
    }
    // A document that is only `---` or comments is empty, not a manifest.
    if (value === null || value === undefined) return;
    const locate = (path: readonly PathSegment[], target: 'key' | 'value') => locateInDocument(doc, lineCounter, source.display, path, target);
    documents.push({ file: source.display, value, start: locate([], 'value'), locate });
  });
  return { documents, diagnostics };
}

/**
 * Repeated keys in any map of the document, each reported at its second occurrence, and keys that
 * are lists or maps (`? [a, b]`: JavaScript would stringify them, with a warning), as `key: undefined`.
 */
function findBadKeys(doc: Document.Parsed): { key: string | undefined; offset: number }[] {
  const found: { key: string | undefined; offset: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) {
          if (pair.key !== null) found.push({ key: undefined, offset: (pair.key as { range?: [number] }).range?.[0] ?? 0 });
          continue;
        }
        const key = String(pair.key.value);
        if (seen.has(key)) found.push({ key, offset: pair.key.range?.[0] ?? 0 });
        seen.add(key);
      }
    },
  });
  return found;
}

function yamlMessage(_code: string, message: string): string {
  // yaml's messages end with a code excerpt after a blank line; keep the first line.
  const first = message.split('\n')[0] ?? message;
  return `invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}
