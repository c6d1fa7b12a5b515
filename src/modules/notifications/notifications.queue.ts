/**
 * The NOTIFICATIONS queue consumer. Each message is an `OutboundEvent`; handlers are idempotent
 * (keyed by the event id), so a redelivered message does nothing twice. A failing message is
 * retried with exponential backoff; after `max_retries` (wrangler.toml) the queue moves it to the
 * dead-letter queue `notifications-dlq`, whose consumer records it in `dead_letters`. Logs and dead
 * letters carry metadata only (type, id, recipient, subject, attempts, error), never a mail's text.
 */
import type { OutboundEvent } from '../../core/events';
import type { Bindings } from '../../env';
import { deadLetterSummary, recordDeadLetter, storeNotification } from './consumer';
import { deliverEmail } from './email';

export type EventHandler<T extends OutboundEvent['type']> = (
  env: Bindings,
  event: Extract<OutboundEvent, { type: T }>,
) => Promise<void>;

/** Handlers per event type; modules register theirs (e.g. notifications rows) at import time. */
export const eventHandlers: { [K in OutboundEvent['type']]?: EventHandler<K> } = {
  email: (env, event) => deliverEmail(env, { id: event.id, to: event.to, subject: event.subject, text: event.text }),
  notification: storeNotification,
};

/** Hooks for messages that reached the dead-letter queue. */
export const deadLetterHandlers: ((env: Bindings, body: unknown, queue: string, attempts: number) => Promise<void>)[] = [
  (env, body, queue, attempts) => recordDeadLetter(env, body, queue, 'delivery failed after every retry', attempts),
];

const backoff = (attempts: number) => Math.min(300, 2 ** attempts * 5);

/** The queue() export: routes each message to its handler, acking or retrying one by one. */
export async function handleQueue(batch: MessageBatch<OutboundEvent>, env: Bindings): Promise<void> {
  if (batch.queue.endsWith('-dlq')) {
    for (const msg of batch.messages) {
      try {
        for (const h of deadLetterHandlers) await h(env, msg.body, batch.queue, msg.attempts);
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'dead-lettered event',
            queue: batch.queue,
            id: msg.id,
            event: await deadLetterSummary(env, msg.body),
          }),
        );
        msg.ack();
      } catch {
        msg.retry({ delaySeconds: 60 });
      }
    }
    return;
  }
  for (const msg of batch.messages) {
    const event = msg.body;
    const handler = eventHandlers[event?.type] as EventHandler<typeof event.type> | undefined;
    if (!handler) {
      // Retrying cannot help a message nobody handles: keep it for inspection instead.
      console.warn(JSON.stringify({ level: 'warn', msg: 'unknown event type, dead-lettered', id: msg.id }));
      try {
        await recordDeadLetter(env, event, batch.queue, 'unknown event type', msg.attempts);
        msg.ack();
      } catch {
        msg.retry({ delaySeconds: backoff(msg.attempts) });
      }
      continue;
    }
    try {
      await handler(env, event as never);
      msg.ack();
    } catch (err) {
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'event failed, will retry',
          id: msg.id,
          type: event.type,
          attempts: msg.attempts,
          error: String(err),
        }),
      );
      msg.retry({ delaySeconds: backoff(msg.attempts) });
    }
  }
}
