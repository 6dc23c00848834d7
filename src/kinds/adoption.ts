/**
 * After 53004/53005 the request already exists; when the API can read it back,
 * compare it with the manifest. 53005 in particular may mean that another
 * request holds the name.
 */
import type { AnnotationRequestStatus } from '../api/client.js';
import type { AnnotationRequestBody } from '../model/resources.js';
import { canonicalJson } from '../model/digest.js';

const COMPARED = ['annotationRequestName', 'campaignId', 'sceneIdMap', 'operatorKeys'] as const;

/** Differences worth a warning; empty when the platform's request matches. */
export function adoptionMismatches(body: AnnotationRequestBody, status: AnnotationRequestStatus): string[] {
  if (status.status === 'ID_NOT_EXISTS') {
    return [`no annotation request has id ${body.annotationRequestId}: the name "${body.annotationRequestName}" belongs to another request`];
  }
  const info = status.annotationRequestInfo;
  if (!info) return [];
  const differing = adoptionDifferences(body, info);
  return differing.length === 0 ? [] : [`the existing request differs from the manifest in: ${differing.join(', ')}`];
}

/** The fields in which the platform's request differs from a body (adoption checks, plan --refresh). */
export function adoptionDifferences(body: AnnotationRequestBody, info: Partial<AnnotationRequestBody>): string[] {
  return COMPARED.filter((field) => {
    const theirs = info[field];
    if (theirs === undefined && body[field] === undefined) return false;
    return theirs === undefined || body[field] === undefined || canonicalJson(theirs) !== canonicalJson(body[field]);
  });
}
