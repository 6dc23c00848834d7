/**
 * Saved plans (`plan --out FILE`, `apply --plan FILE`): the exact bodies to
 * send, the state lineage and serial they were made against, a digest of the
 * manifests and the endpoint. Never a secret.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { RosettaError } from '../errors.js';
import { summarise, type Plan } from './types.js';

export const PLAN_FILE_VERSION = 1;

export interface SavedPlan {
  formatVersion: typeof PLAN_FILE_VERSION;
  type: 'rosetta-plan';
  planId: string;
  rosettaVersion: string;
  endpoint: string | null;
  manifestsDigest: string;
  plan: Plan;
}

export async function savePlan(path: string, plan: Plan, meta: { rosettaVersion: string; endpoint: string | null; manifestsDigest: string }): Promise<SavedPlan> {
  const saved: SavedPlan = { formatVersion: PLAN_FILE_VERSION, type: 'rosetta-plan', planId: randomUUID(), ...meta, plan };
  await writeFileAtomic(path, `${JSON.stringify(saved, null, 2)}\n`, { fsync: true });
  return saved;
}

export async function loadPlan(path: string): Promise<SavedPlan> {
  let value: Partial<SavedPlan>;
  try {
    value = JSON.parse(await readFile(path, 'utf8')) as Partial<SavedPlan>;
  } catch (error) {
    throw new RosettaError('ROS_PLAN_INVALID', `cannot read the plan file ${path}: ${(error as Error).message}`);
  }
  if (value.type !== 'rosetta-plan' || value.formatVersion !== PLAN_FILE_VERSION || !value.plan || !Array.isArray(value.plan.changes) || typeof value.planId !== 'string') {
    throw new RosettaError('ROS_PLAN_INVALID', `${path} is not a rosetta plan file (format ${PLAN_FILE_VERSION})`, { hint: 'make one with rosetta plan --out FILE' });
  }
  // Recount rather than trust the file's summary.
  return { ...(value as SavedPlan), plan: { ...value.plan, summary: summarise(value.plan.changes) } };
}
