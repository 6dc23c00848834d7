/**
 * rosetta results pull: the finished results of every applied annotation request, one JSONL file
 * per request (`{"sceneId": …, "uri": …}` a line), from the only index the API has of them: the
 * completionSceneMap of GET /annotation-request/task/schedule, which only grows.
 *
 * Incremental and crash-safe: a rerun adds only the scenes not in the file yet, each file is
 * replaced whole (written, fsynced, renamed), so a kill -9 leaves the old file or the new one,
 * never half of one, and a rerun with nothing new writes nothing at all.
 */
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { CallOptions, TaskSchedule } from '../api/client.js';
import { describeReadFailure, type ReadClient } from '../api/reads.js';
import type { State } from '../model/records.js';
import { writeFileDurably } from '../state/durable-write.js';
import { printable } from '../text.js';

export interface PullResult {
  address: string;
  /** The file, relative to the output folder. */
  file: string;
  /** Scenes added by this pull. */
  added: number;
  /** Scenes in the file now. */
  total: number;
  /** Why this request could not be pulled (the file is as it was). */
  error?: string;
}

export interface PullOptions {
  client: Pick<ReadClient, 'getTaskSchedule'>;
  /** Absolute path of the output folder (made if missing). */
  dir: string;
  /** Only these addresses; all applied annotation requests when absent. */
  only?: ReadonlySet<string>;
  /** Requests read at once. @default 4 */
  concurrency?: number;
  /** Told of each request as it is done (a progress line). */
  onPulled?: (result: PullResult) => void;
  call?: CallOptions;
}

export async function pullResults(state: State, options: PullOptions): Promise<PullResult[]> {
  await mkdir(options.dir, { recursive: true });
  await removeLeftovers(options.dir);
  const limit = pLimit(options.concurrency ?? 4);
  const requests = Object.entries(state.resources)
    .filter(([address, r]) => r.kind === 'AnnotationRequest' && r.status === 'applied' && !r.absent && (!options.only || options.only.has(address)))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return Promise.all(
    requests.map(([address, record]) =>
      limit(async () => {
        const result = await pullOne(address, record.name, (record as { annotationRequestId: string }).annotationRequestId, options);
        options.onPulled?.(result);
        return result;
      }),
    ),
  );
}

async function pullOne(address: string, name: string, annotationRequestId: string, options: PullOptions): Promise<PullResult> {
  // metadata.name is lowercase letters, digits and '-': safe as a file name.
  const file = `${name}.jsonl`;
  const path = join(options.dir, file);
  const fail = (error: string, total = 0): PullResult => ({ address, file, added: 0, total, error });
  const existing = await readExisting(path, file);
  if ('error' in existing) return fail(existing.error);
  const read = await options.client.getTaskSchedule(annotationRequestId, options.call);
  if (read.outcome !== 'ok' || !read.data) return fail(`could not read its results: ${describeReadFailure(read)}`, existing.scenes.size);
  const finished = finishedScenes(read.data);
  if (typeof finished === 'string') return fail(finished, existing.scenes.size);
  const fresh = [...finished].filter(([sceneId]) => !existing.scenes.has(sceneId)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = existing.scenes.size + fresh.length;
  // Nothing new: no byte changes. (A first pull with nothing finished yet still makes the file.)
  if (fresh.length === 0 && existing.exists) return { address, file, added: 0, total };
  const lines = fresh.map(([sceneId, uri]) => `${JSON.stringify({ sceneId, uri })}\n`).join('');
  const before = existing.text === '' || existing.text.endsWith('\n') ? existing.text : `${existing.text}\n`;
  try {
    await writeFileDurably(path, before + lines);
  } catch (error) {
    return fail(`could not write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; it is as it was`, existing.scenes.size);
  }
  return { address, file, added: fresh.length, total };
}

/** Temporary files a pull killed mid-write left behind (the files they were to replace are whole). */
async function removeLeftovers(dir: string): Promise<void> {
  const leftovers = (await readdir(dir)).filter((name) => /^\.[a-z0-9-]+\.jsonl\.\d+\.[0-9a-f]{8}\.tmp$/.test(name));
  await Promise.all(leftovers.map((name) => unlink(join(dir, name)).catch(() => undefined)));
}

/** The scenes a file holds already; an unreadable or edited file is an error naming its line. */
async function readExisting(path: string, file: string): Promise<{ text: string; scenes: Set<string>; exists: boolean } | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', scenes: new Set(), exists: false };
    return { error: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const scenes = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const sceneId = (value as { sceneId?: unknown } | undefined)?.sceneId;
    if (typeof sceneId !== 'string') return { error: `${file}:${i + 1}: not a result line {"sceneId": …, "uri": …}; move the file away to pull its results afresh` };
    scenes.add(sceneId);
  }
  return { text, scenes, exists: true };
}

/** The finished scenes of an answer, or why the answer cannot be used (a lying or broken server). */
function finishedScenes(schedule: TaskSchedule): Map<string, string> | string {
  const map = schedule.completionSceneMap ?? {};
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return 'the platform answered a completionSceneMap that is not a map of scene id to result URI';
  const scenes = new Map<string, string>();
  for (const [sceneId, uri] of Object.entries(map)) {
    if (typeof uri !== 'string') return `the platform answered a result for scene ${printable(JSON.stringify(sceneId))} that is not a URI`;
    scenes.set(sceneId, uri);
  }
  return scenes;
}
