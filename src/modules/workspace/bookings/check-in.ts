/**
 * Arrivals and departures:
 * - `POST /api/workspace/bookings/{booking_id}/check-in/`: the booker (or workspace staff) checks the
 *   booking in, from 15 minutes before its start until its end;
 * - `POST /api/workspace/bookings/check-in/ {code}`: workspace staff (admin, managers, staff) check a
 *   guest in by the code emailed to them, from 1 hour before the start until the end; a code works
 *   once; for anyone else a code is as unknown as a made-up one (404);
 * - `POST /api/workspace/bookings/{booking_id}/check-out/`: the booker or staff check the booking out
 *   once someone of it has checked in; it is then `completed` and frees the space.
 * Each is two round trips: the booking and the caller's rights, then one batch with the conditional
 * UPDATE (which cannot race: a code checks in once) and the read-back.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { mount, route } from '../../../core/route';
import type { Actor } from '../../../core/scope';
import type { Db } from '../../../db';
import { bookingGuests, bookings } from '../../../db/schema/bookings';
import type { AppEnv } from '../../../env';
import { CODE_RE, codeHash } from './guests';
import {
  loadVisibleBooking,
  Booking,
  type BookingOut,
  BookingGuest,
  type BookingGuestOut,
  bookingByIdStmt,
  bookingOut,
  effectiveStatus,
  guestOut,
  guestsStmt,
  rightsOf,
  selectBookings,
  visibleTo,
} from './serializers';
import { bookingNotFound, fail, isUuid, refused, uuidParam } from './shared';
import { HOUR, isoAt, MINUTE } from './time';

/** The booker's own check-in opens this long before the start. */
export const CHECK_IN_EARLY_MINUTES = 15;
/** Staff check guests in by code from this long before the start. */
export const GUEST_CHECK_IN_EARLY_HOURS = 1;

const CHECK_IN_FAILED = 'Check-in failed';
const CHECK_OUT_FAILED = 'Check-out failed';

/** Checks a booking in: confirmed, not yet checked in, from 15 minutes before its start until its end. */
export async function checkIn(db: Db, id: string, actor: Actor, now = Date.now()): Promise<BookingOut> {
  if (!isUuid(id)) throw bookingNotFound();
  const [[found]] = await db.batch([bookingByIdStmt(db, id, actor.id)]);
  const seen = visibleTo(found, actor.id);
  if (!seen) throw bookingNotFound();
  const { row } = seen;
  if (effectiveStatus(row, now) !== 'confirmed') throw refused(CHECK_IN_FAILED, 'Only confirmed bookings can be checked in.');
  if (row.checked_in_at) throw refused(CHECK_IN_FAILED, 'This booking is already checked in.');
  if (now < Date.parse(row.start) - CHECK_IN_EARLY_MINUTES * MINUTE || now >= Date.parse(row.end))
    throw refused(
      CHECK_IN_FAILED,
      `Check-in is open from ${CHECK_IN_EARLY_MINUTES} minutes before the start until the end of the booking.`,
    );
  const at = isoAt(now);
  const [done, [after], guests] = await db.batch([
    db
      .update(bookings)
      .set({ checked_in_at: at, checked_in_by: actor.id, updated_at: at })
      .where(and(eq(bookings.id, row.id), eq(bookings.status, 'confirmed'), isNull(bookings.checked_in_at)))
      .returning({ id: bookings.id }),
    bookingByIdStmt(db, id, actor.id),
    guestsStmt(db, [id]),
  ]);
  if (done.length === 0) throw refused(CHECK_IN_FAILED, 'This booking changed meanwhile; reload it and try again.');
  return bookingOut(after, guests, now);
}

const codeNotFound = () => fail(404, 'Check-in code not found');

/** Checks a guest in by code; throws 404 (unknown code, or not the caller's workspace) or 400. */
export async function checkInGuest(
  db: Db,
  rawCode: string,
  actor: Actor,
  now = Date.now(),
): Promise<{ guest: BookingGuestOut; booking: BookingOut }> {
  const code = rawCode.trim().toUpperCase();
  if (!CODE_RE.test(code)) throw fail(400, CHECK_IN_FAILED, { code: ['Enter a check-in code such as G-7K2M9Q4XWB.'] });
  const hash = await codeHash(code);
  const bookingOfCode = sql`(select ${bookingGuests.booking_id} from ${bookingGuests} where ${bookingGuests.code_hash} = ${hash})`;
  const [[found], guestRows] = await db.batch([
    selectBookings(db, actor.id).where(sql`${bookings.id} = ${bookingOfCode}`).limit(1),
    guestsStmt(db, bookingOfCode),
  ]);
  const guest = guestRows.find((g) => g.code_hash === hash);
  if (!found || !guest || !rightsOf(found, actor.id).staff) throw codeNotFound();
  if (effectiveStatus(found, now) !== 'confirmed') throw refused(CHECK_IN_FAILED, 'Only confirmed bookings can be checked in.');
  if (guest.checked_in_at) throw refused(CHECK_IN_FAILED, 'This code has already been used to check in.');
  if (now < Date.parse(found.start) - GUEST_CHECK_IN_EARLY_HOURS * HOUR || now >= Date.parse(found.end))
    throw refused(
      CHECK_IN_FAILED,
      `Guests check in from ${GUEST_CHECK_IN_EARLY_HOURS} hour before the start until the end of the booking.`,
    );
  const at = isoAt(now);
  const [done, [after], guests] = await db.batch([
    db
      .update(bookingGuests)
      .set({ checked_in_at: at, checked_in_by: actor.id, updated_at: at })
      .where(
        and(
          eq(bookingGuests.id, guest.id),
          isNull(bookingGuests.checked_in_at),
          sql`exists (select 1 from bookings where id = ${guest.booking_id} and status = 'confirmed')`,
        ),
      )
      .returning({ id: bookingGuests.id }),
    bookingByIdStmt(db, guest.booking_id, actor.id),
    guestsStmt(db, [guest.booking_id]),
  ]);
  if (done.length === 0) throw refused(CHECK_IN_FAILED, 'This code has already been used to check in.');
  const checked = guests.find((g) => g.id === guest.id)!;
  return { guest: guestOut(checked), booking: bookingOut(after, guests, now) };
}

/** Checks a booking out: confirmed and someone of it checked in; it becomes `completed`. */
export async function checkOut(db: Db, id: string, actor: Actor, now = Date.now()): Promise<BookingOut> {
  const { guests, ...seen } = await loadVisibleBooking(db, id, actor.id);
  const { row } = seen;
  const status = effectiveStatus(row, now);
  if (status === 'completed') throw refused(CHECK_OUT_FAILED, 'This booking is already checked out.');
  if (status !== 'confirmed') throw refused(CHECK_OUT_FAILED, 'Only confirmed bookings can be checked out.');
  if (!row.checked_in_at && !guests.some((g) => g.checked_in_at))
    throw refused(CHECK_OUT_FAILED, 'Nobody of this booking has checked in yet.');
  const at = isoAt(now);
  const [done, [after], afterGuests] = await db.batch([
    db
      .update(bookings)
      .set({ status: 'completed', checked_out_at: at, checked_out_by: actor.id, updated_at: at })
      .where(and(eq(bookings.id, row.id), eq(bookings.status, 'confirmed')))
      .returning({ id: bookings.id }),
    bookingByIdStmt(db, id, actor.id),
    guestsStmt(db, [id]),
  ]);
  if (done.length === 0) throw refused(CHECK_OUT_FAILED, 'This booking changed meanwhile; reload it and try again.');
  return bookingOut(after, afterGuests, now);
}

const CodeBody = z.object({ code: z.string().max(64).openapi({ example: 'G-7K2M9Q4XWB' }) }).openapi('WsGuestCheckInRequest');
const GuestCheckIn = z.object({ guest: BookingGuest, booking: Booking });

export function mountCheckIn(app: OpenAPIHono<AppEnv>) {
  const tags = ['workspace-bookings'];
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/check-in/',
      operationId: 'workspace_bookings_guest_check_in_create',
      summary: "Check a guest in by their code (the workspace's admin, managers and staff), from 1 hour before the start",
      description:
        "A code checks in once (a second check-in is a 400). To anyone who is not admin, manager or staff of the booking's workspace, every code is unknown (404).",
      tags,
      body: CodeBody,
      response: GuestCheckIn,
      envelope: { message: 'Guest checked in successfully', failure: CHECK_IN_FAILED, name: 'WsGuestCheckInResponse' },
      handler: ({ db, actor, body }) => checkInGuest(db, body.code, actor, Date.now()),
    }),
  );
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/check-in/',
      operationId: 'workspace_bookings_check_in_create',
      summary: 'Check a confirmed booking in (the booker or workspace staff), from 15 minutes before its start until its end',
      tags,
      params: uuidParam('booking_id'),
      response: Booking,
      responseDescription: 'Checked in',
      envelope: { message: 'Checked in successfully', failure: CHECK_IN_FAILED, key: 'booking', name: 'WsBookingResponse' },
      handler: ({ db, actor, params }) => checkIn(db, params.booking_id, actor, Date.now()),
    }),
  );
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/check-out/',
      operationId: 'workspace_bookings_check_out_create',
      summary: 'Check a booking out (the booker or workspace staff): it is completed and frees the space',
      tags,
      params: uuidParam('booking_id'),
      response: Booking,
      responseDescription: 'Checked out',
      envelope: { message: 'Checked out successfully', failure: CHECK_OUT_FAILED, key: 'booking', name: 'WsBookingResponse' },
      handler: ({ db, actor, params }) => checkOut(db, params.booking_id, actor, Date.now()),
    }),
  );
}
