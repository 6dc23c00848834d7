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
import type { ApiResult, CallOptions } from '../api/client.js';
import type { Create } from '../plan/types.js';
import type { StateSession } from '../state/session.js';
import type { StateStore } from '../state/store.js';
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
  /** Aborted (Ctrl-C): start nothing new; creates in flight finish and are recorded. */
  stop?: AbortSignal;
  now?: () => Date;
}

type AnnotationCreate = Extract<Create, { kind: 'AnnotationRequest' }>;
type SamplingCreate = Extract<Create, { kind: 'SamplingPlan' }>;

export async function applyCreates(creates: readonly Create[], deps: ApplyDeps): Promise<ApplyReport> {
  const now = deps.now ?? (() => new Date());
  const slots = new Semaphore(deps.concurrency ?? 10);
  const results = new Map<string, Promise<ResourceResult>>();
  deps.reporter.begin(creates);

  const run = async (create: Create): Promise<ResourceResult> => {
    // Let every create register in `results` first, so a dependency is found whatever the order.
    await null;
    const base = { kind: create.kind, name: create.name, address: create.address };
    if (create.kind === 'SamplingPlan' && create.dependsOn && results.has(create.dependsOn)) {
      const dependency = await results.get(create.dependsOn)!;
      if (dependency.outcome !== 'created' && dependency.outcome !== 'adopted') {
        return finish({ ...base, outcome: 'skipped', message: `${create.dependsOn} was not applied (${dependency.outcome})` });
      }
    }
    const release = await slots.acquire();
    try {
      if (deps.stop?.aborted) return finish({ ...base, outcome: 'skipped', message: 'stopped by the user before it started' });
      deps.reporter.started(create.address);
      const call: CallOptions = { onRetry: (event) => deps.reporter.retrying(create.address, event) };
      // The body is kept only for later diffs: written alongside the request, not before it,
      // and a failure to keep it never turns a create into a failure.
      const bodySaved = deps.store.putBody(create.digest, create.body).catch((error: Error) => deps.reporter.warned(create.address, `could not keep the body for later diffs: ${error.message}`));
      // --concurrency bounds requests to the API: the slot is freed as soon as the answer is in,
      // while the answer is being made durable (the result is reported only once it is).
      const result = create.kind === 'AnnotationRequest' ? await createRequest(create, call, release) : await createSampling(create, call, release);
      await bodySaved;
      return finish(result);
    } catch (error) {
      // Most likely the state could not be written. Nothing is lost on the API side: a request that
      // went out is adopted by id on the next apply, and a sampling create keeps its pending record.
      return finish({
        ...base,
        outcome: 'failed',
        message: `could not complete: ${(error as Error).message}`,
        hint: 'fix the cause, then run plan: an annotation request that was created is adopted by id, a sampling create shows as pending',
      });
    } finally {
      release();
    }
  };

  const finish = (result: ResourceResult): ResourceResult => {
    deps.reporter.finished(result);
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
    const warnings = answer.outcome === 'adopted' ? await verifyAdoption(create, call) : [];
    answered();
    if (warnings.length > 0 && deps.strictAdopt) {
      return { ...base, ...answerFields(answer), outcome: 'failed', message: `already exists but does not match (--strict-adopt): ${warnings.join('; ')}`, warnings };
    }
    for (const w of warnings) deps.reporter.warned(create.address, w);
    const outcome = answer.outcome === 'ok' ? 'created' : 'adopted';
    await deps.session.put(create.address, {
      kind: 'AnnotationRequest',
      name: create.name,
      status: 'applied',
      outcome,
      digest: create.digest,
      annotationRequestId: create.body.annotationRequestId,
      ...(answer.code === undefined ? {} : { code: answer.code }),
      ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
      appliedAt: now().toISOString(),
    });
    return { ...base, ...answerFields(answer), outcome, ...(warnings.length > 0 ? { warnings } : {}) };
  };

  const verifyAdoption = async (create: AnnotationCreate, call: CallOptions): Promise<string[]> => {
    const read = await deps.client.getAnnotationRequest(create.body.annotationRequestId, call);
    if (read.outcome !== 'ok' || !read.data) return [`could not read the existing request back to compare it: ${read.message}`];
    return adoptionMismatches(create.body, read.data);
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
      await deps.session.put(create.address, {
        kind: 'SamplingPlan',
        name: create.name,
        status: 'applied',
        outcome: 'created',
        digest: create.digest,
        annotationRequestId: create.body.annotationRequestId,
        samplingPackageId: answer.data.samplingPackageId,
        ...(answer.data.sceneIdList ? { sceneIdList: answer.data.sceneIdList } : {}),
        ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
        appliedAt: now().toISOString(),
      });
      return { ...base, ...answerFields(answer), outcome: 'created', samplingPackageId: answer.data.samplingPackageId };
    }
    if (answer.outcome === 'ambiguous') {
      await deps.session.put(create.address, { ...pending, reason: answer.message });
      return {
        ...base,
        ...answerFields(answer),
        outcome: 'failed',
        pending: true,
        message: `outcome unknown: ${answer.message}. Recorded as pending; it will not be sent again`,
        hint: `check the platform for a package in pool ${create.body.poolName}, then: rosetta state resolve ${create.address} --sampling-package-id <id> (or --not-created)`,
      };
    }
    // A definite answer that nothing was created (or nothing was sent): forget the intent.
    await deps.session.remove(create.address);
    return { ...base, ...answerFields(answer), outcome: 'failed', message: answer.message };
  };

  for (const create of creates) results.set(create.address, run(create));
  const settled = await Promise.all(results.values());
  const report: ApplyReport = { results: settled, summary: summariseResults(settled), interrupted: deps.stop?.aborted ?? false };
  await deps.reporter.end(report);
  return report;
}

function answerFields(answer: ApiResult<unknown>): Pick<ResourceResult, 'code' | 'requestId' | 'hint'> {
  return {
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(answer.hint === undefined ? {} : { hint: answer.hint }),
  };
}
