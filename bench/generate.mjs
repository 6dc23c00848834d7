// Generated inputs for the benchmarks (written under bench/.data/, git-ignored).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `count` AnnotationRequest manifests with `scenes` scenes each, 10 per file. */
export function generateRequests(dir, count, scenes, { sampling = 0 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const perFile = 10;
  for (let f = 0; f * perFile < count; f++) {
    const docs = [];
    for (let i = f * perFile; i < Math.min(count, (f + 1) * perFile); i++) {
      const lines = [`apiVersion: rosetta/v1`, `kind: AnnotationRequest`, `metadata:`, `  name: req-${i}`, `spec:`, `  annotationRequestName: Bench request ${i}`, `  campaignId: bench-campaign`, `  sceneIdMap:`];
      for (let s = 0; s < scenes; s++) lines.push(`    scene-${i}-${s}: gs://bench-bucket/req-${i}/scene-${s}.yaml`);
      docs.push(lines.join('\n'));
      if (i < sampling) {
        docs.push([`apiVersion: rosetta/v1`, `kind: SamplingPlan`, `metadata:`, `  name: req-${i}-qa`, `spec:`, `  annotationRequestRef: req-${i}`, `  poolName: pool-${i}`, `  samplingQuantity: 5`].join('\n'));
      }
    }
    writeFileSync(join(dir, `requests-${String(f).padStart(4, '0')}.yaml`), `${docs.join('\n---\n')}\n`);
  }
}

/** One AnnotationRequest with `scenes` sceneIdMap entries (UUID-like ids, ~70 bytes a line). */
export function generateHugeRequest(dir, scenes) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hex = (n, width) => n.toString(16).padStart(width, '0');
  const parts = [`apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: huge\nspec:\n  annotationRequestName: Huge request\n  campaignId: bench-campaign\n  sceneIdMap:\n`];
  for (let s = 0; s < scenes; s++) parts.push(`    ${hex(s, 8)}-0000-4000-8000-${hex(s * 7919, 12)}: gs://bench-bucket/huge/${s}.yaml\n`);
  writeFileSync(join(dir, 'huge.yaml'), parts.join(''));
}

/** A file state holding `records` applied annotation requests (none of them in the bench's manifests). */
export function generateState(path, records) {
  const resources = {};
  for (let i = 0; i < records; i++) {
    const n = String(i).padStart(8, '0');
    resources[`AnnotationRequest/old-${n}`] = {
      kind: 'AnnotationRequest',
      name: `old-${n}`,
      status: 'applied',
      outcome: 'created',
      digest: `sha256:${'0'.repeat(56)}${n}`,
      annotationRequestId: `5c1f7d2e-8a4b-4c3d-9e6f-0000${n}`,
      annotationRequestName: `Old request ${n}`,
      code: 2000,
      requestId: 'f'.repeat(32),
      appliedAt: '2026-11-24T10:00:00.000Z',
    };
  }
  const state = { version: 1, lineage: 'bench-lineage', serial: records, appliedPlans: [], resources };
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}
