/**
 * sceneIdMapFrom: a scene list in a data file, a CSV with the header `sceneId,uri` or JSONL lines
 * `{"sceneId": …, "uri": …}`, read as a stream (a million scenes are never held as one text) into
 * a LargeMap, with each scene's line kept for error positions. A duplicate scene id, a malformed
 * line, an empty file are errors naming the file and line.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createRequire } from 'node:module';
import { LargeMap } from '../model/large-map.js';
import type { Diagnostic } from './diagnostics.js';

export interface SceneList {
  map: LargeMap;
  /**
   * The 1-based line a scene id is on. Only an error needs it, so it reads the file again then
   * (synchronously: positions are looked up from synchronous code) rather than keep a million numbers.
   */
  lineOf(sceneId: string): number;
}

/** Diagnostics reported per file at most (the rest are counted in the last one). */
const MAX_PROBLEMS = 20;
/** Characters JSON.stringify would escape: without them a line's values are written as they are. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

export async function readSceneList(path: string, display: string, maxBytes: number): Promise<SceneList | { diagnostics: Diagnostic[] }> {
  const format = path.endsWith('.csv') ? 'csv' : path.endsWith('.jsonl') ? 'jsonl' : undefined;
  const problems: Diagnostic[] = [];
  const problem = (line: number, message: string, hint?: string) => {
    problems.push({ rule: 'files.scene-list', file: display, line, col: 1, message, ...(hint === undefined ? {} : { hint }) });
  };
  if (format === undefined) {
    problem(0, 'a scene list is a .csv file (header sceneId,uri) or a .jsonl file ({"sceneId", "uri"} a line)');
    return { diagnostics: problems };
  }
  const keys: string[] = [];
  const values: string[] = [];
  /**
   * Duplicates: while the ids come in ascending order (generated lists mostly do) a duplicate is
   * the id just before; from the first one out of order, a Map of every id seen.
   */
  let seen: Map<string, number> | undefined;
  let previousLine = 0;
  let jsonSafe = true;
  let ascending = true;
  let lineNumber = 0;
  let header = format === 'csv';

  const take = (text: string): void => {
    lineNumber++;
    const line = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    if (header) {
      header = false;
      if (line.replace(/^\ufeff/, '') !== 'sceneId,uri') problem(lineNumber, `the header must be sceneId,uri, found ${JSON.stringify(line.slice(0, 40))}`);
      return;
    }
    const entry = format === 'csv' ? csvEntry(line) : jsonlEntry(line);
    if (typeof entry === 'string') return problem(lineNumber, entry);
    const [sceneId, uri] = entry;
    const last = keys.length > 0 ? keys[keys.length - 1]! : undefined;
    if (ascending && last !== undefined && last > sceneId) {
      ascending = false;
      seen = new Map();
      // Their lines are not kept: 0 stands for "look it up", done only for a duplicate.
      for (const key of keys) seen.set(key, 0);
    }
    const earlier = seen ? seen.get(sceneId) : last === sceneId ? previousLine : undefined;
    if (earlier !== undefined) return problem(lineNumber, `scene id ${JSON.stringify(sceneId)} appears twice (first on line ${earlier || lineOfScene(path, format, sceneId)})`, 'each scene is listed once');
    seen?.set(sceneId, lineNumber);
    previousLine = lineNumber;
    // The raw line holds both values: one test, no new string.
    if (jsonSafe && NEEDS_ESCAPE.test(format === 'csv' ? line : sceneId + uri)) jsonSafe = false;
    keys.push(sceneId);
    values.push(uri);
  };

  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) problem(0, 'not a regular file');
    else if (info.size > maxBytes) problem(0, `file is ${info.size} bytes, over the ${maxBytes}-byte limit`, 'raise the limit with --max-file-size');
    if (problems.length > 0) return { diagnostics: problems };
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let read = 0;
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > maxBytes) {
        problem(lineNumber, `file grew over the ${maxBytes}-byte limit while it was read`);
        break;
      }
      const text = carry + decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        take(text.slice(start, end));
        start = end + 1;
        if (problems.length >= MAX_PROBLEMS) break;
      }
      carry = text.slice(start);
      if (problems.length >= MAX_PROBLEMS) break;
    }
    if (problems.length < MAX_PROBLEMS) {
      carry += decoder.end();
      if (carry !== '') take(carry);
    }
  } finally {
    await handle.close();
  }
  if (problems.length > 0) return { diagnostics: problems };
  if (keys.length === 0) {
    problem(Math.max(1, lineNumber), 'the scene list is empty: a request needs at least one scene');
    return { diagnostics: problems };
  }
  return { map: new LargeMap(keys, values, { jsonSafe, ascending }), lineOf: (sceneId) => lineOfScene(path, format, sceneId) };
}

/** The line a scene id is on, read again from the file (an error path). 1 when it cannot be found. */
function lineOfScene(path: string, format: 'csv' | 'jsonl', sceneId: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 1;
  }
  const lines = text.split('\n');
  for (let i = format === 'csv' ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const entry = format === 'csv' ? csvEntry(line) : jsonlEntry(line);
    if (typeof entry !== 'string' && entry[0] === sceneId) return i + 1;
  }
  return 1;
}

/** csv-parse, loaded the first time a scene list has a quoted field (most have none). */
let csv: typeof import('csv-parse/sync').parse | undefined;
function parseCsv(line: string): string[][] {
  csv ??= (createRequire(import.meta.url)('csv-parse/sync') as typeof import('csv-parse/sync')).parse;
  return csv(line) as string[][];
}

/** `sceneId,uri`; quoted fields (a URI with a comma) go through the CSV parser. */
function csvEntry(line: string): [string, string] | string {
  if (!line.includes('"')) {
    const comma = line.indexOf(',');
    if (comma < 0 || line.indexOf(',', comma + 1) >= 0) return `expected two fields, sceneId,uri (quote a value that holds a comma), found ${JSON.stringify(line.slice(0, 60))}`;
    return [line.slice(0, comma), line.slice(comma + 1)];
  }
  try {
    const [fields] = parseCsv(line);
    if (fields?.length !== 2) return `expected two fields, sceneId,uri, found ${fields?.length ?? 0}`;
    return [fields[0]!, fields[1]!];
  } catch (error) {
    return `not a CSV line: ${(error as Error).message}`;
  }
}

function jsonlEntry(line: string): [string, string] | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not a JSON line: ${JSON.stringify(line.slice(0, 60))}`;
  }
  const { sceneId, uri } = (value ?? {}) as { sceneId?: unknown; uri?: unknown };
  if (typeof sceneId !== 'string' || typeof uri !== 'string') return 'expected {"sceneId": "…", "uri": "…"} with two strings';
  return [sceneId, uri];
}
