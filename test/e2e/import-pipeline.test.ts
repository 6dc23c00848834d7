// rosetta import for the pipeline kinds, and import --all: what exists on the platform is recorded
// and written as manifests that plan unchanged.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/sim/fixtures.js';
import { E2E_CREDENTIALS, readState, rosetta } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const template = { name: 'Two-stage review', nodes: [{ name: 'Distribution', type: 'DISTRIBUTION' }, { name: 'Done', type: 'COMPLETE' }], edges: [{ from: 'Distribution', to: 'Done' }] };
const campaign = (id: string, campaignName: string, folderName: string) => ({ id, campaignName, folderName, taxonomyVersionName: 'lidar-3d-v2', workflowType: 'Two-stage review', campaignType: 'Formal' });

/** Two folders (one inactive), three campaigns, made in the web UI before rosetta. */
const PLATFORM: Fixtures = {
  permissive: true,
  pools: [],
  annotationRequests: [],
  folders: [
    { helixProjectId: 'helix-prod', name: 'Helix production', helixBucketNameList: ['helix-raw'] },
    { helixProjectId: 'helix-2024', name: 'Helix 2024 (archive)', helixBucketNameList: ['helix-old', 'helix-old-2'], helixStatus: 'inactive' },
  ],
  taxonomies: ['lidar-3d-v2'],
  workflowTemplates: [template],
  campaigns: [campaign('c-1', 'Lidar drives', 'Helix production'), campaign('c-2', 'Lidar rain', 'Helix production'), campaign('c-3', 'Old drives', 'Helix 2024 (archive)')],
};

describe('rosetta import --all --generate-manifest DIR', () => {
  it('records every folder and its campaigns and writes manifests that plan unchanged; a second run finds them managed', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: PLATFORM });
    const dir = tempDir();
    const imported = await rosetta(sim, dir, ['import', '--all', '--generate-manifest', 'managed']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe(
      [
        'Imported Folder/helix-2024.',
        'Imported Campaign/old-drives.',
        'Imported Folder/helix-prod.',
        'Imported Campaign/lidar-drives.',
        'Imported Campaign/lidar-rain.',
        '',
        '5 resources imported into state, manifests in 2 files under managed; rosetta plan managed shows them unchanged.',
        '',
      ].join('\n'),
    );
    expect(readdirSync(join(dir, 'managed')).sort()).toEqual(['helix-2024.yaml', 'helix-prod.yaml']);
    const archive = readFileSync(join(dir, 'managed/helix-2024.yaml'), 'utf8');
    expect(archive).toContain('kind: Folder\nmetadata:\n  name: helix-2024\nspec:\n  helixProjectId: helix-2024\n  name: Helix 2024 (archive)\n  helixBucketNameList:\n    - helix-old\n    - helix-old-2\n  helixStatus: inactive\n');
    expect(archive).toContain('kind: Campaign\nmetadata:\n  name: old-drives\nspec:\n  campaignId: c-3\n  campaignName: Old drives\n  campaignType: Formal\n  folderName: Helix 2024 (archive)\n');
    expect(Object.keys(readState(dir).resources).sort()).toEqual(['Campaign/lidar-drives', 'Campaign/lidar-rain', 'Campaign/old-drives', 'Folder/helix-2024', 'Folder/helix-prod']);

    const plan = await rosetta(sim, dir, ['plan', 'managed', '--detailed-exitcode']);
    expect(plan.stdout).toBe('No changes. 5 resources are up to date.\n');
    expect(plan.code).toBe(0);
    expect(sim.received.folder + sim.received.campaign).toBe(0); // reads only

    const again = await rosetta(sim, dir, ['import', '--all', '--generate-manifest', 'more']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already in state: Folder/helix-prod (helixProjectId=helix-prod).');
    expect(again.stdout).toContain('0 resources imported into state, manifests in 0 files under more');
  });

  it('never overwrites a file, and then records nothing', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: PLATFORM });
    const dir = tempDir({ 'managed/helix-prod.yaml': '# mine\n' });
    const imported = await rosetta(sim, dir, ['import', '--all', '--generate-manifest', 'managed']);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('helix-prod.yaml already exists; --generate-manifest never overwrites');
    expect(readFileSync(join(dir, 'managed/helix-prod.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(dir, 'managed/helix-2024.yaml'))).toBe(false);
    expect(existsSync(join(dir, '.rosetta/state.json'))).toBe(false);
  });

  it('needs --generate-manifest, and takes no KIND/NAME', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: PLATFORM });
    const dir = tempDir();
    const bare = await rosetta(sim, dir, ['import', '--all']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('error[ROS_USAGE]: --all needs --generate-manifest DIR');
    const both = await rosetta(sim, dir, ['import', 'Folder/x', 'helix-prod', '--all', '--generate-manifest', 'm']);
    expect(both.stderr).toContain('error[ROS_USAGE]: --all takes no KIND/NAME ID');
  });
});

describe('rosetta import KIND/NAME ID for the pipeline kinds', () => {
  it('imports a folder, a template and a campaign with their manifests; each plans unchanged; a taxonomy cannot be imported', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS], fixtures: PLATFORM });
    const dir = tempDir();
    const steps: [string[], string][] = [
      [['import', 'Folder/archive', 'helix-2024', '--generate-manifest', 'folder.yaml'], 'Imported Folder/archive (helixProjectId helix-2024).'],
      [['import', 'WorkflowTemplate/two-stage', 'Two-stage review', '--generate-manifest', 'template.yaml'], 'Imported WorkflowTemplate/two-stage (name Two-stage review).'],
      [['import', 'Campaign/rain', 'Lidar rain', '--generate-manifest', 'campaign.yaml'], 'Imported Campaign/rain (campaignId c-2).'],
    ];
    for (const [args, said] of steps) {
      const run = await rosetta(sim, dir, args);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(said);
    }
    expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toBe(
      '# Imported with rosetta import WorkflowTemplate/two-stage Two-stage review\napiVersion: rosetta/v1\nkind: WorkflowTemplate\nmetadata:\n  name: two-stage\nspec:\n  name: Two-stage review\n  nodes:\n    - name: Distribution\n      type: DISTRIBUTION\n    - name: Done\n      type: COMPLETE\n  edges:\n    - from: Distribution\n      to: Done\n',
    );
    const plan = await rosetta(sim, dir, ['plan', '.', '--detailed-exitcode']);
    expect(plan.stdout).toBe('No changes. 3 resources are up to date.\n');

    const taxonomy = await rosetta(sim, dir, ['import', 'Taxonomy/lidar', 'lidar-3d-v2']);
    expect(taxonomy.code).toBe(1);
    expect(taxonomy.stderr).toContain('error[ROS_USAGE]: a taxonomy cannot be imported: the API has no call that reads one back');

    const missing = await rosetta(sim, dir, ['import', 'Campaign/nope', 'No such campaign']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error[ROS_REMOTE_NOT_FOUND]: the platform has no campaign named "No such campaign" (51006)');

    const twice = await rosetta(sim, dir, ['import', 'Folder/again', 'helix-2024']);
    expect(twice.stderr).toContain('error[ROS_USAGE]: folder helix-2024 is already in the state as Folder/archive');
  });
});
