/**
 * Runs the creates of a plan: dependency order (a sampling plan only after its
 * annotation request exists), bounded concurrency, state written after every
 * create, and the at-most-once rule for sampling creates:
 *
 *   pending record (durable) → send → record the answer
 *
 * An unknown outcome leaves the pending record in place; plan shows it and
 * nothing resends it until the user resolves it (`rosetta state resolve`).
 */
import pLimit from 'p-limit';
import type { ApiResult, CallOptions } from '../api/client.js';
import type { Create } from '../plan/types.js';
import type { StateSession } from '../state/session.js';
import { bodyDigest } from '../model/digest.js';
import type { StateStore } from '../state/store.js';
import type { ResourceRecord } from '../state/types.js';
import { adoptionMismatches } from './adoption.js';
import { Semaphore } from './semaphore.js';
import { summariseResults, type ApplyClient, type ApplyReport, type Reporter, type ResourceResult } from './types.js';

export interface ApplyDeps {
  client: ApplyClient;
  session: StateSession;
  /** Where bodies are kept for later diffs. */
  store: Pick<StateStore, 'putBody'>;
  reporter: Reporter;
  /** @default 10 */
  concurrency?: number;
  /** A mismatch after 53004/53005 fails instead of warning. */
  strictAdopt?: boolean;
  /** Stop (Ctrl-C, SIGTERM): start nothing new; creates in flight go on and are recorded. */
  stop?: AbortSignal;
  /**
   * Cancel: abort the requests in flight (the caller fires it when the grace period after a stop
   * is over). An aborted sampling create is ambiguous, so it stays pending.
   */
  cancel?: AbortSignal;
  now?: () => Date;
}

/** Body files written at once at the end of a run. */
const BODY_WRITERS = 8;

type AnnotationCreate = Extract<Create, { kind: 'AnnotationRequest' }>;
type SamplingCreate = Extract<Create, { kind: 'SamplingPlan' }>;

/** Thrown when an answer the API confirmed cannot be recorded; carries the answer's result. */
class Unrecorded extends Error {
  constructor(readonly result: ResourceResult, reason: unknown) {
    super((reason as Error)?.message ?? String(reason), { cause: reason });
  }
}

export async function applyCreates(creates: readonly Create[], deps: ApplyDeps): Promise<ApplyReport> {
  const now = deps.now ?? (() => new Date());
  const slots = new Semaphore(deps.concurrency ?? 10);
  const results = new Map<string, Promise<ResourceResult>>();
  /** Bodies to keep for later diffs, by digest; written after the run (see keepBodies). */
  const bodies = new Map<string, { address: string; body: unknown }>();
  let unstarted = 0;
  deps.reporter.begin(creates);

  /** Why nothing new may start, if something says so. */
  const stopReason = (): string | undefined => {
    if (deps.session.failed !== undefined) return 'not started: the state could not be written';
    if (deps.stop?.aborted) return 'stopped before it started';
    return undefined;
  };

  const run = async (create: Create): Promise<ResourceResult> => {
    // Let every create register in `results` first, so a dependency is found whatever the order.
    await null;
    const base = { kind: create.kind, name: create.name, address: create.address };
    const skipped = await dependencyProblem(create);
    if (skipped) return finish({ ...base, outcome: 'skipped', message: skipped });
    const release = await slots.acquire();
    try {
      const stopped = stopReason();
      if (stopped) {
        unstarted++;
        return finish({ ...base, outcome: 'skipped', message: stopped });
      }
      deps.reporter.started(create.address);
      const call: CallOptions = { onRetry: (event) => deps.reporter.retrying(create.address, event), ...(deps.cancel ? { signal: deps.cancel } : {}) };
      // --concurrency bounds requests to the API: the slot is freed as soon as the answer is in,
      // while the answer is being made durable (the result is reported only once it is).
      const result = create.kind === 'AnnotationRequest' ? await createRequest(create, call, release) : await createSampling(create, call, release);
      if (result.outcome === 'created' || result.outcome === 'adopted') bodies.set(create.digest, { address: create.address, body: create.body });
      return finish(result);
    } catch (error) {
      if (error instanceof Unrecorded) {
        return finish({
          ...error.result,
          outcome: 'failed',
          unrecorded: true,
          message: `the API confirmed it, but it could not be recorded in state: ${error.message}`,
          hint: recordHint(error.result),
        });
      }
      // The state could not be written before the request: nothing was sent.
      return finish({
        ...base,
        outcome: 'failed',
        message: `not sent: ${(error as Error).message}`,
        hint: 'fix the cause, then run plan and apply again',
      });
    } finally {
      release();
    }
  };

  /** A sampling plan waits for its annotation request; the reason it must be skipped, if any. */
  const dependencyProblem = async (create: Create): Promise<string | undefined> => {
    if (create.kind !== 'SamplingPlan' || !create.dependsOn) return undefined;
    const dependsOn = create.dependsOn;
    const inThisRun = results.get(dependsOn);
    if (inThisRun) {
      const dependency = await inThisRun;
      if (dependency.outcome !== 'created' && dependency.outcome !== 'adopted') return `${dependsOn} was not applied (${dependency.outcome})`;
      return dependency.absent ? absentMessage(dependsOn) : undefined;
    }
    const applied = deps.session.record(dependsOn);
    return applied?.kind === 'AnnotationRequest' && applied.status === 'applied' && applied.absent ? absentMessage(dependsOn) : undefined;
  };

  const finish = (result: ResourceResult): ResourceResult => {
    deps.reporter.finished(result);
    return result;
  };

  /**
   * Bodies only improve later diffs, so they are kept after every create has been recorded, off
   * the create path, and not at all once a state write has failed: they must never take the disk
   * space (or the time) that records need. Failing to keep one is a warning, never a failure.
   */
  const keepBodies = async (): Promise<void> => {
    if (deps.session.failed !== undefined) return;
    const limit = pLimit(BODY_WRITERS);
    await Promise.all(
      [...bodies].map(([digest, { address, body }]) =>
        limit(() => deps.store.putBody(digest, body).catch((error: Error) => deps.reporter.warned(address, `could not keep the body for later diffs: ${error.message}`))),
      ),
    );
  };

  /** Records a confirmed answer; if that fails, the answer's ids must still reach the user. */
  const record = async (address: string, entry: ResourceRecord, result: ResourceResult): Promise<ResourceResult> => {
    try {
      await deps.session.put(address, entry);
    } catch (error) {
      throw new Unrecorded(result, error);
    }
    return result;
  };

  const createRequest = async (create: AnnotationCreate, call: CallOptions, answered: () => void): Promise<ResourceResult> => {
    const base = { kind: create.kind, name: create.name, address: create.address, annotationRequestId: create.body.annotationRequestId };
    const answer = await deps.client.createAnnotationRequest(create.body, call);
    if (answer.outcome !== 'adopted') answered(); // an adoption reads the request back first
    if (answer.outcome !== 'ok' && answer.outcome !== 'adopted') {
      const maybe = answer.outcome === 'ambiguous' ? ' (it may exist; the next apply confirms it by id: 53004 adopts it)' : '';
      return { ...base, ...answerFields(answer), outcome: 'failed', message: `${answer.message}${maybe}` };
    }
    const { warnings, absent } = answer.outcome === 'adopted' ? await verifyAdoption(create, call) : { warnings: [], absent: false };
    answered();
    if (warnings.length > 0 && deps.strictAdopt) {
      return { ...base, ...answerFields(answer), outcome: 'failed', message: `already exists but does not match (--strict-adopt): ${warnings.join('; ')}`, warnings };
    }
    for (const w of warnings) deps.reporter.warned(create.address, w);
    const outcome = answer.outcome === 'ok' ? 'created' : 'adopted';
    const result: ResourceResult = { ...base, ...answerFields(answer), outcome, ...(warnings.length > 0 ? { warnings } : {}), ...(absent ? { absent: true } : {}) };
    return record(
      create.address,
      {
        kind: 'AnnotationRequest',
        name: create.name,
        status: 'applied',
        outcome,
        digest: create.digest,
        annotationRequestId: create.body.annotationRequestId,
        annotationRequestName: create.body.annotationRequestName,
        ...(answer.code === undefined ? {} : { code: answer.code }),
        ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
        ...(absent ? { absent: true as const } : {}),
        appliedAt: now().toISOString(),
      },
      result,
    );
  };

  const verifyAdoption = async (create: AnnotationCreate, call: CallOptions): Promise<{ warnings: string[]; absent: boolean }> => {
    const read = await deps.client.getAnnotationRequest(create.body.annotationRequestId, call);
    if (read.outcome !== 'ok' || !read.data) return { warnings: [`could not read the existing request back to compare it: ${read.message}`], absent: false };
    return { warnings: adoptionMismatches(create.body, read.data), absent: read.data.status === 'ID_NOT_EXISTS' };
  };

  const createSampling = async (create: SamplingCreate, call: CallOptions, answered: () => void): Promise<ResourceResult> => {
    const base = { kind: create.kind, name: create.name, address: create.address, annotationRequestId: create.body.annotationRequestId };
    const pending = {
      kind: 'SamplingPlan' as const,
      name: create.name,
      status: 'pending' as const,
      digest: create.digest,
      annotationRequestId: create.body.annotationRequestId,
      startedAt: now().toISOString(),
    };
    // The intent is durable before the request leaves: a crash from here on leaves a pending record.
    await deps.session.put(create.address, pending);
    const answer = await deps.client.createSamplingPackage(create.body, call);
    answered();
    if (answer.outcome === 'ok' && answer.data) {
      const { samplingPackageId, sceneIdList } = answer.data;
      const result: ResourceResult = { ...base, ...answerFields(answer), outcome: 'created', samplingPackageId };
      // The scene list (a million ids for a big request) is kept beside the state, not in the record
      // that is rewritten after every create.
      const sceneListDigest = Array.isArray(sceneIdList) ? bodyDigest(sceneIdList) : undefined;
      const recorded = await record(
        create.address,
        {
          kind: 'SamplingPlan',
          name: create.name,
          status: 'applied',
          outcome: 'created',
          digest: create.digest,
          annotationRequestId: create.body.annotationRequestId,
          samplingPackageId,
          ...(sceneListDigest ? { sceneCount: sceneIdList!.length, sceneListDigest } : {}),
          ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
          appliedAt: now().toISOString(),
        },
        result,
      );
      if (sceneListDigest) bodies.set(sceneListDigest, { address: create.address, body: sceneIdList });
      return recorded;
    }
    if (answer.outcome === 'ambiguous') {
      // If even this cannot be written, the durable pending record above still says "unknown".
      await deps.session.put(create.address, { ...pending, reason: answer.message }).catch(() => undefined);
      return {
        ...base,
        ...answerFields(answer),
        outcome: 'failed',
        pending: true,
        message: `outcome unknown: ${answer.message}. Recorded as pending; it will not be sent again`,
        hint: `check the platform for a package in pool ${create.body.poolName}, then: rosetta state resolve ${create.address} --sampling-package-id <id> (or --not-created)`,
      };
    }
    // A definite answer that nothing was created (or nothing was sent): forget the intent. If that
    // cannot be written, the pending record stays: safe (never resent), settled with state resolve.
    await deps.session.remove(create.address).catch(() => undefined);
    return { ...base, ...answerFields(answer), outcome: 'failed', message: answer.message };
  };

  for (const create of creates) results.set(create.address, run(create));
  const settled = await Promise.all(results.values());
  await keepBodies();
  const report: ApplyReport = { results: settled, summary: summariseResults(settled), interrupted: unstarted > 0 };
  await deps.reporter.end(report);
  return report;
}

function absentMessage(dependsOn: string): string {
  return `${dependsOn} was adopted by name (53005), but the platform has no request with its id: the name belongs to another request. Give it another annotationRequestName, then rosetta state rm ${dependsOn} and apply`;
}

/** What to run to record a create the API confirmed but state could not hold. */
function recordHint(result: ResourceResult): string {
  if (result.kind === 'SamplingPlan' && result.samplingPackageId !== undefined) {
    return `once state can be written: rosetta state resolve ${result.address} --sampling-package-id ${result.samplingPackageId}`;
  }
  return 'once state can be written, run apply again: the request is adopted by its id (53004)';
}

function answerFields(answer: ApiResult<unknown>): Pick<ResourceResult, 'code' | 'requestId' | 'hint'> {
  return {
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(answer.hint === undefined ? {} : { hint: answer.hint }),
  };
}
