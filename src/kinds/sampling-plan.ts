/**
 * SamplingPlan: POST /sampling/create carries no client id, so it is not idempotent. The protocol
 * is at most once: a pending record is made durable before the request leaves; a confirmed answer
 * replaces it, a definite "not created" removes it, and an unknown outcome leaves it pending, to be
 * settled by a person (rosetta state resolve), never by sending again.
 */
import type { ResourceResult } from '../model/results.js';
import { describeReadFailure, readFailureError } from '../api/reads.js';
import { bodyDigest } from '../model/digest.js';
import type { PendingSamplingPlan } from '../model/records.js';
import { answerFields } from './answer.js';
import type { CreateContext, CreateOf, KindModule, RecordOf, StatusReadOptions } from './types.js';

export interface PackageStatus {
  kind: 'SamplingPlan';
  name: string;
  address: string;
  samplingPackageId?: number;
  status: 'EXISTS' | 'NOT_FOUND' | 'PENDING' | 'UNKNOWN';
  frameAccuracyRate?: number;
  instanceAccuracyRate?: number;
  message?: string;
}

async function create(create: CreateOf<'SamplingPlan'>, context: CreateContext): Promise<ResourceResult> {
  const base = { kind: create.kind, name: create.name, address: create.address, annotationRequestId: create.body.annotationRequestId };
  const pending: PendingSamplingPlan = {
    kind: 'SamplingPlan',
    name: create.name,
    status: 'pending',
    digest: create.digest,
    annotationRequestId: create.body.annotationRequestId,
    startedAt: context.now().toISOString(),
  };
  // The intent is durable before the request leaves: a crash from here on leaves a pending record.
  await context.recordIntent(pending);
  const answer = await context.client.createSamplingPackage(create.body, context.call);
  context.answered();
  if (answer.outcome === 'ok' && answer.data) {
    const { samplingPackageId, sceneIdList } = answer.data;
    const result: ResourceResult = { ...base, ...answerFields(answer), outcome: 'created', samplingPackageId };
    // The scene list (a million ids for a big request) is kept beside the state, not in the record.
    const sceneListDigest = Array.isArray(sceneIdList) ? bodyDigest(sceneIdList) : undefined;
    context.keepBody(create.digest, create.body);
    const recorded = await context.recordConfirmed(
      {
        kind: 'SamplingPlan',
        name: create.name,
        status: 'applied',
        outcome: 'created',
        digest: create.digest,
        annotationRequestId: create.body.annotationRequestId,
        samplingPackageId,
        ...(sceneListDigest ? { sceneCount: sceneIdList!.length, sceneListDigest } : {}),
        ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
        appliedAt: context.now().toISOString(),
      },
      result,
    );
    if (sceneListDigest) context.keepBody(sceneListDigest, sceneIdList);
    return recorded;
  }
  if (answer.outcome === 'ambiguous') {
    // If even this cannot be written, the durable pending record above still says "unknown".
    await context.recordQuietly({ ...pending, reason: answer.message });
    return {
      ...base,
      ...answerFields(answer),
      outcome: 'failed',
      pending: true,
      message: `outcome unknown: ${answer.message}. Recorded as pending; it will not be sent again`,
      hint: `check the platform for a package in pool ${create.body.poolName}, then: rosetta state resolve ${create.address} --sampling-package-id <id> (or --not-created)`,
    };
  }
  // A definite answer that nothing was created (or nothing was sent): forget the intent. If that
  // cannot be written, the pending record stays: safe (never resent), settled with state resolve.
  await context.forget();
  return { ...base, ...answerFields(answer), outcome: 'failed', message: answer.message };
}

async function readStatus(address: string, record: RecordOf<'SamplingPlan'>, options: StatusReadOptions): Promise<PackageStatus> {
  const base = { kind: 'SamplingPlan' as const, name: record.name, address };
  if (record.status === 'pending') return { ...base, status: 'PENDING' };
  const read = await options.client.getSamplingAccuracy(record.samplingPackageId, options.call);
  const withId = { ...base, samplingPackageId: record.samplingPackageId };
  if (read.code === 57008) return { ...withId, status: 'NOT_FOUND' };
  if (read.outcome !== 'ok' || !read.data) return { ...withId, status: 'UNKNOWN', message: describeReadFailure(read) };
  const rates = read.data;
  return {
    ...withId,
    status: 'EXISTS',
    ...(typeof rates.frameAccuracyRate === 'number' ? { frameAccuracyRate: rates.frameAccuracyRate } : {}),
    ...(typeof rates.instanceAccuracyRate === 'number' ? { instanceAccuracyRate: rates.instanceAccuracyRate } : {}),
  };
}

/** What to do about a sampling plan held back under a request that existed before this state (guarantee 7). */
export function heldAdvice(address: string): string {
  return `if the platform has a package for it: rosetta import ${address} <samplingPackageId>; once a person has checked that none exists: rosetta apply --allow-sampling-on-adopted --target ${address}`;
}

export const samplingPlan: KindModule<'SamplingPlan', PackageStatus, false> = {
  kind: 'SamplingPlan',
  noun: 'sampling package',
  retrySafe: false,
  createHeadline: (c) =>
    `will be created at most once (no client id: never resent automatically)${c.dependsOn ? ` after ${c.dependsOn}` : ''}${c.onAdoptedRequest ? ', also if that request was adopted (--allow-sampling-on-adopted)' : ''}`,
  create,
  readStatus,
  // A package the platform does not find (57008) is drift: shown, never acted on (it is not ours to resend).
  refresh: async (address, record, { client }) => {
    const read = await client.getSamplingAccuracy(record.samplingPackageId);
    if (read.code === 57008) return { drift: { missingPackage: record.samplingPackageId } };
    if (read.outcome !== 'ok') throw readFailureError(`could not read ${address} from the platform to refresh it`, read, 'retry later, or plan without --refresh');
    return undefined;
  },
  describeStatus: (r) => {
    if (r.status === 'PENDING') return 'a sampling create with an unknown outcome: see rosetta plan';
    if (r.status === 'NOT_FOUND') return `the platform has no sampling package ${r.samplingPackageId}`;
    const rate = (n: number | undefined) => (n === undefined ? '?' : String(n));
    return `package ${r.samplingPackageId}, frame accuracy ${rate(r.frameAccuracyRate)}, instance accuracy ${rate(r.instanceAccuracyRate)}`;
  },
  idLabel: (record) => (record.status === 'pending' ? `annotationRequestId=${record.annotationRequestId} (package unknown)` : `samplingPackageId=${record.samplingPackageId}`),
};
