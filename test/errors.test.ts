import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RosettaError, isRosettaError } from '../src/errors.js';

describe('RosettaError', () => {
  it('pins every stable error code', () => {
    // Codes are part of the contract for scripts: add new ones, never rename.
    expect(Object.keys(ERROR_CODES).sort()).toMatchInlineSnapshot(`
      [
        "ROS_ABORTED",
        "ROS_API",
        "ROS_CONFIG",
        "ROS_MANIFEST_INVALID",
        "ROS_NETWORK",
        "ROS_NODE_VERSION",
        "ROS_NOT_INTERACTIVE",
        "ROS_NO_MANIFESTS",
        "ROS_PLAN_INVALID",
        "ROS_PLAN_STALE",
        "ROS_REMOTE_NOT_FOUND",
        "ROS_SOURCE",
        "ROS_STATE_CORRUPT",
        "ROS_STATE_IO",
        "ROS_STATE_LOCKED",
        "ROS_STATE_NOT_FOUND",
        "ROS_USAGE",
      ]
    `);
  });

  it.each(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[])('%s carries its code, message and hint', (code) => {
    const error = new RosettaError(code, 'something happened', { hint: 'do this' });
    expect(isRosettaError(error)).toBe(true);
    expect(error).toMatchObject({ code, message: 'something happened', hint: 'do this', name: 'RosettaError' });
    expect(ERROR_CODES[code].length).toBeGreaterThan(10);
  });
});
