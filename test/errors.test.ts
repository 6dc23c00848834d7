import { describe, expect, it } from 'vitest';
import { EXIT_CODES, exitCodeFor } from '../src/cli/main.js';
import { ERROR_CODES, RosettaError, isRosettaError, type ErrorCode } from '../src/errors.js';

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
        "ROS_PLAN_CONFLICT",
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

// Each code's exit code, written out here (not read from the table under test).
const EXPECTED_EXIT: Record<ErrorCode, number> = {
  ROS_USAGE: 1,
  ROS_NODE_VERSION: 1,
  ROS_MANIFEST_INVALID: 1,
  ROS_CONFIG: 1,
  ROS_API: 1,
  ROS_NETWORK: 1,
  ROS_REMOTE_NOT_FOUND: 1,
  ROS_SOURCE: 1,
  ROS_STATE_CORRUPT: 1,
  ROS_STATE_IO: 1,
  ROS_STATE_LOCKED: 1,
  ROS_STATE_NOT_FOUND: 1,
  ROS_PLAN_CONFLICT: 1,
  ROS_PLAN_STALE: 1,
  ROS_PLAN_INVALID: 1,
  ROS_ABORTED: 1,
  ROS_NOT_INTERACTIVE: 1,
};

describe('how the CLI reports each error code', () => {
  it('has an exit code for every code', () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each(Object.entries(EXPECTED_EXIT) as [ErrorCode, number][])('%s exits %i and prints error[CODE], message and hint', (code, exit) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env: {}, cwd: '/', interactive: false, terminal: false };
    expect(exitCodeFor(new RosettaError(code, 'it went wrong', { hint: 'do this' }), io, false)).toBe(exit);
    expect(err.join('')).toBe(`error[${code}]: it went wrong\n  hint: do this\n`);
    expect(out).toEqual([]);
    const json: string[] = [];
    exitCodeFor(new RosettaError(code, 'it went wrong', { hint: 'do this' }), { ...io, stdout: (t: string) => void json.push(t) }, true);
    expect(JSON.parse(json.join(''))).toEqual({ formatVersion: 1, error: { code, message: 'it went wrong', hint: 'do this' } });
  });
});
