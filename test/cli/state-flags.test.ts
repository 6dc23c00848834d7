// Hints name the state the run used: a command printed after a failure must reach the same state.
import { describe, expect, it } from 'vitest';
import { withStateFlags } from '../../src/cli/context.js';

describe('withStateFlags', () => {
  const hint = 'once state can be written: rosetta state resolve SamplingPlan/qa --sampling-package-id 5888';

  it('adds --state and --workspace given as flags after the address, the password hidden', () => {
    expect(withStateFlags(hint, { state: 'postgres://ci:s3cret@db:5432/rosetta', workspace: 'wsB' })).toBe(
      "once state can be written: rosetta state resolve SamplingPlan/qa --state 'postgres://ci:***@db:5432/rosetta' --workspace wsB --sampling-package-id 5888",
    );
    expect(withStateFlags('then: rosetta import SamplingPlan/qa <samplingPackageId>; or rosetta apply --allow-sampling-on-adopted --target SamplingPlan/qa', { state: 'b.json' })).toBe(
      'then: rosetta import SamplingPlan/qa --state b.json <samplingPackageId>; or rosetta apply --allow-sampling-on-adopted --state b.json --target SamplingPlan/qa',
    );
  });

  it('leaves hints alone when the state came from the environment', () => {
    expect(withStateFlags(hint, {})).toBe(hint);
  });
});
