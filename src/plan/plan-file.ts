/**
 * Saved plans (`plan --out FILE`, `apply --plan FILE`): the exact bodies to
 * send, the state lineage and serial they were made against, a digest of the
 * manifests and the endpoint. Never a secret.
 *
 * A plan file is reviewed and then applied exactly, so it is checked on load:
 * every create's body against its recorded digest (the digest is what state
 * records, so an edited body would be sent under the manifest's digest and
 * hidden from the next plan), and the file as a whole against `planDigest`.
 * This catches edits and corruption; it is not a signature (anyone who can
 * edit the file can recompute both).
 */
import { nodeCrypto } from '../model/node-crypto.js';
import { readFile } from 'node:fs/promises';
import { RosettaError } from '../errors.js';
import { formatProblem } from '../model/formats.js';
import { printable } from '../text.js';
import { bodyDigest } from '../model/digest.js';
import { writeFileDurably } from '../state/durable-write.js';
import { summarise, type Plan } from '../model/changes.js';

export const PLAN_FILE_VERSION = 1;

export interface SavedPlan {
  formatVersion: typeof PLAN_FILE_VERSION;
  type: 'rosetta-plan';
  planId: string;
  rosettaVersion: string;
  /** The API the plan was made for; apply refuses another. */
  endpoint: string;
  manifestsDigest: string;
  plan: Plan;
  /** Digest of everything above (see digestOf). */
  planDigest: string;
}

type Unsigned = Omit<SavedPlan, 'planDigest'>;

function digestOf(saved: Unsigned): string {
  const { formatVersion, type, planId, rosettaVersion, endpoint, manifestsDigest, plan } = saved;
  return bodyDigest({ formatVersion, type, planId, rosettaVersion, endpoint, manifestsDigest, plan });
}

export async function savePlan(path: string, plan: Plan, meta: { rosettaVersion: string; endpoint: string; manifestsDigest: string }): Promise<SavedPlan> {
  const unsigned: Unsigned = { formatVersion: PLAN_FILE_VERSION, type: 'rosetta-plan', planId: nodeCrypto().randomUUID(), ...meta, plan };
  const saved: SavedPlan = { ...unsigned, planDigest: digestOf(unsigned) };
  await writeFileDurably(path, `${JSON.stringify(saved, null, 2)}\n`);
  return saved;
}

export async function loadPlan(path: string): Promise<SavedPlan> {
  let value: Partial<SavedPlan>;
  try {
    value = JSON.parse(await readFile(path, 'utf8')) as Partial<SavedPlan>;
  } catch (error) {
    throw new RosettaError('ROS_PLAN_INVALID', `cannot read the plan file ${path}: ${(error as Error).message}`);
  }
  const remake = { hint: 'make a new one with rosetta plan --out FILE and review it again' };
  // The shape (schemas/plan-file.schema.json) first; the digests below then prove nothing was changed.
  const problem = formatProblem('planFile', value);
  if (problem) {
    throw new RosettaError('ROS_PLAN_INVALID', `${path} is not a rosetta plan file (format ${PLAN_FILE_VERSION}), or it was made by an older rosetta (${printable(problem)})`, remake);
  }
  const saved = value as SavedPlan;
  for (const change of saved.plan.changes) {
    if (change.action === 'create' && bodyDigest(change.body) !== change.digest) {
      throw new RosettaError('ROS_PLAN_INVALID', `the plan ${path} was changed after it was made: the body of ${change.address} does not match its digest`, remake);
    }
  }
  if (digestOf(saved) !== saved.planDigest) {
    throw new RosettaError('ROS_PLAN_INVALID', `the plan ${path} was changed after it was made: its digest does not match`, remake);
  }
  // Recount rather than trust the file's summary.
  return { ...saved, plan: { ...saved.plan, summary: summarise(saved.plan.changes) } };
}
