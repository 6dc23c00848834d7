/** The plan for machines: one JSON object, `formatVersion` first. */
import { assertNever, type Plan } from './types.js';

export const PLAN_FORMAT_VERSION = 1;

export function planJson(plan: Plan): object {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    changes: plan.changes.map((c) => {
      switch (c.action) {
        case 'create':
          return { action: c.action, kind: c.kind, name: c.name, address: c.address, retrySafe: c.retrySafe, ...(c.kind === 'SamplingPlan' && c.dependsOn ? { dependsOn: c.dependsOn } : {}), ...(c.renamedFrom ? { renamedFrom: c.renamedFrom } : {}), ...(c.reason ? { reason: c.reason } : {}), digest: c.digest, body: c.body };
        case 'conflict':
          return { action: c.action, kind: c.kind, name: c.name, address: c.address, changedFields: c.fields.map((f) => f.field), appliedDigest: c.appliedDigest, digest: c.digest };
        case 'orphan':
          return { action: c.action, kind: c.kind, name: c.name, address: c.address };
        case 'pending':
          return { action: c.action, kind: c.kind, name: c.name, address: c.address, startedAt: c.startedAt };
        case 'noop':
          return { action: c.action, kind: c.kind, name: c.name, address: c.address };
        case 'drift':
          return { action: c.action, kind: c.kind, name: c.name, address: c.address, ...(c.fields ? { fields: c.fields } : {}), ...(c.missingPackage !== undefined ? { missingPackage: c.missingPackage } : {}) };
        default:
          return assertNever(c);
      }
    }),
    summary: plan.summary,
    state: plan.state,
    ...(plan.targets ? { targets: plan.targets } : {}),
  };
}

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(planJson(plan), null, 2)}\n`;
}
