/**
 * Key lists of very large maps, remembered by the fast parser. Enumerating a
 * million-key object (Object.keys, for…in) costs ~0.4 s in V8 each time; the
 * parser already has the keys in order, so validation, digests and renderers
 * ask here first.
 */
const known = new WeakMap<object, readonly string[]>();

/** Maps at least this big have their keys remembered. */
export const LARGE_MAP = 1000;

export function rememberKeys(map: object, keys: readonly string[]): void {
  known.set(map, keys);
}

export function isLargeKnownMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && known.has(value);
}

/** The own enumerable keys of `map`, in insertion order. */
export function keysOf(map: object): readonly string[] {
  return known.get(map) ?? Object.keys(map);
}
