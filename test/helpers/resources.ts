import type { AnnotationRequestResource, SamplingPlanResource } from '../../src/manifest/types.js';

const source = { file: 'm.yaml', line: 1, col: 1 };

export function requestResource(name: string, scenes = 2, extra: Record<string, unknown> = {}): AnnotationRequestResource {
  const sceneIdMap = Object.fromEntries(Array.from({ length: scenes }, (_, i) => [`${name}-s${i}`, `gs://b/${name}/${i}.yaml`]));
  return {
    kind: 'AnnotationRequest',
    name,
    address: `AnnotationRequest/${name}`,
    source,
    idDerived: false,
    body: { annotationRequestId: `id-${name}`, annotationRequestName: `Request ${name}`, campaignId: 'c-1', sceneIdMap, ...extra },
  };
}

export function samplingResource(name: string, request: string, extra: Record<string, unknown> = {}): SamplingPlanResource {
  return {
    kind: 'SamplingPlan',
    name,
    address: `SamplingPlan/${name}`,
    source,
    dependsOn: `AnnotationRequest/${request}`,
    body: { annotationRequestId: `id-${request}`, poolName: `pool-${name}`, samplingQuantity: 1, ...extra },
  };
}
