/**
 * Types of manifests and of the wire bodies built from them.
 *
 * `schemas/manifest.schema.json` is the source of truth; test/manifest/types.test.ts
 * checks these key lists against it so the two cannot drift.
 */
import type { ENUMS } from './enums.js';

type EnumValue<F extends keyof typeof ENUMS> = (typeof ENUMS)[F][keyof (typeof ENUMS)[F]] | keyof (typeof ENUMS)[F];

export const KINDS = ['AnnotationRequest', 'SamplingPlan'] as const;
export type Kind = (typeof KINDS)[number];

export interface AnnotationRequestSpec {
  annotationRequestId?: string;
  annotationRequestName: string;
  campaignId: string;
  sceneIdMap: Record<string, string>;
  operatorKeys?: string[];
  annotationRequestCallback?: string;
  annotationResultCallback?: Record<string, string>;
}

export interface SubConditionSpec {
  conditionJoinType?: 'and' | 'or';
  workPoolFilterType?: EnumValue<'workPoolFilterType'>;
  workPoolFilter?: string[];
  userNameFilter?: string[];
  operationFilterType?: EnumValue<'operationFilterType'>[];
  noNeedAnnotate?: boolean;
  haveIssue?: boolean;
  rejectionTime?: number;
  taskId?: string[];
  startTime?: string;
  endTime?: string;
}

export interface InterceptionRange {
  start: number;
  end: number;
}

export interface SamplingPlanSpec {
  annotationRequestRef?: string;
  annotationRequestId?: string;
  poolName: string;
  sampleType?: EnumValue<'sampleType'>;
  sampleCount?: number;
  samplingRatio?: number;
  samplingQuantity?: number;
  subCondition?: SubConditionSpec;
  interceptionMode?: EnumValue<'interceptionMode'>;
  interceptionFrame?: number;
  sequenceLength?: number;
  interceptionBoundary?: InterceptionRange[];
}

/** The body of POST /annotation-request: the spec with its id always present. */
export interface AnnotationRequestBody extends AnnotationRequestSpec {
  annotationRequestId: string;
}

/** The body of POST /sampling/create: enum names as numbers, the ref resolved. */
export interface SamplingBody {
  annotationRequestId: string;
  poolName: string;
  sampleType?: number;
  sampleCount?: number;
  samplingRatio?: number;
  samplingQuantity?: number;
  subCondition?: Omit<SubConditionSpec, 'workPoolFilterType' | 'operationFilterType'> & {
    workPoolFilterType?: number;
    operationFilterType?: number[];
  };
  interceptionMode?: number;
  interceptionFrame?: number;
  sequenceLength?: number;
  interceptionBoundary?: InterceptionRange[];
}

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

export function addressOf(kind: Kind, name: string): string {
  return `${kind}/${name}`;
}

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
