/** The plan for machines: one JSON object, `formatVersion` first. */
import { jsonChunks } from '../model/json-chunks.js';
import { assertNever, type Change, type Plan } from '../model/changes.js';

export const PLAN_FORMAT_VERSION = 1;

export function planJson(plan: Plan): object {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    changes: plan.changes.map((c) => ({ ...changeJson(c), ...(c.origin ? { generator: c.origin.generator, row: c.origin.row } : {}) })),
    summary: plan.summary,
    state: plan.state,
    ...(plan.targets ? { targets: plan.targets } : {}),
  };
}

function changeJson(c: Change): object {
  switch (c.action) {
    case 'create':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address, retrySafe: c.retrySafe, ...(c.needs && c.needs.length > 0 ? { needs: c.needs } : {}), ...(c.kind === 'Folder' ? { helixStatus: c.helixStatus } : {}), ...(c.kind === 'SamplingPlan' && c.dependsOn ? { dependsOn: c.dependsOn } : {}), ...(c.kind === 'SamplingPlan' && c.onAdoptedRequest ? { onAdoptedRequest: true } : {}), ...(c.renamedFrom ? { renamedFrom: c.renamedFrom } : {}), ...(c.reason ? { reason: c.reason } : {}), digest: c.digest, body: c.body };
    case 'update':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address, changedFields: c.fields.map((f) => f.field), helixProjectId: c.helixProjectId, helixStatus: c.helixStatus, digest: c.digest };
    case 'conflict':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address, changedFields: c.fields.map((f) => f.field), appliedDigest: c.appliedDigest, digest: c.digest };
    case 'orphan':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address };
    case 'pending':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address, startedAt: c.startedAt };
    case 'held':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address, dependsOn: c.dependsOn, ...(c.adoptedCode === undefined ? {} : { adoptedCode: c.adoptedCode }) };
    case 'noop':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address };
    case 'drift':
      return { action: c.action, kind: c.kind, name: c.name, address: c.address, ...(c.fields ? { fields: c.fields } : {}), ...(c.missingPackage !== undefined ? { missingPackage: c.missingPackage } : {}) };
    default:
      return assertNever(c);
  }
}

/** The plan as JSON, in chunks (a million-scene body is 50 MB of it): write them as they come. */
export function* planJsonChunks(plan: Plan): Generator<string> {
  yield* jsonChunks(planJson(plan));
  yield '\n';
}

export function renderPlanJson(plan: Plan): string {
  return [...planJsonChunks(plan)].join('');
}
