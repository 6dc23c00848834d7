/**
 * Campaign: created with an id we choose (campaignId), so an unknown outcome is safe to send again;
 * 51003 (the id exists) and 51004 (the name exists) mean applied, and the campaign is read back
 * (GET /campaign/{name}) and compared. 51001 is a duplicate still in flight: transient.
 */
import { describeReadFailure, readFailureError } from '../api/reads.js';
import { canonicalJson } from '../model/digest.js';
import type { CampaignBody } from '../model/resources.js';
import type { ResourceResult } from '../model/results.js';
import { createPipelineResource, differingFields } from './pipeline-create.js';
import type { CreateContext, CreateOf, Imported, KindModule, RecordOf, StatusReadOptions } from './types.js';
import type { CampaignInfo } from '../api/client.js';
import { bodyDigest } from '../model/digest.js';
import { RosettaError } from '../errors.js';
import { printable } from '../text.js';

export interface CampaignStatusReport {
  kind: 'Campaign';
  name: string;
  address: string;
  campaignId: string;
  status: 'EXISTS' | 'NOT_FOUND' | 'UNKNOWN';
  message?: string;
}

/** Both mean "no campaign of that name" (the vendor documents the two). */
const NOT_FOUND: ReadonlySet<number | undefined> = new Set([51006, 51009]);
const COMPARED = ['campaignId', 'campaignName', 'workflowType', 'taxonomyVersionName', 'folderName', 'campaignType'] as const;

function create(create: CreateOf<'Campaign'>, context: CreateContext): Promise<ResourceResult> {
  return createPipelineResource(create, context, {
    send: (client, body: CampaignBody, call) => client.createCampaign(body, call),
    compare: async (client, body, call) => {
      const read = await client.getCampaign(body.campaignName, call);
      // 51003: the id is taken by a campaign with another name; requests sent with this id join that one.
      if (NOT_FOUND.has(read.code)) return { warnings: [`no campaign is named "${body.campaignName}": the id ${body.campaignId} belongs to a campaign with another name`] };
      if (read.outcome !== 'ok' || !read.data) return { warnings: [`could not read the existing campaign back to compare it: ${describeReadFailure(read)}`] };
      const differing = differingFields(body, read.data, COMPARED, canonicalJson);
      return { warnings: differing.length === 0 ? [] : [`the existing campaign differs from the manifest in: ${differing.join(', ')}`] };
    },
    record: (common) => ({ ...common, kind: 'Campaign', campaignId: create.body.campaignId, campaignName: create.body.campaignName }),
  });
}

async function readStatus(address: string, record: RecordOf<'Campaign'>, options: StatusReadOptions): Promise<CampaignStatusReport> {
  const base = { kind: 'Campaign' as const, name: record.name, address, campaignId: record.campaignId };
  const read = await options.client.getCampaign(record.campaignName, options.call);
  if (NOT_FOUND.has(read.code)) return { ...base, status: 'NOT_FOUND' };
  return read.outcome === 'ok' && read.data ? { ...base, status: 'EXISTS' } : { ...base, status: 'UNKNOWN', message: describeReadFailure(read) };
}

/** A campaign as the platform holds it, as import records it (its manifest names the others literally). */
export function importedCampaign(name: string, info: CampaignInfo, requestId: string | undefined, now: Date): Imported<'Campaign'> {
  const body: CampaignBody = {
    campaignId: info.campaignId,
    campaignName: info.campaignName,
    workflowType: info.workflowType,
    taxonomyVersionName: info.taxonomyVersionName,
    folderName: info.folderName,
    campaignType: info.campaignType,
  };
  return {
    body,
    spec: { campaignId: body.campaignId, campaignName: body.campaignName, campaignType: body.campaignType, folderName: body.folderName, taxonomyVersionName: body.taxonomyVersionName, workflowType: body.workflowType },
    record: {
      kind: 'Campaign',
      name,
      status: 'applied',
      outcome: 'imported',
      digest: bodyDigest(body),
      campaignId: body.campaignId,
      campaignName: body.campaignName,
      ...(requestId === undefined ? {} : { requestId }),
      appliedAt: now.toISOString(),
    },
  };
}

export const campaign: KindModule<'Campaign', CampaignStatusReport, true> = {
  kind: 'Campaign',
  noun: 'campaign',
  retrySafe: true,
  createHeadline: (c) => (c.reason === 'gone' ? `will be created again: the platform no longer has it (retry-safe: the id ${c.body.campaignId} is ours)` : `will be created (retry-safe: the id ${c.body.campaignId} is ours)`),
  create,
  readStatus,
  refresh: async (address, record, { client, getBody }) => {
    const read = await client.getCampaign(record.campaignName);
    if (NOT_FOUND.has(read.code)) return { gone: true };
    if (read.outcome !== 'ok' || !read.data) throw readFailureError(`could not read ${address} from the platform to refresh it`, read, 'retry later, or plan without --refresh');
    const sent = (await getBody(record.digest)) as CampaignBody | undefined;
    const fields = sent ? differingFields(sent, read.data, COMPARED, canonicalJson) : [];
    return fields.length > 0 ? { drift: { fields } } : undefined;
  },
  importById: async (name, campaignName, client, now) => {
    const read = await client.getCampaign(campaignName);
    if (NOT_FOUND.has(read.code)) throw new RosettaError('ROS_REMOTE_NOT_FOUND', `the platform has no campaign named ${printable(JSON.stringify(campaignName))} (${read.code})`, { hint: 'a campaign is imported by its campaignName' });
    if (read.outcome !== 'ok' || !read.data) throw readFailureError(`could not read campaign ${printable(JSON.stringify(campaignName))}`, read);
    return importedCampaign(name, read.data, read.requestId, now);
  },
  idLabel: (record) => `campaignId=${record.campaignId}`,
  describeStatus: (r) => (r.status === 'NOT_FOUND' ? `the platform has no campaign with this name (id ${r.campaignId})` : `campaign ${r.campaignId}`),
};
