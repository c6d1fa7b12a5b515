/**
 * Notifications: the Worker's queue() run on hand-made batches, and the notification events the
 * consumer stored (so events are seen after a real trip through the NOTIFICATIONS queue and its consumer).
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import type { OutboundEvent } from '../../src/core/events';
import worker from '../../src/index';
import type { NotificationEvent } from './events';
import { eventually } from './eventually';

let seq = 0;

/** A notification event for `recipient` with a fresh id unless one is given. */
export function notificationEvent(recipient: number, extra: Partial<Extract<OutboundEvent, { type: 'notification' }>> = {}) {
  return {
    type: 'notification' as const,
    id: crypto.randomUUID(),
    recipient_id: recipient,
    actor_id: null,
    verb: `did thing ${seq++}`,
    ...extra,
  };
}

/** Delivers messages to the Worker's queue() as one batch; returns the ack/retry result. */
export async function deliver(
  bodies: unknown[],
  opts: { queue?: string; attempts?: number; env?: Record<string, unknown> } = {},
) {
  const messages = bodies.map((body) => ({
    id: `msg-${seq++}`,
    timestamp: new Date(),
    attempts: opts.attempts ?? 1,
    body,
  }));
  const batch = createMessageBatch(opts.queue ?? 'notifications', messages);
  // getQueueResult does not report retry delays: record what the consumer asked for.
  const delays: Record<string, number | undefined> = {};
  for (const msg of batch.messages) {
    const retry = msg.retry.bind(msg);
    msg.retry = (options?: QueueRetryOptions) => {
      delays[msg.id] = options?.delaySeconds;
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<OutboundEvent>, { ...env, ...(opts.env ?? {}) } as never);
  const result = await getQueueResult(batch, ctx);
  return { result, delays, ids: messages.map((m) => m.id) };
}

interface StoredNotification {
  event_id: string;
  recipient_id: number;
  actor_id: number | null;
  verb: string;
  url: string;
  target_type: string | null;
  target_id: string | null;
}

/** The notification events the consumer has stored so far, as events (the row keeps the event's id). */
async function stored(): Promise<NotificationEvent[]> {
  const rows = await env.DB.prepare(
    'SELECT event_id, recipient_id, actor_id, verb, url, target_type, target_id FROM notifications ORDER BY id',
  ).all<StoredNotification>();
  return rows.results.map((r) => ({
    type: 'notification',
    id: r.event_id,
    recipient_id: r.recipient_id,
    actor_id: r.actor_id,
    verb: r.verb,
    url: r.url,
    target_type: r.target_type ?? undefined,
    target_id: r.target_id !== null && /^\d+$/.test(r.target_id) ? Number(r.target_id) : r.target_id,
  }));
}

/** Waits until events matching `match` have arrived through the queue (at least `count`). */
export function waitForEvents(match: Partial<NotificationEvent>, count = 1, timeoutMs = 8000) {
  let seen: NotificationEvent[] = [];
  return eventually(
    async () => {
      seen = await stored();
      const found = seen.filter(like(match));
      return found.length >= count && found;
    },
    {
      timeoutMs,
      intervalMs: 50,
      message: () => `expected ${count} event(s) like ${JSON.stringify(match)}; seen: ${JSON.stringify(seen)}`,
    },
  );
}

/** Events seen so far that match (no waiting): for asserting that something was NOT published after a wait. */
export const eventsLike = async (match: Partial<NotificationEvent>) => (await stored()).filter(like(match));

const like = (match: Partial<NotificationEvent>) => (e: NotificationEvent) =>
  Object.entries(match).every(([k, v]) => (e as Record<string, unknown>)[k] === v);
