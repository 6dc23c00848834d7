/**
 * Taxonomy: its version name is unique, so an unknown outcome is safe to send again; 57003 means a
 * taxonomy of that name exists. No call reads a taxonomy back, so an adopted one cannot be
 * compared, and its status is UNVERIFIABLE: both say so rather than pretend.
 */
import type { ResourceResult } from '../model/results.js';
import type { TaxonomyBody } from '../model/resources.js';
import { createPipelineResource } from './pipeline-create.js';
import type { CreateContext, CreateOf, KindModule, RecordOf } from './types.js';

export interface TaxonomyStatusReport {
  kind: 'Taxonomy';
  name: string;
  address: string;
  taxonomyVersionName: string;
  status: 'UNVERIFIABLE';
  message: string;
}

const UNREADABLE = 'the API has no call that reads a taxonomy back';

function create(create: CreateOf<'Taxonomy'>, context: CreateContext): Promise<ResourceResult> {
  return createPipelineResource(create, context, {
    send: (client, body: TaxonomyBody, call) => client.createTaxonomy(body, call),
    compare: async (_client, body) => ({ warnings: [], notes: [`taxonomy "${body.taxonomyVersionName}" already exists (57003); its content cannot be compared with the manifest: ${UNREADABLE}`] }),
    record: (common) => ({ ...common, kind: 'Taxonomy', taxonomyVersionName: create.body.taxonomyVersionName }),
  });
}

function readStatus(address: string, record: RecordOf<'Taxonomy'>): Promise<TaxonomyStatusReport> {
  return Promise.resolve({ kind: 'Taxonomy', name: record.name, address, taxonomyVersionName: record.taxonomyVersionName, status: 'UNVERIFIABLE', message: UNREADABLE });
}

export const taxonomy: KindModule<'Taxonomy', TaxonomyStatusReport, true> = {
  kind: 'Taxonomy',
  noun: 'taxonomy',
  retrySafe: true,
  createHeadline: (c) => `will be created (retry-safe: the version name "${c.body.taxonomyVersionName}" is unique; once created it cannot be read back)`,
  create,
  readStatus,
  // Nothing to read: a taxonomy is never gone or drifted as far as anyone can tell.
  refresh: () => Promise.resolve(undefined),
  idLabel: (record) => `taxonomyVersionName=${record.taxonomyVersionName}`,
  describeStatus: (r) => `${r.taxonomyVersionName}: ${UNREADABLE}`,
};
