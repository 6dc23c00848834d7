/**
 * Content digests of wire bodies: sha256 over canonical JSON (RFC 8785: keys
 * sorted by UTF-16 code units, ECMAScript number and string serialisation).
 *
 * `bodyDigest` streams the canonical form into the hash in chunks instead of
 * building it: for a million-scene body canonicalize's one 70 MB string took
 * 2.6 s and most of the garbage collector's time. Its output is checked
 * against canonicalize's in test/model/digest.test.ts.
 */
import { nodeCrypto } from './node-crypto.js';
import type { Hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { keysOf } from './known-keys.js';
import { LargeMap } from './large-map.js';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('cannot canonicalise an undefined value');
  return text;
}

const CHUNK = 64 * 1024;

export function bodyDigest(body: unknown): string {
  const sink: Sink = { hash: undefined, buffer: '' };
  write(body, sink);
  // A body under one chunk (most are) is hashed in one call, without a Hash object (crypto.hash).
  const hex = sink.hash ? sink.hash.update(sink.buffer).digest('hex') : nodeCrypto().hash('sha256', sink.buffer);
  // One flat string (join), not a concatenation V8 keeps as two: a digest is held per resource.
  return ['sha256', hex].join(':');
}

function write(value: unknown, sink: Sink): void {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot canonicalise a ${typeof value}`);
    emit(sink, text);
    return;
  }
  if (value instanceof LargeMap) {
    // Straight from its arrays, the object never built.
    writeEntries(value.keys, value.values, value.sortedPositions(), value.quote, sink);
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    write((value as { toJSON(): unknown }).toJSON(), sink);
    return;
  }
  if (Array.isArray(value)) {
    emit(sink, '[');
    value.forEach((item, i) => {
      if (i > 0) emit(sink, ',');
      write(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, sink);
    });
    emit(sink, ']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  writeEntries(keys, keys.map((key) => record[key]), null, quote, sink);
}

/** An object's entries, at `order`'s positions (null: as given, sorted already). */
function writeEntries(keys: readonly string[], values: readonly unknown[], order: readonly number[] | null, q: (text: string) => string, sink: Sink): void {
  emit(sink, '{');
  let first = true;
  for (let j = 0; j < keys.length; j++) {
    const i = order === null ? j : order[j]!;
    const item = values[i];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    const prefix = `${first ? '' : ','}${q(keys[i]!)}:`;
    first = false;
    // Strings, by far the most common leaf (scene URIs), are written inline.
    if (typeof item === 'string') emit(sink, prefix + q(item));
    else {
      emit(sink, prefix);
      write(item, sink);
    }
  }
  emit(sink, '}');
}


function sortedKeys(record: object): readonly string[] {
  const keys = keysOf(record);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return [...keys].sort();
  return keys;
}

/** JSON.stringify for a string, skipping the call when nothing needs escaping. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Where the canonical text goes: gathered, then hashed a chunk at a time once it is big. */
interface Sink {
  hash: Hash | undefined;
  buffer: string;
}

function emit(sink: Sink, text: string): void {
  sink.buffer += text;
  if (sink.buffer.length >= CHUNK) {
    (sink.hash ??= nodeCrypto().createHash('sha256')).update(sink.buffer);
    sink.buffer = '';
  }
}
