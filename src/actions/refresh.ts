/**
 * plan --refresh: what the platform says about every applied resource, read before planning so the
 * planner stays pure (it receives these facts as input). An annotation request the platform no
 * longer has can be created again (its id is ours); one that differs from what was sent, and a
 * package the platform cannot find, are drift: shown, never acted on.
 */
import pLimit from 'p-limit';
import { refreshResource } from '../kinds/index.js';
import type { Refreshed } from '../model/changes.js';
import type { BodyStore } from '../state/store.js';
import type { State } from '../model/records.js';
import type { ReadClient } from '../api/reads.js';

export async function refreshState(state: State, client: ReadClient, bodies: Pick<BodyStore, 'getBody'>, concurrency = 8): Promise<Map<string, Refreshed>> {
  const limit = pLimit(concurrency);
  const found = new Map<string, Refreshed>();
  const getBody = (digest: string) => bodies.getBody(digest);
  await Promise.all(
    Object.entries(state.resources).map(([address, record]) =>
      limit(async () => {
        if (record.status !== 'applied') return;
        const refreshed = await refreshResource(address, record, { client, getBody });
        if (refreshed) found.set(address, refreshed);
      }),
    ),
  );
  return found;
}
