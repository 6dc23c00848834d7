// Generated inputs for the benchmarks (written under bench/.data/, git-ignored).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `count` AnnotationRequest manifests (`<prefix>-<i>`) with `scenes` scenes each, 10 per file. */
export function generateRequests(dir, count, scenes, { sampling = 0, prefix = 'req' } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const perFile = 10;
  for (let f = 0; f * perFile < count; f++) {
    const docs = [];
    for (let i = f * perFile; i < Math.min(count, (f + 1) * perFile); i++) {
      const lines = [`apiVersion: rosetta/v1`, `kind: AnnotationRequest`, `metadata:`, `  name: ${prefix}-${i}`, `spec:`, `  annotationRequestName: Bench request ${prefix} ${i}`, `  campaignId: bench-campaign`, `  sceneIdMap:`];
      for (let s = 0; s < scenes; s++) lines.push(`    ${prefix}-scene-${i}-${s}: gs://bench-bucket/${prefix}-${i}/scene-${s}.yaml`);
      docs.push(lines.join('\n'));
      if (i < sampling) {
        docs.push([`apiVersion: rosetta/v1`, `kind: SamplingPlan`, `metadata:`, `  name: ${prefix}-${i}-qa`, `spec:`, `  annotationRequestRef: ${prefix}-${i}`, `  poolName: ${prefix}-pool-${i}`, `  samplingQuantity: 5`].join('\n'));
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
  settle();
}

/**
 * Writes what was just generated to disk before anything is timed: hundreds of megabytes left
 * dirty in the page cache are written back in the middle of a measurement otherwise.
 */
export function settle() {
  execFileSync('sync');
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

/**
 * A generator of `rows` annotation requests (3 scenes each, from the row) and the same requests
 * written out as manifests (10 to a file): the two sides of the generator row.
 */
export function generateGenerated(dir, rows) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'generated'), { recursive: true });
  mkdirSync(join(dir, 'written'), { recursive: true });
  const ids = Array.from({ length: rows }, (_, i) => `d${String(i).padStart(6, '0')}`);
  writeFileSync(join(dir, 'generated/drives.csv'), `drive,qty\n${ids.map((d, i) => `${d},${(i % 5) + 1}`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'generated/generator.yaml'),
    'apiVersion: rosetta/v1\nkind: Generator\nmetadata:\n  name: drives\nspec:\n  rows: drives.csv\n  resources:\n    - kind: AnnotationRequest\n      metadata:\n        name: night-${drive}\n      spec:\n        annotationRequestName: Night drive ${drive}\n        campaignId: bench-campaign\n        sceneIdMap:\n          ${drive}-s1: gs://bench-bucket/${drive}/1.json\n          ${drive}-s2: gs://bench-bucket/${drive}/2.json\n          ${drive}-s3: gs://bench-bucket/${drive}/3.json\n',
  );
  const manifest = (d) => `apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: night-${d}\nspec:\n  annotationRequestName: Night drive ${d}\n  campaignId: bench-campaign\n  sceneIdMap:\n    ${d}-s1: gs://bench-bucket/${d}/1.json\n    ${d}-s2: gs://bench-bucket/${d}/2.json\n    ${d}-s3: gs://bench-bucket/${d}/3.json\n`;
  for (let f = 0; f < rows / 10; f++) writeFileSync(join(dir, `written/m${f}.yaml`), ids.slice(f * 10, f * 10 + 10).map(manifest).join('---\n'));
}

/** One annotation request whose `scenes` scenes are in a sceneIdMapFrom CSV. */
export function generateSceneCsv(dir, scenes) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'request.yaml'), 'apiVersion: rosetta/v1\nkind: AnnotationRequest\nmetadata:\n  name: from-csv\nspec:\n  annotationRequestName: From a CSV\n  campaignId: bench-campaign\n  sceneIdMapFrom: scenes.csv\n');
  const hex = (n, width) => n.toString(16).padStart(width, '0');
  const parts = ['sceneId,uri\n'];
  for (let s = 0; s < scenes; s++) parts.push(`${hex(s, 8)}-0000-4000-8000-${hex(s * 7919, 12)},gs://bench-bucket/csv/${s}.yaml\n`);
  writeFileSync(join(dir, 'scenes.csv'), parts.join(''));
  settle();
}

/**
 * A file state as `rosetta apply` would leave it after creating every annotation request of a
 * saved `plan --format json` (PLAN): the same addresses, digests and ids, so a plan of the same
 * manifests against it has nothing to do.
 */
export function stateFromPlan(planJson, path) {
  const resources = {};
  for (const change of JSON.parse(planJson).changes) {
    if (change.action !== 'create' || change.kind !== 'AnnotationRequest') throw new Error(`unexpected ${change.action} of ${change.address}`);
    resources[change.address] = {
      kind: change.kind,
      name: change.name,
      status: 'applied',
      outcome: 'created',
      digest: change.digest,
      annotationRequestId: change.body.annotationRequestId,
      annotationRequestName: change.body.annotationRequestName,
      code: 2000,
      requestId: 'f'.repeat(32),
      appliedAt: '2026-11-24T10:00:00.000Z',
    };
  }
  writeFileSync(path, `${JSON.stringify({ version: 1, lineage: 'bench-lineage', serial: 1, appliedPlans: [], resources }, null, 2)}\n`);
}

/** `count` small AnnotationRequest manifests (3 scenes), one per file, as a team keeps them. */
export function generateSmallFiles(dir, count) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const lines = [`apiVersion: rosetta/v1`, `kind: AnnotationRequest`, `metadata:`, `  name: small-${i}`, `spec:`, `  annotationRequestName: Small request ${i}`, `  campaignId: bench-campaign`, `  sceneIdMap:`];
    for (let s = 0; s < 3; s++) lines.push(`    small-${i}-${s}: gs://bench-bucket/small-${i}/${s}.yaml`);
    writeFileSync(join(dir, `small-${String(i).padStart(5, '0')}.yaml`), `${lines.join('\n')}\n`);
  }
}
