/**
 * rosetta render: every manifest after generators and data files are expanded, as YAML documents
 * (or a JSON list) in a stable order: what `kustomize build` and `helm template` are to their
 * users. Nothing that depends on the order of a generator's rows is printed, so shuffled rows
 * render the same bytes.
 */
import { stringify } from 'yaml';
import type { Diagnostic } from '../manifest/diagnostics.js';
import { loadManifests, type ExpandedDocument, type LoadOptions } from '../manifest/load.js';
import { isLargeKnownMap } from '../model/known-keys.js';

export interface RenderResult {
  documents: ExpandedDocument[];
  /** Problems in the manifests: then nothing is rendered. */
  diagnostics: Diagnostic[];
}

export async function renderAction(paths: readonly string[], options: LoadOptions): Promise<RenderResult> {
  const loaded = await loadManifests(paths, { ...options, keepDocuments: true });
  return { documents: loaded.documents ?? [], diagnostics: loaded.diagnostics };
}

/** A manifest as written: envelope first, big scene maps as plain maps. */
export function manifestOf(document: ExpandedDocument): { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> } {
  const spec = Object.fromEntries(Object.entries(document.spec).map(([k, v]) => [k, isLargeKnownMap(v) ? v.toJSON() : v]));
  return { apiVersion: 'rosetta/v1', kind: document.kind, metadata: { name: document.name }, spec };
}

export function renderYaml(result: Pick<RenderResult, 'documents'>): string {
  return result.documents
    .map((d) => `${d.origin ? `# made by Generator/${d.origin.generator}\n` : ''}${stringify(manifestOf(d), { lineWidth: 0 })}`)
    .join('---\n');
}

export function renderJson(result: Pick<RenderResult, 'documents'>): string {
  return `${JSON.stringify(result.documents.map(manifestOf), null, 2)}\n`;
}
