/**
 * plan --refresh: what the platform says about every applied resource, read before planning so the
 * planner stays pure (it receives these facts as input). An annotation request the platform no
 * longer has can be created again (its id is ours); one that differs from what was sent, and a
 * package the platform cannot find, are drift: shown, never acted on.
 */
import pLimit from 'p-limit';
import { assertNever } from '../assert.js';
import type { ApiResult } from '../api/client.js';
import { adoptionDifferences } from '../kinds/adoption.js';
import type { RosettaError } from '../errors.js';
import type { AnnotationRequestBody } from '../manifest/types.js';
import type { Refreshed } from '../model/changes.js';
import type { BodyStore } from '../state/store.js';
import type { State } from '../model/records.js';
import { readFailureError, type ReadClient } from '../api/reads.js';

export async function refreshState(state: State, client: ReadClient, bodies: Pick<BodyStore, 'getBody'>, concurrency = 8): Promise<Map<string, Refreshed>> {
  const limit = pLimit(concurrency);
  const found = new Map<string, Refreshed>();
  await Promise.all(
    Object.entries(state.resources).map(([address, record]) =>
      limit(async () => {
        if (record.status !== 'applied') return;
        switch (record.kind) {
          case 'AnnotationRequest': {
            const read = await client.getAnnotationRequest(record.annotationRequestId);
            if (read.outcome !== 'ok' || !read.data) throw readError(address, read);
            if (read.data.status === 'ID_NOT_EXISTS') return void found.set(address, { gone: true });
            const sent = (await bodies.getBody(record.digest)) as AnnotationRequestBody | undefined;
            const fields = sent && read.data.annotationRequestInfo ? adoptionDifferences(sent, read.data.annotationRequestInfo) : [];
            if (fields.length > 0) found.set(address, { drift: { fields } });
            return;
          }
          case 'SamplingPlan': {
            const read = await client.getSamplingAccuracy(record.samplingPackageId);
            if (read.code === 57008) return void found.set(address, { drift: { missingPackage: record.samplingPackageId } });
            if (read.outcome !== 'ok') throw readError(address, read);
            return;
          }
          default:
            return assertNever(record);
        }
      }),
    ),
  );
  return found;
}

function readError(address: string, read: ApiResult<unknown>): RosettaError {
  return readFailureError(`could not read ${address} from the platform to refresh it`, read, 'retry later, or plan without --refresh');
}
