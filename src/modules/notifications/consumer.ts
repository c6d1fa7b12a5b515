/**
 * What the NOTIFICATIONS consumer does with each event: a `notification` event becomes one
 * notification row (keyed by the event id, so a redelivery inserts nothing) and, when the event
 * carries an email copy and the recipient's preferences allow it, one email (idempotent by id).
 * Dead letters are recorded in `dead_letters` for inspection.
 */
import { eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { OutboundEvent } from '../../core/events';
import { deadLetters, notifications } from '../../db/schema/notifications';
import { userPreferences, users } from '../../db/schema/users';
import type { Bindings } from '../../env';
import { deliverEmail } from './email';

type NotificationEvent = Extract<OutboundEvent, { type: 'notification' }>;

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Why an event cannot be stored, or undefined when it is well-formed. */
function malformed(event: NotificationEvent): string | undefined {
  if (typeof event.id !== 'string' || !event.id) return 'missing id';
  if (!isId(event.recipient_id)) return 'recipient_id must be a positive integer';
  if (event.actor_id !== null && event.actor_id !== undefined && !isId(event.actor_id))
    return 'actor_id must be a positive integer or null';
  if (typeof event.verb !== 'string' || !event.verb) return 'missing verb';
  return undefined;
}

/**
 * Stores a notification event. A malformed event is recorded as a dead letter at once (retrying
 * cannot fix it); an event for a user who no longer exists is dropped.
 */
export async function storeNotification(env: Bindings, event: NotificationEvent): Promise<void> {
  const db = drizzle(env.DB);
  const problem = malformed(event);
  if (problem) {
    await recordDeadLetter(env, event, 'notifications', problem);
    return;
  }
  const ids = [event.recipient_id, ...(isId(event.actor_id) ? [event.actor_id] : [])];
  const [people, prefs] = await db.batch([
    db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids)),
    db
      .select({ email_notifications: userPreferences.email_notifications })
      .from(userPreferences)
      .where(eq(userPreferences.user_id, event.recipient_id))
      .limit(1),
  ]);
  const recipient = people.find((p) => p.id === event.recipient_id);
  if (!recipient) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'notification for a missing user dropped', id: event.id }));
    return;
  }
  const actorExists = isId(event.actor_id) && people.some((p) => p.id === event.actor_id);
  await db
    .insert(notifications)
    .values({
      event_id: event.id,
      recipient: event.recipient_id,
      actor: actorExists ? (event.actor_id as number) : null,
      verb: event.verb.slice(0, 255),
      url: event.url ?? '',
      target_type: event.target_type ?? null,
      target_id: event.target_id === undefined || event.target_id === null ? null : String(event.target_id),
    })
    .onConflictDoNothing({ target: notifications.event_id });

  // No preferences row means the defaults, which send email.
  const wantsEmail = prefs[0]?.email_notifications ?? true;
  if (event.email && wantsEmail && recipient.email) {
    await deliverEmail(env, {
      id: `${event.id}:email`,
      to: recipient.email,
      subject: event.email.subject,
      text: event.email.text,
    });
  }
}

/** Records a message in `dead_letters` (once per queue and event id). */
export async function recordDeadLetter(env: Bindings, body: unknown, queue: string, reason?: string): Promise<void> {
  const eventId = typeof (body as { id?: unknown })?.id === 'string' ? (body as { id: string }).id : null;
  await drizzle(env.DB)
    .insert(deadLetters)
    .values({ queue, event_id: eventId, body: body ?? null, reason: reason ?? null })
    .onConflictDoNothing();
}
