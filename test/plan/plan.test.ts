import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import { MARKDOWN_LIMIT, renderPlanMarkdown } from '../../src/plan/render-markdown.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { planJson } from '../../src/plan/render-json.js';
import { bodyDigest } from '../../src/model/digest.js';
import { emptyState, type State } from '../../src/model/records.js';
import { requestResource, samplingResource } from '../helpers/resources.js';

function appliedState(resources: ReturnType<typeof requestResource | typeof samplingResource>[]): State {
  const state = emptyState();
  state.lineage = 'l-1';
  state.serial = 7;
  for (const r of resources) {
    state.resources[r.address] =
      r.kind === 'AnnotationRequest'
        ? { kind: r.kind, name: r.name, status: 'applied', outcome: 'created', digest: bodyDigest(r.body), annotationRequestId: r.body.annotationRequestId, appliedAt: 't' }
        : { kind: r.kind, name: r.name, status: 'applied', outcome: 'created', digest: bodyDigest(r.body), annotationRequestId: r.body.annotationRequestId, samplingPackageId: 1, appliedAt: 't' };
  }
  return state;
}

describe('plan', () => {
  it('creates everything against an empty state, requests before sampling plans', () => {
    const p = plan([samplingResource('a-qa', 'z'), requestResource('z'), requestResource('a')], emptyState());
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create AnnotationRequest/a', 'create AnnotationRequest/z', 'create SamplingPlan/a-qa']);
    expect(p.changes.map((c) => c.action === 'create' && c.retrySafe)).toEqual([true, true, false]);
    expect(p.summary).toEqual({ create: 3, update: 0, noop: 0, conflict: 0, pending: 0, held: 0, orphan: 0, drift: 0 });
    expect(p.state).toEqual({ lineage: null, serial: 0 });
  });

  it('is a no-op right after apply', () => {
    const resources = [requestResource('a'), samplingResource('a-qa', 'a')];
    expect(plan(resources, appliedState(resources)).summary).toMatchObject({ create: 0, noop: 2 });
  });

  it('never mutates its inputs: deep-frozen, in any order, with every action', () => {
    const applied = [requestResource('a'), samplingResource('a-qa', 'a'), requestResource('gone')];
    const state = appliedState(applied);
    state.resources['SamplingPlan/lost'] = { kind: 'SamplingPlan', name: 'lost', status: 'pending', digest: 'sha256:x', annotationRequestId: 'id-a', startedAt: 't' };
    const wanted = [requestResource('a'), samplingResource('a-qa', 'a', { samplingQuantity: 9 }), requestResource('new'), samplingResource('lost', 'a'), samplingResource('z-qa', 'new')];
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
      }
      return value;
    };
    const frozenState = deepFreeze(structuredClone(state));
    const expected = plan(wanted, state);
    expect(expected.summary).toEqual({ create: 2, update: 0, noop: 1, conflict: 1, pending: 1, held: 0, orphan: 1, drift: 0 });
    fc.assert(
      fc.property(fc.shuffledSubarray(wanted, { minLength: wanted.length }), (shuffled) => {
        const frozen = deepFreeze(structuredClone(shuffled));
        expect(plan(frozen, frozenState, { appliedBodies: deepFreeze(new Map()) })).toEqual(expected);
      }),
    );
  });

  it('reports a changed applied resource as a conflict naming the fields', () => {
    const old = samplingResource('qa', 'a', { samplingQuantity: 5, subCondition: { taskId: ['t1', 't2'] } });
    const state = appliedState([old]);
    const changed = samplingResource('qa', 'a', { samplingQuantity: 6, subCondition: { taskId: ['t1', 't3'] } });
    const p = plan([changed], state, { appliedBodies: new Map([[bodyDigest(old.body), old.body]]) });
    const conflict = p.changes[0]!;
    expect(conflict.action).toBe('conflict');
    if (conflict.action !== 'conflict') return;
    expect(conflict.fields).toEqual([
      { field: 'samplingQuantity', lines: ['- 5', '+ 6'] },
      { field: 'subCondition', lines: ['0 added, 0 removed, 1 changed (of 1 → 1)', '~ taskId: ["t1","t2"] → ["t1","t3"]'] },
    ]);
    const text = renderPlanText(p);
    expect(text).toContain('! SamplingPlan/qa was applied with a different spec; the API cannot update it (changed: samplingQuantity, subCondition)');
    expect(text).toContain('→ to create a new one, give it a new metadata.name; to stop tracking the applied one: rosetta state rm SamplingPlan/qa');
  });

  it('summarises a big map change instead of printing it', () => {
    const old = requestResource('big', 1000);
    const changed = requestResource('big', 1010);
    const p = plan([changed], appliedState([old]), { appliedBodies: new Map([[bodyDigest(old.body), old.body]]) });
    const change = p.changes[0]!;
    expect(change.action === 'conflict' && change.fields[0]!.lines).toEqual([
      '10 added, 0 removed, 0 changed (of 1000 → 1010)',
      '+ big-s1000: "gs://b/big/1000.yaml"',
      '+ big-s1001: "gs://b/big/1001.yaml"',
      '+ big-s1002: "gs://b/big/1002.yaml"',
      '+ big-s1003: "gs://b/big/1003.yaml"',
      '+ big-s1004: "gs://b/big/1004.yaml"',
      '… and 5 more',
    ]);
  });

  it('shows orphans and pending records, sending nothing for them', () => {
    const state = appliedState([requestResource('gone')]);
    state.resources['SamplingPlan/p'] = { kind: 'SamplingPlan', name: 'p', status: 'pending', digest: 'sha256:x', annotationRequestId: 'id-a', startedAt: '2026-01-01T00:00:00.000Z' };
    const p = plan([samplingResource('p', 'a')], state);
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['orphan AnnotationRequest/gone', 'pending SamplingPlan/p']);
    const json = planJson(p) as { changes: { action: string }[] };
    expect(json.changes.map((c) => c.action)).toEqual(['orphan', 'pending']);
  });

  it('narrows to targets and what they depend on, leaving orphans out', () => {
    const state = appliedState([requestResource('gone')]);
    const p = plan([requestResource('a'), requestResource('b'), samplingResource('a-qa', 'a')], state, { targets: ['SamplingPlan/a-qa'] });
    expect(p.changes.map((c) => c.address)).toEqual(['AnnotationRequest/a', 'SamplingPlan/a-qa']);
    expect(p.targets).toEqual(['SamplingPlan/a-qa']);
  });

  it('keeps a 100k-scene plan readable: short text, markdown under the comment limit', () => {
    const resources = [requestResource('huge', 100_000), ...Array.from({ length: 300 }, (_, i) => samplingResource(`qa-${i}`, 'huge'))];
    const p = plan(resources, emptyState());
    const text = renderPlanText(p);
    expect(text).toContain('sceneIdMap: (100000 entries)');
    expect(text).toContain('… and 99995 more');
    const markdown = renderPlanMarkdown(p);
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(markdown).toMatch(/_… \d+ more resources not shown in detail \(comment size limit\)/);
    expect(markdown).toContain('Plan: 301 to create, 0 unchanged.');
  });

  it('keeps a 2,000-resource markdown plan under GitHub\'s comment limit, counting exactly what it leaves out', () => {
    const resources = Array.from({ length: 2000 }, (_, i) => requestResource(`r-${String(i).padStart(4, '0')}`));
    const markdown = renderPlanMarkdown(plan(resources, emptyState()));
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    const detailed = markdown.split('<details>').length - 1;
    const tabled = markdown.split('\n').filter((line) => line.startsWith('| `+` |')).length;
    expect(detailed).toBeGreaterThan(0);
    expect(markdown).toContain(`_… ${2000 - detailed} more resources not shown in detail (comment size limit)`);
    expect(markdown).toContain(`| | _… ${2000 - tabled} more_ | |`);
  });

  it('is deterministic whatever the input order', () => {
    const resources = [requestResource('a'), requestResource('b'), samplingResource('a-qa', 'a'), samplingResource('b-qa', 'b')];
    fc.assert(
      fc.property(fc.shuffledSubarray(resources, { minLength: resources.length }), (shuffled) => {
        expect(renderPlanText(plan(shuffled, emptyState()))).toBe(renderPlanText(plan(resources, emptyState())));
      }),
    );
  });
});
