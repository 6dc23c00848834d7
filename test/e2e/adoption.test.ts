// 53005 means the name is taken; when the platform proves our id absent, nothing may depend on it.
import { describe, expect, it } from 'vitest';
import { E2E_CREDENTIALS, annotationRequest, readState, rosetta, samplingPlan } from '../helpers/e2e.js';
import { tempDir } from '../helpers/files.js';
import { simulator } from '../helpers/sim.js';

describe('an annotation request adopted by name (53005) whose id the platform does not have', () => {
  it('is recorded as adopted, and its sampling plans are skipped on every apply, never sent', async () => {
    const sim = await simulator({
      credentials: [E2E_CREDENTIALS],
      fixtures: { permissive: true, campaigns: [], pools: [], annotationRequests: [{ annotationRequestId: 'someone-elses', annotationRequestName: 'Request taken', campaignId: 'campaign-1' }] },
    });
    const dir = tempDir({ 'm.yaml': `${annotationRequest('taken')}---\n${samplingPlan('qa', 'taken')}` });
    const reason = 'AnnotationRequest/taken was adopted by name (53005), but the platform has no request with its id: the name belongs to another request.';
    for (let run = 0; run < 2; run++) {
      const apply = await rosetta(sim, dir, ['apply', '--auto-approve', '--format', 'json']);
      expect(apply.code).toBe(1);
      const report = JSON.parse(apply.stdout) as { results: { name: string; outcome: string; message?: string }[] };
      const qa = report.results.find((r) => r.name === 'qa')!;
      expect(qa.outcome).toBe('skipped');
      expect(qa.message).toContain(reason);
    }
    expect(readState(dir).resources['AnnotationRequest/taken']).toMatchObject({ status: 'applied', outcome: 'adopted', code: 53005, absent: true });
    expect(sim.received.sampling).toBe(0);
  });
});

describe('two manifests with one annotationRequestName, applied in separate runs', () => {
  it('the second is refused before anything is sent', async () => {
    const sim = await simulator({ credentials: [E2E_CREDENTIALS] });
    const same = (name: string) => annotationRequest(name).replace(`annotationRequestName: Request ${name}`, 'annotationRequestName: Shared Name');
    const dir = tempDir({ 'a.yaml': same('first'), 'b.yaml': same('second') });
    expect((await rosetta(sim, dir, ['validate'])).code).toBe(1);
    expect((await rosetta(sim, dir, ['apply', 'a.yaml', '--auto-approve'])).code).toBe(0);
    const before = sim.received['annotation-request'];
    const second = await rosetta(sim, dir, ['apply', 'b.yaml', '--auto-approve']);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      'error[ROS_MANIFEST_INVALID]: b.yaml:1:1: AnnotationRequest/second: annotationRequestName "Shared Name" is already used by AnnotationRequest/first, applied earlier\n' +
        '  hint: annotation request names are unique on the platform: give this one another annotationRequestName\n',
    );
    expect(sim.received['annotation-request']).toBe(before);
  });
});
