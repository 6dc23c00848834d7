/**
 * What a resource kind owns: its name on the platform, its plan line, its apply protocol (how to
 * create, how to read the answer, which record to keep, whether an unknown outcome may be sent
 * again) and how its status is read. One module per kind implements this; src/kinds/index.ts
 * dispatches with exhaustive switches, so a new kind fails to compile until every place handles it.
 */
import type { AnnotationRequestStatus, ApiResult, CallOptions, SamplingPackage } from '../api/client.js';
import type { AnnotationRequestBody, SamplingBody } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import type { Kind } from '../model/resources.js';
import type { Create } from '../model/changes.js';
import type { ResourceRecord } from '../model/records.js';
import type { ReadClient } from '../api/reads.js';

/** The part of the API client that apply needs; RosettaClient satisfies it. */
export interface ApplyClient {
  createAnnotationRequest(body: AnnotationRequestBody, options?: CallOptions): Promise<ApiResult<null>>;
  createSamplingPackage(body: SamplingBody, options?: CallOptions): Promise<ApiResult<SamplingPackage>>;
  getAnnotationRequest(id: string, options?: CallOptions): Promise<ApiResult<AnnotationRequestStatus>>;
}

export type CreateOf<K extends Kind> = Extract<Create, { kind: K }>;
export type RecordOf<K extends Kind> = Extract<ResourceRecord, { kind: K }>;

/** What the engine gives a kind's create: the API, the state, and the engine's bookkeeping. */
export interface CreateContext {
  client: ApplyClient;
  call: CallOptions;
  /** Frees the concurrency slot: the API has answered (reads that follow still count as the same create). */
  answered(): void;
  warn(message: string): void;
  /** Records an intent before the request leaves; throws if it cannot (then nothing may be sent). */
  recordIntent(record: ResourceRecord): Promise<void>;
  /**
   * Records what the API confirmed and returns `result`; if the record cannot be written, throws
   * so the engine reports the confirmed ids as unrecorded.
   */
  recordConfirmed(record: ResourceRecord, result: ResourceResult): Promise<ResourceResult>;
  /** Best effort: replace the record without failing (the earlier record stays if this fails). */
  recordQuietly(record: ResourceRecord): Promise<void>;
  /** Best effort: forget the intent (a definite "not created"). */
  forget(): Promise<void>;
  /** Best effort: put back the record this create found (or none), replacing its intent. */
  restore(): Promise<void>;
  /** Keep a body by digest for later diffs (written after the run). */
  keepBody(digest: string, body: unknown): void;
  strictAdopt: boolean;
  now(): Date;
}

export interface StatusReadOptions {
  client: ReadClient;
  call: CallOptions;
  /** Error scenes listed per request (all are counted). */
  maxErrors: number;
}

export interface KindModule<K extends Kind, S extends { kind: K }, R extends boolean = boolean> {
  kind: K;
  /** What one is called on the platform ("annotation request"). */
  noun: string;
  /** An unknown outcome may be sent again (the create carries our id, so a repeat is harmless). */
  retrySafe: R;
  /** The plan's line for a create of this kind. */
  createHeadline(create: CreateOf<K>): string;
  /** Sends the create and records its answer. */
  create(create: CreateOf<K>, context: CreateContext): Promise<ResourceResult>;
  /**
   * A retry-safe kind's intent, which the engine may write ahead for creates waiting for a slot
   * (several in one commit). A kind that is not retry-safe writes its own, exactly before sending.
   */
  intentOf?(create: CreateOf<K>, now: Date): RecordOf<K>;
  /** What the platform says about an applied resource (rosetta status). */
  readStatus(address: string, record: RecordOf<K>, options: StatusReadOptions): Promise<S>;
  /** The id a person looks for on the platform, for listings. */
  idLabel(record: RecordOf<K>): string;
}
