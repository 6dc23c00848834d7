/**
 * Folder, the manifest side: a project's folder on the platform, with the buckets it reads. Its
 * identity is its name (what a campaign's folderName says); helixStatus is the one field of the
 * whole API that can be changed after the create.
 */
import type { FolderResource, FolderStatus } from '../model/resources.js';
import { extended } from '../values.js';
import { checkByteLimits, checkNotBlank, MAX_ID_BYTES } from './spec-checks.js';
import type { Spec, SpecModule, SpecReport } from './types.js';

export interface FolderSpec {
  helixProjectId: string;
  name: string;
  helixBucketNameList: string[];
  helixStatus?: FolderStatus;
}

/** Checked against the schema by a test, like the seed kinds' key lists. */
export const FOLDER_SPEC_KEYS = { helixProjectId: true, name: true, helixBucketNameList: true, helixStatus: true } as const satisfies Record<keyof FolderSpec, true>;

export const MAX_BUCKETS = 100;

function checkFolder(spec: Spec, report: SpecReport): void {
  checkNotBlank(spec, 'name', report);
  checkByteLimits(spec, ['helixProjectId', 'name'], report);
  const buckets = spec.helixBucketNameList;
  if (!Array.isArray(buckets)) return;
  if (buckets.length > MAX_BUCKETS) report(['helixBucketNameList', MAX_BUCKETS], 'rules.bucket-count', `spec.helixBucketNameList: ${buckets.length} buckets; a folder has at most ${MAX_BUCKETS}`);
  buckets.forEach((bucket: unknown, i) => {
    if (typeof bucket !== 'string') return;
    // 54010: the platform wants the bucket's name; a URI or a path inside the bucket is refused.
    if (bucket.includes('/') || bucket.includes(':')) {
      const name = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)/i.exec(bucket)?.[1] ?? bucket.split('/')[0];
      report(['helixBucketNameList', i], 'rules.bucket-path', `spec.helixBucketNameList[${i}]: "${bucket}" is a path; list the bucket's name`, name ? `write ${name} (the API answers 54010 to a path)` : 'the API answers 54010 to a path');
    }
    if (Buffer.byteLength(bucket, 'utf8') > MAX_ID_BYTES) report(['helixBucketNameList', i], 'rules.byte-limit', `spec.helixBucketNameList[${i}]: must be at most ${MAX_ID_BYTES} bytes in UTF-8 (54011)`);
  });
}

export const folderSpec: SpecModule<'Folder'> = {
  kind: 'Folder',
  rank: 0,
  identifierFields: ['helixProjectId', 'name'],
  references: [],
  identityField: 'name',
  unique: [
    { field: 'helixProjectId', rule: 'cross.duplicate-id' },
    { field: 'name', rule: 'cross.duplicate-folder-name' },
  ],
  checkSpec: checkFolder,
  identity: (_name, spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  toResource(base, spec): FolderResource {
    const { helixProjectId, name, helixBucketNameList, helixStatus = 'active' } = spec as unknown as FolderSpec;
    return extended(base, { kind: 'Folder' as const, body: { helixProjectId, name, helixBucketNameList }, helixStatus });
  },
};
