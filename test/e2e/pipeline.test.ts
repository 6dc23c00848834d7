// The whole pipeline as code, through the real CLI against the simulator: the dependency order, a
// failed parent skipping its dependants, adoption and read-back per kind, 51001, and the one update
// (a folder's status) through plan, saved plan, apply and plan --refresh, on both state stores.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/sim/fixtures.js';
import type { Simulator } from '../../src/sim/server.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { E2E_CREDENTIALS, rosetta } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { simulator } from '../helpers/sim.js';

/** examples/pipeline, copied: folder, taxonomy (from a JSON file), template, campaign, request, sampling plan. */
function pipelineDir(): string {
  const source = join(REPO_ROOT, 'examples/pipeline');
  const files: Record<string, string> = {};
  for (const name of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
    if (name.endsWith('.yaml') || name.endsWith('.json')) files[name] = readFileSync(join(source, name), 'utf8');
  }
  return tempDir(files);
}

/** A platform that knows nothing and accepts nothing it does not know: a campaign needs its folder, taxonomy and template first. */
const STRICT: Fixtures = { permissive: false, campaigns: [], pools: [{ name: 'Review' }], annotationRequests: [] };

interface Result {
  address: string;
  outcome: string;
  code?: number;
  message?: string;
  warnings?: string[];
}

function results(stdout: string): Record<string, Result> {
  const parsed = JSON.parse(stdout) as { results: Result[] };
  return Object.fromEntries(parsed.results.map((r) => [r.address, r]));
}

describe('the whole pipeline in one apply', () => {
  it('goes from an empty, strict platform to a sampling package, in dependency order; a second plan has no changes', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: STRICT });
    const dir = pipelineDir();
    const apply = await rosetta(sim, dir, ['apply', '.', '--auto-approve', '--format', 'json']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const outcomes = Object.fromEntries(Object.entries(results(apply.stdout)).map(([a, r]) => [a, r.outcome]));
    expect(outcomes).toEqual({
      'Folder/helix': 'created',
      'Taxonomy/lidar-3d-v2': 'created',
      'WorkflowTemplate/two-stage': 'created',
      'Campaign/lidar-drives': 'created',
      'AnnotationRequest/drive-2026-11-28': 'created',
      'SamplingPlan/drive-2026-11-28-qa': 'created',
    });
    const [campaign] = sim.platform.pipeline.listCampaigns();
    // The refs resolved to what the platform knows the others by; the id derived stably.
    expect(campaign).toMatchObject({ campaignName: 'Lidar drives', folderName: 'Helix production', taxonomyVersionName: 'lidar-3d-v2', workflowType: 'Two-stage review', campaignType: 'Formal' });
    expect(campaign!.campaignId).toBe('e6ebe3a0-2bd0-5961-8069-b25abefbfec7');
    expect(sim.platform.listAnnotationRequests().map((r) => r.campaignId)).toEqual([campaign!.campaignId]);
    expect(sim.platform.listSamplingPackages()).toHaveLength(1);

    const again = await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('No changes. 6 resources are up to date.\n');
  });

  it('plans in dependency order, whatever the file order', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const plan = await rosetta(sim, pipelineDir(), ['plan', '.', '--format', 'json']);
    const changes = (JSON.parse(plan.stdout) as { changes: { address: string; needs?: string[] }[] }).changes;
    expect(changes.map((c) => c.address)).toEqual([
      'Folder/helix',
      'Taxonomy/lidar-3d-v2',
      'WorkflowTemplate/two-stage',
      'Campaign/lidar-drives',
      'AnnotationRequest/drive-2026-11-28',
      'SamplingPlan/drive-2026-11-28-qa',
    ]);
    expect(changes[3]!.needs).toEqual(['Folder/helix', 'Taxonomy/lidar-3d-v2', 'WorkflowTemplate/two-stage']);
    expect(changes[4]!.needs).toEqual(['Campaign/lidar-drives']);
  });

  it('a failed folder skips the campaign and everything under it; the next apply finishes the job', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: STRICT });
    sim.faults.inject('folder', { type: 'business', code: 54013 });
    const dir = pipelineDir();
    const first = await rosetta(sim, dir, ['apply', '.', '--auto-approve', '--format', 'json']);
    expect(first.code).toBe(1);
    const r = results(first.stdout);
    expect(r['Folder/helix']).toMatchObject({ outcome: 'failed', code: 54013, message: 'The bucket cannot be reached.' });
    expect(r['Taxonomy/lidar-3d-v2']!.outcome).toBe('created');
    expect(r['WorkflowTemplate/two-stage']!.outcome).toBe('created');
    expect(r['Campaign/lidar-drives']).toMatchObject({ outcome: 'skipped', message: 'Folder/helix was not applied (failed)' });
    expect(r['AnnotationRequest/drive-2026-11-28']).toMatchObject({ outcome: 'skipped', message: 'Campaign/lidar-drives was not applied (skipped)' });
    expect(r['SamplingPlan/drive-2026-11-28-qa']!.outcome).toBe('skipped');
    expect([sim.received.campaign, sim.received['annotation-request'], sim.received.sampling]).toEqual([0, 0, 0]);

    const second = await rosetta(sim, dir, ['apply', '.', '--auto-approve', '--format', 'json']);
    expect(second.code).toBe(0);
    expect(Object.keys(results(second.stdout)).sort()).toEqual(['AnnotationRequest/drive-2026-11-28', 'Campaign/lidar-drives', 'Folder/helix', 'SamplingPlan/drive-2026-11-28-qa']);
  });

  it('retries 51001 (a duplicate campaign create in flight) like 53001', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: STRICT });
    sim.faults.inject('campaign', { type: 'business', code: 51001 });
    const apply = await rosetta(sim, pipelineDir(), ['apply', '.', '--auto-approve', '--format', 'json']);
    expect(apply.code).toBe(0);
    expect(results(apply.stdout)['Campaign/lidar-drives']!.outcome).toBe('created');
    expect(sim.received.campaign).toBe(2);
  });
});

describe('already applied: each kind adopts its codes, reads back what it can, and says what it cannot', () => {
  /** The platform holds a folder exactly like ours, a template and a campaign that differ, and our taxonomy's name. */
  const existing: Fixtures = {
    permissive: true,
    pools: [],
    annotationRequests: [],
    folders: [{ helixProjectId: 'helix-prod', name: 'Helix production', helixBucketNameList: ['helix-raw'] }],
    taxonomies: ['lidar-3d-v2'],
    workflowTemplates: [{ name: 'Two-stage review', nodes: [{ name: 'Distribution', type: 'DISTRIBUTION' }, { name: 'Done', type: 'COMPLETE' }], edges: [{ from: 'Distribution', to: 'Done' }] }],
    campaigns: [{ id: 'someone-elses-id', campaignName: 'Lidar drives', folderName: 'Helix production', taxonomyVersionName: 'lidar-3d-v2', workflowType: 'Two-stage review', campaignType: 'POC' }],
  };

  it('adopts all four with 54001, 57003, 50529 and 51004; differences are warnings; the taxonomy cannot be compared', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: existing });
    const dir = pipelineDir();
    const apply = await rosetta(sim, dir, ['apply', '.', '--auto-approve', '--format', 'json', '--target', 'Campaign/lidar-drives']);
    expect(apply.code).toBe(0);
    const r = results(apply.stdout);
    expect(r['Folder/helix']).toMatchObject({ outcome: 'adopted', code: 54001 });
    expect(r['Folder/helix']!.warnings).toBeUndefined();
    expect(r['Taxonomy/lidar-3d-v2']).toMatchObject({ outcome: 'adopted', code: 57003, warnings: ['taxonomy "lidar-3d-v2" already exists (57003); its content cannot be compared with the manifest: the API has no call that reads a taxonomy back'] });
    expect(r['WorkflowTemplate/two-stage']).toMatchObject({ outcome: 'adopted', code: 50529, warnings: ['the existing template differs from the manifest in: nodes, edges'] });
    expect(r['Campaign/lidar-drives']).toMatchObject({ outcome: 'adopted', code: 51004, warnings: ['the existing campaign differs from the manifest in: campaignId, campaignType'] });
    // Recorded: the next plan of these four has nothing to do.
    const plan = await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode', '--target', 'Campaign/lidar-drives']);
    expect(plan.code).toBe(0);
  });

  it('with --strict-adopt a difference fails and skips what depends on it; the unverifiable taxonomy does not', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: existing });
    const apply = await rosetta(sim, pipelineDir(), ['apply', '.', '--auto-approve', '--format', 'json', '--strict-adopt']);
    expect(apply.code).toBe(1);
    const r = results(apply.stdout);
    expect(r['Folder/helix']!.outcome).toBe('adopted');
    expect(r['Taxonomy/lidar-3d-v2']!.outcome).toBe('adopted');
    expect(r['WorkflowTemplate/two-stage']).toMatchObject({ outcome: 'failed', message: 'already exists but does not match (--strict-adopt): the existing template differs from the manifest in: nodes, edges' });
    expect(r['Campaign/lidar-drives']).toMatchObject({ outcome: 'skipped', message: 'WorkflowTemplate/two-stage was not applied (failed)' });
    expect(sim.received.campaign).toBe(0);
  });

  it('adopts by 54003 and 51003 (a name or an id another one holds), and says whose it is', async () => {
    const sim = await simulator({
      credentials: [E2E_CREDENTIALS],
      fixtures: { ...existing, folders: [{ helixProjectId: 'another-id', name: 'Helix production' }], campaigns: [{ ...existing.campaigns[0]!, id: 'e6ebe3a0-2bd0-5961-8069-b25abefbfec7', campaignName: 'Another name' }] },
    });
    const apply = await rosetta(sim, pipelineDir(), ['apply', '.', '--auto-approve', '--format', 'json', '--target', 'Campaign/lidar-drives']);
    const r = results(apply.stdout);
    expect(r['Folder/helix']).toMatchObject({ outcome: 'adopted', code: 54003, warnings: ['no folder has id helix-prod: the name "Helix production" belongs to another folder'] });
    expect(r['Campaign/lidar-drives']).toMatchObject({ outcome: 'adopted', code: 51003, warnings: ['no campaign is named "Lidar drives": the id e6ebe3a0-2bd0-5961-8069-b25abefbfec7 belongs to a campaign with another name'] });
  });

  it('adopts a folder by 54002 (its id under another name) and warns about the name', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: { ...existing, folders: [{ helixProjectId: 'helix-prod', name: 'Helix (old name)', helixBucketNameList: ['helix-raw'] }] } });
    const apply = await rosetta(sim, pipelineDir(), ['apply', '.', '--auto-approve', '--format', 'json', '--target', 'Folder/helix']);
    expect(results(apply.stdout)['Folder/helix']).toMatchObject({ outcome: 'adopted', code: 54002, warnings: ['the existing folder differs from the manifest in: name'] });
  });
});

/** The folder's one update, through every path, on the store `env` selects. */
function updatePath(env: () => Record<string, string>): void {
  const folderOnly = (status: 'active' | 'inactive') =>
    `apiVersion: rosetta/v1\nkind: Folder\nmetadata:\n  name: helix\nspec:\n  helixProjectId: helix-prod\n  name: Helix production\n  helixBucketNameList: [helix-raw]\n  helixStatus: ${status}\n`;

  it('creates an inactive folder then sets it; a changed status is an update (~) in the plan, a saved plan and apply; plan --refresh sets back a change made in the web UI', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'folder.yaml': folderOnly('inactive') });
    const store = env();
    const folder = () => sim.platform.pipeline.listFolders()[0];

    const created = await rosetta(sim, dir, ['apply', '.', '--auto-approve', '--format', 'json'], store);
    expect(created.code).toBe(0);
    expect(results(created.stdout)['Folder/helix']!.outcome).toBe('created');
    expect(folder()!.helixStatus).toBe('inactive');
    expect(sim.received.folder).toBe(2); // the create, then the update
    expect((await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode'], store)).code).toBe(0);

    writeFileSync(join(dir, 'folder.yaml'), folderOnly('active'));
    const text = await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode'], store);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('  ~ Folder/helix will be updated in place: helixStatus (POST /folder/update, the one update the API has; safe to repeat)\n      ~ helixStatus\n          - inactive\n          + active\n');
    expect(text.stdout).toContain('Plan: 0 to create, 1 to update, 0 unchanged.');
    const json = JSON.parse((await rosetta(sim, dir, ['plan', '.', '--format', 'json'], store)).stdout) as { changes: unknown[]; summary: Record<string, number> };
    expect(json.changes).toEqual([{ action: 'update', kind: 'Folder', name: 'helix', address: 'Folder/helix', changedFields: ['helixStatus'], helixProjectId: 'helix-prod', helixStatus: 'active', digest: expect.stringMatching(/^sha256:/) }]);
    expect(json.summary.update).toBe(1);
    const markdown = await rosetta(sim, dir, ['plan', '.', '--format', 'markdown'], store);
    expect(markdown.stdout).toContain('| `~` | `Folder/helix` | update |');

    const saved = await rosetta(sim, dir, ['plan', '.', '--out', 'update.plan'], store);
    expect(saved.code).toBe(0);
    const applied = await rosetta(sim, dir, ['apply', '--plan', 'update.plan', '--format', 'json'], store);
    expect(applied.code).toBe(0);
    expect(results(applied.stdout)['Folder/helix']!.outcome).toBe('updated');
    expect(folder()!.helixStatus).toBe('active');
    expect((await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode'], store)).code).toBe(0);

    // Someone deactivates it in the web UI: only --refresh sees it, and plans it back.
    sim.platform.pipeline.setFolderStatus('helix-prod', 'inactive');
    expect((await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode'], store)).code).toBe(0);
    const refreshed = await rosetta(sim, dir, ['plan', '.', '--refresh', '--detailed-exitcode', '--out', 'back.plan'], store);
    expect(refreshed.code).toBe(2);
    expect(refreshed.stdout).toContain('          - inactive\n          + active\n');
    expect((await rosetta(sim, dir, ['apply', '--plan', 'back.plan'], store)).code).toBe(0);
    expect(folder()!.helixStatus).toBe('active');

    const status = await rosetta(sim, dir, ['status'], store);
    expect(status.stdout).toContain('Folder/helix  ACTIVE  folder helix-prod');
  });
}

describe('the folder update, file state', () => {
  updatePath(() => ({}));
});

describePostgres('the folder update, PostgreSQL state', () => {
  let url = '';
  let n = 0;
  beforeAll(async () => {
    url = await freshDatabase();
  });
  updatePath(() => ({ ROSETTA_STATE: url, ROSETTA_WORKSPACE: `pipeline-${++n}` }));
});
