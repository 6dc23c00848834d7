/** rosetta validate as a library: load and check manifests, count what is there. Nothing is read but the files. */
import { loadManifests, type LoadOptions, type LoadResult } from '../manifest/load.js';
import { KINDS, type Kind } from '../model/resources.js';

export interface ValidateResult extends LoadResult {
  valid: boolean;
  /** Manifests per kind (every kind present, zero when none). */
  counts: Record<Kind, number>;
}

export async function validateAction(paths: readonly string[], options: LoadOptions): Promise<ValidateResult> {
  const loaded = await loadManifests(paths, options);
  const counts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  for (const r of loaded.resources) counts[r.kind]++;
  return { ...loaded, valid: loaded.diagnostics.length === 0, counts };
}
