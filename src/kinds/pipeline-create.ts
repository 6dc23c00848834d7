/**
 * The create protocol the pipeline kinds share (Folder, Taxonomy, WorkflowTemplate, Campaign):
 * each carries an id or a unique name of ours, so a create whose outcome is unknown is safe to send
 * again, and "already exists" means applied. What differs per kind is the call, how an existing
 * one is read back and compared, and the record kept: given here as parameters.
 */
import { mayHaveTakenEffect, type ApiResult, type CallOptions } from '../api/client.js';
import type { ResourceRecord } from '../model/records.js';
import type { ResourceResult } from '../model/results.js';
import { answerFields } from './answer.js';
import type { ApplyClient, CreateContext } from './types.js';

export interface PipelineCreate<B> {
  kind: ResourceResult['kind'];
  name: string;
  address: string;
  body: B;
  digest: string;
}

export interface PipelineProtocol<B, R extends ResourceRecord> {
  send(client: ApplyClient, body: B, call: CallOptions): Promise<ApiResult<unknown>>;
  /**
   * After "already exists": read it back and say how it differs from the body (warnings; with
   * --strict-adopt, failures). `notes` are said but never fail (what cannot be checked at all).
   */
  compare(client: ApplyClient, body: B, call: CallOptions): Promise<{ warnings: string[]; notes?: string[] }>;
  /** The record to keep for what the API confirmed, from the fields every pipeline record has. */
  record(common: AppliedCommon): R;
  /** Work after the create (a folder's status), before the record is written; may change the record. */
  after?(record: R, outcome: 'created' | 'adopted', context: CreateContext): Promise<{ record: R; problem?: string }>;
}

export async function createPipelineResource<B, R extends ResourceRecord>(create: PipelineCreate<B>, context: CreateContext, protocol: PipelineProtocol<B, R>): Promise<ResourceResult> {
  const base = { kind: create.kind, name: create.name, address: create.address };
  const answer = await protocol.send(context.client, create.body, context.call);
  if (answer.outcome !== 'adopted') context.answered(); // an adoption reads back first
  if (answer.outcome !== 'ok' && answer.outcome !== 'adopted') {
    const maybe = answer.earlierAttemptUnknown === true || mayHaveTakenEffect(answer) ? ' (it may exist: the next apply sends it again, and "already exists" then confirms it)' : '';
    return { ...base, ...answerFields(answer), outcome: 'failed', message: `${answer.message}${maybe}` };
  }
  const outcome = answer.outcome === 'ok' ? 'created' : 'adopted';
  const { warnings, notes = [] } = outcome === 'adopted' ? await protocol.compare(context.client, create.body, context.call) : { warnings: [] };
  context.answered();
  if (warnings.length > 0 && context.strictAdopt) {
    return { ...base, ...answerFields(answer), outcome: 'failed', message: `already exists but does not match (--strict-adopt): ${warnings.join('; ')}`, warnings };
  }
  for (const w of [...warnings, ...notes]) context.warn(w);
  let record = protocol.record({ name: create.name, digest: create.digest, ...appliedFields(outcome, answer, context.now().toISOString()) });
  let problem: string | undefined;
  if (protocol.after) ({ record, problem } = await protocol.after(record, outcome, context));
  context.keepBody(create.digest, create.body);
  const said = [...warnings, ...notes];
  const result: ResourceResult = problem
    ? { ...base, ...answerFields(answer), outcome: 'failed', message: problem, ...(said.length > 0 ? { warnings: said } : {}) }
    : { ...base, ...answerFields(answer), outcome, ...(said.length > 0 ? { warnings: said } : {}) };
  return context.recordConfirmed(record, result);
}

/** What every applied pipeline record holds besides its kind and ids. */
export interface AppliedCommon {
  name: string;
  digest: string;
  status: 'applied';
  outcome: 'created' | 'adopted';
  code?: number;
  requestId?: string;
  appliedAt: string;
}

/** The common fields of a pipeline record: outcome, the answer's code and requestId, when. */
function appliedFields(outcome: 'created' | 'adopted', answer: ApiResult<unknown>, appliedAt: string): Omit<AppliedCommon, 'name' | 'digest'> {
  return {
    status: 'applied',
    outcome,
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    appliedAt,
  };
}

/** Fields of `ours` that `theirs` (read back) holds differently, compared as canonical JSON. */
export function differingFields<T extends object>(ours: T, theirs: Partial<T> | undefined, fields: readonly (keyof T & string)[], canonical: (value: unknown) => string): string[] {
  if (!theirs) return [];
  return fields.filter((field) => canonical(ours[field]) !== canonical(theirs[field]));
}
