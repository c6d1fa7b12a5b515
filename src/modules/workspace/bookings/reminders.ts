/**
 * The bookings' time-driven work, run by the Cron Trigger (`[triggers] crons` in wrangler.toml,
 * `scheduled` in src/index.ts):
 *
 * 1. marks holds whose `expires_at` has passed as `expired` (housekeeping only: an expired hold
 *    stops blocking its slot at `expires_at`, whether or not this has run);
 * 2. sends each confirmed booking's reminder (a notification with an email copy, through the
 *    NOTIFICATIONS queue) once its start is at most `BOOKING_REMINDER_MINUTES` (default 60) ahead.
 *
 * Exactly once per booking, even when runs overlap or a run repeats: one conditional UPDATE ...
 * RETURNING claims the due reminders (`reminder_sent_at IS NULL` → now, with the run's claim id),
 * and the same batch reads back what this run claimed, so two runs never claim the same booking.
 * If the queue refuses the messages, the run gives its claims back for the next run and fails.
 * Event ids are derived from the booking, so a message the queue delivers twice is stored once.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { OutboundEvent } from '../../../core/events';
import { openConnection } from '../../../db/session';
import type { Bindings } from '../../../env';
import { allStmt, runStmt } from './raw';
import { SQL_NOW } from './slots';
import { isoAt, MINUTE } from './time';

export const DEFAULT_REMINDER_MINUTES = 60;
/** Reminders claimed per run at most; the rest wait for the next run (every 5 minutes). */
export const REMINDERS_PER_RUN = 500;

/** The reminder lead time from `BOOKING_REMINDER_MINUTES` (a positive whole number of minutes). */
export function reminderLeadMinutes(env: Pick<Bindings, 'BOOKING_REMINDER_MINUTES'>): number {
  const raw = String(env.BOOKING_REMINDER_MINUTES ?? '').trim();
  return /^\d{1,6}$/.test(raw) && Number(raw) > 0 ? Number(raw) : DEFAULT_REMINDER_MINUTES;
}

interface Claimed {
  id: string;
  start: string;
  end: string;
  user_id: number;
  space_name: string;
  branch_name: string;
  workspace_name: string;
}

/** The reminder of one booking (a notification whose email copy goes out unless the booker opted out). */
export function reminderEvent(b: Claimed, leadMinutes: number): OutboundEvent {
  return {
    type: 'notification',
    id: `booking-reminder:${b.id}`,
    recipient_id: b.user_id,
    actor_id: null,
    verb: 'booking reminder',
    url: `/api/workspace/bookings/${b.id}/`,
    target_type: 'booking',
    target_id: b.id,
    email: {
      subject: `Reminder: ${b.space_name} at ${b.start}`,
      text: [
        `Your booking of ${b.space_name} (${b.branch_name}, ${b.workspace_name}) starts within ${leadMinutes} minutes.`,
        `From: ${b.start}`,
        `To:   ${b.end}`,
        `Booking id: ${b.id}`,
      ].join('\n'),
    },
  };
}

export interface CronResult {
  expired: number;
  reminded: number;
}

/** One run of the bookings' cron at `now` (one D1 round trip, plus one to give claims back on failure). */
export async function runBookingCron(env: Bindings, now = Date.now()): Promise<CronResult> {
  // Writes at the primary, through the same D1 wrapper as requests.
  const db = drizzle(openConnection(env.DB, 'POST').d1);
  const lead = reminderLeadMinutes(env);
  const at = isoAt(now);
  const until = isoAt(now + lead * MINUTE);
  const claim = crypto.randomUUID();
  const [expired, , claimed] = await db.batch([
    allStmt<{ id: string }>(
      db,
      sql`
      UPDATE bookings SET status = 'expired', updated_at = ${at}
      WHERE status = 'pending' AND expires_at <= min(${at}, ${SQL_NOW})
      RETURNING id`,
    ),
    runStmt(
      db,
      sql`
      UPDATE bookings SET reminder_sent_at = ${at}, reminder_claim = ${claim}
      WHERE id IN (
        SELECT id FROM bookings
        WHERE status = 'confirmed' AND reminder_sent_at IS NULL AND "start" > ${at} AND "start" <= ${until}
        ORDER BY "start" LIMIT ${REMINDERS_PER_RUN}
      ) AND status = 'confirmed' AND reminder_sent_at IS NULL`,
    ),
    allStmt<Claimed>(
      db,
      sql`
      SELECT k.id, k."start", k."end", k.user_id, s.name AS space_name, b.name AS branch_name, w.name AS workspace_name
      FROM bookings k
      JOIN workspace_spaces s ON s.id = k.space_id
      JOIN workspace_branches b ON b.id = s.branch_id
      JOIN workspaces w ON w.id = k.workspace_id
      WHERE k.reminder_claim = ${claim}`,
    ),
  ]);
  const events = claimed.map((b) => reminderEvent(b, lead));
  for (let i = 0; i < events.length; i += 100) {
    const chunk = events.slice(i, i + 100);
    try {
      await env.NOTIFICATIONS.sendBatch(chunk.map((body) => ({ body })));
    } catch (err) {
      const unsent = claimed.slice(i).map((b) => b.id);
      await db.run(sql`
        UPDATE bookings SET reminder_sent_at = NULL, reminder_claim = NULL
        WHERE reminder_claim = ${claim} AND id IN (SELECT value FROM json_each(${JSON.stringify(unsent)}))`);
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'booking reminders not queued; claims released',
          count: unsent.length,
          error: String(err),
        }),
      );
      throw err;
    }
  }
  return { expired: expired.length, reminded: claimed.length };
}
