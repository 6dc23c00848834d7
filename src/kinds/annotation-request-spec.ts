/**
 * AnnotationRequest, the manifest side: its local rules, its identity (annotationRequestId, given or
 * derived), its campaign reference and its body.
 */
import { uuidV5 } from '../model/uuid.js';
import type { AnnotationRequestBody, AnnotationRequestResource } from '../model/resources.js';
import { entriesOf, isLargeKnownMap } from '../model/known-keys.js';
import { formatPath } from '../model/paths.js';
import { describeValue } from '../text.js';
import { extended, isObject } from '../values.js';
import { EDGE_HINT, checkByteLimits, checkCallback, checkNotBlank, edgeProblem, givenOrDerived, stringProblem } from './spec-checks.js';
import type { Spec, SpecModule, SpecReport } from './types.js';

/** Fixed namespace for derived annotation request ids. Changing it would change every derived id. */
export const ANNOTATION_REQUEST_ID_NAMESPACE = '5c1f7d2e-8a4b-4c3d-9e6f-0a1b2c3d4e5f';

/** UUID v5 of `campaignId/name`: identical on every machine and every run. */
export function deriveAnnotationRequestId(campaignId: string, name: string): string {
  return uuidV5(`${campaignId}/${name}`, ANNOTATION_REQUEST_ID_NAMESPACE);
}

/** The request body with its id first: the id given in the spec, or the one derived for it; the campaign resolved. */
export function annotationRequestBody(annotationRequestId: string, campaignId: string, spec: Spec): AnnotationRequestBody {
  const { annotationRequestId: _given, campaignRef: _ref, campaignId: _campaign, sceneIdMapFrom: _from, ...rest } = spec;
  const { annotationRequestName, sceneIdMap, ...optional } = rest as unknown as Omit<AnnotationRequestBody, 'annotationRequestId' | 'campaignId'>;
  return { annotationRequestId, annotationRequestName, campaignId, sceneIdMap, ...optional };
}

function checkAnnotationRequest(spec: Spec, report: SpecReport): void {
  checkNotBlank(spec, 'annotationRequestName', report);
  // sceneIdMapFrom has been read into sceneIdMap by now (the manifest stage does that).
  if (spec.sceneIdMap === undefined && spec.sceneIdMapFrom === undefined) report([], 'rules.one-of-scenes', 'spec: missing sceneIdMap (scene id → URI) or sceneIdMapFrom (a CSV or JSONL scene list)');
  checkByteLimits(spec, ['annotationRequestId', 'annotationRequestName'], report);
  // Empty ids and URIs are checked here rather than in the schema: ajv's minLength counts code
  // points, which costs seconds over a million scenes. For a map the fast parser marked as large,
  // the value types are checked here too (see schema-check.ts).
  const scenes = spec.sceneIdMap;
  if (isObject(scenes)) {
    const large = isLargeKnownMap(scenes);
    const field = (sceneId: string) => formatPath(['spec', 'sceneIdMap', sceneId]);
    const { keys, valueAt } = entriesOf(scenes);
    for (let i = 0; i < keys.length; i++) {
      const sceneId = keys[i]!;
      const uri = valueAt(i);
      if (sceneId === '') {
        report(['sceneIdMap', sceneId], 'rules.empty-scene', 'spec.sceneIdMap: a scene id must not be empty');
        continue;
      }
      const idEdge = edgeProblem(sceneId);
      if (idEdge) report(['sceneIdMap', sceneId], 'rules.edge-space', `${field(sceneId)}: the scene id ${idEdge}`, EDGE_HINT, 'key');
      if (uri === '') report(['sceneIdMap', sceneId], 'rules.empty-scene', `${field(sceneId)}: the scene URI must not be empty`);
      else if (typeof uri !== 'string') {
        if (large) report(['sceneIdMap', sceneId], 'schema.type', `${field(sceneId)}: expected a string, found ${describeValue(uri)}`);
      } else {
        const problem = large ? (stringProblem(sceneId) ?? stringProblem(uri)) : undefined;
        if (problem) report(['sceneIdMap', sceneId], 'rules.bad-string', `${field(sceneId)}: ${problem}`);
        const uriEdge = edgeProblem(uri);
        if (uriEdge) report(['sceneIdMap', sceneId], 'rules.edge-space', `${field(sceneId)}: the scene URI ${uriEdge}`, EDGE_HINT);
      }
    }
  }
  checkCallback(spec.annotationRequestCallback, ['annotationRequestCallback'], report);
  const results = spec.annotationResultCallback;
  if (isObject(results)) {
    for (const [name, url] of Object.entries(results)) checkCallback(url, ['annotationResultCallback', name], report);
  }
}

export const annotationRequestSpec: SpecModule<'AnnotationRequest'> = {
  kind: 'AnnotationRequest',
  rank: 2,
  identifierFields: ['annotationRequestId', 'annotationRequestName', 'campaignId', 'campaignRef', 'sceneIdMapFrom'],
  references: [{ field: 'campaignRef', kind: 'Campaign', alternative: 'campaignId' }],
  dataFiles: [{ field: 'sceneIdMapFrom', into: 'sceneIdMap', format: 'scene-list' }],
  identityField: 'annotationRequestId',
  unique: [
    { field: 'annotationRequestId', rule: 'cross.duplicate-id' },
    { field: 'annotationRequestName', rule: 'cross.duplicate-request-name' },
  ],
  checkSpec: checkAnnotationRequest,
  identity: (name, spec, resolve) => givenOrDerived(spec, 'annotationRequestId', resolve('campaignRef'), name, deriveAnnotationRequestId),
  toResource(base, spec, identity, resolve): AnnotationRequestResource {
    return extended(base, { kind: 'AnnotationRequest' as const, body: annotationRequestBody(identity, resolve('campaignRef')!, spec), idDerived: spec.annotationRequestId === undefined });
  },
};
