/**
 * Types of manifests and of the wire bodies built from them.
 *
 * `schemas/manifest.schema.json` is the source of truth; test/manifest/types.test.ts
 * checks these key lists against it so the two cannot drift.
 */
import type { ENUMS } from './enums.js';

type EnumValue<F extends keyof typeof ENUMS> = (typeof ENUMS)[F][keyof (typeof ENUMS)[F]] | keyof (typeof ENUMS)[F];

// The wire vocabulary lives in src/model; re-exported for the manifest stage's users.
export { KINDS, addressOf, type AnnotationRequestBody, type InterceptionRange, type Kind, type SamplingBody } from '../model/resources.js';
import type { AnnotationRequestBody, SamplingBody, SubConditionBody } from '../model/resources.js';

/** A manifest's spec is the wire body, except where a manifest is friendlier: said below. */
export type AnnotationRequestSpec = Omit<AnnotationRequestBody, 'annotationRequestId'> & {
  /** Optional: derived from campaignId and metadata.name when absent. */
  annotationRequestId?: string;
};

/** Enum fields take the API's number or the name shown. */
export type SubConditionSpec = Omit<SubConditionBody, 'workPoolFilterType' | 'operationFilterType'> & {
  workPoolFilterType?: EnumValue<'workPoolFilterType'>;
  operationFilterType?: EnumValue<'operationFilterType'>[];
};

/** The request is named by annotationRequestRef (a manifest here) or annotationRequestId (one managed elsewhere). */
export type SamplingPlanSpec = Omit<SamplingBody, 'annotationRequestId' | 'sampleType' | 'interceptionMode' | 'subCondition'> & {
  annotationRequestRef?: string;
  annotationRequestId?: string;
  sampleType?: EnumValue<'sampleType'>;
  interceptionMode?: EnumValue<'interceptionMode'>;
  subCondition?: SubConditionSpec;
};

/** Where a manifest (or one of its fields) stands in a file. 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

interface ResourceBase {
  /** metadata.name */
  name: string;
  /** KIND/NAME, how the CLI and state name a resource. */
  address: string;
  source: SourcePosition;
}

export interface AnnotationRequestResource extends ResourceBase {
  kind: 'AnnotationRequest';
  body: AnnotationRequestBody;
  /** True when annotationRequestId was derived rather than written in the manifest. */
  idDerived: boolean;
}

export interface SamplingPlanResource extends ResourceBase {
  kind: 'SamplingPlan';
  body: SamplingBody;
  /** Address of the managed AnnotationRequest this plan needs first, if any. */
  dependsOn: string | undefined;
}

export type Resource = AnnotationRequestResource | SamplingPlanResource;

// Key lists, checked against the schema by a test. `satisfies Record<keyof T, true>`
// makes the compiler reject a missing or an extra key.
export const ANNOTATION_REQUEST_SPEC_KEYS = {
  annotationRequestId: true,
  annotationRequestName: true,
  campaignId: true,
  sceneIdMap: true,
  operatorKeys: true,
  annotationRequestCallback: true,
  annotationResultCallback: true,
} as const satisfies Record<keyof AnnotationRequestSpec, true>;

export const SAMPLING_PLAN_SPEC_KEYS = {
  annotationRequestRef: true,
  annotationRequestId: true,
  poolName: true,
  sampleType: true,
  sampleCount: true,
  samplingRatio: true,
  samplingQuantity: true,
  subCondition: true,
  interceptionMode: true,
  interceptionFrame: true,
  sequenceLength: true,
  interceptionBoundary: true,
} as const satisfies Record<keyof SamplingPlanSpec, true>;

export const SUB_CONDITION_KEYS = {
  conditionJoinType: true,
  workPoolFilterType: true,
  workPoolFilter: true,
  userNameFilter: true,
  operationFilterType: true,
  noNeedAnnotate: true,
  haveIssue: true,
  rejectionTime: true,
  taskId: true,
  startTime: true,
  endTime: true,
} as const satisfies Record<keyof SubConditionSpec, true>;

/** Required keys, also checked against the schema's `required`. */
export const REQUIRED_KEYS = {
  AnnotationRequest: ['annotationRequestName', 'campaignId', 'sceneIdMap'],
  SamplingPlan: ['poolName'],
} as const satisfies {
  AnnotationRequest: readonly (keyof AnnotationRequestSpec)[];
  SamplingPlan: readonly (keyof SamplingPlanSpec)[];
};
