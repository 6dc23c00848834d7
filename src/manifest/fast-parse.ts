/**
 * A fast path for the plain block YAML that big generated manifests are made
 * of (a million `scene-id: gs://…` lines): it builds the same values yaml's
 * toJS would, without building a document tree, and gives up (returns
 * undefined) on anything outside that subset — anchors, aliases, tags, block
 * scalars, multi-line scalars, complex keys, duplicate keys, tabs, directives.
 * The caller then uses the full parser, which also reports any error.
 *
 * Equivalence with yaml for accepted input is checked by a differential
 * property test (test/manifest/fast-parse.test.ts).
 */

export interface FastDocument {
  value: unknown;
  /** 1-based line of the document's first content line. */
  line: number;
}

import { LARGE_MAP, rememberKeys } from '../model/known-keys.js';

class Unsupported extends Error {}

/** Names that `key in {}` finds on Object.prototype. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);
const unsupported = (): never => {
  throw new Unsupported();
};

interface Line {
  indent: number;
  /** Content after the indentation, comment-stripped later by the scalar readers. */
  text: string;
  number: number;
}

/** Documents of `text`, or undefined when the text is outside the fast subset. */
export function fastParse(text: string): FastDocument[] | undefined {
  try {
    return new FastParser(text).documents();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class FastParser {
  private pos = 0;
  private lineNumber = 0;
  private peeked: Line | null | undefined;

  constructor(private readonly text: string) {
    if (text.includes('\t') || /\r(?!\n)/.test(text)) unsupported();
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    for (;;) {
      const first = this.peek();
      if (first === null) return docs;
      if (isDocumentStart(first)) {
        this.next();
        continue;
      }
      if (first.indent !== 0) unsupported();
      const value = first.text.startsWith('- ') || first.text === '-' ? this.sequence(0) : this.mapping(0);
      docs.push({ value, line: first.number });
      const after = this.peek();
      if (after !== null && !isDocumentStart(after)) unsupported();
    }
  }

  /** The next line with content (blank and comment-only lines skipped), or null at the end. */
  private peek(): Line | null {
    if (this.peeked !== undefined) return this.peeked;
    while (this.pos < this.text.length) {
      let end = this.text.indexOf('\n', this.pos);
      if (end < 0) end = this.text.length;
      let raw = this.text.slice(this.pos, end);
      this.pos = end + 1;
      this.lineNumber++;
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      let indent = 0;
      while (raw.charCodeAt(indent) === 32) indent++;
      const content = raw.slice(indent).trimEnd();
      if (content === '' || content.startsWith('#')) continue;
      if (indent === 0 && (content.startsWith('%') || content === '...' || content.startsWith('... ') || (content.startsWith('---') && !isDocumentMarker(content)))) unsupported();
      this.peeked = { indent, text: content, number: this.lineNumber };
      return this.peeked;
    }
    this.peeked = null;
    return null;
  }

  private next(): Line {
    const line = this.peek();
    if (line === null) return unsupported();
    this.peeked = undefined;
    return line;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const keys: string[] = [];
    for (;;) {
      const line = this.peek();
      if (line === null || line.indent < indent || isDocumentStart(line)) {
        if (keys.length >= LARGE_MAP) rememberKeys(map, keys);
        return map;
      }
      if (line.indent > indent) unsupported();
      this.next();
      const { key, rest } = splitPair(line.text);
      if (Object.hasOwn(map, key)) unsupported(); // the full parser reports duplicates
      const value = rest === '' ? this.blockValue(indent) : inlineValue(rest);
      // Like yaml's toJS: a key that exists on the prototype becomes a plain own property.
      if (PROTOTYPE_KEYS.has(key)) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
      else map[key] = value;
      keys.push(key);
    }
  }

  /** What follows `key:` with nothing after it: a nested block, or null. */
  private blockValue(parentIndent: number): unknown {
    const next = this.peek();
    if (next === null || isDocumentStart(next)) return null;
    if (next.indent > parentIndent) return next.text.startsWith('- ') || next.text === '-' ? this.sequence(next.indent) : this.mapping(next.indent);
    if (next.indent === parentIndent && (next.text.startsWith('- ') || next.text === '-')) return this.sequence(parentIndent);
    return null;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.peek();
      if (line === null || line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-') || isDocumentStart(line)) {
        if (line !== null && line.indent > indent && !isDocumentStart(line)) unsupported();
        return items;
      }
      this.next();
      const rest = line.text.slice(1).trimStart();
      if (rest === '' || rest.startsWith('- ') || looksLikePair(rest)) unsupported(); // nested blocks in lists: full parser
      items.push(inlineValue(rest));
    }
  }
}

function isDocumentMarker(content: string): boolean {
  return content === '---' || content.startsWith('--- #');
}

function isDocumentStart(line: Line): boolean {
  return line.indent === 0 && isDocumentMarker(line.text);
}

function looksLikePair(text: string): boolean {
  if (text.startsWith('"') || text.startsWith("'") || text.startsWith('[') || text.startsWith('{')) return false;
  const content = stripComment(text);
  return content.includes(': ') || content.endsWith(':');
}

/** `key: rest` → key (a string, quoted or plain) and the raw rest. */
function splitPair(text: string): { key: string; rest: string } {
  let key: string;
  let after: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    key = quoted(text.slice(0, end + 1));
    after = text.slice(end + 1);
    if (!(after.startsWith(': ') || after === ':')) unsupported();
  } else {
    const colon = text.indexOf(': ');
    const end = colon >= 0 ? colon : text.endsWith(':') ? text.length - 1 : -1;
    if (end <= 0) unsupported();
    key = text.slice(0, end);
    after = text.slice(end);
    if (!isPlainStart(key) || key.includes(' #') || key !== key.trim() || resolvePlain(key) !== key) unsupported();
  }
  return { key, rest: stripComment(after.slice(1)).trim() };
}

/** A scalar or a one-line flow collection after `key:` or `- `. */
function inlineValue(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    if (stripComment(text.slice(end + 1)).trim() !== '') unsupported();
    return quoted(text.slice(0, end + 1));
  }
  if (text.startsWith('[')) return flowSequence(stripComment(text).trim());
  if (text.startsWith('{')) return flowMapping(stripComment(text).trim());
  const plain = stripComment(text).trim();
  if (!isPlainStart(plain) || plain.includes(': ') || plain.endsWith(':')) unsupported();
  return resolvePlain(plain);
}

function flowSequence(text: string): unknown[] {
  if (!text.endsWith(']')) unsupported();
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  return flowItems(inner).map(flowScalar);
}

function flowMapping(text: string): Record<string, unknown> {
  if (!text.endsWith('}')) unsupported();
  const inner = text.slice(1, -1).trim();
  const map: Record<string, unknown> = {};
  if (inner === '') return map;
  for (const item of flowItems(inner)) {
    const colon = item.indexOf(': ');
    if (colon <= 0) unsupported();
    const key = item.slice(0, colon).trim();
    if (!isPlainStart(key) || resolvePlain(key) !== key || Object.hasOwn(map, key) || PROTOTYPE_KEYS.has(key)) unsupported();
    map[key] = flowScalar(item.slice(colon + 2));
  }
  return map;
}

/** Comma-separated items of a flow collection with no nesting, quotes or comments inside. */
function flowItems(inner: string): string[] {
  if (/[[\]{}"'#]/.test(inner)) unsupported();
  const items = inner.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) unsupported();
  return items;
}

function flowScalar(text: string): unknown {
  const t = text.trim();
  if (!isPlainStart(t) || t.includes(':')) unsupported();
  return resolvePlain(t);
}

function isPlainStart(text: string): boolean {
  if (text === '') return false;
  const c = text[0]!;
  if ('[]{}#&*!|>\'"%@`,'.includes(c)) return false;
  if ((c === '-' || c === '?' || c === ':') && (text.length === 1 || text[1] === ' ')) return false;
  return true;
}

/** Removes a trailing ` #comment` (outside quotes: callers only pass unquoted text). */
function stripComment(text: string): string {
  const hash = text.indexOf(' #');
  return hash >= 0 ? text.slice(0, hash) : text;
}

/** Index of the closing quote of a one-line quoted scalar starting at 0. */
function quotedEnd(text: string): number {
  const q = text[0]!;
  for (let i = 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return unsupported(); // multi-line quoted scalar
}

function quoted(token: string): string {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  // JSON's escapes are a subset of YAML's; anything else (\x, \e, \N, …) goes to the full parser.
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : unsupported();
  } catch {
    return unsupported();
  }
}

/** YAML 1.2 core schema resolution of a plain scalar; the rarer forms go to the full parser. */
function resolvePlain(text: string): unknown {
  // Most scalars start with a character no special form starts with: a string, no regex needed.
  const c = text.charCodeAt(0);
  const special = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || 'nNtTfF'.includes(text[0]!);
  if (!special) return text;
  if (/^(?:~|[Nn]ull|NULL)$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text) || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^0o[0-7]+$/.test(text) || /^0x[0-9a-fA-F]+$/.test(text) || /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) unsupported();
  return text;
}
