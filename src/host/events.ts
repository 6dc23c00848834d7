/**
 * The IO host (after aws-cdk's toolkit-lib): everything the core has to say while it works —
 * progress, warnings, results, the one question it asks — is an event with a stable code and
 * typed data, sent to a host the caller injects. The core never prints. The CLI's hosts draw
 * listr2 progress, plain CI lines or nothing (JSON output); the reconcile loop's host logs with
 * pino; tests record the events and assert on codes and data, not on text.
 *
 * Codes are part of the library's interface: add new ones, never rename one.
 */
import type { ApplyEvent } from '../apply/types.js';
import type { ResourceStatus } from '../kinds/index.js';
import type { Plan } from '../model/changes.js';

export type { ApplyEvent };

/** Events of the actions around the engine. */
export type ActionEvent =
  /** The plan an apply is about to carry out (the CLI prints it before asking). */
  | { code: 'plan.ready'; level: 'info'; data: { plan: Plan } }
  /** Taking the lock found something to say (a stale lock was taken over, a lock is held). */
  | { code: 'state.lock.warning'; level: 'warn'; data: { message: string } }
  /** A sampling package id recorded by `state resolve` could not be checked (no API configured). */
  | { code: 'state.resolve.unchecked'; level: 'warn'; data: { samplingPackageId: number } }
  /** While waiting (status --wait, apply --wait): resources whose status or progress changed since the last read, and all of them as read. */
  | { code: 'status.changed'; level: 'info'; data: { changed: ResourceStatus[]; all: ResourceStatus[] } };

export type RosettaEvent = ApplyEvent | ActionEvent;
export type EventCode = RosettaEvent['code'];
export type EventOf<C extends EventCode> = Extract<RosettaEvent, { code: C }>;

/** Questions the core asks; the host answers (a prompt, a flag, a policy). */
export interface ConfirmRequest {
  code: 'apply.confirm';
  /** The creates that would be sent. */
  count: number;
  plan: Plan;
}

export interface IoHost {
  /** Returns a promise only where the event's consumer must finish first (`apply.end`: the progress display). */
  notify(event: RosettaEvent): void | Promise<void>;
  /** Asked before creates are sent, unless the caller pre-approved them. */
  confirm(request: ConfirmRequest): Promise<boolean>;
}

/** A host that drops every event and approves nothing; a base for hosts that want only some events. */
export const quietHost: IoHost = {
  notify: () => undefined,
  confirm: async () => false,
};
