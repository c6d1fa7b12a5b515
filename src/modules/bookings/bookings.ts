/**
 * Bookings of workspace spaces (issue 9): create (priced from the space's rates, never double
 * booked), list, detail, cancel and check-in, in the workspace family's envelope.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gt, isNull, lt, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { ApiError } from '../../core/errors';
import { eventId, publish } from '../../core/events';
import { int } from '../../core/fields';
import type { Db } from '../../core/resource';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { nowIsoMs } from '../../db/columns';
import { BOOKING_STATUSES, BOOKING_TYPES, bookings } from '../../db/schema/bookings';
import { users } from '../../db/schema/users';
import type { AppEnv, AuthUser } from '../../env';
import { currentUser, requireAuth } from '../../middleware/auth';
import {
  fail,
  failures,
  forbidden,
  loadSpaceForBooking,
  notFound,
  pageInfo,
  PageInfo,
  pageOf,
  pageQuery,
  workspaceAccess,
} from '../workspace/common';
import { bookingAccess, bookingNotFound, managesSpace } from './access';
import { outsideOperatingHours } from './hours';
import { priceFor } from './pricing';
import { clashOf, insertIfFree, overlapping, seatModel } from './slots';
import { DAY, instant, MINUTE } from './time';
import { Booking, bookingOut, selectBookings } from './views';

/** How far ahead a booking may start (the original's calendar allowed 365 days in advance). */
export const MAX_ADVANCE_DAYS = 365;
/** The longest booking of any type. */
export const MAX_DURATION_DAYS = 366;
/** Check-in opens this long before the start. */
export const CHECK_IN_EARLY_MINUTES = 15;

const CREATE_FAILED = 'Booking failed';
export const CONFLICT_MESSAGE = 'Space is already booked for this time slot';

const BookingCreate = z
  .object({
    space_id: z.uuid(),
    booking_type: z.enum(BOOKING_TYPES),
    start: instant(),
    end: instant(),
    guests: int({ min: 1 }).optional().openapi({ description: 'People using the space (default 1); at most its capacity.' }),
    notes: z.string().max(2000).optional(),
  })
  .openapi('WsBookingCreateRequest');
type BookingInput = z.infer<typeof BookingCreate>;

const BookingResponse = z
  .object({ success: z.boolean(), message: z.string(), data: Booking, booking: Booking })
  .openapi('WsBookingResponse');
const BookingListResponse = z
  .object({ success: z.boolean(), message: z.string(), ...PageInfo, data: z.array(Booking), bookings: z.array(Booking) })
  .openapi('WsBookingListResponse');
const ConflictEnvelope = z
  .object({
    success: z.literal(false),
    message: z.string(),
    errors: z.object({ conflict: z.object({ start: z.string(), end: z.string() }) }),
  })
  .openapi('WsBookingConflict');

const BookingPath = z.object({ booking_id: z.string().openapi({ format: 'uuid' }) });

/** Loads one booking for output. */
async function loadBooking(db: Db, id: string) {
  const [row] = await selectBookings(db).where(eq(bookings.id, id)).limit(1);
  if (!row) throw bookingNotFound();
  return bookingOut(row);
}

/** Validates, prices and books; throws 404/400/409 as the family does. */
export async function createBooking(db: Db, input: BookingInput, actor: AuthUser, now = Date.now()) {
  const found = await loadSpaceForBooking(db, input.space_id, actor.id);
  if (!found?.role) throw notFound('space');
  const { space, branch, workspace } = found;
  if (!space.is_available || !branch.is_active || !workspace.is_active)
    throw fail(400, CREATE_FAILED, { space_id: ['This space is not available for booking.'] });

  const errors: Record<string, string[]> = {};
  const { start, end } = input;
  const guests = input.guests ?? 1;
  if (start.ms <= now) errors.start = ['Start must be in the future.'];
  else if (start.ms > now + MAX_ADVANCE_DAYS * DAY) errors.start = [`Start must be within ${MAX_ADVANCE_DAYS} days from now.`];
  if (end.ms <= start.ms) errors.end = ['End must be after start.'];
  else if (end.ms - start.ms > MAX_DURATION_DAYS * DAY) errors.end = [`A booking may last at most ${MAX_DURATION_DAYS} days.`];
  if (guests > space.capacity)
    errors.guests = [`Ensure this value is less than or equal to ${space.capacity} (the space's capacity).`];
  if (Object.keys(errors).length) throw fail(400, CREATE_FAILED, errors);

  const price = priceFor(input.booking_type, start, end.ms, space);
  if ('missingRate' in price)
    throw fail(400, CREATE_FAILED, {
      booking_type: [`This space has no ${price.missingRate.replace('_', ' ')}; it cannot be booked ${input.booking_type}.`],
    });
  if (input.booking_type === 'hourly') {
    const outside = outsideOperatingHours(branch.operating_hours, start.ms, end.ms);
    if (outside) throw fail(400, CREATE_FAILED, { non_field_errors: [outside] });
  }

  const id = crypto.randomUUID();
  const booked = await insertIfFree(
    db,
    {
      id,
      space_id: space.id,
      workspace_id: workspace.id,
      user_id: actor.id,
      booking_type: input.booking_type,
      start: start.utc,
      end: end.utc,
      guests,
      notes: input.notes ?? '',
      price,
    },
    space,
  );
  if (!booked) {
    const { capacity, seatsOf } = seatModel(space);
    const clash = clashOf(
      await overlapping(db, space.id, start.utc, end.utc),
      start.utc,
      end.utc,
      seatsOf(guests),
      capacity,
      seatsOf,
    );
    throw new ApiError(409, {
      success: false,
      message: CONFLICT_MESSAGE,
      errors: { conflict: clash ?? { start: start.utc, end: end.utc } },
    });
  }
  return loadBooking(db, id);
}

/** Queues the booker's confirmation email and notification. */
function announce(c: Context<AppEnv>, booking: z.infer<typeof Booking>, actor: { id: number; email: string; full_name: string }) {
  publish(
    c,
    {
      type: 'email',
      id: eventId(),
      to: actor.email,
      subject: `Booking confirmed: ${booking.space_name}`,
      text: [
        `Hello ${actor.full_name || actor.email},`,
        '',
        `Your booking of ${booking.space_name} (${booking.branch_name}, ${booking.workspace_name}) is confirmed.`,
        `From: ${booking.start}`,
        `To:   ${booking.end}`,
        `Guests: ${booking.guests}`,
        `Price: ${booking.price.quantity} ${booking.price.unit}(s) x ${booking.price.unit_price} = ${booking.price.total}`,
        `Booking id: ${booking.id}`,
      ].join('\n'),
    },
    {
      type: 'notification',
      id: eventId(),
      recipient_id: actor.id,
      actor_id: actor.id,
      verb: 'booking confirmed',
      url: `/api/workspace/bookings/${booking.id}/`,
      target_type: 'booking',
      target_id: booking.id,
    },
  );
}

const ListQuery = z.object({
  workspace_id: z.uuid().optional().openapi({ description: "All of a workspace's bookings (its admin and managers)." }),
  space_id: z.uuid().optional().openapi({ description: "All of a space's bookings (admin, managers, the branch's manager)." }),
  status: z.enum(BOOKING_STATUSES).optional(),
  booking_type: z.enum(BOOKING_TYPES).optional(),
  from: instant().optional().openapi({ description: 'Only bookings ending after this time.' }),
  to: instant().optional().openapi({ description: 'Only bookings starting before this time.' }),
  ordering: z.enum(['start', '-start', 'created_at', '-created_at']).optional().openapi({ description: 'Default `start`.' }),
  ...pageQuery,
});

/** One page of the caller's bookings, or of a workspace's / space's for those who run it. */
async function listBookings(c: Context<AppEnv>, query: z.infer<typeof ListQuery>) {
  const db = c.get('db');
  const me = currentUser(c).id;
  const where: SQL[] = [];
  if (query.workspace_id) {
    const { role } = await workspaceAccess(db, query.workspace_id, me);
    if (role !== 'admin' && role !== 'manager')
      throw forbidden("Only workspace admin or managers can view the workspace's bookings");
    where.push(eq(bookings.workspace_id, query.workspace_id));
  }
  if (query.space_id) {
    const found = await loadSpaceForBooking(db, query.space_id, me);
    if (!found?.role) throw notFound('space');
    if (!managesSpace(found.role, found.branch.manager_id, me))
      throw forbidden("Only workspace admin or managers can view the space's bookings");
    where.push(eq(bookings.space_id, query.space_id));
  }
  if (!query.workspace_id && !query.space_id) where.push(eq(bookings.user_id, me));
  if (query.status) where.push(eq(bookings.status, query.status));
  if (query.booking_type) where.push(eq(bookings.booking_type, query.booking_type));
  if (query.from) where.push(gt(bookings.end, query.from.utc));
  if (query.to) where.push(lt(bookings.start, query.to.utc));
  const ordering = query.ordering ?? 'start';
  const column = ordering.endsWith('created_at') ? bookings.created_at : bookings.start;
  const page = pageOf(query);
  const rows = await selectBookings(db)
    .where(and(...where))
    .orderBy(ordering.startsWith('-') ? desc(column) : asc(column), asc(bookings.id))
    .limit(page.size)
    .offset(page.offset);
  const list = rows.map(bookingOut);
  return {
    success: true,
    message: 'Bookings retrieved successfully',
    ...pageInfo(c, page, rows[0]?.total_rows ?? 0),
    data: list,
    bookings: list,
  };
}

/** Cancels a booking: the booker before it starts (and before check-in), admin/managers any time. */
async function cancelBooking(db: Db, id: string, actor: AuthUser, now = Date.now()) {
  const access = await bookingAccess(db, id, actor.id);
  const { row } = access;
  if (!access.isBooker && !access.manages)
    throw forbidden('Only the booker or a workspace admin or manager can cancel this booking');
  const failed = (message: string) => fail(400, 'Cancellation failed', { non_field_errors: [message] });
  if (row.status === 'cancelled') throw failed('This booking is already cancelled.');
  const asBooker = !access.manages;
  if (asBooker && Date.parse(row.start) <= now) throw failed('A booking can only be cancelled by its booker before it starts.');
  if (asBooker && row.checked_in_at) throw failed('A checked-in booking can only be cancelled by a workspace admin or manager.');
  const conditions = [eq(bookings.id, row.id), eq(bookings.status, 'confirmed')];
  if (asBooker) conditions.push(gt(bookings.start, new Date(now).toISOString()), isNull(bookings.checked_in_at));
  const done = await db
    .update(bookings)
    .set({ status: 'cancelled', cancelled_at: new Date(now).toISOString(), cancelled_by: actor.id, updated_at: nowIsoMs() })
    .where(and(...conditions))
    .returning({ id: bookings.id });
  if (done.length === 0) throw failed('This booking changed meanwhile; reload it and try again.');
  return { booking: await loadBooking(db, row.id), bookerId: row.user_id };
}

/** Checks a booking in: confirmed, not yet checked in, from 15 minutes before its start until its end. */
async function checkIn(db: Db, id: string, actor: AuthUser, now = Date.now()) {
  const access = await bookingAccess(db, id, actor.id);
  const { row } = access;
  if (!access.isBooker && !access.staff) throw forbidden('Only the booker or workspace staff can check in this booking');
  const failed = (message: string) => fail(400, 'Check-in failed', { non_field_errors: [message] });
  if (row.status !== 'confirmed') throw failed('Only confirmed bookings can be checked in.');
  if (row.checked_in_at) throw failed('This booking is already checked in.');
  if (now < Date.parse(row.start) - CHECK_IN_EARLY_MINUTES * MINUTE || now >= Date.parse(row.end))
    throw failed(`Check-in is open from ${CHECK_IN_EARLY_MINUTES} minutes before the start until the end of the booking.`);
  const done = await db
    .update(bookings)
    .set({ checked_in_at: new Date(now).toISOString(), checked_in_by: actor.id, updated_at: nowIsoMs() })
    .where(and(eq(bookings.id, row.id), eq(bookings.status, 'confirmed'), isNull(bookings.checked_in_at)))
    .returning({ id: bookings.id });
  if (done.length === 0) throw failed('This booking changed meanwhile; reload it and try again.');
  return loadBooking(db, row.id);
}

export function bookingRoutes() {
  const app = createRouter();
  const tags = ['workspace-bookings'];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/bookings/create/',
      operationId: 'workspace_bookings_create',
      summary: 'Book a space (any active member of its workspace); 409 when the slot is taken',
      description: [
        'Times are ISO 8601 with a UTC offset; they are stored and served in UTC (`Z`). Start must be in the future',
        `(at most ${MAX_ADVANCE_DAYS} days ahead) and before end; a booking lasts at most ${MAX_DURATION_DAYS} days.`,
        'Price: hourly = price_per_hour x started hours; daily = daily_rate x started 24-hour days; monthly =',
        "monthly_rate x started calendar months (same day of month, clamped, on the start's offset). A missing rate is a 400.",
        'Hourly bookings must fit the branch `operating_hours` if set: {"timezone": "Africa/Nairobi" | "+03:00",',
        '"monday": {"open": "08:00", "close": "18:00"}, ...}; a weekday left out is closed.',
        'Coworking, desk and lounge spaces are shared: each booking takes `guests` seats and the seats in use never exceed',
        'the capacity. Every other space type is private: never two overlapping bookings. Intervals are half-open.',
      ].join(' '),
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { body: jsonBody(BookingCreate) },
      responses: {
        201: jsonResponse(BookingResponse, 'Booked and confirmed'),
        ...failures,
        409: jsonResponse(ConflictEnvelope, 'The space is already booked (or full) for part of this interval'),
      },
    }),
    async (c) => {
      const actor = currentUser(c);
      const db = c.get('db');
      const booking = await createBooking(db, c.req.valid('json'), actor);
      const [booker] = await db
        .select({ id: users.id, email: users.email, full_name: users.full_name })
        .from(users)
        .where(eq(users.id, actor.id));
      announce(c, booking, booker);
      return c.json({ success: true, message: 'Booking created successfully', data: booking, booking }, 201);
    },
    envelopeHook(CREATE_FAILED),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/bookings/',
      operationId: 'workspace_bookings_list',
      summary: "The caller's bookings; with workspace_id or space_id, all of them for those who run it",
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { query: ListQuery },
      responses: { 200: jsonResponse(BookingListResponse, 'Bookings'), ...failures },
    }),
    async (c) => c.json(await listBookings(c, c.req.valid('query')), 200),
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/bookings/{booking_id}/',
      operationId: 'workspace_bookings_retrieve',
      summary: 'A booking (its booker, or staff, managers and admin of its workspace)',
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: BookingPath },
      responses: { 200: jsonResponse(BookingResponse, 'The booking'), ...failures },
    }),
    async (c) => {
      const { row } = await bookingAccess(c.get('db'), c.req.valid('param').booking_id, currentUser(c).id);
      const booking = bookingOut(row);
      return c.json({ success: true, message: 'Booking retrieved successfully', data: booking, booking }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/cancel/',
      operationId: 'workspace_bookings_cancel_create',
      summary: 'Cancel a booking (the booker before it starts; admin or managers any time); frees the slot',
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: BookingPath },
      responses: { 200: jsonResponse(BookingResponse, 'Cancelled'), ...failures },
    }),
    async (c) => {
      const actor = currentUser(c);
      const { booking, bookerId } = await cancelBooking(c.get('db'), c.req.valid('param').booking_id, actor);
      if (bookerId !== actor.id) {
        publish(c, {
          type: 'notification',
          id: eventId(),
          recipient_id: bookerId,
          actor_id: actor.id,
          verb: 'booking cancelled',
          url: `/api/workspace/bookings/${booking.id}/`,
          target_type: 'booking',
          target_id: booking.id,
        });
      }
      return c.json({ success: true, message: 'Booking cancelled successfully', data: booking, booking }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/check-in/',
      operationId: 'workspace_bookings_check_in_create',
      summary: 'Check a confirmed booking in (the booker or workspace staff), from 15 minutes before its start until its end',
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: BookingPath },
      responses: { 200: jsonResponse(BookingResponse, 'Checked in'), ...failures },
    }),
    async (c) => {
      const booking = await checkIn(c.get('db'), c.req.valid('param').booking_id, currentUser(c));
      return c.json({ success: true, message: 'Checked in successfully', data: booking, booking }, 200);
    },
  );

  return app;
}
