/**
 * The NOTIFICATIONS queue consumer. Each message is an `OutboundEvent`; handlers are idempotent
 * (keyed by the event id), so a redelivered message does nothing twice. A failing message is
 * retried with exponential backoff; after `max_retries` (wrangler.toml) the queue moves it to the
 * dead-letter queue `notifications-dlq`, whose consumer records it in `dead_letters`. Logs and dead
 * letters carry metadata only (type, id, recipient, subject, attempts, error), never a mail's text.
 */
import type { OutboundEvent } from '../../core/events';
import { deleteStoredFiles } from '../../core/files';
import { logEvent } from '../../core/log';
import type { Bindings } from '../../env';
import { deadLetterSummary, recordDeadLetter, storeNotification } from './consumer';
import { deliverEmail } from './email';

export type EventHandler<T extends OutboundEvent['type']> = (
  env: Bindings,
  event: Extract<OutboundEvent, { type: T }>,
) => Promise<void>;

/** A handler per event type. */
export type EventHandlers = { readonly [K in OutboundEvent['type']]?: EventHandler<K> };
/** What to do with a message that reached the dead-letter queue. */
export type DeadLetterHandler = (env: Bindings, body: unknown, queue: string, attempts: number) => Promise<void>;

/** The consumer's handlers: mail delivery, notification rows and removal of released files. Passed to `handleQueue`, never patched. */
export const defaultEventHandlers: EventHandlers = Object.freeze({
  email: (env, event) => deliverEmail(env, { id: event.id, to: event.to, subject: event.subject, text: event.text }),
  notification: storeNotification,
  file_delete: deleteStoredFiles,
});

/** Dead letters are recorded in `dead_letters` (metadata only). */
export const defaultDeadLetterHandlers: readonly DeadLetterHandler[] = Object.freeze([
  (env, body, queue, attempts) => recordDeadLetter(env, body, queue, 'delivery failed after every retry', attempts),
]);

const backoff = (attempts: number) => Math.min(300, 2 ** attempts * 5);

/**
 * The queue() export: routes each message to its handler, acking or retrying one by one. The
 * handlers are explicit arguments (the defaults in production), so a test passes its own.
 */
export async function handleQueue(
  batch: MessageBatch<OutboundEvent>,
  env: Bindings,
  handlers: Handlers = {
    events: defaultEventHandlers,
    deadLetters: defaultDeadLetterHandlers,
  },
): Promise<void> {
  const started = Date.now();
  // One line per batch: how many messages were acked and retried (no bodies).
  let acked = 0;
  let retried = 0;
  const ack = (msg: Message<OutboundEvent>) => {
    msg.ack();
    acked++;
  };
  const retry = (msg: Message<OutboundEvent>, delaySeconds: number) => {
    msg.retry({ delaySeconds });
    retried++;
  };
  try {
    await consume(batch, env, handlers, { ack, retry });
  } finally {
    logEvent(env, 'queue batch', {
      queue: batch.queue,
      messages: batch.messages.length,
      acked,
      retried,
      ms: Date.now() - started,
    });
  }
}

type Handlers = { events: EventHandlers; deadLetters: readonly DeadLetterHandler[] };
/** How a message ends: acked, or retried after a delay (counted for the batch's log line). */
interface Outcome {
  ack(msg: Message<OutboundEvent>): void;
  retry(msg: Message<OutboundEvent>, delaySeconds: number): void;
}

async function consume(batch: MessageBatch<OutboundEvent>, env: Bindings, handlers: Handlers, out: Outcome) {
  if (batch.queue.endsWith('-dlq')) {
    for (const msg of batch.messages) await consumeDeadLetter(msg, batch.queue, env, handlers.deadLetters, out);
    return;
  }
  for (const msg of batch.messages) await consumeEvent(msg, batch.queue, env, handlers.events, out);
}

/** A dead letter: its handlers run, its metadata is logged; retried in a minute when a handler fails. */
async function consumeDeadLetter(
  msg: Message<OutboundEvent>,
  queue: string,
  env: Bindings,
  handlers: readonly DeadLetterHandler[],
  out: Outcome,
) {
  try {
    for (const h of handlers) await h(env, msg.body, queue, msg.attempts);
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'dead-lettered event',
        queue,
        id: msg.id,
        event: await deadLetterSummary(env, msg.body),
      }),
    );
    out.ack(msg);
  } catch {
    out.retry(msg, 60);
  }
}

/** An event: its type's handler runs (retried with backoff when it fails); an unknown type is dead-lettered at once. */
async function consumeEvent(msg: Message<OutboundEvent>, queue: string, env: Bindings, handlers: EventHandlers, out: Outcome) {
  const event = msg.body;
  // The handler of this event's type, seen as taking any event: TypeScript cannot correlate a
  // mapped type's key with the union member it selects (a handler only ever gets its own type).
  const handler = handlers[event?.type] as EventHandler<OutboundEvent['type']> | undefined;
  if (!handler) {
    // Retrying cannot help a message nobody handles: keep it for inspection instead.
    console.warn(JSON.stringify({ level: 'warn', msg: 'unknown event type, dead-lettered', id: msg.id }));
    try {
      await recordDeadLetter(env, event, queue, 'unknown event type', msg.attempts);
      out.ack(msg);
    } catch {
      out.retry(msg, backoff(msg.attempts));
    }
    return;
  }
  try {
    await handler(env, event);
    out.ack(msg);
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
    out.retry(msg, backoff(msg.attempts));
  }
}
