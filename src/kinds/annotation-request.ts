/**
 * AnnotationRequest: created with an id we choose (annotationRequestId), so a create whose outcome
 * is unknown is safe to send again: 53004 (the id exists) and 53005 (the name exists) mean it was
 * applied, and the request is read back and compared before it is adopted.
 */
import { adoptionDifferences, adoptionMismatches } from './adoption.js';
import type { AnnotationRequestBody } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import { describeReadFailure, readFailureError } from '../api/reads.js';
import { mayHaveTakenEffect } from '../api/client.js';
import { answerFields } from './answer.js';
import { printable } from '../text.js';
import { bodyDigest } from '../model/digest.js';
import { RosettaError } from '../errors.js';
import type { CreateContext, CreateOf, KindModule, RecordOf, StatusReadOptions } from './types.js';

export interface RequestStatus {
  kind: 'AnnotationRequest';
  name: string;
  address: string;
  annotationRequestId: string;
  status: 'PROCESSING' | 'FINISHED' | 'FAILED' | 'ID_NOT_EXISTS' | 'UNKNOWN';
  successTasks?: number;
  errorScenes?: number;
  /** Scene id → reason, the first `maxErrors` of them (errorScenes is the exact count). */
  errors?: Record<string, string>;
  /** The percentage of its tasks in the completion pool (GET /annotation-request/task/schedule), 0-100. */
  completion?: number;
  /** How many scenes have a finished result (the size of completionSceneMap). */
  completedScenes?: number;
  /** Why the status is UNKNOWN (the read failed). */
  message?: string;
}

type AnnotationCreate = CreateOf<'AnnotationRequest'>;

async function create(create: AnnotationCreate, context: CreateContext): Promise<ResourceResult> {
  const base = { kind: create.kind, name: create.name, address: create.address, annotationRequestId: create.body.annotationRequestId };
  // The intent is durable before the request leaves: if this run dies before the answer is
  // recorded, the next one knows this state sent it, and a 53004 then is its own (guarantee 7).
  // (The engine may have written it already, with the intents of the creates queued after it.)
  await context.recordIntent(intentOf(create, context.now()));
  const answer = await context.client.createAnnotationRequest(create.body, context.call);
  if (answer.outcome !== 'adopted') context.answered(); // an adoption reads the request back first
  if (answer.outcome !== 'ok' && answer.outcome !== 'adopted') {
    const unknown = answer.earlierAttemptUnknown === true || mayHaveTakenEffect(answer);
    // Nothing was created: the record goes back to what it was. Otherwise the intent stays.
    if (!unknown) await context.restore();
    const maybe = unknown ? ' (it may exist; the next apply sends it again and a 53004 confirms it by id)' : '';
    return { ...base, ...answerFields(answer), outcome: 'failed', message: `${answer.message}${maybe}` };
  }
  // Adopted: this state's own only if it had sent this create before, in an earlier run that
  // stopped before recording the answer, or in an earlier attempt of this call.
  const sentHere = answer.outcome === 'adopted' && (create.reason === 'unconfirmed' || answer.earlierAttemptUnknown === true);
  const existedBefore = answer.outcome === 'adopted' && !sentHere;
  const { warnings, absent } = answer.outcome === 'adopted' ? await verifyAdoption(create, context) : { warnings: [], absent: false };
  context.answered();
  if (warnings.length > 0 && context.strictAdopt) {
    await context.restore();
    return { ...base, ...answerFields(answer), outcome: 'failed', message: `already exists but does not match (--strict-adopt): ${warnings.join('; ')}`, warnings };
  }
  for (const w of warnings) context.warn(w);
  const outcome = answer.outcome === 'ok' ? 'created' : 'adopted';
  const result: ResourceResult = { ...base, ...answerFields(answer), outcome, ...(warnings.length > 0 ? { warnings } : {}), ...(absent ? { absent: true } : {}), ...(existedBefore ? { existedBefore: true } : {}) };
  context.keepBody(create.digest, create.body);
  return context.recordConfirmed(
    {
      kind: 'AnnotationRequest',
      name: create.name,
      status: 'applied',
      outcome,
      digest: create.digest,
      annotationRequestId: create.body.annotationRequestId,
      annotationRequestName: create.body.annotationRequestName,
      ...(answer.code === undefined ? {} : { code: answer.code }),
      ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
      ...(absent ? { absent: true as const } : {}),
      ...(sentHere ? { sentHere: true as const } : {}),
      appliedAt: context.now().toISOString(),
    },
    result,
  );
}

/** The pending record written before an annotation request's create is sent. */
function intentOf(create: AnnotationCreate, now: Date): RecordOf<'AnnotationRequest'> {
  return {
    kind: 'AnnotationRequest',
    name: create.name,
    status: 'pending',
    digest: create.digest,
    annotationRequestId: create.body.annotationRequestId,
    annotationRequestName: create.body.annotationRequestName,
    startedAt: now.toISOString(),
  };
}

/** 53004/53005: read the request back; differences are warnings (or failures with --strict-adopt). */
async function verifyAdoption(create: AnnotationCreate, context: CreateContext): Promise<{ warnings: string[]; absent: boolean }> {
  const read = await context.client.getAnnotationRequest(create.body.annotationRequestId, context.call);
  if (read.outcome !== 'ok' || !read.data) return { warnings: [`could not read the existing request back to compare it: ${read.message}`], absent: false };
  return { warnings: adoptionMismatches(create.body, read.data), absent: read.data.status === 'ID_NOT_EXISTS' };
}

const KNOWN_STATUSES: ReadonlySet<unknown> = new Set(['PROCESSING', 'FINISHED', 'FAILED', 'ID_NOT_EXISTS']);

async function readStatus(address: string, record: RecordOf<'AnnotationRequest'>, options: StatusReadOptions): Promise<RequestStatus> {
  const base = { kind: 'AnnotationRequest' as const, name: record.name, address, annotationRequestId: record.annotationRequestId };
  const read = await options.client.getAnnotationRequest(record.annotationRequestId, options.call);
  if (read.outcome !== 'ok' || !read.data) return { ...base, status: 'UNKNOWN', message: describeReadFailure(read) };
  const { status, successTaskMap = {}, errorSceneIdMap = {} } = read.data;
  // A status the documents do not list is shown as UNKNOWN (a failure: nobody knows what it means),
  // its text escaped, never passed on raw into summaries and pull request comments.
  if (!KNOWN_STATUSES.has(status)) return { ...base, status: 'UNKNOWN', message: `the platform answered a status rosetta does not know: ${printable(JSON.stringify(status) ?? String(status)).slice(0, 80)}` };
  if (status === 'ID_NOT_EXISTS') return { ...base, status };
  const errorIds = Object.keys(errorSceneIdMap);
  const errors = Object.fromEntries(errorIds.slice(0, options.maxErrors).map((id) => [id, errorSceneIdMap[id]!]));
  const progress = status === 'PROCESSING' || status === 'FINISHED' ? await readProgress(record.annotationRequestId, options) : {};
  return { ...base, status, successTasks: Object.keys(successTaskMap).length, errorScenes: errorIds.length, ...(errorIds.length > 0 ? { errors } : {}), ...progress };
}

/**
 * How far along a request is: the completion pool's percentage (a number, per the vendor; anything
 * else is ignored rather than shown) and the finished scenes. A failed read leaves progress out:
 * the status itself was read, and progress is extra.
 */
async function readProgress(annotationRequestId: string, options: StatusReadOptions): Promise<Pick<RequestStatus, 'completion' | 'completedScenes'>> {
  const read = await options.client.getTaskSchedule(annotationRequestId, options.call);
  if (read.outcome !== 'ok' || !read.data) return {};
  const { completionPoolSchedule: percent, completionSceneMap } = read.data;
  return {
    ...(typeof percent === 'number' && Number.isFinite(percent) ? { completion: Math.min(100, Math.max(0, percent)) } : {}),
    ...(completionSceneMap && typeof completionSceneMap === 'object' ? { completedScenes: Object.keys(completionSceneMap).length } : {}),
  };
}

export const annotationRequest: KindModule<'AnnotationRequest', RequestStatus, true> = {
  kind: 'AnnotationRequest',
  noun: 'annotation request',
  retrySafe: true,
  createHeadline: (c) =>
    c.reason === 'gone'
      ? `will be created again: the platform no longer has it (retry-safe: the id ${c.body.annotationRequestId} is ours)`
      : c.reason === 'unconfirmed'
        ? `will be sent again: an earlier apply may have sent it and stopped before recording an answer (retry-safe: the id ${c.body.annotationRequestId} is ours)`
        : `will be created (retry-safe: the id ${c.body.annotationRequestId} is ours)`,
  create,
  intentOf,
  readStatus,
  // Gone (ID_NOT_EXISTS): created again, safely (the id is ours). Different from what was sent: drift.
  refresh: async (address, record, { client, getBody }) => {
    const read = await client.getAnnotationRequest(record.annotationRequestId);
    if (read.outcome !== 'ok' || !read.data) throw readFailureError(`could not read ${address} from the platform to refresh it`, read, 'retry later, or plan without --refresh');
    if (read.data.status === 'ID_NOT_EXISTS') return { gone: true };
    const sent = (await getBody(record.digest)) as AnnotationRequestBody | undefined;
    const fields = sent && read.data.annotationRequestInfo ? adoptionDifferences(sent, read.data.annotationRequestInfo) : [];
    return fields.length > 0 ? { drift: { fields } } : undefined;
  },
  // Recorded with the digest of the body as the platform holds it: a manifest that differs shows as a conflict.
  importById: async (name, annotationRequestId, client, now) => {
    const read = await client.getAnnotationRequest(annotationRequestId);
    if (read.outcome !== 'ok' || !read.data) throw readFailureError(`could not read annotation request ${annotationRequestId}`, read);
    const info = read.data.annotationRequestInfo;
    if (read.data.status === 'ID_NOT_EXISTS' || !info) {
      throw new RosettaError('ROS_REMOTE_NOT_FOUND', `the platform has no annotation request with id ${annotationRequestId}`, { hint: 'check the id (it is the annotationRequestId, not the name)' });
    }
    const body: AnnotationRequestBody = {
      annotationRequestId,
      annotationRequestName: info.annotationRequestName ?? '',
      campaignId: info.campaignId ?? '',
      sceneIdMap: info.sceneIdMap ?? {},
      ...(info.operatorKeys && info.operatorKeys.length > 0 ? { operatorKeys: info.operatorKeys } : {}),
    };
    return {
      body,
      spec: { ...body },
      record: {
        kind: 'AnnotationRequest',
        name,
        status: 'applied',
        outcome: 'imported',
        digest: bodyDigest(body),
        annotationRequestId,
        annotationRequestName: body.annotationRequestName,
        ...(read.requestId ? { requestId: read.requestId } : {}),
        appliedAt: now.toISOString(),
      },
    };
  },
  idLabel: (record) => `annotationRequestId=${record.annotationRequestId}`,
  describeStatus: (r) =>
    r.status === 'ID_NOT_EXISTS'
      ? `the platform has no request with id ${r.annotationRequestId}`
      : `${r.successTasks ?? 0} tasks, ${r.completedScenes === undefined ? '' : `${r.completedScenes} finished, `}${r.errorScenes ?? 0} error scenes (id ${r.annotationRequestId})`,
};
