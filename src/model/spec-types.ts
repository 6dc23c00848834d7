/**
 * The manifest's specs of the seed kinds, as TypeScript types. `schemas/manifest.schema.json` is the
 * source of truth; test/manifest/schema-types.test.ts checks these key lists against it so the two
 * cannot drift. (The pipeline kinds keep theirs in their spec modules, src/kinds/*-spec.ts.)
 */
import type { ENUMS } from './enums.js';
import type { AnnotationRequestBody, SamplingBody, SubConditionBody } from './resources.js';

type EnumValue<F extends keyof typeof ENUMS> = (typeof ENUMS)[F][keyof (typeof ENUMS)[F]] | keyof (typeof ENUMS)[F];


/** A manifest's spec is the wire body, except where a manifest is friendlier: said below. */
export type AnnotationRequestSpec = Omit<AnnotationRequestBody, 'annotationRequestId' | 'campaignId'> & {
  /** Optional: derived from the campaign's id and metadata.name when absent. */
  annotationRequestId?: string;
  /** The campaign: campaignRef (a Campaign manifest here) or campaignId (one managed elsewhere). */
  campaignId?: string;
  campaignRef?: string;
  /** A CSV or JSONL scene list next to the manifest, instead of sceneIdMap. */
  sceneIdMapFrom?: string;
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

// Key lists, checked against the schema by a test. `satisfies Record<keyof T, true>`
// makes the compiler reject a missing or an extra key.
export const ANNOTATION_REQUEST_SPEC_KEYS = {
  annotationRequestId: true,
  annotationRequestName: true,
  campaignId: true,
  campaignRef: true,
  sceneIdMap: true,
  sceneIdMapFrom: true,
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
  AnnotationRequest: ['annotationRequestName'],
  SamplingPlan: ['poolName'],
} as const satisfies {
  AnnotationRequest: readonly (keyof AnnotationRequestSpec)[];
  SamplingPlan: readonly (keyof SamplingPlanSpec)[];
};
