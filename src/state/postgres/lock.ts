/**
 * The PostgreSQL state lock: a session advisory lock keyed by workspace, held on a dedicated
 * connection (never a pooled one: the lock lives and dies with its connection), plus a row naming
 * the holder for the message the second run prints. A `kill -9` of the holder closes its
 * connection and frees the lock at once; TCP keepalive frees it when the holder's host vanishes.
 */
import { Client, type ClientConfig } from 'pg';
import { RosettaError } from '../../errors.js';
import { describeHolder, describeSelf, type HeldLock, type LockOptions } from '../lock.js';
import type { LockHolder } from '../../model/records.js';

/** First half of the state lock's advisory key (the second is the workspace's row in rosetta.lock_keys). */
export const LOCK_NAMESPACE = 0x524f5354; // "ROST"
/** First half of the reconcile leader's key: leadership and the state lock are separate locks. */
export const LEADER_NAMESPACE = 0x524f534c; // "ROSL"

export interface PgLock extends HeldLock {
  /** The backend holding the advisory lock. */
  backendPid: number;
  /** False once the lock's connection has failed: the lock may belong to someone else now. */
  readonly held: boolean;
}

export async function acquirePgLock(config: ClientConfig, workspace: string, where: string, options: LockOptions, namespace = LOCK_NAMESPACE): Promise<PgLock> {
  const holder = describeSelf(options.command, options.env ?? process.env);
  // The holder row of the leader lock sits beside the state lock's, under its own key.
  const row = namespace === LOCK_NAMESPACE ? workspace : `${workspace}#leader`;
  const deadline = Date.now() + (options.timeoutMs ?? 0);
  const client = new Client({ ...config, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  let held = true;
  const lost = new AbortController();
  const lose = () => {
    held = false;
    lost.abort();
  };
  // Without a listener an error on an idle connection would crash the process.
  client.on('error', lose);
  client.on('end', lose);
  await client.connect();
  try {
    // The server frees the lock when it notices the connection is gone. A killed process closes
    // it at once; a host that vanishes (power, network) is noticed through the server's TCP
    // keepalive, which a session may tighten for its own connection: about 60 s here instead of
    // the operating system's default of hours. (Ignored on a Unix socket, where it is not needed.)
    await client.query('SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backendPid = rows[0]!.pid;
    const key = await lockKey(client, workspace);
    for (;;) {
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [namespace, key]);
      if (got.rows[0]!.ok) {
        await client.query(
          `INSERT INTO rosetta.lock_holders (workspace, holder, backend_pid) VALUES ($1, $2, $3)
           ON CONFLICT (workspace) DO UPDATE SET holder = EXCLUDED.holder, backend_pid = EXCLUDED.backend_pid`,
          [row, JSON.stringify(holder), backendPid],
        );
        return {
          holder,
          backendPid,
          get held() {
            return held;
          },
          lost: lost.signal,
          release: async () => {
            if (!held) return; // the connection is gone, and the lock with it
            held = false;
            try {
              await client.query('DELETE FROM rosetta.lock_holders WHERE workspace = $1 AND backend_pid = $2', [row, backendPid]);
              await client.query('SELECT pg_advisory_unlock($1, $2)', [namespace, key]);
            } finally {
              await client.end().catch(() => undefined);
            }
          },
        };
      }
      if (options.signal?.aborted) throw new RosettaError('ROS_ABORTED', 'stopped while waiting for the lock');
      if (Date.now() >= deadline) {
        const current = await readPgHolder(client, row);
        throw new RosettaError('ROS_STATE_LOCKED', `the state ${where} is locked by ${current ? describeHolder(current) : 'another run (holder unknown)'}`, {
          hint: 'wait for it to finish, or retry with --lock-timeout 5m; the lock frees itself when that run ends, even if it is killed',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(10, deadline - Date.now()))));
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** The workspace's own lock key, made on its first lock (two workspaces never share one). */
async function lockKey(client: Client, workspace: string): Promise<number> {
  await client.query('INSERT INTO rosetta.lock_keys (workspace) VALUES ($1) ON CONFLICT (workspace) DO NOTHING', [workspace]);
  const { rows } = await client.query<{ key: number }>('SELECT key FROM rosetta.lock_keys WHERE workspace = $1', [workspace]);
  return rows[0]!.key;
}

export async function readPgHolder(client: { query: Client['query'] }, workspace: string): Promise<LockHolder | undefined> {
  const { rows } = await client.query<{ holder: LockHolder }>('SELECT holder FROM rosetta.lock_holders WHERE workspace = $1', [workspace]);
  return rows[0]?.holder;
}
