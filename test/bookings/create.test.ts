import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  at,
  book,
  booked,
  DAY,
  dayUtc,
  expectEnvelopeError,
  HOUR,
  makeBranch,
  makeOrg,
  makeSpace,
  type Org,
  z,
} from '../helpers/bookings';
import { api, eventually, expectStatus } from '../helpers';

let org: Org;
beforeAll(async () => {
  org = await makeOrg();
});

const daysIn = (ms: number) => {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
};
/** Midnight UTC on the first day of the month `k` months from now. */
const monthStart = (k: number) => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1);
};

describe('POST /api/workspace/bookings/create/ pricing', () => {
  it('hourly: rate x started hours, in exact decimals', async () => {
    const space = await makeSpace(org.branchId); // 12.50/h
    const start = dayUtc(3) + 9 * HOUR;
    const b = await booked(org.member, space, start, start + 2.5 * HOUR, { notes: 'Team sync' });
    expect(b.price, JSON.stringify(b)).toEqual({
      unit: 'hour',
      quantity: 3,
      unit_price: '12.50',
      subtotal: '37.50',
      total: '37.50',
    });
    expect(b).toMatchObject({
      booking_type: 'hourly',
      status: 'confirmed',
      guests: 1,
      notes: 'Team sync',
      is_checked_in: false,
      space_id: space,
    });
    const exact = await booked(org.member, space, start + 5 * HOUR, start + 6 * HOUR);
    expect(exact.price).toMatchObject({ quantity: 1, total: '12.50' });
  });

  it('hourly: cents stay exact where floating point would not (0.10 x 3 = 0.30)', async () => {
    const space = await makeSpace(org.branchId, { hourly: 10 });
    const start = dayUtc(3) + 9 * HOUR;
    const b = await booked(org.member, space, start, start + 3 * HOUR);
    expect(b.price).toEqual({ unit: 'hour', quantity: 3, unit_price: '0.10', subtotal: '0.30', total: '0.30' });
    const row = await env.DB.prepare('SELECT unit_price, subtotal, total FROM bookings WHERE id = ?').bind(b.id).first();
    expect(row).toEqual({ unit_price: 10, subtotal: 30, total: 30 });
  });

  it('daily: daily_rate x started 24-hour days', async () => {
    const space = await makeSpace(org.branchId); // 80.00/day
    const start = dayUtc(5) + 9 * HOUR;
    const one = await booked(org.member, space, start, start + DAY, { booking_type: 'daily' });
    expect(one.price).toEqual({ unit: 'day', quantity: 1, unit_price: '80.00', subtotal: '80.00', total: '80.00' });
    const partial = await booked(org.member, space, start + 2 * DAY, start + 3.5 * DAY, { booking_type: 'daily' });
    expect(partial.price).toEqual({ unit: 'day', quantity: 2, unit_price: '80.00', subtotal: '160.00', total: '160.00' });
  });

  it('monthly: monthly_rate x calendar months, the 31st clamped to a short month', async () => {
    const space = await makeSpace(org.branchId); // 1500.00/month
    let k = 1;
    while (!(daysIn(monthStart(k)) === 31 && daysIn(monthStart(k + 1)) < 31)) k++;
    const start = monthStart(k) + 30 * DAY + 10 * HOUR; // the 31st, 10:00Z
    const lastOfNext = monthStart(k + 1) + (daysIn(monthStart(k + 1)) - 1) * DAY + 10 * HOUR;
    const one = await booked(org.member, space, start, lastOfNext, { booking_type: 'monthly' });
    expect(one.price).toEqual({ unit: 'month', quantity: 1, unit_price: '1500.00', subtotal: '1500.00', total: '1500.00' });
    const space2 = await makeSpace(org.branchId);
    const two = await booked(org.member, space2, start, lastOfNext + 60_000, { booking_type: 'monthly' });
    expect(two.price).toMatchObject({ quantity: 2, total: '3000.00' });
  });

  it("monthly: months are counted on the booker's own offset, not in UTC", async () => {
    const space = await makeSpace(org.branchId);
    // A month shorter than the next: local 1st 00:30+03:00 is the previous month's last day 21:30Z, where
    // counting in UTC would give 2 months (e.g. Apr 30 21:30Z + 1 month = May 30 < May 31 21:30Z).
    let k = 1;
    while (!(daysIn(monthStart(k)) < daysIn(monthStart(k + 1)))) k++;
    const start = monthStart(k + 1) + 30 * 60_000 - 3 * HOUR;
    const end = monthStart(k + 2) + 30 * 60_000 - 3 * HOUR;
    const b = await booked(org.member, space, at(start, '+03:00'), at(end, '+03:00'), { booking_type: 'monthly' });
    expect(b.start).toBe(z(start));
    expect(b.start.endsWith('T21:30:00.000Z')).toBe(true);
    expect(b.price).toMatchObject({ unit: 'month', quantity: 1, total: '1500.00' });
  });

  it('refuses a booking type whose rate the space lacks (400)', async () => {
    const space = await makeSpace(org.branchId, { daily: null, monthly: null });
    const start = dayUtc(4) + 9 * HOUR;
    for (const type of ['daily', 'monthly'] as const) {
      const res = await book(org.member, space, start, start + 40 * DAY, { booking_type: type });
      expectEnvelopeError(res, 400, 'Booking failed');
      expect(res.json.errors.booking_type, res.text).toHaveLength(1);
    }
    expectStatus(await book(org.member, space, start, start + HOUR), 201);
  });
});

describe('POST /api/workspace/bookings/create/ times', () => {
  it('stores and serves an offset input in UTC with Z', async () => {
    const space = await makeSpace(org.branchId);
    const start = dayUtc(6) + 6 * HOUR; // 09:00+03:00
    const b = await booked(org.member, space, at(start, '+03:00'), at(start + 2 * HOUR, '-05:30'));
    expect(b.start).toBe(z(start));
    expect(b.end).toBe(z(start + 2 * HOUR));
    expect(b.start.endsWith('Z')).toBe(true);
    const row = await env.DB.prepare('SELECT "start", "end" FROM bookings WHERE id = ?').bind(b.id).first();
    expect(row).toEqual({ start: z(start), end: z(start + 2 * HOUR) });
    const detail = await api(`/api/workspace/bookings/${b.id}/`, { token: org.member.token });
    expect(detail.json.booking.start).toBe(z(start));
  });

  it('the same instant written with different offsets is the same slot', async () => {
    const space = await makeSpace(org.branchId);
    const start = dayUtc(6) + 10 * HOUR;
    await booked(org.member, space, at(start, '+03:00'), at(start + HOUR, '+03:00'));
    const clash = await book(org.member2, space, at(start, '-04:00'), at(start + HOUR, '-04:00'));
    expectEnvelopeError(clash, 409, 'Space is already booked for this time slot');
  });

  it('rejects times without an offset, malformed or impossible times', async () => {
    const space = await makeSpace(org.branchId);
    const day = z(dayUtc(6)).slice(0, 10);
    for (const start of [
      `${day}T09:00:00`,
      `${day} 09:00:00Z`,
      'tomorrow',
      `${day.slice(0, 8)}32T09:00:00Z`,
      `${day}T25:00:00Z`,
    ]) {
      const res = await book(org.member, space, start, `${day}T18:00:00Z`);
      expectEnvelopeError(res, 400, 'Booking failed');
      expect(res.json.errors.start?.[0], res.text).toMatch(/ISO 8601 with a UTC offset/);
    }
  });

  it('requires start before end, start in the future, and at most 365 days ahead', async () => {
    const space = await makeSpace(org.branchId);
    const start = dayUtc(3) + 9 * HOUR;
    const backwards = await book(org.member, space, start, start - HOUR);
    expectEnvelopeError(backwards, 400, 'Booking failed');
    expect(backwards.json.errors.end, backwards.text).toEqual(['End must be after start.']);
    const empty = await book(org.member, space, start, start);
    expect(empty.json.errors.end, empty.text).toEqual(['End must be after start.']);
    const past = await book(org.member, space, Date.now() - HOUR, Date.now() + HOUR);
    expectEnvelopeError(past, 400, 'Booking failed');
    expect(past.json.errors.start, past.text).toEqual(['Start must be in the future.']);
    const far = await book(org.member, space, dayUtc(400), dayUtc(400) + HOUR);
    expectEnvelopeError(far, 400);
    expect(far.json.errors.start[0], far.text).toMatch(/365 days/);
  });

  it('applies the branch operating hours (IANA zone) to hourly bookings only', async () => {
    const rules = {
      timezone: 'Africa/Nairobi', // UTC+03:00, no daylight saving
      monday: { open: '08:00', close: '18:00' },
      tuesday: ['08:00', '18:00'],
      wednesday: '08:00-18:00',
      thursday: { open: '08:00', close: '18:00' },
      friday: { open: '08:00', close: '18:00' },
      saturday: { open: '09:00', close: '13:00' },
      sunday: null,
    };
    const branch = await makeBranch(org.workspaceId, { operatingHours: rules });
    let i = 2;
    while (new Date(dayUtc(i)).getUTCDay() !== 1) i++;
    const mondayLocal = dayUtc(i) - 3 * HOUR; // local midnight in Nairobi
    const sundayLocal = mondayLocal - DAY;
    const space = await makeSpace(branch);
    const inside = await booked(org.member, space, at(mondayLocal + 9 * HOUR, '+03:00'), at(mondayLocal + 11 * HOUR, '+03:00'));
    expect(inside.start).toBe(z(mondayLocal + 9 * HOUR));
    // The same local window written in UTC is just as valid.
    const space2 = await makeSpace(branch);
    expectStatus(await book(org.member, space2, mondayLocal + 9 * HOUR, mondayLocal + 11 * HOUR), 201);
    const upToClose = await book(org.member, space2, mondayLocal + 17 * HOUR, mondayLocal + 18 * HOUR);
    expectStatus(upToClose, 201);

    const late = await book(org.member, space, at(mondayLocal + 17 * HOUR, '+03:00'), at(mondayLocal + 19 * HOUR, '+03:00'));
    expectEnvelopeError(late, 400, 'Booking failed');
    expect(late.json.errors.non_field_errors[0], late.text).toMatch(/monday 08:00-18:00 \(Africa\/Nairobi\)/);
    // 06:00Z is 09:00 local (fine) but 04:30Z is 07:30 local (before opening).
    expectEnvelopeError(await book(org.member, space, mondayLocal + 7.5 * HOUR, mondayLocal + 8.5 * HOUR), 400);
    const sunday = await book(org.member, space, sundayLocal + 10 * HOUR, sundayLocal + 12 * HOUR);
    expectEnvelopeError(sunday, 400);
    expect(sunday.json.errors.non_field_errors[0], sunday.text).toMatch(/closed on sunday/);
    // Daily bookings are not bound by the hourly opening rules.
    expectStatus(await book(org.member, space, sundayLocal, sundayLocal + DAY, { booking_type: 'daily' }), 201);
  });

  it('reads fixed-offset rules and 3-letter weekday keys; a missing weekday is closed', async () => {
    const branch = await makeBranch(org.workspaceId, { operatingHours: { timezone: '+03:00', mon: ['08:00', '18:00'] } });
    const space = await makeSpace(branch);
    let i = 2;
    while (new Date(dayUtc(i)).getUTCDay() !== 1) i++;
    const mondayLocal = dayUtc(i) - 3 * HOUR;
    expectStatus(await book(org.member, space, at(mondayLocal + 8 * HOUR, '+03:00'), at(mondayLocal + 10 * HOUR, '+03:00')), 201);
    const tuesday = await book(
      org.member,
      space,
      at(mondayLocal + DAY + 9 * HOUR, '+03:00'),
      at(mondayLocal + DAY + 10 * HOUR, '+03:00'),
    );
    expectEnvelopeError(tuesday, 400);
    expect(tuesday.json.errors.non_field_errors[0], tuesday.text).toMatch(/closed on tuesday/);
  });
});

describe('POST /api/workspace/bookings/create/ access and input', () => {
  it('any signed-in user books a public space, members and outsiders alike (the original answered outsiders 404; issue 17); 401 without a token', async () => {
    const space = await makeSpace(org.branchId);
    const base = dayUtc(8) + 8 * HOUR;
    const people = [org.owner, org.manager, org.staff, org.member, org.outsider];
    for (const [i, who] of people.entries()) {
      const b = await booked(who, space, base + i * HOUR, base + (i + 1) * HOUR);
      expect(b.user.id).toBe(who.uuid);
    }
    const missing = await book(org.member, crypto.randomUUID(), base + 5 * HOUR, base + 6 * HOUR);
    expectEnvelopeError(missing, 404, 'Space not found');
    const anon = await api('/api/workspace/bookings/create/', {
      body: { space_id: space, booking_type: 'hourly', start: z(base + 7 * HOUR), end: z(base + 8 * HOUR) },
    });
    expectStatus(anon, 401);
  });

  it('a space closed to the public does not exist for outsiders (404, as a missing one); its members get the 400', async () => {
    const start = dayUtc(8) + 15 * HOUR;
    const closed = await makeSpace(org.branchId, { is_available: false });
    const hiddenBranch = await makeBranch(org.workspaceId);
    await env.DB.prepare('UPDATE workspace_branches SET is_active = 0 WHERE id = ?').bind(hiddenBranch).run();
    const inInactiveBranch = await makeSpace(hiddenBranch);
    const missing = await book(org.outsider, crypto.randomUUID(), start, start + HOUR);
    for (const space of [closed, inInactiveBranch]) {
      const outsider = await book(org.outsider, space, start, start + HOUR);
      expectEnvelopeError(outsider, 404, 'Space not found');
      expect(outsider.json).toEqual(missing.json);
      const member = await book(org.member, space, start, start + HOUR);
      expectEnvelopeError(member, 400, 'Booking failed');
      expect(member.json.errors.space_id, member.text).toEqual(['This space is not available for booking.']);
    }
  });

  it('an inactive membership grants no member rights: its holder books public spaces like anyone (was 404; issue 17), not the unavailable ones', async () => {
    const org = await makeOrg();
    const space = await makeSpace(org.branchId);
    const closed = await makeSpace(org.branchId, { is_available: false });
    await env.DB.prepare('UPDATE workspace_members SET is_active = 0 WHERE user_id = ?').bind(org.member.id).run();
    const start = dayUtc(3) + 9 * HOUR;
    expectStatus(await book(org.member, space, start, start + HOUR), 201);
    expectEnvelopeError(await book(org.member, closed, start, start + HOUR), 404, 'Space not found');
  });

  it('validates fields: guests within capacity, booking_type, space_id; unavailable spaces refuse', async () => {
    const space = await makeSpace(org.branchId, { capacity: 4 });
    const start = dayUtc(3) + 9 * HOUR;
    const crowd = await book(org.member, space, start, start + HOUR, { guests: 5 });
    expectEnvelopeError(crowd, 400, 'Booking failed');
    expect(crowd.json.errors.guests[0], crowd.text).toMatch(/less than or equal to 4/);
    expectStatus(await book(org.member, space, start, start + HOUR, { guests: 4 }), 201);
    const none = await book(org.member, space, start + 2 * HOUR, start + 3 * HOUR, { guests: 0 });
    expectEnvelopeError(none, 400, 'Booking failed');
    expect(none.json.errors.guests, none.text).toBeDefined();
    const badType = await api('/api/workspace/bookings/create/', {
      token: org.member.token,
      body: { space_id: space, booking_type: 'weekly', start: z(start + 4 * HOUR), end: z(start + 5 * HOUR) },
    });
    expectEnvelopeError(badType, 400, 'Booking failed');
    expect(badType.json.errors.booking_type, badType.text).toEqual(['"weekly" is not a valid choice.']);
    const badId = await api('/api/workspace/bookings/create/', {
      token: org.member.token,
      body: { space_id: 'abc', booking_type: 'hourly', start: z(start + 4 * HOUR), end: z(start + 5 * HOUR) },
    });
    expectEnvelopeError(badId, 400, 'Booking failed');
    expect(badId.json.errors.space_id, badId.text).toBeDefined();
    const closed = await makeSpace(org.branchId, { is_available: false });
    const refused = await book(org.member, closed, start, start + HOUR);
    expectEnvelopeError(refused, 400, 'Booking failed');
    expect(refused.json.errors.space_id, refused.text).toEqual(['This space is not available for booking.']);
  });

  it('sends the confirmation email and a notification event for the booker', async () => {
    const space = await makeSpace(org.branchId);
    const start = dayUtc(3) + 9 * HOUR;
    const b = await booked(org.member, space, start, start + 2 * HOUR);
    const confirmation = await eventually(() =>
      env.DB.prepare('SELECT subject, text FROM dev_mailbox WHERE lower("to") = lower(?) AND text LIKE ?')
        .bind(org.member.email, `%${b.id}%`)
        .first<{ subject: string; text: string }>(),
    );
    expect(confirmation.subject).toBe(`Booking confirmed: ${b.space_name}`);
    expect(confirmation.text).toContain('= 25.00');
    expect(confirmation.text).toContain(z(start));
    const row = await eventually(() =>
      env.DB.prepare("SELECT * FROM notifications WHERE target_type = 'booking' AND target_id = ?").bind(b.id).first<any>(),
    );
    expect(row).toMatchObject({ recipient_id: org.member.id, actor_id: org.member.id, verb: 'booking confirmed' });
  });
});
