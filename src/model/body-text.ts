/**
 * A wire body's JSON, made once: the client sends it, the body store keeps it. A thousand
 * 100-scene bodies are 7 MB of JSON; making it twice per apply showed in profiles. A sceneIdMap
 * held as a LargeMap is written from its arrays (JSON.stringify would build the object first).
 */
import { LargeMap } from './large-map.js';

const encoded = new WeakMap<object, Buffer>();

/**
 * The body's JSON as UTF-8, made once per body and kept with it. Kept as bytes, not text: a
 * Buffer lives outside V8's heap, so the 7 MB of an apply's bodies are not copied by every young
 * collection while the creates run (as strings they were, twice each), undici sends the bytes
 * as they are, and the body packs write them without encoding them again.
 */
export function bodyBytes(body: unknown): Buffer {
  if (typeof body !== 'object' || body === null) return Buffer.from(JSON.stringify(body) ?? 'null', 'utf8');
  let bytes = encoded.get(body);
  if (bytes === undefined) {
    bytes = Buffer.from(withLargeMaps(body) ? objectJson(body as Record<string, unknown>) : JSON.stringify(body), 'utf8');
    encoded.set(body, bytes);
  }
  return bytes;
}

/** The same JSON as text. */
export function bodyText(body: unknown): string {
  return bodyBytes(body).toString('utf8');
}

/** A body (a flat object) with a LargeMap among its fields. */
function withLargeMaps(body: object): boolean {
  if (Array.isArray(body)) return false;
  for (const value of Object.values(body)) if (value instanceof LargeMap) return true;
  return false;
}

/** JSON.stringify of the object, each LargeMap field written from its arrays. */
function objectJson(body: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(body)) {
    const value = body[key];
    const text = value instanceof LargeMap ? largeMapJson(value) : JSON.stringify(value);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** Built by concatenation: V8 keeps it as a rope until it is encoded, quicker than an array of entries joined. */
function largeMapJson(map: LargeMap): string {
  const quote = map.quote;
  const order = map.jsonPositions();
  let json = '{';
  let first = true;
  for (let j = 0; j < map.size; j++) {
    const i = order === null ? j : order[j]!;
    const value = map.values[i];
    const text = typeof value === 'string' ? quote(value) : JSON.stringify(value);
    if (text === undefined) continue;
    json += (first ? '' : ',') + quote(map.keys[i]!) + ':' + text;
    first = false;
  }
  return json + '}';
}
