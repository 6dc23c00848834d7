/**
 * A generator's rows: inline in the manifest, or a data file next to it: `.csv` (a header row, then
 * a row a line: csv-parse, the node-csv project's parser), `.jsonl` (an object a line), `.json` or
 * `.yaml` (a list of maps). Each row keeps where it is, so an error about one of its values names
 * the data file, the row's line and the column.
 */
import type { SourcePosition } from '../model/resources.js';
import { describeValue } from '../text.js';
import { isObject } from '../values.js';
import { readDataText } from './data-files.js';
import type { Diagnostic } from './diagnostics.js';
import { displayPath } from './files.js';
import { parseSource, type ParsedDocument } from './parse.js';
import { positionOf } from './positions.js';

export type RowValue = string | number | boolean | null;

export interface Row {
  /** 1-based, in the order of the data. */
  number: number;
  values: Record<string, RowValue>;
  /** Where the row is (a CSV line, a JSONL line, a list item). */
  at: SourcePosition;
}

export interface Rows {
  rows: Row[];
  /** The data file as shown to people, when the rows come from one. */
  file?: string;
}

/** Rows of a generator whose spec.rows is valid for the schema (a string or a list of maps). */
export async function readRows(generator: Pick<ParsedDocument, 'locate'>, rows: unknown, manifestPath: string, cwd: string, maxBytes: number, dataFiles?: Set<string>): Promise<Rows | { diagnostics: Diagnostic[] }> {
  const at = (message: string, hint?: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [{ rule: 'generator.rows', ...positionOf(generator, ['spec', 'rows']), message: `spec.rows: ${message}`, ...(hint === undefined ? {} : { hint }) }] });
  if (Array.isArray(rows)) return fromList(rows, (i) => positionOf(generator, ['spec', 'rows', i]));
  if (typeof rows !== 'string') return { rows: [] };
  const format = /\.csv$/i.test(rows) ? 'csv' : /\.jsonl$/i.test(rows) ? 'jsonl' : /\.(json|ya?ml)$/i.test(rows) ? 'document' : undefined;
  if (!format) return at(`"${rows}": rows come from a .csv, .jsonl, .json or .yaml file`);
  const read = await readDataText(rows, manifestPath, cwd, maxBytes, dataFiles);
  if ('problem' in read) return at(read.problem, read.hint);
  if ('diagnostics' in read) return read;
  const file = displayPath(read.path, cwd);
  // csv-parse is loaded only when a generator reads a CSV.
  const result = format === 'csv' ? fromCsv((await import('csv-parse/sync')).parse, read.file.text, file) : format === 'jsonl' ? fromJsonl(read.file.text, file) : fromDocument(read.file, file);
  return 'diagnostics' in result ? result : { ...result, file };
}

function fromCsv(parseCsv: typeof import('csv-parse/sync').parse, text: string, file: string): Rows | { diagnostics: Diagnostic[] } {
  const problem = (line: number, message: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [{ rule: 'generator.rows', file, line, col: 1, message }] });
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: (header: string[]) => checkHeader(header), info: true, bom: true, skip_empty_lines: true, trim: false }) as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    return problem(e.lines ?? 1, `invalid CSV: ${e.message}`);
  }
  return { rows: records.map(({ record, info }, i) => ({ number: i + 1, values: record, at: { file, line: info.lines, col: 1 } })) };
}

/** The header names the columns: each given once, none empty. */
function checkHeader(header: string[]): string[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (name.trim() === '') throw Object.assign(new Error('the header row has an empty column name'), { lines: 1 });
    if (seen.has(name)) throw Object.assign(new Error(`the header row names column "${name}" twice`), { lines: 1 });
    seen.add(name);
  }
  return header;
}

function fromJsonl(text: string, file: string): Rows | { diagnostics: Diagnostic[] } {
  const rows: Row[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { diagnostics: [{ rule: 'generator.rows', file, line: i + 1, col: 1, message: 'not a JSON line: each line holds one object, the row' }] };
    }
    const row = asRow(value, rows.length + 1, { file, line: i + 1, col: 1 });
    if ('diagnostics' in row) return row;
    rows.push(row);
  }
  return { rows };
}

function fromDocument(source: Parameters<typeof parseSource>[0], file: string): Rows | { diagnostics: Diagnostic[] } {
  const { documents, diagnostics } = parseSource(source);
  if (diagnostics.length > 0) return { diagnostics };
  const [document] = documents;
  if (documents.length !== 1 || !Array.isArray(document!.value)) return { diagnostics: [{ rule: 'generator.rows', file, line: 1, col: 1, message: 'expected one list of rows (maps of column → value)' }] };
  return fromList(document!.value, (i) => positionOf(document!, [i]));
}

function fromList(list: unknown[], at: (i: number) => SourcePosition): Rows | { diagnostics: Diagnostic[] } {
  const rows: Row[] = [];
  for (let i = 0; i < list.length; i++) {
    const row = asRow(list[i], i + 1, at(i));
    if ('diagnostics' in row) return row;
    rows.push(row);
  }
  return { rows };
}

/** A row is a map of plain values (text, numbers, true/false, null): what a template can say. */
function asRow(value: unknown, number: number, at: SourcePosition): Row | { diagnostics: Diagnostic[] } {
  if (!isObject(value)) return { diagnostics: [{ rule: 'generator.rows', ...at, message: `row ${number}: expected a map of column → value, found ${describeValue(value)}` }] };
  for (const [column, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') return { diagnostics: [{ rule: 'generator.rows', ...at, message: `row ${number}, column "${column}": expected a plain value, found ${describeValue(v)}` }] };
  }
  return { number, values: value as Record<string, RowValue>, at };
}
