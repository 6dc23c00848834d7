import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/load.js';
import { deriveAnnotationRequestId } from '../../src/kinds/annotation-request-spec.js';
import { REPO_ROOT } from '../helpers/cli.js';

// Pinned on purpose: changing the derivation would orphan every request already applied.
const PINNED_HELIX_ID = '43d5ed28-0081-5726-8e22-695c6c007d7e';

describe('examples/', () => {
  it('validates with no diagnostics and yields every manifest', async () => {
    const { diagnostics, resources, files } = await loadManifests(['examples'], { cwd: REPO_ROOT });
    expect(diagnostics).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(resources.map((r) => r.address)).toEqual([
      'AnnotationRequest/drive-2026-11-28',
      'AnnotationRequest/helix-3d',
      'AnnotationRequest/lidar-night',
      'AnnotationRequest/lidar-rain',
      'AnnotationRequest/night-2026-11-24',
      'AnnotationRequest/night-2026-11-25',
      'AnnotationRequest/night-2026-11-26',
      'Campaign/lidar-drives',
      'Folder/helix',
      'SamplingPlan/drive-2026-11-28-qa',
      'SamplingPlan/helix-3d-qa',
      'SamplingPlan/helix-3d-review-audit',
      'SamplingPlan/helix-3d-sequences',
      'SamplingPlan/lidar-night-spot-check',
      'SamplingPlan/lidar-rain-random',
      'SamplingPlan/lidar-rain-tail',
      'SamplingPlan/night-2026-11-24-qa',
      'SamplingPlan/night-2026-11-25-qa',
      'SamplingPlan/night-2026-11-26-qa',
      'Taxonomy/lidar-3d-v2',
      'WorkflowTemplate/two-stage',
    ]);
  });

  it('normalises to the exact wire bodies: enum numbers, resolved refs, derived ids', async () => {
    const { resources } = await loadManifests(['examples'], { cwd: REPO_ROOT });
    const byAddress = new Map(resources.map((r) => [r.address, r]));
    const found = byAddress.get('AnnotationRequest/helix-3d');
    const helix = found?.kind === 'AnnotationRequest' ? found : undefined;
    expect(helix?.body.annotationRequestId).toBe(PINNED_HELIX_ID);
    expect(helix?.idDerived).toBe(true);

    expect(byAddress.get('SamplingPlan/helix-3d-qa')?.body).toEqual({
      annotationRequestId: helix?.body.annotationRequestId,
      poolName: 'helix-3d-SamplingPool',
      sampleType: 2,
      samplingRatio: 0.1,
      interceptionMode: 5,
      interceptionFrame: 5,
      interceptionBoundary: [
        { start: 1, end: 20 },
        { start: 40, end: 60 },
      ],
      subCondition: { conditionJoinType: 'and', workPoolFilterType: 1, workPoolFilter: ['helix-3d-AnnotationPool'], haveIssue: true },
    });
    const audit = byAddress.get('SamplingPlan/helix-3d-review-audit');
    expect(audit?.body).toMatchObject({ sampleType: 1, interceptionMode: 1, subCondition: { operationFilterType: [2, 3], endTime: '2025-03-31 23:59:59' } });
    expect(audit?.kind === 'SamplingPlan' && audit.dependsOn).toBe('AnnotationRequest/helix-3d');

    // A literal id that a manifest here creates is still a dependency.
    const spot = byAddress.get('SamplingPlan/lidar-night-spot-check');
    expect(spot?.kind === 'SamplingPlan' && spot.dependsOn).toBe('AnnotationRequest/lidar-night');
    expect(spot?.body).not.toHaveProperty('annotationRequestRef');
  });
});

describe('derived annotation request ids', () => {
  it('are UUID v5 of campaignId/name, stable across runs and machines', () => {
    expect(deriveAnnotationRequestId('7d44b43b-3bbd-4f53-9f95-b7c0217d8d5b', 'helix-3d')).toBe(PINNED_HELIX_ID);
    expect(deriveAnnotationRequestId('c', 'a')).not.toBe(deriveAnnotationRequestId('c', 'b'));
    expect(deriveAnnotationRequestId('c1', 'a')).not.toBe(deriveAnnotationRequestId('c2', 'a'));
    expect(deriveAnnotationRequestId('c', 'a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
