/**
 * The shared vocabulary: resource kinds, addresses and the wire bodies the API receives. The
 * manifest stage builds these; api, state, plan and apply use them without knowing about YAML.
 */
import type { LargeMap } from './large-map.js';

/**
 * A sceneIdMap: a plain object (the full YAML parser, the API's answers) or a LargeMap (the fast
 * parser's million-scene map, two arrays). A union, so every reader must handle both: walk it
 * with keysOf/entriesOf (src/model/known-keys.ts), never with Object.keys or an index.
 */
export type SceneIdMap = Readonly<Record<string, string>> | LargeMap;

export const KINDS = ['AnnotationRequest', 'SamplingPlan'] as const;
export type Kind = (typeof KINDS)[number];

/** KIND/NAME, how the CLI and state name a resource. */
export function addressOf(kind: Kind, name: string): string {
  return `${kind}/${name}`;
}

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** KIND/NAME as typed by a person (--target, state mv, import): its parts, or undefined if it is not one. */
export function parseAddress(text: string): { kind: Kind; name: string } | undefined {
  const slash = text.indexOf('/');
  const kind = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (slash < 0 || !(KINDS as readonly string[]).includes(kind) || !NAME.test(name)) return undefined;
  return { kind: kind as Kind, name };
}

/** The body of POST /annotation-request. */
export interface AnnotationRequestBody {
  annotationRequestId: string;
  annotationRequestName: string;
  campaignId: string;
  sceneIdMap: SceneIdMap;
  operatorKeys?: string[];
  annotationRequestCallback?: string;
  annotationResultCallback?: Record<string, string>;
}

export interface InterceptionRange {
  start: number;
  end: number;
}

/** subCondition as sent: enum names already turned into the API's numbers. */
export interface SubConditionBody {
  conditionJoinType?: 'and' | 'or';
  workPoolFilterType?: number;
  workPoolFilter?: string[];
  userNameFilter?: string[];
  operationFilterType?: number[];
  noNeedAnnotate?: boolean;
  haveIssue?: boolean;
  rejectionTime?: number;
  taskId?: string[];
  startTime?: string;
  endTime?: string;
}

/** The body of POST /sampling/create: enum names as numbers, the ref resolved. */
export interface SamplingBody {
  annotationRequestId: string;
  poolName: string;
  sampleType?: number;
  sampleCount?: number;
  samplingRatio?: number;
  samplingQuantity?: number;
  subCondition?: SubConditionBody;
  interceptionMode?: number;
  interceptionFrame?: number;
  sequenceLength?: number;
  interceptionBoundary?: InterceptionRange[];
}
