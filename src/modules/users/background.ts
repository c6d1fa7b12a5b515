/**
 * Work done after the response (`executionCtx.waitUntil`), for requests whose answer must not
 * depend on whether an account exists: the client gets the same answer in the same time, and the
 * lookup, signing and mail happen afterwards. Failures are logged (never with the mail's text).
 */
import type { Context } from 'hono';
import { flushEvents, type OutboundEvent } from '../../core/events';
import type { AppEnv } from '../../env';

/** Runs `work` after the response; it may return events to publish on the NOTIFICATIONS queue. */
export function afterResponse(c: Context<AppEnv>, label: string, work: () => Promise<OutboundEvent[]>) {
  const requestId = c.get('requestId');
  c.executionCtx.waitUntil(
    work()
      .then((events) => flushEvents(c.env, events, requestId))
      .catch((err) => console.error(JSON.stringify({ level: 'error', requestId, msg: `${label} failed`, error: String(err) }))),
  );
}
