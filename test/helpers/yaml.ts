// Reading YAML in tests as the fast manifest reader must: the yaml package with rosetta's settings,
// and the fast reader's values as the plain objects they stand for.
import { parseAllDocuments } from 'yaml';
import { LargeMap } from '../../src/model/large-map.js';

/** yaml with the options of rosetta's full parser (src/manifest/parse.ts), duplicate keys refused; undefined on any error. */
export function viaYaml(text: string): unknown[] | undefined {
  const docs = parseAllDocuments(text, { version: '1.2', schema: 'core', merge: false, uniqueKeys: true, strict: true });
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0 || d.warnings.length > 0)) return undefined;
  return docs.map((d) => d.toJS({ maxAliasCount: 100 })).filter((v) => v !== null && v !== undefined);
}

/** A sceneIdMap is read as a LargeMap: compared as the object it stands for (keys such as __proto__ kept as own properties). */
export function plain(value: unknown): unknown {
  if (value instanceof LargeMap) return plain(value.toJSON());
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
  return out;
}
