import { resolveEndpoint } from '../../api/config.js';
import type { Plan } from '../../model/changes.js';
import { RosettaError, isRosettaError } from '../../errors.js';
import { planJsonChunks } from '../../plan/render-json.js';
import { renderPlanMarkdown } from '../../plan/render-markdown.js';
import { planTextChunks } from '../../plan/render-text.js';
import { planAction } from '../../actions/plan.js';
import { apiClient, appendStepSummary, loadResources, stateLocation, withStore, type StateOptions } from '../context.js';
import { isFileState } from '../../state/open.js';
import type { State } from '../../model/records.js';
import { ExitCode, writeChunks, type Io } from '../io.js';
import type { ManifestOptions } from '../options.js';
import { VERSION } from '../version.js';

export interface PlanOptions extends ManifestOptions, StateOptions {
  out?: string;
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  refresh?: boolean;
  target: string[];
  allowSamplingOnAdopted?: boolean;
  endpoint?: string;
  insecure?: boolean;
}

export async function planCommand(paths: string[], options: PlanOptions, io: Io): Promise<void> {
  // Checked first: a plan that cannot be saved should not be printed as if it were. The endpoint is
  // always recorded in a saved plan, so it is never applied to another platform by accident.
  const save = options.out ? { path: options.out, endpoint: endpointForSavedPlan(options, io), rosettaVersion: VERSION } : undefined;
  // Only --refresh reads the API (and so needs the endpoint and keys); a plain plan never does.
  const client = options.refresh ? apiClient(options, io) : undefined;
  const early = options.refresh ? undefined : await fileStateFirst(options, io);
  const resources = await loadResources(paths, options, io);
  let plan: Plan;
  try {
    plan = await withStore(options, io, (store) => planAction({ resources, targets: options.target, store, ...(early ? { state: early() } : {}), allowSamplingOnAdopted: options.allowSamplingOnAdopted ?? false, ...(client ? { refresh: client } : {}), ...(save ? { save } : {}) }));
  } finally {
    await client?.close();
  }

  if (options.format === 'json') await writeChunks(io, planJsonChunks(plan));
  else if (options.format === 'text') await writeChunks(io, planTextChunks(plan));
  else io.stdout(renderPlanMarkdown(plan));
  await appendStepSummary(io, () => renderPlanMarkdown(plan));
  if (options.out && options.format === 'text') io.stdout(`\nSaved the plan to ${options.out}. Apply exactly this plan with: rosetta apply --plan ${options.out}\n`);

  if (plan.summary.conflict > 0) throw new ExitCode(1);
  if (options.detailedExitcode && plan.summary.create + plan.summary.update > 0) throw new ExitCode(2);
}

function endpointForSavedPlan(options: PlanOptions, io: Io): string {
  try {
    return resolveEndpoint(options, io.env);
  } catch (error) {
    if (!isRosettaError(error)) throw error;
    throw new RosettaError(error.code, `plan --out records the endpoint the plan is for: ${error.message}`, { hint: error.hint ?? 'set ROSETTA_ENDPOINT or pass --endpoint' });
  }
}

/**
 * A file state, read before the manifests; what is wrong with it is said after them, as before
 * (their errors come first). Its text is as big as the state (50 MB for 100,000 resources) and is
 * held twice while it is decoded: read after 100,000 manifests were loaded, that was the plan's
 * peak memory. A PostgreSQL state is read when the plan needs it, as before; so is any state when
 * the plan refreshes (which may write it).
 */
async function fileStateFirst(options: StateOptions, io: Io): Promise<(() => State) | undefined> {
  let location: string | undefined;
  try {
    location = stateLocation(options, io.env);
  } catch {
    return undefined; // said by withStore, after the manifests
  }
  if (!isFileState(location)) return undefined;
  try {
    const state = await withStore(options, io, (store) => store.read());
    return () => state;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}
