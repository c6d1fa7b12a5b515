/**
 * Events that modules publish on the NOTIFICATIONS queue. Nothing writes notifications or sends
 * mail inline in a request: handlers push events with `publish(c, ...)`, the app sends them in one
 * `sendBatch` after the handler succeeded, and the queue consumer does the work.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';

export type OutboundEvent =
  | {
      type: 'email';
      /** Idempotency key: a redelivered message with the same id is not sent twice. */
      id: string;
      to: string;
      subject: string;
      text: string;
    }
  | {
      type: 'notification';
      id: string;
      recipient_id: number;
      actor_id: number | null;
      verb: string;
      url?: string;
      target_type?: string;
      target_id?: number | string | null;
      /** Optional email copy, sent when the recipient's preferences allow it. */
      email?: { subject: string; text: string };
    }
  | {
      /** Stored files a committed write let go (replaced, cleared, row deleted): removed from R2. */
      type: 'file_delete';
      id: string;
      keys: string[];
    };

/** Queues an event to be published after the request's writes succeeded. */
export function publish(c: Context<AppEnv>, ...events: OutboundEvent[]) {
  c.get('events').push(...events);
}

/** Sends queued events; failures are logged, never turned into an error for the client. */
export async function flushEvents(env: AppEnv['Bindings'], events: OutboundEvent[], requestId: string) {
  if (events.length === 0) return;
  try {
    for (let i = 0; i < events.length; i += 100) {
      await env.NOTIFICATIONS.sendBatch(events.slice(i, i + 100).map((body) => ({ body })));
    }
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', requestId, msg: 'queue publish failed', error: String(err) }));
  }
}

/** A random id for an event. */
export const eventId = () => crypto.randomUUID();
