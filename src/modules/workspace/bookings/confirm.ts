/**
 * `POST /api/workspace/bookings/{booking_id}/confirm/`: the booker confirms their hold (once paid)
 * before it expires; 409 once expired. The confirmation and the guests' codes are one batch, and
 * only the request whose conditional UPDATE moved the hold sends the emails.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { OutboundEvent } from '../../../core/events';
import { ErrorEnvelope, json, mount, route } from '../../../core/route';
import { type Actor, publish } from '../../../core/scope';
import type { Db } from '../../../db';
import { bookings } from '../../../db/schema/bookings';
import type { AppEnv } from '../../../env';
import { confirmationEvents } from './create';
import { prepareGuests, setGuestCodesStmt } from './guests';
import {
  loadVisibleBooking,
  Booking,
  type BookingOut,
  bookingByIdStmt,
  bookingOut,
  effectiveStatus,
  guestsStmt,
} from './serializers';
import { fail, refused, uuidParam } from './shared';
import { SQL_NOW } from './slots';
import { isoAt } from './time';

const FAILED = 'Confirmation failed';
const expired = () => fail(409, FAILED, { non_field_errors: ['This hold has expired; book the slot again.'] });

/** Confirms a hold; throws 404/403/400/409. Returns the events to publish (confirmation, guests' codes). */
export async function confirmHold(
  db: Db,
  id: string,
  actor: Actor,
  now = Date.now(),
): Promise<{ booking: BookingOut; events: OutboundEvent[] }> {
  const { guests: guestRows, ...seen } = await loadVisibleBooking(db, id, actor.id);
  const { row, rights } = seen;
  if (!rights.isBooker) throw fail(403, 'Only the booker can confirm this booking');
  const status = effectiveStatus(row, now);
  if (status === 'expired') throw expired();
  if (status === 'confirmed') throw refused(FAILED, 'This booking is already confirmed.');
  if (status !== 'pending') throw refused(FAILED, 'Only a pending hold can be confirmed.');

  const at = isoAt(now);
  const guests = await prepareGuests(guestRows, true);
  const [moved, ...rest] = await db.batch([
    db
      .update(bookings)
      .set({ status: 'confirmed', confirmed_at: at, expires_at: null, updated_at: at })
      // The later of the two clocks: see `blocking` in slots.ts.
      .where(and(eq(bookings.id, id), eq(bookings.status, 'pending'), gt(bookings.expires_at, sql`max(${at}, ${SQL_NOW})`)))
      .returning({ id: bookings.id }),
    setGuestCodesStmt(db, id, guests, at),
    bookingByIdStmt(db, id, actor.id),
    guestsStmt(db, [id]),
  ]);
  const [, [after], afterGuests] = rest;
  if (moved.length !== 1) {
    if (after?.status === 'confirmed') throw refused(FAILED, 'This booking is already confirmed.');
    throw expired();
  }
  const booking = bookingOut(after, afterGuests, now);
  const booker = { id: actor.id, email: row.user_email, full_name: row.user_full_name };
  return { booking, events: confirmationEvents(booking, booker, guests) };
}

export function mountConfirm(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/confirm/',
      operationId: 'workspace_bookings_confirm_create',
      summary: 'Confirm a hold (its booker, before `expires_at`); 409 once expired',
      description:
        "Turns a `pending` hold into a `confirmed` booking and emails the guests their check-in codes. An expired hold cannot be confirmed (409): its slot may already be someone else's.",
      tags: ['workspace-bookings'],
      params: uuidParam('booking_id'),
      response: Booking,
      envelope: { message: 'Booking confirmed successfully', failure: FAILED, key: 'booking', name: 'WsBookingResponse' },
      responses: { 409: json(ErrorEnvelope, 'The hold has expired') },
      handler: async ({ s, db, actor, params }) => {
        const { booking, events } = await confirmHold(db, params.booking_id, actor, Date.now());
        publish(s, ...events);
        return booking;
      },
    }),
  );
}
