/**
 * JSON.stringify(value, null, 2), as a sequence of chunks: the same bytes, without ever holding
 * the whole text. A plan for a million-scene request is 50 MB of JSON; built as one string it
 * cost a fifth of `plan --format json` and doubled its peak memory. Checked against
 * JSON.stringify by a property test (test/model/json-chunks.test.ts).
 */
import { LargeMap } from './large-map.js';

const CHUNK = 64 * 1024;

export function* jsonChunks(value: unknown): Generator<string> {
  const out = { text: '' };
  const pending: string[] = [];
  // A small explicit writer: `emit` appends; full chunks are handed out between values.
  const emit = (text: string) => {
    out.text += text;
    if (out.text.length >= CHUNK) {
      pending.push(out.text);
      out.text = '';
    }
  };
  for (const _ of write(value, '', '', emit, pending)) {
    while (pending.length > 0) yield pending.shift()!;
  }
  while (pending.length > 0) yield pending.shift()!;
  if (out.text !== '') yield out.text;
}

/** Serialisable: not undefined, a function or a symbol (JSON.stringify skips those in objects). */
function present(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/**
 * Writes `value` at `indent`; yields now and then so the caller can hand out chunks (a generator
 * per nesting level, and one yield per few thousand entries of a big map or list).
 */
function* write(input: unknown, key: string, indent: string, emit: (text: string) => void, pending: string[]): Generator<void> {
  let value = input;
  if (value !== null && typeof value === 'object' && !(value instanceof LargeMap) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (value === null || typeof value !== 'object') {
    emit(JSON.stringify(value) ?? 'null');
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return void emit('[]');
    emit('[');
    for (let i = 0; i < value.length; i++) {
      emit(i === 0 ? `\n${inner}` : `,\n${inner}`);
      const item = value[i] as unknown;
      if (present(item)) yield* write(item, String(i), inner, emit, pending);
      else emit('null');
      if (pending.length > 0) yield;
    }
    emit(`\n${indent}]`);
    return;
  }
  if (value instanceof LargeMap) {
    yield* writeLargeMap(value, indent, emit, pending);
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let first = true;
  for (const k of keys) {
    const item = record[k];
    if (!present(item)) continue;
    emit(first ? `{\n${inner}${JSON.stringify(k)}: ` : `,\n${inner}${JSON.stringify(k)}: `);
    first = false;
    if (typeof item === 'string') emit(JSON.stringify(item));
    else yield* write(item, k, inner, emit, pending);
    if (pending.length > 0) yield;
  }
  emit(first ? '{}' : `\n${indent}}`);
}

/**
 * A LargeMap's entries, string values written in one tight loop (a million of them): quoted without
 * a look when the parser vouched that nothing needs escaping, and handed out a chunk at a time.
 */
function* writeLargeMap(map: LargeMap, indent: string, emit: (text: string) => void, pending: string[]): Generator<void> {
  const inner = `${indent}  `;
  const quote = map.quote;
  const order = map.jsonPositions();
  const { keys, values } = map;
  let first = true;
  let buffer = '';
  for (let j = 0; j < keys.length; j++) {
    const i = order === null ? j : order[j]!;
    const item = values[i];
    if (!present(item)) continue;
    buffer += `${first ? '{' : ','}\n${inner}${quote(keys[i]!)}: `;
    first = false;
    if (typeof item === 'string') buffer += quote(item);
    else {
      emit(buffer);
      buffer = '';
      yield* write(item, keys[i]!, inner, emit, pending);
    }
    if (buffer.length >= CHUNK) {
      emit(buffer);
      buffer = '';
      if (pending.length > 0) yield;
    }
  }
  emit(buffer);
  emit(first ? '{}' : `\n${indent}}`);
}
