/**
 * SamplingPlan, the manifest side: its local rules (choose-one and required-when fields, ranges,
 * times), its request reference and its body (enum names as the API's numbers).
 */
import { INTERCEPTION_CUSTOM, INTERCEPTION_SEQUENCE_LENGTH, enumNumber } from '../model/enums.js';
import type { SamplingBody, SamplingPlanResource } from '../model/resources.js';
import type { SamplingPlanSpec } from '../model/spec-types.js';
import { extended, isObject } from '../values.js';
import { checkNotBlank, timeProblem } from './spec-checks.js';
import type { PathSegment, Spec, SpecModule, SpecReport } from './types.js';

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

function checkSamplingPlan(spec: Spec, report: SpecReport): void {
  const has = (field: string) => spec[field] !== undefined;
  checkNotBlank(spec, 'poolName', report);

  if (has('samplingRatio') === has('samplingQuantity')) {
    report(has('samplingQuantity') ? ['samplingQuantity'] : [], 'rules.one-of-sampling', has('samplingRatio')
      ? 'spec: set only one of samplingRatio and samplingQuantity (the API answers 57015 otherwise)'
      : 'spec: missing samplingRatio or samplingQuantity (set exactly one)');
  }
  checkInterception(spec, report);
  if (isObject(spec.subCondition)) checkSubCondition(spec.subCondition, report);
}

function checkInterception(spec: Spec, report: SpecReport): void {
  const mode = enumNumber('interceptionMode', spec.interceptionMode);
  const has = (field: string) => spec[field] !== undefined;
  if (spec.interceptionMode === undefined) {
    for (const field of ['interceptionFrame', 'sequenceLength', 'interceptionBoundary']) {
      if (has(field)) report([field], 'rules.interception', `spec.${field}: only used together with interceptionMode`, 'set interceptionMode, or remove this field');
    }
    return;
  }
  if (mode === undefined) return; // the schema reports the bad enum value
  if (mode === INTERCEPTION_SEQUENCE_LENGTH) {
    if (!has('sequenceLength')) report(['interceptionMode'], 'rules.interception', 'spec: sequenceLength is required when interceptionMode is sequence-length (6)');
    if (has('interceptionFrame')) report(['interceptionFrame'], 'rules.interception', 'spec.interceptionFrame: not used when interceptionMode is sequence-length (6); use sequenceLength');
  } else {
    if (!has('interceptionFrame')) report(['interceptionMode'], 'rules.interception', 'spec: interceptionFrame is required unless interceptionMode is sequence-length (6)');
    if (has('sequenceLength')) report(['sequenceLength'], 'rules.interception', 'spec.sequenceLength: only used when interceptionMode is sequence-length (6)');
  }
  if (mode === INTERCEPTION_CUSTOM) {
    if (!has('interceptionBoundary')) report(['interceptionMode'], 'rules.interception', 'spec: interceptionBoundary is required when interceptionMode is custom (5)', 'add interceptionBoundary: [{ start: 1, end: 20 }]');
  } else if (has('interceptionBoundary')) {
    report(['interceptionBoundary'], 'rules.interception', 'spec.interceptionBoundary: only used when interceptionMode is custom (5)');
  }
  const ranges = spec.interceptionBoundary;
  if (Array.isArray(ranges)) {
    ranges.forEach((range: unknown, i) => {
      if (isObject(range) && typeof range.start === 'number' && typeof range.end === 'number' && range.start > range.end) {
        report(['interceptionBoundary', i], 'rules.boundary-order', `spec.interceptionBoundary[${i}]: start (${range.start}) must not be after end (${range.end})`);
      }
    });
  }
}

function checkSubCondition(sub: Spec, report: SpecReport): void {
  const at = (field: string): PathSegment[] => ['subCondition', field];
  if (sub.operationFilterType !== undefined && sub.userNameFilter === undefined) {
    report(at('operationFilterType'), 'rules.sub-condition', 'spec.subCondition.operationFilterType: only used together with userNameFilter', 'add userNameFilter with the users whose operations to filter by');
  }
  if ((sub.workPoolFilter === undefined) !== (sub.workPoolFilterType === undefined)) {
    const present = sub.workPoolFilter !== undefined ? 'workPoolFilter' : 'workPoolFilterType';
    const missing = present === 'workPoolFilter' ? 'workPoolFilterType' : 'workPoolFilter';
    report(at(present), 'rules.sub-condition', `spec.subCondition.${present}: must be given together with ${missing}`);
  }
  const validTimes = ['startTime', 'endTime'].map((field) => {
    const value = sub[field];
    if (typeof value !== 'string') return false;
    const problem = timeProblem(value);
    if (problem) report(at(field), 'rules.time', `spec.subCondition.${field}: ${problem}, found ${JSON.stringify(value)}`);
    return problem === undefined;
  });
  if (validTimes.every(Boolean) && typeof sub.startTime === 'string' && typeof sub.endTime === 'string') {
    const normal = (t: string) => t.replace('T', ' ');
    if (normal(sub.startTime) > normal(sub.endTime)) {
      report(at('startTime'), 'rules.time-order', `spec.subCondition.startTime (${sub.startTime}) must not be after endTime (${sub.endTime})`);
    }
  }
}

export const samplingPlanSpec: SpecModule<'SamplingPlan'> = {
  kind: 'SamplingPlan',
  rank: 3,
  identifierFields: ['annotationRequestId', 'annotationRequestRef', 'poolName'],
  references: [{ field: 'annotationRequestRef', kind: 'AnnotationRequest', alternative: 'annotationRequestId' }],
  unique: [],
  checkSpec: checkSamplingPlan,
  // Nothing names a sampling plan: its identity is its name.
  identity: (name) => name,
  toResource(base, spec, _identity, resolve): SamplingPlanResource {
    const requestId = resolve('annotationRequestRef')!;
    const dependsOn = base.needs?.find((address) => address.startsWith('AnnotationRequest/'));
    const { needs: _needs, ...rest } = base;
    return extended(rest, { kind: 'SamplingPlan' as const, body: samplingBody(spec as unknown as SamplingPlanSpec, requestId), dependsOn });
  },
};
