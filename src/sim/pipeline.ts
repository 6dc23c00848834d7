/**
 * The simulated pipeline before a request: folders, taxonomies, workflow templates and campaigns,
 * with the codes and rules of rosetta-api/platform.md. No HTTP here (see server.ts).
 */
import { taxonomyProblems } from '../model/taxonomy-rules.js';
import { workflowProblems } from '../model/workflow-rules.js';
import type { Fixtures } from './fixtures.js';
import type { Answer } from './platform.js';

export interface StoredFolder {
  helixProjectId: string;
  name: string;
  helixBucketNameList: string[];
  helixStatus: 'active' | 'inactive';
}

export interface StoredCampaign {
  campaignId: string;
  campaignName: string;
  workflowType: string;
  taxonomyVersionName: string;
  folderName: string;
  campaignType: string;
  /** The operator keys of its taxonomy, when known: an annotation request's operatorKeys must be among them (52003). */
  taxonomyKeys?: string[];
}

const MAX_BYTES = 255;
const MAX_BUCKETS = 100;
const BUILT_IN_WORKFLOWS: ReadonlySet<string> = new Set(['Manual Template', 'Prelabeling Template']);
const ok = (data: unknown = null): Answer => ({ code: 2000, data });
const fail = (code: number, message?: string): Answer => ({ code, data: null, ...(message === undefined ? {} : { message }) });

export class Pipeline {
  private readonly folders = new Map<string, StoredFolder>();
  private readonly folderNames = new Map<string, string>(); // name → id
  private readonly taxonomies = new Map<string, unknown[]>();
  private readonly templates = new Map<string, { nodes: unknown[]; edges: unknown[] }>();
  private readonly campaigns = new Map<string, StoredCampaign>();
  private readonly campaignNames = new Map<string, string>(); // name → id

  constructor(private readonly fixtures: Fixtures) {
    for (const f of fixtures.folders ?? []) this.storeFolder({ helixBucketNameList: [], helixStatus: 'active', ...f });
    for (const name of fixtures.taxonomies ?? []) this.taxonomies.set(name, []);
    for (const t of fixtures.workflowTemplates ?? []) this.templates.set(t.name, { nodes: t.nodes, edges: t.edges });
    for (const c of fixtures.campaigns) {
      this.storeCampaign({
        campaignId: c.id,
        campaignName: c.campaignName ?? c.id,
        workflowType: c.workflowType ?? 'Manual Template',
        taxonomyVersionName: c.taxonomyVersionName ?? '',
        folderName: c.folderName ?? '',
        campaignType: c.campaignType ?? 'POC',
        ...(c.taxonomyKeys ? { taxonomyKeys: c.taxonomyKeys } : {}),
      });
    }
  }

  createFolder(body: Record<string, unknown>): Answer {
    const { helixProjectId: id, name, helixBucketNameList: buckets } = body;
    if (!isText(id) || !isText(name) || !Array.isArray(buckets) || !buckets.every(isText)) return fail(54005, 'helixProjectId, name and helixBucketNameList are required');
    if (bytes(id) > MAX_BYTES || bytes(name) > MAX_BYTES || buckets.length > MAX_BUCKETS) return fail(54005, 'a field is too long');
    const path = buckets.find((b) => b.includes('/') || b.includes(':'));
    if (path !== undefined) return fail(54010);
    if (buckets.some((b) => bytes(b) > MAX_BYTES)) return fail(54011);
    const known = this.folders.get(id);
    if (known) return fail(known.name === name ? 54001 : 54002);
    if (this.folderNames.has(name)) return fail(54003);
    const reachable = this.fixtures.buckets;
    if (reachable && buckets.some((b) => !reachable.includes(b))) return fail(54013);
    this.storeFolder({ helixProjectId: id, name, helixBucketNameList: buckets, helixStatus: 'active' });
    return ok();
  }

  getFolder(id: string): Answer {
    const folder = this.folders.get(id);
    return folder ? ok({ ...folder }) : fail(54004);
  }

  updateFolder(body: Record<string, unknown>): Answer {
    const { helixProjectId: id, helixStatus: status } = body;
    const folder = typeof id === 'string' ? this.folders.get(id) : undefined;
    if (!folder) return fail(54004);
    if (status !== 'active' && status !== 'inactive') return fail(54008);
    folder.helixStatus = status;
    return ok();
  }

  getAllFolders(): Answer {
    const all = [...this.folders.values()].map((f) => ({ ...f }));
    return ok({ active: all.filter((f) => f.helixStatus === 'active'), inactive: all.filter((f) => f.helixStatus === 'inactive') });
  }

  createTaxonomy(body: Record<string, unknown>): Answer {
    const { taxonomyVersionName: name, taxonomyDetails: details } = body;
    if (!isText(name) || bytes(name) > MAX_BYTES || !Array.isArray(details)) return fail(57001, 'taxonomyVersionName and taxonomyDetails (a list) are required');
    if (this.taxonomies.has(name)) return fail(57003);
    const problem = taxonomyProblems(details)[0];
    if (problem) return fail(problem.code, problem.message);
    this.taxonomies.set(name, details);
    return ok(name);
  }

  createWorkflowTemplate(body: Record<string, unknown>): Answer {
    const { name, nodes, edges } = body;
    if (!isText(name) || bytes(name) > MAX_BYTES || !Array.isArray(nodes) || !Array.isArray(edges)) return fail(50530, 'name, nodes and edges are required');
    if (this.templates.has(name)) return fail(50529);
    const problem = workflowProblems(nodes, edges)[0];
    // An edge naming no pool has no documented code: the simulator calls the pool isolated.
    if (problem) return fail(problem.code ?? 50526, problem.message);
    this.templates.set(name, { nodes, edges });
    return ok(name);
  }

  /** The template as the platform answers it: a JSON string. */
  getWorkflowTemplate(name: string): Answer {
    const template = this.templates.get(name);
    return template ? ok(JSON.stringify({ nodes: template.nodes, edges: template.edges })) : fail(50524);
  }

  createCampaign(body: Record<string, unknown>): Answer {
    const fields = ['campaignId', 'campaignName', 'workflowType', 'taxonomyVersionName', 'folderName', 'campaignType'] as const;
    if (fields.some((f) => !isText(body[f]))) return fail(51000);
    const c = Object.fromEntries(fields.map((f) => [f, body[f] as string])) as Record<(typeof fields)[number], string>;
    if (bytes(c.campaignId) > MAX_BYTES || bytes(c.campaignName) > MAX_BYTES) return fail(51005, 'a field is too long');
    if (c.campaignType !== 'POC' && c.campaignType !== 'Formal') return fail(51002);
    if (this.campaigns.has(c.campaignId)) return fail(51003);
    if (this.campaignNames.has(c.campaignName)) return fail(51004);
    // What the platform knows is checked; a permissive simulator accepts names it has never seen.
    const strict = !this.fixtures.permissive;
    if (!BUILT_IN_WORKFLOWS.has(c.workflowType) && !this.templates.has(c.workflowType) && strict) return fail(50524);
    if (!this.folderNames.has(c.folderName) && strict) return fail(51005, `no folder named ${c.folderName}`);
    if (!this.taxonomies.has(c.taxonomyVersionName) && strict) return fail(51005, `no taxonomy named ${c.taxonomyVersionName}`);
    const keys = this.taxonomies.get(c.taxonomyVersionName);
    this.storeCampaign({ ...c, ...(keys && keys.length > 0 ? { taxonomyKeys: operatorKeys(keys) } : {}) });
    return ok();
  }

  getCampaign(name: string): Answer {
    const id = this.campaignNames.get(name);
    const campaign = id === undefined ? undefined : this.campaigns.get(id);
    return campaign ? ok(publicCampaign(campaign)) : fail(51006);
  }

  getCampaignsByFolder(folderName: string): Answer {
    if (!this.folderNames.has(folderName)) return fail(54007);
    return ok([...this.campaigns.values()].filter((c) => c.folderName === folderName).map(publicCampaign));
  }

  /** A campaign by id, for annotation requests (51008 when there is none); permissive: any id exists. */
  campaignById(id: string): { taxonomyKeys?: string[] } | undefined {
    if (!this.campaigns.has(id) && this.fixtures.permissive) return {};
    return this.campaigns.get(id);
  }

  /** For tests: someone set a folder's status in the web UI. */
  setFolderStatus(id: string, status: 'active' | 'inactive'): void {
    const folder = this.folders.get(id);
    if (folder) folder.helixStatus = status;
  }

  /** For tests: someone changed a campaign or template on the platform (what the read back shows). */
  alterCampaign(name: string, change: Partial<StoredCampaign>): void {
    const id = this.campaignNames.get(name);
    const campaign = id === undefined ? undefined : this.campaigns.get(id);
    if (campaign) Object.assign(campaign, change);
  }

  listFolders(): StoredFolder[] {
    return [...this.folders.values()];
  }

  listCampaigns(): StoredCampaign[] {
    return [...this.campaigns.values()];
  }

  listTaxonomies(): string[] {
    return [...this.taxonomies.keys()];
  }

  listWorkflowTemplates(): string[] {
    return [...this.templates.keys()];
  }

  private storeFolder(folder: StoredFolder): void {
    this.folders.set(folder.helixProjectId, folder);
    this.folderNames.set(folder.name, folder.helixProjectId);
  }

  private storeCampaign(campaign: StoredCampaign): void {
    this.campaigns.set(campaign.campaignId, campaign);
    this.campaignNames.set(campaign.campaignName, campaign.campaignId);
  }
}

function publicCampaign({ taxonomyKeys: _keys, ...campaign }: StoredCampaign): Omit<StoredCampaign, 'taxonomyKeys'> {
  return campaign;
}

/** Every operator key of a taxonomy, nested ones too. */
function operatorKeys(operators: unknown[]): string[] {
  const keys: string[] = [];
  const walk = (list: unknown[]) => {
    for (const op of list) {
      if (typeof op !== 'object' || op === null) continue;
      const { key, children } = op as { key?: unknown; children?: unknown };
      if (typeof key === 'string') keys.push(key);
      if (Array.isArray(children)) walk(children);
    }
  };
  walk(operators);
  return keys;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function bytes(text: string): number {
  return Buffer.byteLength(text);
}
