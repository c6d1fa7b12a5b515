/**
 * Guests and their codes (issue 17): at most capacity − 1 guests; each gets `G-` + 10 uppercase
 * letters/digits by email; only a hash is stored and no response shows a code; workspace staff
 * check guests in by code from 1 hour before the start until the end, once per code; check-out
 * completes the booking.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  book,
  bookedWithGuests,
  codeMailedTo,
  dayUtc,
  expectEnvelopeError,
  guestsOf,
  HOUR,
  makeOrg,
  makeSpace,
  moveBooking,
  type Org,
  rowOf,
} from '../helpers/bookings';
import { api, eventually, expectStatus, expectStatusCounts } from '../helpers';

let org: Org;
let other: Org;
beforeAll(async () => {
  [org, other] = await Promise.all([makeOrg(), makeOrg()]);
});

const checkIn = (code: string, token?: string) => api('/api/workspace/bookings/check-in/', { token, body: { code } });
const checkOut = (id: string, token?: string) => api(`/api/workspace/bookings/${id}/check-out/`, { method: 'POST', token });
const sha256 = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');

/** A booking with guests that is under way (start 10 minutes ago), with the guests' codes. */
async function underWay(guestCount = 2, space?: string) {
  const s = space ?? (await makeSpace(org.branchId, { capacity: 6 }));
  const t = dayUtc(3) + 9 * HOUR;
  const guests = guestsOf(guestCount);
  const b = await bookedWithGuests(org.outsider, s, t, t + HOUR, guests);
  const codes = await Promise.all(guests.map((g) => codeMailedTo(g.email)));
  await moveBooking(b.id, Date.now() - 10 * 60_000, Date.now() + 2 * HOUR);
  return { booking: b, guests, codes, space: s };
}

describe('guests of a booking', () => {
  it('at most capacity − 1 (the booker takes a seat too), each with their own email', async () => {
    const space = await makeSpace(org.branchId, { capacity: 3 });
    const t = dayUtc(4) + 9 * HOUR;
    const body = (guests: unknown) => ({
      space_id: space,
      booking_type: 'hourly',
      start: new Date(t).toISOString(),
      end: new Date(t + HOUR).toISOString(),
      guests,
    });
    const tooMany = await api('/api/workspace/bookings/create/', { token: org.member.token, body: body(guestsOf(3)) });
    expectEnvelopeError(tooMany, 400, 'Booking failed');
    expect(tooMany.json.errors.guests[0], tooMany.text).toMatch(/no more than 2 guests/);
    const [a] = guestsOf(1);
    const twice = await api('/api/workspace/bookings/create/', {
      token: org.member.token,
      body: body([a, { ...a, name: 'Other' }]),
    });
    expectEnvelopeError(twice, 400, 'Booking failed');
    expect(twice.json.errors.guests, twice.text).toEqual(['Each guest needs their own email address.']);
    const badEmail = await api('/api/workspace/bookings/create/', {
      token: org.member.token,
      body: body([{ name: 'X', email: 'nope' }]),
    });
    expectEnvelopeError(badEmail, 400, 'Booking failed');
    expect(badEmail.json.errors.guests['0'].email, badEmail.text).toEqual(['Enter a valid email address.']);
    const junk = await api('/api/workspace/bookings/create/', { token: org.member.token, body: body('lots') });
    expectEnvelopeError(junk, 400, 'Booking failed');
    expect(junk.json.errors.guests, junk.text).toBeDefined();
    const ok = await api('/api/workspace/bookings/create/', { token: org.member.token, body: body(guestsOf(2)) });
    expectStatus(ok, 201);
    expect(ok.json.booking.guests, ok.text).toBe(3);
    expect(ok.json.booking.guest_list, ok.text).toHaveLength(2);
  });

  it('a guest list takes its seats in a shared space (guests + the booker)', async () => {
    const space = await makeSpace(org.branchId, { space_type: 'coworking', capacity: 4 });
    const t = dayUtc(4) + 13 * HOUR;
    await bookedWithGuests(org.member, space, t, t + HOUR, guestsOf(2)); // 3 seats
    expectEnvelopeError(await book(org.member2, space, t, t + HOUR, { guests: 2 }), 409);
    expectStatus(await book(org.member2, space, t, t + HOUR, { guests: 1 }), 201);
  });

  it('each guest is emailed a G- code of 10 uppercase letters/digits; only its hash is stored; no response shows it', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(4) + 15 * HOUR;
    const guests = guestsOf(3);
    const b = await bookedWithGuests(org.outsider, space, t, t + HOUR, guests);
    const codes = await Promise.all(guests.map((g) => codeMailedTo(g.email)));
    for (const code of codes) expect(code).toMatch(/^G-[A-Z0-9]{10}$/);
    expect(new Set(codes).size).toBe(3);
    const stored = (
      await env.DB.prepare('SELECT email, code_hash FROM booking_guests WHERE booking_id = ? ORDER BY rowid')
        .bind(b.id)
        .all<{ email: string; code_hash: string }>()
    ).results;
    expect(stored.map((g) => g.email)).toEqual(guests.map((g) => g.email));
    expect(stored.map((g) => g.code_hash)).toEqual(await Promise.all(codes.map(sha256)));
    const dump = JSON.stringify(
      await env.DB.prepare('SELECT * FROM booking_guests g JOIN bookings b ON b.id = g.booking_id WHERE b.id = ?')
        .bind(b.id)
        .all(),
    );
    for (const code of codes) expect(dump).not.toContain(code);
    for (const who of [org.outsider, org.staff, org.owner]) {
      const res = await api(`/api/workspace/bookings/${b.id}/`, { token: who.token });
      expectStatus(res, 200);
      for (const code of codes) expect(res.text).not.toContain(code);
      expect(res.json.booking.guest_list, res.text).toEqual(
        guests.map((g) => ({ id: expect.any(String), name: g.name, email: g.email, is_checked_in: false, checked_in_at: null })),
      );
    }
  });

  it('guests of a cancelled booking are told by email', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(5) + 9 * HOUR;
    const [g] = guestsOf(1);
    const b = await bookedWithGuests(org.member, space, t, t + HOUR, [g]);
    expectStatus(await api(`/api/workspace/bookings/${b.id}/cancel/`, { method: 'POST', token: org.member.token }), 200);
    await eventually(() =>
      env.DB.prepare(`SELECT 1 AS ok FROM dev_mailbox WHERE lower("to") = lower(?) AND subject LIKE 'Cancelled:%'`)
        .bind(g.email)
        .first(),
    );
  });
});

describe('POST /api/workspace/bookings/check-in/ (by code)', () => {
  it("the workspace's admin, managers and staff check guests in; the booking shows who checked in", async () => {
    const { booking, codes } = await underWay(3);
    for (const [i, who] of [org.staff, org.manager, org.owner].entries()) {
      const res = await checkIn(codes[i], who.token);
      expectStatus(res, 200);
      expect(res.json, res.text).toMatchObject({ success: true, message: 'Guest checked in successfully' });
      expect(res.json.guest.is_checked_in, res.text).toBe(true);
      expect(res.json.guest.checked_in_at).toMatch(/Z$/);
      expect(res.text).not.toContain(codes[i]);
      expect(res.json.booking.guest_list.filter((g: any) => g.is_checked_in)).toHaveLength(i + 1);
    }
    const detail = await api(`/api/workspace/bookings/${booking.id}/`, { token: org.outsider.token });
    expect(
      detail.json.booking.guest_list.every((g: any) => g.is_checked_in),
      detail.text,
    ).toBe(true);
  });

  it("anyone else gets 404 as for an unknown code: the booker, plain members, a stranger, another workspace's staff; anonymous 401", async () => {
    const { codes, booking } = await underWay(1);
    const unknown = await checkIn('G-0000000000', org.staff.token);
    expectEnvelopeError(unknown, 404, 'Check-in code not found');
    for (const who of [org.outsider, org.member, org.member2, other.staff, other.owner]) {
      const res = await checkIn(codes[0], who.token);
      expectEnvelopeError(res, 404, 'Check-in code not found');
      expect(res.json).toEqual(unknown.json);
    }
    expectStatus(await checkIn(codes[0]), 401);
    const guest = await env.DB.prepare('SELECT checked_in_at FROM booking_guests WHERE booking_id = ?').bind(booking.id).first();
    expect(guest?.checked_in_at).toBeNull();
  });

  it('a second check-in with the same code is a 400; 10 parallel ones check in once', async () => {
    const { codes } = await underWay(2);
    expectStatus(await checkIn(codes[0], org.staff.token), 200);
    const again = await checkIn(codes[0], org.staff.token);
    expectEnvelopeError(again, 400, 'Check-in failed');
    expect(again.json.errors.non_field_errors, again.text).toEqual(['This code has already been used to check in.']);
    const results = await Promise.all(Array.from({ length: 10 }, () => checkIn(codes[1], org.staff.token)));
    expectStatusCounts(results, { 200: 1, 400: 9 });
  });

  it('is open from 1 hour before the start until the end', async () => {
    const { booking, codes } = await underWay(4);
    const now = Date.now();
    await moveBooking(booking.id, now + HOUR + 2 * 60_000, now + 3 * HOUR);
    const early = await checkIn(codes[0], org.staff.token);
    expectEnvelopeError(early, 400, 'Check-in failed');
    expect(early.json.errors.non_field_errors[0], early.text).toMatch(/1 hour before the start/);
    await moveBooking(booking.id, now + HOUR - 2 * 60_000, now + 3 * HOUR);
    expectStatus(await checkIn(codes[0], org.staff.token), 200);
    await moveBooking(booking.id, now - 2 * HOUR, now + 60_000);
    expectStatus(await checkIn(codes[1], org.staff.token), 200);
    await moveBooking(booking.id, now - 2 * HOUR, now - 1000);
    expectEnvelopeError(await checkIn(codes[2], org.staff.token), 400, 'Check-in failed');
    await moveBooking(booking.id, now - HOUR, now + HOUR);
    await env.DB.prepare("UPDATE bookings SET status = 'cancelled' WHERE id = ?").bind(booking.id).run();
    const cancelled = await checkIn(codes[3], org.staff.token);
    expectEnvelopeError(cancelled, 400, 'Check-in failed');
    expect(cancelled.json.errors.non_field_errors, cancelled.text).toEqual(['Only confirmed bookings can be checked in.']);
  });

  it('a malformed code is a 400 field error; codes are read case-insensitively', async () => {
    const { codes } = await underWay(1);
    const bad = await checkIn('G-123', org.staff.token);
    expectEnvelopeError(bad, 400, 'Check-in failed');
    expect(bad.json.errors.code, bad.text).toBeDefined();
    expectStatus(await checkIn(` ${codes[0].toLowerCase()} `, org.staff.token), 200);
  });
});

describe('POST /api/workspace/bookings/{id}/check-out/', () => {
  it('completes the booking once someone checked in, and frees the rest of its slot', async () => {
    const { booking, codes, space } = await underWay(1);
    const early = await checkOut(booking.id, org.staff.token);
    expectEnvelopeError(early, 400, 'Check-out failed');
    expect(early.json.errors.non_field_errors, early.text).toEqual(['Nobody of this booking has checked in yet.']);
    expectStatus(await checkIn(codes[0], org.staff.token), 200);
    const blocked = await book(org.member, space, Date.now() + 30 * 60_000, Date.now() + HOUR);
    expectStatus(blocked, 409);
    const res = await checkOut(booking.id, org.staff.token);
    expectStatus(res, 200);
    expect(res.json, res.text).toMatchObject({ message: 'Checked out successfully', booking: { status: 'completed' } });
    expect(res.json.booking.checked_out_at).toMatch(/Z$/);
    expect((await rowOf(booking.id))?.checked_out_by).toBe(org.staff.id);
    expectStatus(await book(org.member, space, Date.now() + 30 * 60_000, Date.now() + HOUR), 201);
    const again = await checkOut(booking.id, org.staff.token);
    expectEnvelopeError(again, 400, 'Check-out failed');
  });

  it('the booker and staff may; a stranger and plain members get 404; anonymous 401', async () => {
    const a = await underWay(1);
    const b = await underWay(1);
    expectStatus(await checkIn(a.codes[0], org.staff.token), 200);
    expectStatus(await checkIn(b.codes[0], org.staff.token), 200);
    for (const who of [org.member, other.owner])
      expectEnvelopeError(await checkOut(a.booking.id, who.token), 404, 'Booking not found');
    expectStatus(await checkOut(a.booking.id), 401);
    expectStatus(await checkOut(a.booking.id, org.outsider.token), 200);
    expectStatus(await checkOut(b.booking.id, org.staff.token), 200);
  });
});
