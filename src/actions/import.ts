/**
 * rosetta import: bring what exists on the platform under management. An annotation request is
 * read back and recorded with the digest of the body as the platform holds it, so a manifest that
 * differs shows as a conflict rather than a silent no-op. A sampling package is recorded for its
 * manifest once the platform confirms it exists: nothing lists or reads packages, and the
 * accuracy read answering 57008 is the only "does not exist".
 */
import { stringify } from 'yaml';
import { RosettaError } from '../errors.js';
import type { AnnotationRequestBody, SamplingPlanResource } from '../manifest/types.js';
import { bodyDigest } from '../model/digest.js';
import type { AppliedAnnotationRequest, AppliedSamplingPlan } from '../state/types.js';
import { readFailureError, type ReadClient } from './reads.js';

export interface ImportedRequest {
  record: AppliedAnnotationRequest;
  /** The body as the platform holds it (kept for later diffs). */
  body: AnnotationRequestBody;
}

export async function importAnnotationRequest(client: ReadClient, name: string, annotationRequestId: string, now: Date): Promise<ImportedRequest> {
  const read = await client.getAnnotationRequest(annotationRequestId);
  if (read.outcome !== 'ok' || !read.data) {
    throw readFailureError(`could not read annotation request ${annotationRequestId}`, read);
  }
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
}

/** A manifest that plans as a no-op against the imported record: the body as the platform holds it. */
export function manifestFor(name: string, body: AnnotationRequestBody): string {
  const manifest = { apiVersion: 'rosetta/v1', kind: 'AnnotationRequest', metadata: { name }, spec: body };
  return `# Imported with rosetta import AnnotationRequest/${name} ${body.annotationRequestId}\n${stringify(manifest, { lineWidth: 0 })}`;
}

/** Throws unless the platform has the package (the accuracy read answers 57008 for one it does not). */
export async function checkPackageExists(client: ReadClient, samplingPackageId: number): Promise<void> {
  const read = await client.getSamplingAccuracy(samplingPackageId);
  if (read.code === 57008) {
    throw new RosettaError('ROS_REMOTE_NOT_FOUND', `the platform has no sampling package ${samplingPackageId} (57008)`, { hint: 'check the package id on the platform' });
  }
  if (read.outcome !== 'ok') {
    throw readFailureError(`could not check sampling package ${samplingPackageId}`, read);
  }
}

export async function importSamplingPlan(client: ReadClient, resource: SamplingPlanResource, samplingPackageId: number, now: Date): Promise<AppliedSamplingPlan> {
  await checkPackageExists(client, samplingPackageId);
  return {
    kind: 'SamplingPlan',
    name: resource.name,
    status: 'applied',
    outcome: 'imported',
    digest: bodyDigest(resource.body),
    annotationRequestId: resource.body.annotationRequestId,
    samplingPackageId,
    appliedAt: now.toISOString(),
  };
}
