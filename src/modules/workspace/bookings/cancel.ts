/**
 * `POST /api/workspace/bookings/{booking_id}/cancel/` and the cancellation policy.
 *
 * The booker cancels up to the start (and before checking in); the refund depends on the notice
 * given: 100 % of the total with 24 hours or more, 50 % (rounded down to the cent) with 6 hours or
 * more, nothing below. The workspace's admin, its managers and the branch's manager cancel at any
 * time with a full refund. A hold (nothing paid yet) cancels with a refund of 0.00. Amounts are
 * integer cents inside and decimal strings on the wire.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { OutboundEvent } from '../../../core/events';
import { fromCents, toCents } from '../../../core/money';
import { mount, route } from '../../../core/route';
import { type Actor, publish } from '../../../core/scope';
import type { Db } from '../../../db';
import { bookings } from '../../../db/schema/bookings';
import type { AppEnv } from '../../../env';
import { bookingNotification } from './create';
import { guestCancellationEmails } from './guests';
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
import { HOUR, isoAt } from './time';

const FAILED = 'Cancellation failed';

/** Notice (before the start) that earns each share of the total back, largest first. */
export const REFUND_BANDS = [
  { notice: 24 * HOUR, percent: 100 },
  { notice: 6 * HOUR, percent: 50 },
] as const;

/**
 * The refund, in cents, of a cancellation at `now`: by notice for the booker, in full for those who
 * run the space, nothing for a hold.
 */
export function refundFor(b: { totalCents: number; startMs: number; pending: boolean }, byManager: boolean, now: number): number {
  if (b.pending) return 0;
  if (byManager) return b.totalCents;
  const band = REFUND_BANDS.find((x) => b.startMs - now >= x.notice);
  return band ? Math.floor((b.totalCents * band.percent) / 100) : 0;
}

type Visible = Awaited<ReturnType<typeof loadVisibleBooking>>;

/** The booker's notification (when someone else cancelled) and the confirmed guests' emails. */
function cancellationEvents(row: Visible['row'], actorId: number, guests: Visible['guests']): OutboundEvent[] {
  const notice = row.user_id !== actorId ? [bookingNotification('booking cancelled', row.user_id, actorId, row.id)] : [];
  const visit = {
    bookingId: row.id,
    space: row.space_name,
    branch: row.branch_name,
    workspace: row.workspace_name,
    start: row.start,
    end: row.end,
    host: row.user_full_name,
  };
  return [...notice, ...guestCancellationEmails(visit, guests)];
}

/** Cancels a booking; throws 404/403/400. Returns the booking, with `refund_amount`, and the events to publish. */
export async function cancelBooking(
  db: Db,
  id: string,
  actor: Actor,
  now = Date.now(),
): Promise<{ booking: BookingOut; events: OutboundEvent[] }> {
  const { guests: guestRows, ...seen } = await loadVisibleBooking(db, id, actor.id);
  const { row, rights } = seen;
  if (!rights.isBooker && !rights.manages)
    throw fail(403, 'Only the booker or a workspace admin or manager can cancel this booking');
  const status = effectiveStatus(row, now);
  if (status === 'cancelled') throw refused(FAILED, 'This booking is already cancelled.');
  if (status === 'expired') throw refused(FAILED, 'This hold has expired.');
  if (status === 'completed') throw refused(FAILED, 'A completed booking cannot be cancelled.');
  const asBooker = !rights.manages;
  const startMs = Date.parse(row.start);
  if (asBooker && startMs <= now) throw refused(FAILED, 'A booking can only be cancelled by its booker before it starts.');
  if (asBooker && row.checked_in_at)
    throw refused(FAILED, 'A checked-in booking can only be cancelled by a workspace admin or manager.');

  const refund = refundFor({ totalCents: toCents(row.total), startMs, pending: status === 'pending' }, rights.manages, now);
  const at = isoAt(now);
  const conditions: SQL[] = [eq(bookings.id, row.id), eq(bookings.status, row.status)];
  if (asBooker) conditions.push(gt(bookings.start, at), isNull(bookings.checked_in_at));
  const [done, [after], afterGuests] = await db.batch([
    db
      .update(bookings)
      .set({ status: 'cancelled', cancelled_at: at, cancelled_by: actor.id, refund_amount: fromCents(refund), updated_at: at })
      .where(and(...conditions))
      .returning({ id: bookings.id }),
    bookingByIdStmt(db, id, actor.id),
    guestsStmt(db, [id]),
  ]);
  if (done.length === 0) throw refused(FAILED, 'This booking changed meanwhile; reload it and try again.');
  const booking = bookingOut(after, afterGuests, now);

  const events = cancellationEvents(row, actor.id, guestRows);
  return { booking, events };
}

export function mountCancel(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/cancel/',
      operationId: 'workspace_bookings_cancel_create',
      summary: 'Cancel a booking (the booker before it starts; admin or managers any time); frees the slot',
      description:
        'The response carries `refund_amount`: for the booker, 100 % of the total with 24 hours of notice or more, 50 % (rounded down to the cent) with 6 hours or more, nothing below; the workspace admin, its managers and the branch manager cancel with a full refund; a hold cancels with 0.00. Confirmed guests are told by email.',
      tags: ['workspace-bookings'],
      params: uuidParam('booking_id'),
      response: Booking,
      responseDescription: 'Cancelled',
      envelope: { message: 'Booking cancelled successfully', failure: FAILED, key: 'booking', name: 'WsBookingResponse' },
      handler: async ({ s, db, actor, params }) => {
        const { booking, events } = await cancelBooking(db, params.booking_id, actor, Date.now());
        publish(s, ...events);
        return booking;
      },
    }),
  );
}
