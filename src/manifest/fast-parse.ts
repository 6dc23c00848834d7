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

import { LargeMap } from '../model/large-map.js';

class Unsupported extends Error {}

/**
 * Characters the fast path does not read: YAML trims only spaces and tabs, while JavaScript's
 * trim() also strips U+00A0, U+FEFF, U+2028/2029, the other Unicode space separators, VT and FF,
 * so a value ending in one of them would be read differently (issue 18). Control characters and
 * NEL are YAML's business too (c-printable). A file holding any of them goes to the full parser,
 * which reads them as YAML does; a manifest rule then decides whether a name may hold them.
 */
const STEP_ASIDE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
/** STEP_ASIDE and the surrogates in one scan (the common case of a 70 MB file pays for one). */
const STEP_ASIDE_OR_SURROGATE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\ud800-\udfff]/;

/**
 * yaml refuses an implicit key whose `:` is more than 1024 characters after its start
 * (KEY_OVER_1024_CHARS); anything near that goes to the full parser, which says so.
 */
const MAX_IMPLICIT_KEY_CHARS = 1000;

/** Names that `key in {}` finds on Object.prototype. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);
const unsupported = (): never => {
  throw new Unsupported();
};

/**
 * The current line. One object, reused for every line (a million-line file made a million of
 * them), so a caller reads what it needs before the next peek. The content is sliced only when
 * asked for: the hot path (`key: value`) slices the key and the value straight from the source.
 */
class Line {
  indent = 0;
  number = 0;
  /** Content: source[from, to), after the indentation, trailing spaces trimmed. */
  from = 0;
  to = 0;
  private sliced: string | undefined;

  constructor(readonly source: string) {}

  set(indent: number, number: number, from: number, to: number): this {
    this.indent = indent;
    this.number = number;
    this.from = from;
    this.to = to;
    this.sliced = undefined;
    return this;
  }

  /** Content after the indentation, comment-stripped later by the scalar readers. */
  get text(): string {
    this.sliced ??= this.source.slice(this.from, this.to);
    return this.sliced;
  }
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
  private readonly line: Line;

  /** True when no character of the text would need escaping in JSON: then no key or value does. */
  private readonly jsonSafe: boolean;
  /** Keys and values of a small file are copied out of its text (see copyOut). */
  private readonly ownCopies: boolean;

  constructor(private readonly text: string) {
    if (text.includes('\t') || (text.includes('\r') && /\r(?!\n)/.test(text))) unsupported();
    // includes() is far quicker than a regex over tens of megabytes; the rest needs one scan.
    const suspect = STEP_ASIDE_OR_SURROGATE.test(text);
    if (suspect && STEP_ASIDE.test(text)) unsupported();
    this.line = new Line(text);
    // With no control characters left (STEP_ASIDE), only quotes, backslashes and surrogates need escaping in JSON.
    this.jsonSafe = !suspect && !text.includes('"') && !text.includes('\\');
    // copyOut copies through JSON.parse, which needs the same guarantee.
    this.ownCopies = text.length <= OWN_COPIES_MAX_BYTES && this.jsonSafe;
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
      const line = first.number; // (the line object is reused by the next peek)
      const value = first.text.startsWith('- ') || first.text === '-' ? this.sequence(0) : this.mapping(0);
      docs.push({ value, line });
      const after = this.peek();
      if (after !== null && !isDocumentStart(after)) unsupported();
    }
  }

  /** The next line with content (blank and comment-only lines skipped), or null at the end. */
  private peek(): Line | null {
    if (this.peeked !== undefined) return this.peeked;
    const text = this.text;
    while (this.pos < text.length) {
      // Indexes first and one slice per line: a million-line file made three strings a line here.
      const start = this.pos;
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      this.pos = end + 1;
      this.lineNumber++;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      let from = start;
      while (from < end && text.charCodeAt(from) === 32) from++;
      const indent = from - start;
      // Only spaces are trimmed: YAML's whitespace is spaces and tabs, and tabs were refused above.
      let to = end;
      while (to > from && text.charCodeAt(to - 1) === 32) to--;
      if (to === from || text.charCodeAt(from) === 35 /* # */) continue;
      const line = this.line.set(indent, this.lineNumber, from, to);
      if (indent === 0) {
        const content = line.text;
        if (content.startsWith('%') || content === '...' || content.startsWith('... ') || (content.startsWith('---') && !isDocumentMarker(content))) unsupported();
      }
      this.peeked = line;
      return line;
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

  /**
   * A block map, as two arrays first: a sceneIdMap stays that way (a LargeMap), anything else
   * becomes the object yaml's toJS would build. Its keys are scene ids, different in every
   * manifest: as object keys each costs V8 a hidden class of its own (50,000 manifests of 10
   * scenes: 5.3 KB each at peak as objects, 3.5 KB as LargeMaps), and a million of them a hash table. Keys in ascending order (generated scene lists
   * usually are) cannot repeat; otherwise a Set finds repeats.
   */
  private mapping(indent: number, parentKey?: string): Record<string, unknown> | LargeMap {
    const keys: string[] = [];
    const values: unknown[] = [];
    let seen: Set<string> | undefined;
    for (;;) {
      const line = this.peek();
      if (line === null || line.indent < indent || isDocumentStart(line)) {
        if (this.ownCopies) copyOut(keys, values);
        return parentKey === 'sceneIdMap' ? new LargeMap(keys, values, { jsonSafe: this.jsonSafe, ascending: seen === undefined }) : objectOf(keys, values);
      }
      if (line.indent > indent) unsupported();
      this.next();
      const { key, rest } = splitPairOf(line);
      if (seen === undefined && keys.length > 0 && !(key > keys[keys.length - 1]!)) seen = new Set(keys);
      if (seen !== undefined) {
        if (seen.has(key)) unsupported(); // the full parser reports duplicates
        seen.add(key);
      }
      const value = rest === '' ? this.blockValue(indent, key) : inlineValue(rest);
      values.push(value);
      keys.push(key);
    }
  }

  /** What follows `key:` with nothing after it: a nested block, or null. */
  private blockValue(parentIndent: number, key: string): unknown {
    const next = this.peek();
    if (next === null || isDocumentStart(next)) return null;
    if (next.indent > parentIndent) return next.text.startsWith('- ') || next.text === '-' ? this.sequence(next.indent) : this.mapping(next.indent, key);
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
      const rest = trimSpacesStart(line.text.slice(1));
      if (rest === '' || rest.startsWith('- ') || looksLikePair(rest)) unsupported(); // nested blocks in lists: full parser
      items.push(inlineValue(rest));
    }
  }
}

/**
 * Files up to this size have their keys and values copied out of the text. A slice of a string
 * is a view that keeps the whole text alive: for 50,000 small manifests, their files' text was a
 * third of what validate kept. The huge file is left as views (copying would double it).
 */
const OWN_COPIES_MAX_BYTES = 1024 * 1024;

/**
 * Replaces a map's keys and string values with copies that do not share their characters with
 * the file's text (a slice keeps the whole text alive). One JSON.parse of them all, joined: a
 * call per string cost a third of parsing 1,000 manifests of 100 scenes. What it makes shares
 * one text holding just these strings. The caller has checked that the file holds nothing JSON
 * would unescape (no quote, backslash or control character).
 */
function copyOut(keys: string[], values: unknown[]): void {
  const texts: string[] = [...keys];
  for (const value of values) if (typeof value === 'string') texts.push(value);
  if (texts.length === 0) return;
  const copies = JSON.parse(`["${texts.join('","')}"]`) as string[];
  let next = 0;
  for (let i = 0; i < keys.length; i++) keys[i] = copies[next++]!;
  for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') values[i] = copies[next++];
}

/** The object yaml's toJS builds: a key that exists on the prototype becomes a plain own property. */
function objectOf(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (PROTOTYPE_KEYS.has(key)) Object.defineProperty(map, key, { value: values[i], writable: true, enumerable: true, configurable: true });
    else map[key] = values[i];
  }
  return map;
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

/** splitPair of the line, slicing the key and the rest straight from the source when it can. */
function splitPairOf(line: Line): { key: string; rest: string } {
  const { source, from, to } = line;
  const first = source.charCodeAt(from);
  const colon = first === 34 || first === 39 ? -1 : source.indexOf(': ', from);
  if (colon < 0 || colon >= to) return splitPair(line.text);
  const key = source.slice(from, colon);
  if (!isPlainKey(key)) unsupported();
  let start = colon + 1;
  while (start < to && source.charCodeAt(start) === 32) start++;
  // As splitPair: a value that starts with "#" after the space is a comment.
  if (start === to || source.charCodeAt(start) === 35) return { key, rest: '' };
  return { key, rest: trimSpaces(stripComment(source.slice(start, to))) };
}

/** `key: rest` → key (a string, quoted or plain) and the raw rest. */
function splitPair(text: string): { key: string; rest: string } {
  let key: string;
  let after: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    if (end > MAX_IMPLICIT_KEY_CHARS) unsupported();
    key = quoted(text.slice(0, end + 1));
    after = text.slice(end + 1);
    if (!(after.startsWith(': ') || after === ':')) unsupported();
  } else {
    const colon = text.indexOf(': ');
    const end = colon >= 0 ? colon : text.endsWith(':') ? text.length - 1 : -1;
    if (end <= 0) unsupported();
    key = text.slice(0, end);
    after = text.slice(end);
    if (!isPlainKey(key)) unsupported();
  }
  return { key, rest: trimSpaces(stripComment(after.slice(1))) };
}

/** A scalar or a one-line flow collection after `key:` or `- `. */
function inlineValue(raw: string): unknown {
  const text = trimSpaces(raw);
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text);
    if (trimSpaces(stripComment(text.slice(end + 1))) !== '') unsupported();
    return quoted(text.slice(0, end + 1));
  }
  if (text.startsWith('[')) return flowSequence(trimSpaces(stripComment(text)));
  if (text.startsWith('{')) return flowMapping(trimSpaces(stripComment(text)));
  const plain = trimSpaces(stripComment(text));
  if (!isPlainStart(plain) || plain.includes(': ') || plain.endsWith(':')) unsupported();
  return resolvePlain(plain);
}

function flowSequence(text: string): unknown[] {
  if (!text.endsWith(']')) unsupported();
  const inner = trimSpaces(text.slice(1, -1));
  if (inner === '') return [];
  return flowItems(inner).map(flowScalar);
}

function flowMapping(text: string): Record<string, unknown> {
  if (!text.endsWith('}')) unsupported();
  const inner = trimSpaces(text.slice(1, -1));
  const map: Record<string, unknown> = {};
  if (inner === '') return map;
  for (const item of flowItems(inner)) {
    const colon = item.indexOf(': ');
    if (colon <= 0) unsupported();
    const key = item.slice(0, colon);
    if (!isPlainKey(key) || Object.hasOwn(map, key) || PROTOTYPE_KEYS.has(key)) unsupported();
    map[key] = flowScalar(item.slice(colon + 2));
  }
  return map;
}

/** Comma-separated items of a flow collection with no nesting, quotes or comments inside. */
function flowItems(inner: string): string[] {
  if (/[[\]{}"'#]/.test(inner)) unsupported();
  const items = inner.split(',').map(trimSpaces);
  if (items.some((s) => s === '')) unsupported();
  return items;
}

function flowScalar(text: string): unknown {
  const t = trimSpaces(text);
  if (!isPlainStart(t) || t.includes(':')) unsupported();
  return resolvePlain(t);
}

/** A plain implicit key the fast path reads as itself: a string, no comment, no edge spaces, not near yaml's length limit. */
function isPlainKey(key: string): boolean {
  return key.length <= MAX_IMPLICIT_KEY_CHARS && isPlainStart(key) && !key.includes(' #') && key === trimSpaces(key) && resolvePlain(key) === key;
}

/** YAML's trim: spaces only (tabs never reach here; other Unicode spaces send the file to the full parser). */
function trimSpaces(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && text.charCodeAt(from) === 32) from++;
  while (to > from && text.charCodeAt(to - 1) === 32) to--;
  return from === 0 && to === text.length ? text : text.slice(from, to);
}

function trimSpacesStart(text: string): string {
  let from = 0;
  while (from < text.length && text.charCodeAt(from) === 32) from++;
  return from === 0 ? text : text.slice(from);
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

/** Any of the forms resolvePlain treats specially (the union of its tests below). */
const SPECIAL_FORM = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** YAML 1.2 core schema resolution of a plain scalar; the rarer forms go to the full parser. */
function resolvePlain(text: string): unknown {
  // Most scalars start with a character no special form starts with: a string, no regex needed.
  const c = text.charCodeAt(0);
  const special = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || 'nNtTfF'.includes(text[0]!);
  if (!special) return text;
  // No special form has a "-" inside but right after an exponent's e: a scene id such as
  // 0a1b2c3d-… is a string, decided without a regex.
  const dash = text.indexOf('-', 1);
  if (dash > 0 && text.charCodeAt(dash - 1) !== 101 && text.charCodeAt(dash - 1) !== 69) return text;
  // One test for every special form first: most texts that start like a number (a scene id such
  // as 0a1b2c3d-…) are strings, and six separate tests each cost a million regex runs.
  if (!SPECIAL_FORM.test(text)) return text;
  if (/^(?:~|[Nn]ull|NULL)$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text) || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^0o[0-7]+$/.test(text) || /^0x[0-9a-fA-F]+$/.test(text) || /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) unsupported();
  return text;
}
