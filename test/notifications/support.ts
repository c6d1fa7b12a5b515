/** Queue helpers for the notifications tests: run the Worker's queue() on hand-made batches. */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import worker from '../../src/index';
import type { OutboundEvent } from '../../src/core/events';

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

/** Counts rows of a table matching a WHERE clause. */
export async function countRows(table: string, where: string, ...params: unknown[]) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row!.n;
}
