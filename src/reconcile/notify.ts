/**
 * reconcile --notify URL: the leader's events, POSTed as JSON to each target (Slack's incoming
 * webhooks get Slack's `{"text"}` shape), signed with ROSETTA_NOTIFY_SECRET, and GitHub commit
 * statuses with `--notify github`, as Flux's notification-controller does.
 *
 * At most once per resource and event, across restarts and replicas: an event's key is claimed in
 * the state (StateStore.claimNotifications) before it is sent; one a crash interrupts is lost, never
 * sent twice. Sending happens behind the cycle: a queue per target, retried with backoff, each
 * request with a deadline, so a dead or slow receiver never slows or stops reconciling.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { systemClock } from '../api/client.js';
import { withDeadline } from '../api/signals.js';
import { loadUndici, requestOn } from '../api/transport.js';
import type { NotificationLog } from '../state/store.js';
import { printable } from '../text.js';

export const NOTIFY_EVENTS = ['created', 'adopted', 'updated', 'failed', 'pending', 'invalid_revision', 'drift', 'finished', 'annotation_failed'] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

/** What a receiver gets (the contract's shape). No secret is ever part of it. */
export interface NotifyEvent {
  event: NotifyEventName;
  kind: string | null;
  name: string | null;
  revision: string | null;
  message: string;
  time: string;
}

/** Where events go: a webhook URL, or GitHub commit statuses on the source's repository. */
export type NotifyTarget = { type: 'webhook'; url: string; slack: boolean } | { type: 'github'; owner: string; repo: string; apiUrl: string; token: string };

export interface NotifierOptions {
  targets: readonly NotifyTarget[];
  /** ROSETTA_NOTIFY_SECRET: each webhook body is signed with it (X-Rosetta-Signature-256). */
  secret?: string | undefined;
  log: NotificationLog;
  logger: Logger;
  /** Attempts per event and target. @default 5 */
  attempts?: number;
  /** The first retry's delay, doubled each time. @default 1000 */
  firstRetryMs?: number;
  /** One request's deadline. @default 10000 */
  timeoutMs?: number;
  onSent?: (target: string, result: 'sent' | 'failed') => void;
}

/** Slack incoming webhooks: their URLs live on hooks.slack.com. */
export function webhookTarget(url: string): NotifyTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`--notify ${printable(url)}: expected an http(s) URL or github`);
  return { type: 'webhook', url, slack: parsed.hostname === 'hooks.slack.com' };
}

/** A GitHub repository's owner and name from a git URL (https://github.com/o/r(.git), git@github.com:o/r.git), or undefined. */
export function githubRepository(source: string): { owner: string; repo: string } | undefined {
  const match = /^(?:https:\/\/(?:[^@/]+@)?github\.com\/|ssh:\/\/git@github\.com\/|git@github\.com:)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(source);
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

export class Notifier {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: NotifierOptions) {}

  get enabled(): boolean {
    return this.options.targets.length > 0;
  }

  /**
   * Claims the events no earlier cycle or replica claimed (`key` per resource and event) and queues
   * them for every target. Resolves once claimed; the sending goes on behind.
   */
  async publish(events: readonly (NotifyEvent & { key: string })[]): Promise<void> {
    const webhooks = this.options.targets.filter((t) => t.type === 'webhook');
    if (webhooks.length === 0 || events.length === 0) return;
    const claimed = new Set(await this.options.log.claimNotifications(events.map((e) => e.key)));
    for (const { key, ...event } of events) {
      if (!claimed.has(key)) continue;
      for (const target of webhooks) this.enqueue(target.url, () => this.sendWebhook(target, event));
    }
  }

  /** A commit status on the revision (`success`, `failure`, `pending`), once per revision and state. */
  async commitStatus(revision: string, state: 'success' | 'failure' | 'pending', description: string): Promise<void> {
    const targets = this.options.targets.filter((t) => t.type === 'github');
    if (targets.length === 0 || !/^[0-9a-f]{40}$/.test(revision)) return;
    const claimed = await this.options.log.claimNotifications([`github:${revision}:${state}`]);
    if (claimed.length === 0) return;
    for (const target of targets) this.enqueue(`github:${target.owner}/${target.repo}`, () => this.sendStatus(target, revision, state, description));
  }

  /**
   * Waits up to `graceMs` for what is queued to be sent, then stops retrying: what is still in
   * flight is abandoned (at most once: never resent).
   */
  async close(graceMs = 0): Promise<void> {
    const drained = Promise.allSettled([...this.queues.values()]);
    if (graceMs > 0) await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    this.stopping.abort();
    await Promise.allSettled([...this.queues.values()]);
  }

  /** One queue per target: a slow one holds back only its own events, and events keep their order. */
  private enqueue(target: string, send: () => Promise<void>): void {
    const previous = this.queues.get(target) ?? Promise.resolve();
    const next = previous.then(() => this.withRetries(target, send));
    this.queues.set(target, next);
    void next.finally(() => {
      if (this.queues.get(target) === next) this.queues.delete(target);
    });
  }

  private async withRetries(target: string, send: () => Promise<void>): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    let delay = this.options.firstRetryMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        this.options.onSent?.(redact(target), 'sent');
        return;
      } catch (error) {
        const reason = (error as Error).message;
        if (attempt >= attempts || this.stopping.signal.aborted) {
          this.options.logger.error({ target: redact(target), attempts: attempt, err: reason }, `notification to ${redact(target)} failed: ${reason}`);
          this.options.onSent?.(redact(target), 'failed');
          return;
        }
        this.options.logger.warn({ target: redact(target), attempt, err: reason }, `notification to ${redact(target)} failed, retrying in ${delay} ms`);
        await systemClock.sleep(delay, this.stopping.signal);
        delay *= 2;
      }
    }
  }

  private async sendWebhook(target: Extract<NotifyTarget, { type: 'webhook' }>, event: NotifyEvent): Promise<void> {
    const body = JSON.stringify(target.slack ? { text: slackText(event) } : event);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'rosetta-notify' };
    if (this.options.secret) headers['x-rosetta-signature-256'] = `sha256=${createHmac('sha256', this.options.secret).update(body).digest('hex')}`;
    await this.post(target.url, headers, body);
  }

  private async sendStatus(target: Extract<NotifyTarget, { type: 'github' }>, revision: string, state: string, description: string): Promise<void> {
    const url = `${target.apiUrl.replace(/\/+$/, '')}/repos/${target.owner}/${target.repo}/statuses/${revision}`;
    const body = JSON.stringify({ state, context: 'rosetta', description: description.slice(0, 140) });
    await this.post(url, { 'content-type': 'application/json', accept: 'application/vnd.github+json', authorization: `Bearer ${target.token}`, 'user-agent': 'rosetta-notify' }, body);
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    await withDeadline(timeoutMs, this.stopping.signal, async (signal) => {
      const response = await requestOn((await loadUndici()).getGlobalDispatcher(), url, { method: 'POST', headers, body, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}`);
    });
  }
}

/** Slack's message: one line a person reads in a channel. */
function slackText(event: NotifyEvent): string {
  const what = event.kind && event.name ? `${event.kind}/${event.name}` : 'rosetta';
  return `rosetta ${event.event}: ${what}${event.revision ? ` (${event.revision.slice(0, 12)})` : ''}: ${event.message}`;
}

/** A target as logs show it: no path or query (a Slack URL's path is its secret). */
function redact(target: string): string {
  if (target.startsWith('github:')) return target;
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}/…`;
  } catch {
    return 'a notify target';
  }
}
