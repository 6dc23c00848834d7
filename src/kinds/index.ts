/**
 * The kinds, and dispatch to them. Every function here ends in an exhaustive switch: a kind added
 * to KINDS (src/model/resources.ts) without a module fails to compile here, and in every other
 * switch over a kind.
 */
import { assertNever } from '../assert.js';
import type { ResourceResult } from '../model/results.js';
import type { Kind } from '../model/resources.js';
import type { Create } from '../model/changes.js';
import type { ResourceRecord } from '../model/records.js';
import { annotationRequest, type RequestStatus } from './annotation-request.js';
import { samplingPlan, type PackageStatus } from './sampling-plan.js';
import type { CreateContext, StatusReadOptions } from './types.js';

export type { RequestStatus, PackageStatus };
export { heldAdvice } from './sampling-plan.js';
export type ResourceStatus = RequestStatus | PackageStatus;

/** The facts about a kind that need no value of it. */
export function kindInfo(kind: Kind): { noun: string; retrySafe: boolean } {
  switch (kind) {
    case 'AnnotationRequest':
      return annotationRequest;
    case 'SamplingPlan':
      return samplingPlan;
    default:
      return assertNever(kind);
  }
}

export function createHeadline(create: Create): string {
  switch (create.kind) {
    case 'AnnotationRequest':
      return annotationRequest.createHeadline(create);
    case 'SamplingPlan':
      return samplingPlan.createHeadline(create);
    default:
      return assertNever(create);
  }
}

export function sendCreate(create: Create, context: CreateContext): Promise<ResourceResult> {
  switch (create.kind) {
    case 'AnnotationRequest':
      return annotationRequest.create(create, context);
    case 'SamplingPlan':
      return samplingPlan.create(create, context);
    default:
      return assertNever(create);
  }
}

export function readResourceStatus(address: string, record: ResourceRecord, options: StatusReadOptions): Promise<ResourceStatus> {
  switch (record.kind) {
    case 'AnnotationRequest':
      return annotationRequest.readStatus(address, record, options);
    case 'SamplingPlan':
      return samplingPlan.readStatus(address, record, options);
    default:
      return assertNever(record);
  }
}

export function idLabel(record: ResourceRecord): string {
  switch (record.kind) {
    case 'AnnotationRequest':
      return annotationRequest.idLabel(record);
    case 'SamplingPlan':
      return samplingPlan.idLabel(record);
    default:
      return assertNever(record);
  }
}

/** The intent the engine may write ahead for a create (retry-safe kinds), or undefined. */
export function intentOf(create: Create, now: Date): ResourceRecord | undefined {
  switch (create.kind) {
    case 'AnnotationRequest':
      return annotationRequest.intentOf?.(create, now);
    case 'SamplingPlan':
      return samplingPlan.intentOf?.(create, now);
    default:
      return assertNever(create);
  }
}
