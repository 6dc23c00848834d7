// The file formats' JSON Schemas: in step with the code's enums, and their errors say where.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/model/resources.js';
import { ACTIONS } from '../../src/model/changes.js';
import { loadFixtures } from '../../src/sim/fixtures.js';
import { FileStateStore } from '../../src/state/file-store.js';
import { tempDir } from '../helpers/files.js';

const schema = (file: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas', file), 'utf8'));

describe('format schemas', () => {
  it('list the same kinds and actions as the code', () => {
    expect(schema('state.schema.json').definitions.record.properties.kind.enum).toEqual([...KINDS]);
    expect(schema('plan-file.schema.json').definitions.change.properties.kind.enum).toEqual([...KINDS]);
    expect(schema('plan-file.schema.json').definitions.change.properties.action.enum).toEqual([...ACTIONS]);
  });

  it('name the damaged record of a state file', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const record = { kind: 'SamplingPlan', name: 'x', status: 'applied', outcome: 'created', digest: 'd', annotationRequestId: 'r', samplingPackageId: '7', appliedAt: 't' };
    writeFileSync(path, JSON.stringify({ version: 1, lineage: 'l', serial: 1, appliedPlans: [], resources: { 'SamplingPlan/x': record } }));
    await expect(new FileStateStore(path).read()).rejects.toMatchObject({
      code: 'ROS_STATE_CORRUPT',
      message: `${path} is not a valid rosetta state: resources › SamplingPlan/x › samplingPackageId: must be integer`,
    });
  });

  it('accept a state written by rosetta 0.1 (scene list in the record, no request name)', async () => {
    const path = join(tempDir(), 'state.json');
    const resources = {
      'AnnotationRequest/a': { kind: 'AnnotationRequest', name: 'a', status: 'applied', outcome: 'created', digest: 'd1', annotationRequestId: 'id-a', appliedAt: 't' },
      'SamplingPlan/b': { kind: 'SamplingPlan', name: 'b', status: 'applied', outcome: 'created', digest: 'd2', annotationRequestId: 'id-a', samplingPackageId: 3, sceneIdList: ['s1'], appliedAt: 't' },
    };
    writeFileSync(path, JSON.stringify({ version: 1, lineage: 'l', serial: 2, resources }));
    expect(Object.keys((await new FileStateStore(path).read()).resources)).toEqual(['AnnotationRequest/a', 'SamplingPlan/b']);
  });

  it('say which fixture is wrong', async () => {
    const path = join(tempDir(), 'fixtures.yaml');
    writeFileSync(path, 'pools:\n  - name: p\n    tasks: many\n');
    await expect(loadFixtures(path)).rejects.toMatchObject({ code: 'ROS_USAGE', message: `fixtures ${path}: pools › 0 › tasks: must be integer` });
  });
});
