/** Takes the state lock for an action; what taking it has to say (a stale lock taken over) goes to the host. */
import type { IoHost } from '../host/events.js';
import type { HeldLock, LockOptions } from '../state/lock.js';
import type { StateLocker } from '../state/store.js';

export type ActionLockOptions = Omit<LockOptions, 'onWarning'>;

export function takeLock(store: Pick<StateLocker, 'lock'>, options: ActionLockOptions, host: IoHost): Promise<HeldLock> {
  return store.lock({ ...options, onWarning: (message) => host.notify({ code: 'state.lock.warning', level: 'warn', data: { message } }) });
}
