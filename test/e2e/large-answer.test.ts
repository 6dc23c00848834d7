// A sampling answer listing 300,000 scenes (about 11 MB) is a legitimate answer, not an unknown one,
// and its scene list stays out of the state record that is rewritten after every create.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, readState, rosetta } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

const SCENES = 300_000;

function bigRequest(): string {
  const lines = ['apiVersion: rosetta/v1', 'kind: AnnotationRequest', 'metadata:', '  name: big', 'spec:', '  annotationRequestName: Big', '  campaignId: c-1', '  sceneIdMap:'];
  for (let i = 0; i < SCENES; i++) lines.push(`    scene-${String(i).padStart(8, '0')}-aaaaaaaaaaaa: gs://bucket/big/${i}.yaml`);
  return `${lines.join('\n')}\n---\napiVersion: rosetta/v1\nkind: SamplingPlan\nmetadata:\n  name: all\nspec:\n  annotationRequestRef: big\n  poolName: pool-all\n  samplingRatio: 1\n`;
}

describe('a sampling answer listing 300,000 scenes', () => {
  it('is recorded as created, with the count in the record and the list beside it', { timeout: 60_000 }, async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const dir = tempDir({ 'm.yaml': bigRequest() });
    const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const packages = sim.platform.listSamplingPackages();
    expect(packages).toHaveLength(1);
    expect(packages[0]!.sceneIdList).toHaveLength(SCENES);

    const record = readState(dir).resources['SamplingPlan/all']!;
    expect(record).toMatchObject({ status: 'applied', samplingPackageId: packages[0]!.samplingPackageId, sceneCount: SCENES, sceneListDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(record).not.toHaveProperty('sceneIdList');
    expect(statSync(join(dir, '.rosetta/state.json')).size).toBeLessThan(4096);
    const show = await rosetta(sim, dir, ['state', 'show', 'SamplingPlan/all']);
    expect(show.code).toBe(0);
  });
});
