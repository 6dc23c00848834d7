/**
 * Folder: created with an id we choose (helixProjectId), so an unknown outcome is safe to send
 * again; 54001/54002/54003 mean it exists, and it is read back (GET /folder/{id}) and compared.
 * Its status (helixStatus) is the one field of the whole API that can be changed: a folder declared
 * inactive is created and then updated, and a status that differs later is planned as an update.
 */
import { describeReadFailure, readFailureError } from '../api/reads.js';
import { canonicalJson } from '../model/digest.js';
import type { AppliedFolder } from '../model/records.js';
import type { FolderBody } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import { printable } from '../text.js';
import { answerFields } from './answer.js';
import { createPipelineResource, differingFields } from './pipeline-create.js';
import type { CreateContext, CreateOf, Imported, KindModule, RecordOf, StatusReadOptions } from './types.js';
import type { FolderInfo } from '../api/client.js';
import { bodyDigest } from '../model/digest.js';
import { RosettaError } from '../errors.js';
import type { Update } from '../model/changes.js';

export interface FolderStatusReport {
  kind: 'Folder';
  name: string;
  address: string;
  helixProjectId: string;
  status: 'ACTIVE' | 'INACTIVE' | 'NOT_FOUND' | 'UNKNOWN';
  message?: string;
}

const NOT_FOUND = 54004;

function create(create: CreateOf<'Folder'>, context: CreateContext): Promise<ResourceResult> {
  const { body } = create;
  return createPipelineResource(create, context, {
    send: (client, b: FolderBody, call) => client.createFolder(b, call),
    compare: async (client, b, call) => {
      const read = await client.getFolder(b.helixProjectId, call);
      // 54003: the name is taken, and no folder has our id: campaigns naming this folder get that other one.
      if (read.code === NOT_FOUND) return { warnings: [`no folder has id ${b.helixProjectId}: the name "${b.name}" belongs to another folder`] };
      if (read.outcome !== 'ok' || !read.data) return { warnings: [`could not read the existing folder back to compare it: ${describeReadFailure(read)}`] };
      const differing = differingFields(b, read.data, ['name', 'helixBucketNameList'], canonicalJson);
      return { warnings: differing.length === 0 ? [] : [`the existing folder differs from the manifest in: ${differing.join(', ')}`] };
    },
    record: (common): AppliedFolder => ({ ...common, kind: 'Folder', helixProjectId: body.helixProjectId, folderName: body.name, helixStatus: 'active' }),
    // A new folder is active; an adopted one is whatever it is. Either way, set what the manifest says.
    after: async (record, outcome, context) => {
      let current = record.helixStatus;
      if (outcome === 'adopted') {
        const read = await context.client.getFolder(body.helixProjectId, context.call);
        if (read.outcome === 'ok' && (read.data?.helixStatus === 'active' || read.data?.helixStatus === 'inactive')) current = read.data.helixStatus;
      }
      if (current === create.helixStatus) return { record: { ...record, helixStatus: current } };
      const set = await context.client.updateFolder({ helixProjectId: body.helixProjectId, helixStatus: create.helixStatus }, context.call);
      if (set.outcome === 'ok') return { record: { ...record, helixStatus: create.helixStatus } };
      return { record: { ...record, helixStatus: current }, problem: `${outcome}, but setting its status to ${create.helixStatus} failed: ${set.message}${set.code === undefined ? '' : ` (code ${set.code})`}; the next plan shows it as an update` };
    },
  });
}

/** POST /folder/update: the folder's status, from what was applied to what the manifest says. */
async function update(change: Update, context: CreateContext): Promise<ResourceResult> {
  const base = { kind: change.kind, name: change.name, address: change.address };
  const answer = await context.client.updateFolder({ helixProjectId: change.helixProjectId, helixStatus: change.helixStatus }, context.call);
  context.answered();
  if (answer.outcome !== 'ok') {
    const gone = answer.code === NOT_FOUND ? ' (the folder no longer exists: plan --refresh plans it as a create)' : '';
    return { ...base, ...answerFields(answer), outcome: 'failed', message: `${answer.message}${gone}` };
  }
  const record = context.current();
  if (record?.kind !== 'Folder' || record.status !== 'applied') {
    return { ...base, ...answerFields(answer), outcome: 'failed', message: 'updated on the platform, but state holds no applied record for it', hint: 'run plan: it shows what state knows' };
  }
  return context.recordConfirmed({ ...record, helixStatus: change.helixStatus }, { ...base, ...answerFields(answer), outcome: 'updated' });
}

async function readStatus(address: string, record: RecordOf<'Folder'>, options: StatusReadOptions): Promise<FolderStatusReport> {
  const base = { kind: 'Folder' as const, name: record.name, address, helixProjectId: record.helixProjectId };
  const read = await options.client.getFolder(record.helixProjectId, options.call);
  if (read.code === NOT_FOUND) return { ...base, status: 'NOT_FOUND' };
  if (read.outcome !== 'ok' || !read.data) return { ...base, status: 'UNKNOWN', message: describeReadFailure(read) };
  const status = read.data.helixStatus;
  if (status === 'active') return { ...base, status: 'ACTIVE' };
  if (status === 'inactive') return { ...base, status: 'INACTIVE' };
  return { ...base, status: 'UNKNOWN', message: `the platform answered a status rosetta does not know: ${printable(JSON.stringify(status) ?? String(status)).slice(0, 80)}` };
}

/** A folder as the platform holds it, as import records it (and writes its manifest). */
export function importedFolder(name: string, info: FolderInfo, requestId: string | undefined, now: Date): Imported<'Folder'> {
  const body: FolderBody = { helixProjectId: info.helixProjectId, name: info.name, helixBucketNameList: info.helixBucketNameList ?? [] };
  const helixStatus = info.helixStatus === 'inactive' ? 'inactive' : 'active';
  return {
    body,
    spec: { ...body, helixStatus },
    record: {
      kind: 'Folder',
      name,
      status: 'applied',
      outcome: 'imported',
      digest: bodyDigest(body),
      helixProjectId: body.helixProjectId,
      folderName: body.name,
      helixStatus,
      ...(requestId === undefined ? {} : { requestId }),
      appliedAt: now.toISOString(),
    },
  };
}

export const folder: KindModule<'Folder', FolderStatusReport, true> = {
  kind: 'Folder',
  noun: 'folder',
  retrySafe: true,
  createHeadline: (c) =>
    c.reason === 'gone'
      ? `will be created again: the platform no longer has it (retry-safe: the id ${c.body.helixProjectId} is ours)`
      : `will be created${c.helixStatus === 'active' ? '' : `, then set ${c.helixStatus}`} (retry-safe: the id ${c.body.helixProjectId} is ours)`,
  create,
  update,
  readStatus,
  refresh: async (address, record, { client }) => {
    const read = await client.getFolder(record.helixProjectId);
    if (read.code === NOT_FOUND) return { gone: true };
    if (read.outcome !== 'ok' || !read.data) throw readFailureError(`could not read ${address} from the platform to refresh it`, read, 'retry later, or plan without --refresh');
    const status = read.data.helixStatus;
    return status === 'active' || status === 'inactive' ? { observed: { helixStatus: status } } : undefined;
  },
  importById: async (name, id, client, now) => {
    const read = await client.getFolder(id);
    if (read.code === NOT_FOUND) throw new RosettaError('ROS_REMOTE_NOT_FOUND', `the platform has no folder with id ${printable(id)} (54004)`, { hint: 'the id is the helixProjectId, not the name' });
    if (read.outcome !== 'ok' || !read.data) throw readFailureError(`could not read folder ${printable(id)}`, read);
    return importedFolder(name, read.data, read.requestId, now);
  },
  idLabel: (record) => `helixProjectId=${record.helixProjectId}`,
  describeStatus: (r) => (r.status === 'NOT_FOUND' ? `the platform has no folder with id ${r.helixProjectId}` : `folder ${r.helixProjectId}`),
};
