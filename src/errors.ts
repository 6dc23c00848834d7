/**
 * One error base for everything rosetta reports to a user.
 *
 * Every error has a stable `code` (listed in {@link ERROR_CODES}, pinned by a
 * table test) and, where the user can act, a `hint`. The CLI turns these into
 * exit codes and one-line messages; nothing else prints stack traces.
 */
export const ERROR_CODES = {
  ROS_USAGE: 'The command line is wrong (unknown flag, bad value).',
  ROS_NODE_VERSION: 'Node.js is older than the supported minimum.',
  ROS_MANIFEST_INVALID: 'One or more manifests failed validation.',
  ROS_CONFIG: 'Endpoint or credentials are missing or unusable.',
  ROS_API: 'The Rosetta API answered with an error.',
  ROS_NETWORK: 'The Rosetta API could not be reached or did not answer.',
  ROS_REMOTE_NOT_FOUND: 'The platform has no such annotation request or sampling package.',
  ROS_SOURCE: 'The reconcile source (a directory or git repository) cannot be read.',
  ROS_STATE_CORRUPT: 'The state file cannot be read.',
  ROS_STATE_IO: 'The state cannot be read or written (full disk, permissions, a wrong path).',
  ROS_STATE_LOCKED: 'Another run holds the state lock.',
  ROS_STATE_NOT_FOUND: 'No such resource in state.',
  ROS_PLAN_CONFLICT: 'An applied resource changed in the manifests; the API cannot update it.',
  ROS_PLAN_STALE: 'A saved plan no longer matches the state.',
  ROS_PLAN_INVALID: 'A saved plan file cannot be used.',
  ROS_ABORTED: 'The user stopped the run.',
  ROS_NOT_INTERACTIVE: 'Confirmation is needed but there is no terminal.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface RosettaErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class RosettaError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: RosettaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RosettaError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function isRosettaError(value: unknown): value is RosettaError {
  return value instanceof RosettaError;
}
