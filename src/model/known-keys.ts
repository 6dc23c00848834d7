/**
 * Walking maps that may be LargeMaps (a million-scene sceneIdMap from the fast parser): keys in
 * file order and values by position, without building the object.
 */
import { LargeMap } from './large-map.js';

export function isLargeKnownMap(value: unknown): value is LargeMap {
  return value instanceof LargeMap;
}

/** The own enumerable keys of `map`, in insertion order. */
export function keysOf(map: object): readonly string[] {
  return map instanceof LargeMap ? map.keys : Object.keys(map);
}

/** Keys and a value lookup by position, for a plain object or a LargeMap. */
export function entriesOf(map: object): { keys: readonly string[]; valueAt: (index: number) => unknown } {
  if (map instanceof LargeMap) return { keys: map.keys, valueAt: (i) => map.values[i] };
  const keys = Object.keys(map);
  return { keys, valueAt: (i) => (map as Record<string, unknown>)[keys[i]!] };
}
