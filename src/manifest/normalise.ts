/**
 * Manifest → the exact JSON body the API will receive: enum names become
 * numbers, annotationRequestRef becomes the referenced id, and a missing
 * annotationRequestId is derived stably from campaignId and metadata.name.
 */
import { v5 as uuidv5 } from 'uuid';
import { enumNumber } from './enums.js';
import type { AnnotationRequestBody, AnnotationRequestSpec, SamplingBody, SamplingPlanSpec } from './types.js';

/** Fixed namespace for derived annotation request ids. Changing it would change every derived id. */
export const ANNOTATION_REQUEST_ID_NAMESPACE = '5c1f7d2e-8a4b-4c3d-9e6f-0a1b2c3d4e5f';

/** UUID v5 of `campaignId/name`: identical on every machine and every run. */
export function deriveAnnotationRequestId(campaignId: string, name: string): string {
  return uuidv5(`${campaignId}/${name}`, ANNOTATION_REQUEST_ID_NAMESPACE);
}

/** The request body with its id first: the id given in the spec, or the one derived for it. */
export function annotationRequestBody(annotationRequestId: string, spec: AnnotationRequestSpec): AnnotationRequestBody {
  const { annotationRequestId: _given, ...rest } = spec;
  return { annotationRequestId, ...rest };
}

export function samplingBody(spec: SamplingPlanSpec, annotationRequestId: string): SamplingBody {
  const { annotationRequestRef: _ref, annotationRequestId: _id, subCondition, ...rest } = spec;
  const body: SamplingBody = { annotationRequestId, ...rest } as SamplingBody;
  if (spec.sampleType !== undefined) body.sampleType = enumNumber('sampleType', spec.sampleType);
  if (spec.interceptionMode !== undefined) body.interceptionMode = enumNumber('interceptionMode', spec.interceptionMode);
  if (subCondition !== undefined) {
    const { workPoolFilterType, operationFilterType, ...plain } = subCondition;
    body.subCondition = { ...plain };
    if (workPoolFilterType !== undefined) body.subCondition.workPoolFilterType = enumNumber('workPoolFilterType', workPoolFilterType);
    if (operationFilterType !== undefined) {
      body.subCondition.operationFilterType = operationFilterType.map((v) => enumNumber('operationFilterType', v) as number);
    }
  }
  return body;
}
