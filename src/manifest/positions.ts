/**
 * Maps a path inside a manifest (as ajv's instancePath or a rule names it) back
 * to a line and column in the YAML source.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from './types.js';

import type { PathSegment } from '../model/paths.js';

export { formatPath, type PathSegment } from '../model/paths.js';

/**
 * Where the node at `path` starts. For `target: 'key'` the position of the key
 * (used for unknown fields); otherwise the value, except that a map or list value
 * is reported at its key (`spec:` rather than its first child). When the path
 * does not exist (a missing field) the deepest existing node is used.
 */
export function positionOf(parsed: { locate(path: readonly PathSegment[], target: 'key' | 'value'): SourcePosition }, path: readonly PathSegment[], target: 'key' | 'value' = 'value'): SourcePosition {
  return parsed.locate(path, target);
}

/** positionOf for a document of the full parser. */
export function locateInDocument(doc: Document.Parsed, lineCounter: LineCounter, file: string, path: readonly PathSegment[], target: 'key' | 'value'): SourcePosition {
  const at = (node: unknown): SourcePosition => {
    const range = (node as Node | undefined)?.range ?? doc.range;
    const { line, col } = lineCounter.linePos(range[0]);
    return { file, line, col };
  };
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextKey: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair) {
        next = pair.value;
        nextKey = pair.key;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined && nextKey === undefined) break;
    if (i === path.length - 1 && target === 'key' && nextKey !== undefined) return at(nextKey);
    node = next ?? nextKey;
    keyNode = nextKey;
  }
  if ((isMap(node) || isSeq(node)) && keyNode !== undefined) return at(keyNode);
  return at(node ?? keyNode);
}

/** ajv's instancePath ("/spec/sceneIdMap/a~1b") → segments. */
export function parseJsonPointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}
