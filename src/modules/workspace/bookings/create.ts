/**
 * `POST /api/workspace/bookings/create/`: any signed-in user books any space open to the public
 * (members of the workspace also its other spaces), priced from the space's rates, never double
 * booked. With `hold: true` the booking is a 15-minute hold (`pending`) the booker confirms once
 * paid; guests listed by name and email get their check-in codes by email once it is confirmed.
 *
 * Two round trips: the space, the caller's role and the booker's name and email; then one batch
 * with the conditional insert, the guests, the read-back and (for a 409) the clashing bookings.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { ApiError } from '../../../core/errors';
import { eventId, type OutboundEvent } from '../../../core/events';
import { int } from '../../../core/fields';
import { json, mount, reply, route } from '../../../core/route';
import { type Actor, publish } from '../../../core/scope';
import { type Db, runBatch } from '../../../db';
import { statement } from '../../../db/compiled';
import { BOOKING_TYPES } from '../../../db/schema/bookings';
import { users } from '../../../db/schema/users';
import type { AppEnv } from '../../../env';
import { slot } from '../common';
import { GuestInput, guestCodeEmails, insertGuestsStmt, MAX_GUESTS, type NewGuest, prepareGuests } from './guests';
import { outsideOperatingHours } from './hours';
import { priceFor } from './pricing';
import { Booking, type BookingOut, type BookingRow, bookingByIdStmt, bookingOut, type GuestRow, guestsStmt } from './serializers';
import { fail, spaceNotFound } from './shared';
import { clashOf, insertIfFree, type NewBooking, type Occupant, occupantsStmt, seatModel } from './slots';
import { type BookableSpace, bookableSpace, spaceStmt } from './space';
import { DAY, instant, isoAt, MINUTE } from './time';

/** How far ahead a booking may start (the original's calendar allowed 365 days in advance). */
export const MAX_ADVANCE_DAYS = 365;
/** The longest booking of any type. */
export const MAX_DURATION_DAYS = 366;
/** How long a hold blocks its slot. */
export const HOLD_MINUTES = 15;

const CREATE_FAILED = 'Booking failed';
export const CONFLICT_MESSAGE = 'Space is already booked for this time slot';

const GUESTS_HELP =
  'Either the number of people using the space (default 1, at most its capacity), or the guests the booker brings as ' +
  '`[{"name", "email"}]` (at most capacity - 1: the booker takes a seat too); each listed guest gets a check-in code by email.';

export const BookingCreate = z
  .object({
    space_id: z.uuid(),
    booking_type: z.enum(BOOKING_TYPES),
    start: instant(),
    end: instant(),
    guests: z
      .union([int({ min: 1 }), z.array(GuestInput).max(MAX_GUESTS)], {
        error: (iss) =>
          iss.input === undefined ? undefined : 'Give a number of people (at least 1) or a list of guests [{"name", "email"}].',
      })
      .optional()
      .openapi({ description: GUESTS_HELP }),
    notes: z.string().max(2000).optional(),
    hold: z
      .boolean()
      .optional()
      .openapi({ description: `Hold the slot for ${HOLD_MINUTES} minutes as \`pending\` until \`confirm/\` (default false).` }),
  })
  .openapi('WsBookingCreateRequest');
export type BookingInput = z.infer<typeof BookingCreate>;

const ConflictEnvelope = z
  .object({
    success: z.literal(false),
    message: z.string(),
    errors: z.object({ conflict: z.object({ start: z.string(), end: z.string() }) }),
  })
  .openapi('WsBookingConflict');

/** The in-app notification of `verb` (e.g. "booking cancelled") on booking `bookingId`, for `recipientId`. */
export const bookingNotification = (verb: string, recipientId: number, actorId: number, bookingId: string): OutboundEvent => ({
  type: 'notification',
  id: eventId(),
  recipient_id: recipientId,
  actor_id: actorId,
  verb,
  url: `/api/workspace/bookings/${bookingId}/`,
  target_type: 'booking',
  target_id: bookingId,
});

/** The confirmation email and notification of a booking, and its guests' codes. */
export function confirmationEvents(
  booking: BookingOut,
  booker: { id: number; email: string; full_name: string },
  guests: NewGuest[],
) {
  const events: OutboundEvent[] = [
    {
      type: 'email',
      id: eventId(),
      to: booker.email,
      subject: `Booking confirmed: ${booking.space_name}`,
      text: [
        `Hello ${booker.full_name || booker.email},`,
        '',
        `Your booking of ${booking.space_name} (${booking.branch_name}, ${booking.workspace_name}) is confirmed.`,
        `From: ${booking.start}`,
        `To:   ${booking.end}`,
        `Guests: ${booking.guests}`,
        `Price: ${booking.price.quantity} ${booking.price.unit}(s) x ${booking.price.unit_price} = ${booking.price.total}`,
        `Booking id: ${booking.id}`,
      ].join('\n'),
    },
    bookingNotification('booking confirmed', booker.id, booker.id, booking.id),
  ];
  const visit = {
    bookingId: booking.id,
    space: booking.space_name,
    branch: booking.branch_name,
    workspace: booking.workspace_name,
    start: booking.start,
    end: booking.end,
    host: booker.full_name || 'Your host',
  };
  return [...events, ...guestCodeEmails(visit, guests)];
}

const bookerStmt = (db: Db, id: number) =>
  statement(
    db,
    'workspace.booker',
    (q) =>
      q
        .select({ id: users.id, email: users.email, full_name: users.full_name })
        .from(users)
        .where(eq(users.id, slot.id))
        .limit(1),
    { id },
  );

type Guests = BookingInput['guests'];

/** The listed guests (null when `guests` is a head count) and the number of people, the booker included. */
function partyOf(guests: Guests) {
  const list = Array.isArray(guests) ? guests : null;
  const people = list ? list.length + 1 : typeof guests === 'number' ? guests : 1;
  return { list, people };
}

/** The field errors of the times and the party against the clock and the space's capacity (reported together). */
function inputErrors(input: BookingInput, capacity: number, now: number): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const { start, end } = input;
  const { list, people } = partyOf(input.guests);
  if (start.ms <= now) errors.start = ['Start must be in the future.'];
  else if (start.ms > now + MAX_ADVANCE_DAYS * DAY) errors.start = [`Start must be within ${MAX_ADVANCE_DAYS} days from now.`];
  if (end.ms <= start.ms) errors.end = ['End must be after start.'];
  else if (end.ms - start.ms > MAX_DURATION_DAYS * DAY) errors.end = [`A booking may last at most ${MAX_DURATION_DAYS} days.`];
  if (list && list.length > capacity - 1)
    errors.guests = [
      `Ensure this list has no more than ${capacity - 1} guests (the space's capacity is ${capacity}, the booker included).`,
    ];
  else if (list && new Set(list.map((g) => g.email.toLowerCase())).size < list.length)
    errors.guests = ['Each guest needs their own email address.'];
  else if (people > capacity) errors.guests = [`Ensure this value is less than or equal to ${capacity} (the space's capacity).`];
  return errors;
}

/** The space the caller may book: 404 when they may not see it, 400 when nobody may book it now. */
function bookable(rows: Parameters<typeof bookableSpace>[0], userId: number) {
  const found = bookableSpace(rows, userId);
  // Outsiders see only spaces open to the public; the others do not exist for them.
  if (!found || (!found.role && !found.open)) throw spaceNotFound();
  if (!found.open) throw fail(400, CREATE_FAILED, { space_id: ['This space is not available for booking.'] });
  return found;
}

/** The booking's price; a missing rate, or hourly times outside the branch's opening hours, is a 400. */
function priceOf(input: BookingInput, { space, branch }: BookableSpace) {
  const price = priceFor(input.booking_type, input.start, input.end.ms, space);
  if ('missingRate' in price)
    throw fail(400, CREATE_FAILED, {
      booking_type: [`This space has no ${price.missingRate.replace('_', ' ')}; it cannot be booked ${input.booking_type}.`],
    });
  if (input.booking_type === 'hourly') {
    const outside = outsideOperatingHours(branch.operating_hours, input.start.ms, input.end.ms);
    if (outside) throw fail(400, CREATE_FAILED, { non_field_errors: [outside] });
  }
  return price;
}

/** The 409 of a slot taken, naming the booking it clashes with when it can. */
function conflict(occupants: Occupant[], booking: NewBooking, space: BookableSpace['space']) {
  const { capacity, seatsOf } = seatModel(space);
  const clash = clashOf(occupants, booking.start, booking.end, seatsOf(booking.guests), capacity, seatsOf);
  return new ApiError(409, {
    success: false,
    message: CONFLICT_MESSAGE,
    errors: { conflict: clash ?? { start: booking.start, end: booking.end } },
  });
}

/**
 * One batch: the insert (only if the slot is free), the guests, the read-back and the occupants a
 * 409 names. Returns the booking read back, or throws the 409.
 */
async function insertBooking(db: Db, booking: NewBooking, space: BookableSpace['space'], guests: NewGuest[], now: number) {
  const [inserted, ...rest] = await runBatch(db, [
    insertIfFree(db, booking, space, now),
    ...(guests.length ? [insertGuestsStmt(db, booking.id, guests, isoAt(now))] : []),
    bookingByIdStmt(db, booking.id, booking.user_id),
    guestsStmt(db, [booking.id]),
    occupantsStmt(db, space.id, booking.start, booking.end, now),
  ]);
  const [rows, guestRows, occupants] = rest.slice(guests.length ? 1 : 0) as [BookingRow[], GuestRow[], Occupant[]];
  if ((inserted as unknown[]).length !== 1) throw conflict(occupants, booking, space);
  return bookingOut(rows[0], guestRows, now);
}

/** Validates, prices and books (or holds); throws 404/400/409 as the family does. Returns the events to publish. */
export async function createBooking(
  db: Db,
  input: BookingInput,
  actor: Actor,
  now = Date.now(),
): Promise<{ booking: BookingOut; events: OutboundEvent[] }> {
  const [spaceRows, [booker]] = await db.batch([spaceStmt(db, input.space_id, actor.id), bookerStmt(db, actor.id)]);
  const found = bookable(spaceRows, actor.id);
  const errors = inputErrors(input, found.space.capacity, now);
  if (Object.keys(errors).length) throw fail(400, CREATE_FAILED, errors);
  const price = priceOf(input, found);
  const hold = input.hold === true;
  const { list, people } = partyOf(input.guests);
  const guests = await prepareGuests(list ?? [], !hold);
  const newBooking: NewBooking = {
    id: crypto.randomUUID(),
    space_id: found.space.id,
    workspace_id: found.workspace.id,
    user_id: actor.id,
    booking_type: input.booking_type,
    start: input.start.utc,
    end: input.end.utc,
    guests: people,
    notes: input.notes ?? '',
    price,
    status: hold ? 'pending' : 'confirmed',
    expires_at: hold ? isoAt(now + HOLD_MINUTES * MINUTE) : null,
  };
  const booking = await insertBooking(db, newBooking, found.space, guests, now);
  const events = hold || !booker ? [] : confirmationEvents(booking, booker, guests);
  return { booking, events };
}

export function mountCreate(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/create/',
      operationId: 'workspace_bookings_create',
      summary:
        'Book a space (any signed-in user; members also the unlisted spaces of their workspace); 409 when the slot is taken',
      description: [
        'Times are ISO 8601 with a UTC offset; they are stored and served in UTC (`Z`). Start must be in the future',
        `(at most ${MAX_ADVANCE_DAYS} days ahead) and before end; a booking lasts at most ${MAX_DURATION_DAYS} days.`,
        'Price: hourly = price_per_hour x started hours; daily = daily_rate x started 24-hour days; monthly =',
        "monthly_rate x started calendar months (same day of month, clamped, on the start's offset). A missing rate is a 400.",
        'Hourly bookings must fit the branch `operating_hours` if set: {"timezone": "Africa/Nairobi" | "+03:00",',
        '"monday": {"open": "08:00", "close": "18:00"}, ...}; a weekday left out is closed.',
        'Coworking, desk and lounge spaces are shared: each booking takes `guests` seats and the seats in use never exceed',
        'the capacity. Every other space type is private: never two overlapping bookings. Intervals are half-open.',
        `With \`hold: true\` the booking is \`pending\` and blocks its slot for ${HOLD_MINUTES} minutes (\`expires_at\`) until`,
        '`confirm/`; an expired hold never blocks anyone. Listed guests get their check-in codes by email once the booking is',
        'confirmed. Spaces that are unavailable or in an inactive branch or workspace are bookable by nobody; to anyone',
        "but their workspace's members they do not exist (404).",
      ].join(' '),
      tags: ['workspace-bookings'],
      body: BookingCreate,
      status: 201,
      response: Booking,
      responseDescription: 'Booked (confirmed, or held as `pending` with `hold: true`)',
      envelope: { message: 'Booking created successfully', failure: CREATE_FAILED, key: 'booking', name: 'WsBookingResponse' },
      responses: { 409: json(ConflictEnvelope, 'The space is already booked (or full) for part of this interval') },
      handler: async ({ s, db, actor, body }) => {
        const { booking, events } = await createBooking(db, body, actor, Date.now());
        publish(s, ...events);
        if (booking.status === 'pending')
          return reply(booking, {
            status: 201,
            message: `Booking held for ${HOLD_MINUTES} minutes; confirm it to keep the slot`,
          });
        return booking;
      },
    }),
  );
}
