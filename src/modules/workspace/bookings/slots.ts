/**
 * Who may hold a space at once, and the one write that books it without racing.
 *
 * Rule: `coworking`, `desk` and `lounge` spaces are shared; every other type (meeting rooms,
 * offices, private offices, event spaces) is private. A private space holds at most one blocking
 * booking at any instant. A shared space sells seats: a booking takes `guests` seats, and the
 * seats of the blocking bookings covering any instant never exceed the space's `capacity`.
 * Intervals are half-open [start, end): a booking ending at 10:00 does not clash with one starting
 * at 10:00.
 *
 * Blocking: a `confirmed` booking, or a hold (`pending`) whose `expires_at` is still ahead. An
 * expired hold never blocks, whether or not the cron has marked it `expired` yet.
 *
 * Concurrency: the capacity check and the insert are one SQL statement (`INSERT ... SELECT ...
 * WHERE <occupancy> + need <= capacity`). D1 runs each statement serially on the primary, so no
 * other booking can slip in between the check and the write; a statement that inserts nothing
 * is a conflict.
 */
import { type SQL, sql } from 'drizzle-orm';
import { toCents } from '../../../core/money';
import type { Db } from '../../../db';
import type { BookingStatus, BookingType } from '../../../db/schema/bookings';
import type { SpaceType } from '../../../db/schema/workspace';
import type { Price } from './pricing';
import { isoAt } from './time';
import { allStmt } from './raw';

export const SHARED_SPACE_TYPES: readonly SpaceType[] = ['coworking', 'desk', 'lounge'];

/** True when the space sells seats rather than the whole room. */
export const isShared = (type: SpaceType) => SHARED_SPACE_TYPES.includes(type);

/** Seats a booking takes and seats the space has, under the rule above. */
export function seatModel(space: { space_type: SpaceType; capacity: number }) {
  const shared = isShared(space.space_type);
  return { shared, capacity: shared ? space.capacity : 1, seatsOf: (guests: number) => (shared ? guests : 1) };
}

/** SQLite's clock, in the stored format (`YYYY-MM-DDTHH:MM:SS.sssZ`). */
export const SQL_NOW = sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * Whether the booking under alias `b` holds its slot, for a statement sent at `now`: confirmed, or
 * a hold that has not expired by the earlier of the request's clock and the database's. A hold's
 * confirmation succeeds only before the later of the two (see confirm.ts), so a hold seen as
 * expired by a booking can never be confirmed afterwards: D1 runs statements one at a time, and the
 * database's clock only moves forward between them.
 */
export function blocking(b: string, now: string): SQL {
  const t = sql.raw(b);
  return sql`${t}.status IN ('confirmed', 'pending') AND (${t}.status = 'confirmed' OR ${t}.expires_at > min(${now}, ${SQL_NOW}))`;
}

/**
 * True when `need` seats are free in the space over [start, end). Occupancy is piecewise constant
 * and only rises at a booking's start, so its maximum over [start, end) is reached at `start` or at
 * the start of some booking inside the interval: the expression takes the largest seat count over
 * those points. `spaceId`, `seat` (over alias `c`) and `capacity` may be columns of an outer query.
 */
export function hasRoom(opts: {
  spaceId: SQL | string;
  seat: SQL;
  capacity: SQL | number;
  start: SQL | string;
  end: SQL | string;
  need: SQL | number;
  now: string;
}): SQL {
  const { spaceId, seat, capacity, start, end, need, now } = opts;
  return sql`(
    SELECT coalesce(max(used), 0) FROM (
      SELECT (
        SELECT coalesce(sum(${seat}), 0) FROM bookings c
        WHERE c.space_id = ${spaceId} AND ${blocking('c', now)} AND c."start" <= p.t AND c."end" > p.t
      ) AS used
      FROM (
        SELECT ${start} AS t
        UNION
        SELECT o."start" FROM bookings o
        WHERE o.space_id = ${spaceId} AND ${blocking('o', now)} AND o."start" > ${start} AND o."start" < ${end}
      ) AS p
    )
  ) + ${need} <= ${capacity}`;
}

export interface NewBooking {
  id: string;
  space_id: string;
  workspace_id: string;
  user_id: number;
  booking_type: BookingType;
  start: string;
  end: string;
  guests: number;
  notes: string;
  price: Price;
  status: Extract<BookingStatus, 'pending' | 'confirmed'>;
  expires_at: string | null;
}

/**
 * The statement that inserts the booking when the space has room for it over its whole interval;
 * it returns the new id, or no row when the space is full (a conflict).
 */
export function insertIfFree(db: Db, b: NewBooking, space: { space_type: SpaceType; capacity: number }, now: number) {
  const { shared, capacity, seatsOf } = seatModel(space);
  const at = isoAt(now);
  const confirmedAt = b.status === 'confirmed' ? at : null;
  return allStmt<{ id: string }>(
    db,
    sql`
    INSERT INTO bookings (id, space_id, workspace_id, user_id, booking_type, "start", "end", guests, notes, status,
      price_unit, quantity, unit_price, subtotal, total, expires_at, confirmed_at, created_at, updated_at)
    SELECT ${b.id}, ${b.space_id}, ${b.workspace_id}, ${b.user_id}, ${b.booking_type}, ${b.start}, ${b.end}, ${b.guests},
      ${b.notes}, ${b.status}, ${b.price.unit}, ${b.price.quantity}, ${toCents(b.price.unit_price)},
      ${toCents(b.price.subtotal)}, ${toCents(b.price.total)}, ${b.expires_at}, ${confirmedAt}, ${at}, ${at}
    WHERE ${hasRoom({
      spaceId: b.space_id,
      seat: shared ? sql`c.guests` : sql`1`,
      capacity,
      start: b.start,
      end: b.end,
      need: seatsOf(b.guests),
      now: at,
    })}
    RETURNING id`,
  );
}

export interface Occupant {
  start: string;
  end: string;
  guests: number;
}

/** Blocking bookings of a space overlapping [from, to), oldest start first (one indexed query, for a batch). */
export function occupantsStmt(db: Db, spaceId: string, from: string, to: string, now: number) {
  return allStmt<Occupant>(
    db,
    sql`
    SELECT "start", "end", guests FROM bookings b
    WHERE space_id = ${spaceId} AND ${blocking('b', isoAt(now))} AND "start" < ${to} AND "end" > ${from}
    ORDER BY "start", "end"`,
  );
}

export interface Segment {
  start: string;
  end: string;
  seats_taken: number;
}

/**
 * Splits [from, to) into maximal pieces of constant seat occupancy (an interval-endpoint sweep
 * over the overlapping bookings).
 */
export function sweep(occupants: Occupant[], from: string, to: string, seatsOf: (guests: number) => number): Segment[] {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const deltas = new Map<number, number>();
  const add = (t: number, d: number) => deltas.set(t, (deltas.get(t) ?? 0) + d);
  for (const o of occupants) {
    add(Math.max(Date.parse(o.start), fromMs), seatsOf(o.guests));
    add(Math.min(Date.parse(o.end), toMs), -seatsOf(o.guests));
  }
  add(fromMs, 0);
  add(toMs, 0);
  const points = [...deltas.keys()].sort((a, b) => a - b);
  const out: Segment[] = [];
  let used = 0;
  for (let i = 0; i < points.length - 1; i++) {
    used += deltas.get(points[i])!;
    const [s, e] = [points[i], points[i + 1]];
    if (s >= toMs || e <= fromMs || s === e) continue;
    const last = out[out.length - 1];
    if (last && last.seats_taken === used && Date.parse(last.end) === s) last.end = isoAt(e);
    else out.push({ start: isoAt(s), end: isoAt(e), seats_taken: used });
  }
  return out;
}

/**
 * The interval that blocks a new booking: where the space is too full to add `need` seats, given
 * as the stretch shared by every booking present at the first such instant (for a private space,
 * the clashing booking itself). Null when nothing blocks any more (the clash was cancelled since).
 */
export function clashOf(
  occupants: Occupant[],
  from: string,
  to: string,
  need: number,
  capacity: number,
  seatsOf: (g: number) => number,
) {
  const full = sweep(occupants, from, to, seatsOf).find((s) => s.seats_taken + need > capacity);
  if (!full) return null;
  const at = full.start;
  const present = occupants.filter((o) => o.start <= at && o.end > at);
  if (present.length === 0) return null;
  return {
    // ISO strings compare in time order (Math.max would coerce them to NaN).
    // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
    start: present.reduce((m, o) => (o.start > m ? o.start : m), present[0].start),
    // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
    end: present.reduce((m, o) => (o.end < m ? o.end : m), present[0].end),
  };
}
