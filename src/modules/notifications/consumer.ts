/**
 * What the NOTIFICATIONS consumer does with each event: a `notification` event becomes one
 * notification row (keyed by the event id, so a redelivery inserts nothing) and, when the event
 * carries an email copy and the recipient's preferences allow it, one email (idempotent by id).
 * Dead letters are recorded in `dead_letters` for inspection, as metadata only: a mail's text
 * carries reset codes and links, so neither it nor the address is ever stored or logged.
 */
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { OutboundEvent } from '../../core/events';
import { runBatch, type Db } from '../../db';
import { nowIso } from '../../db/columns';
import { statement } from '../../db/compiled';
import { deadLetters, notifications } from '../../db/schema/notifications';
import { userPreferences, users } from '../../db/schema/users';
import type { Bindings } from '../../env';
import { sha256Hex } from '../../core/passwords';
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
 * The notification row, inserted only for a recipient who exists, with its actor only if the actor
 * exists (the subquery's `users` is its own scope: the actor's row, not the recipient's); a
 * redelivered event inserts nothing. Built once per isolate (db/compiled.ts `statement`).
 */
const insertStmt = (db: Db, values: Record<string, unknown>) =>
  statement(
    db,
    'notifications.store',
    (q) => {
      const columns = [
        notifications.event_id,
        notifications.recipient,
        notifications.actor,
        notifications.verb,
        notifications.url,
        notifications.target_type,
        notifications.target_id,
        notifications.created_at,
      ].map((c) => sql.identifier(c.name));
      return q.run(sql`insert into ${notifications} (${sql.join(columns, sql`, `)})
        select ${sql.placeholder('event')}, ${users.id}, (select ${users.id} from ${users} where ${users.id} = ${sql.placeholder('actor')}),
          ${sql.placeholder('verb')}, ${sql.placeholder('url')}, ${sql.placeholder('target_type')}, ${sql.placeholder('target_id')}, ${sql.placeholder('created_at')}
        from ${users} where ${users.id} = ${sql.placeholder('recipient')}
        on conflict (${sql.identifier(notifications.event_id.name)}) do nothing`);
    },
    values,
  );

/** The recipient's address and email preference (null without a preferences row). */
const recipientStmt = (db: Db, recipient: number) =>
  statement(
    db,
    'notifications.recipient',
    (q) =>
      q
        .select({ email: users.email, emailNotifications: userPreferences.email_notifications })
        .from(users)
        .leftJoin(userPreferences, eq(userPreferences.user_id, users.id))
        .where(eq(users.id, sql.placeholder('recipient'))),
    { recipient },
  );

/**
 * Stores a notification event in one D1 round trip: the row (see `insertStmt`) and the recipient's
 * address and email preference, in one batch. A malformed event is recorded as a dead letter at
 * once (retrying cannot fix it); an event for a user who no longer exists is dropped.
 */
export async function storeNotification(env: Bindings, event: NotificationEvent): Promise<void> {
  const problem = malformed(event);
  if (problem) {
    await recordDeadLetter(env, event, 'notifications', problem);
    return;
  }
  const db = drizzle(env.DB) as Db;
  const [, [recipient]] = (await runBatch(db, [
    insertStmt(db, {
      event: event.id,
      recipient: event.recipient_id,
      actor: isId(event.actor_id) ? event.actor_id : null,
      verb: event.verb.slice(0, 255),
      url: event.url ?? '',
      target_type: event.target_type ?? null,
      target_id: event.target_id === undefined || event.target_id === null ? null : String(event.target_id),
      created_at: nowIso(),
    }),
    recipientStmt(db, event.recipient_id),
  ])) as [unknown, { email: string; emailNotifications: boolean | null }[]];
  if (!recipient) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'notification for a missing user dropped', id: event.id }));
    return;
  }
  // No preferences row means the defaults, which send email.
  const wantsEmail = recipient.emailNotifications ?? true;
  if (event.email && wantsEmail && recipient.email) {
    await deliverEmail(env, {
      id: `${event.id}:email`,
      to: recipient.email,
      subject: event.email.subject,
      text: event.email.text,
    });
  }
}

/** A short keyed hash naming a recipient address without revealing it (same address, same hash). */
const recipientHash = async (env: Bindings, to: unknown) =>
  typeof to === 'string' ? (await sha256Hex(`recipient:${to.trim().toLowerCase()}:${env.JWT_SECRET ?? ''}`)).slice(0, 16) : null;

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * What a dead letter keeps of a message: its type, id, recipient (user id, or a hash of the
 * address), subject or verb, and attempts. Never a mail's text (reset codes, links) nor any field
 * of an unknown message type.
 */
export async function deadLetterSummary(env: Bindings, body: unknown, attempts?: number): Promise<Record<string, unknown>> {
  const meta: Record<string, unknown> = attempts === undefined ? {} : { attempts };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { type: null, malformed: true, ...meta };
  const event = body as Record<string, unknown>;
  const base = { type: text(event.type) ?? null, id: text(event.id) ?? null, ...meta };
  if (event.type === 'email')
    return { ...base, to_hash: await recipientHash(env, event.to), subject: text(event.subject) ?? null };
  if (event.type === 'notification') {
    const email = event.email as { subject?: unknown } | undefined;
    return {
      ...base,
      recipient_id: event.recipient_id ?? null,
      actor_id: event.actor_id ?? null,
      verb: text(event.verb) ?? null,
      target_type: text(event.target_type) ?? null,
      target_id: event.target_id ?? null,
      ...(email && typeof email === 'object' ? { email_subject: text(email.subject) ?? null } : {}),
    };
  }
  // The keys are kept so a removal that kept failing can be done by hand (no orphan is forgotten).
  if (event.type === 'file_delete')
    return { ...base, keys: Array.isArray(event.keys) ? event.keys.filter((k) => typeof k === 'string') : [] };
  return base;
}

/** Records a message in `dead_letters` (once per queue and event id), redacted to its metadata. */
export async function recordDeadLetter(
  env: Bindings,
  body: unknown,
  queue: string,
  reason?: string,
  attempts?: number,
): Promise<void> {
  const eventId = typeof (body as { id?: unknown })?.id === 'string' ? (body as { id: string }).id : null;
  await drizzle(env.DB)
    .insert(deadLetters)
    .values({ queue, event_id: eventId, body: await deadLetterSummary(env, body, attempts), reason: reason ?? null })
    .onConflictDoNothing();
}
