/**
 * What the simulated platform knows before the first request: folders, taxonomies,
 * workflow templates, campaigns (with their taxonomy keys), pools (with how many
 * tasks they hold), reachable buckets and annotation requests that already exist. Without fixtures the simulator is permissive:
 * any campaign and any pool exist, so the demo works out of the box.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { RosettaError } from '../errors.js';
import { formatProblem } from '../model/formats.js';

export interface CampaignFixture {
  id: string;
  /** Allowed operatorKeys; absent means any key is allowed. */
  taxonomyKeys?: string[];
  /** What GET /campaign/{name} answers; the name defaults to the id. */
  campaignName?: string;
  workflowType?: string;
  taxonomyVersionName?: string;
  folderName?: string;
  campaignType?: string;
}

export interface FolderFixture {
  helixProjectId: string;
  name: string;
  helixBucketNameList?: string[];
  helixStatus?: 'active' | 'inactive';
}

export interface WorkflowTemplateFixture {
  name: string;
  nodes: unknown[];
  edges: unknown[];
}

export interface PoolFixture {
  name: string;
  /** Tasks available for sampling; absent means unlimited. */
  tasks?: number;
}

export interface AnnotationRequestFixture {
  annotationRequestId: string;
  annotationRequestName: string;
  campaignId: string;
  sceneIdMap?: Record<string, string>;
}

export interface Fixtures {
  /** When true, unknown campaigns and pools are created on first use. */
  permissive: boolean;
  campaigns: CampaignFixture[];
  pools: PoolFixture[];
  annotationRequests: AnnotationRequestFixture[];
  folders?: FolderFixture[];
  /** Taxonomy version names that exist (their content cannot be read anyway). */
  taxonomies?: string[];
  workflowTemplates?: WorkflowTemplateFixture[];
  /** Buckets a folder may name; absent: any bucket can be reached. */
  buckets?: string[];
}

export const PERMISSIVE: Fixtures = { permissive: true, campaigns: [], pools: [], annotationRequests: [] };

/** Reads a YAML or JSON fixtures file. Lists given there make the simulator strict unless `permissive: true`. */
export async function loadFixtures(path: string): Promise<Fixtures> {
  let value: unknown;
  try {
    value = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new RosettaError('ROS_USAGE', `cannot read fixtures ${path}: ${(error as Error).message}`);
  }
  const v = (value ?? {}) as Partial<Fixtures>;
  const problem = formatProblem('fixtures', v);
  if (problem) throw new RosettaError('ROS_USAGE', `fixtures ${path}: ${problem}`, { hint: 'see schemas/fixtures.schema.json' });
  return {
    permissive: v.permissive === true,
    campaigns: v.campaigns ?? [],
    pools: v.pools ?? [],
    annotationRequests: v.annotationRequests ?? [],
    ...(v.folders ? { folders: v.folders } : {}),
    ...(v.taxonomies ? { taxonomies: v.taxonomies } : {}),
    ...(v.workflowTemplates ? { workflowTemplates: v.workflowTemplates } : {}),
    ...(v.buckets ? { buckets: v.buckets } : {}),
  };
}
