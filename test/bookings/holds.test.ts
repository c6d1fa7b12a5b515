/**
 * Holds (issue 17): `hold: true` books as `pending` for 15 minutes, blocking the slot until then;
 * the booker confirms it; an expired hold never blocks anyone, even before the cron has run.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  book,
  booked,
  codeMailedTo,
  dayUtc,
  expectEnvelopeError,
  guestsOf,
  hold,
  HOUR,
  lapse,
  makeOrg,
  makeSpace,
  type Org,
  rowOf,
  z,
} from '../helpers/bookings';
import { api, eventually, expectStatus, expectStatusCounts } from '../helpers';

let org: Org;
beforeAll(async () => {
  org = await makeOrg();
});

const confirm = (id: string, token?: string) => api(`/api/workspace/bookings/${id}/confirm/`, { method: 'POST', token });
const blockingIn = async (space: string) =>
  (
    await env.DB.prepare(
      `SELECT id, status FROM bookings WHERE space_id = ? AND status IN ('confirmed', 'pending') ORDER BY created_at`,
    )
      .bind(space)
      .all<{ id: string; status: string }>()
  ).results;

describe('a hold', () => {
  it('is pending with expires_at 15 minutes ahead, and blocks the slot for everyone else until then', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(5) + 9 * HOUR;
    const before = Date.now();
    const res = await hold(org.outsider, space, t, t + HOUR);
    expectStatus(res, 201);
    expect(res.json.message, res.text).toMatch(/held for 15 minutes/);
    const held = res.json.booking;
    expect(held, res.text).toMatchObject({ status: 'pending', confirmed_at: null, guests: 1 });
    const ttl = Date.parse(held.expires_at) - before;
    expect(ttl, res.text).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(ttl, res.text).toBeLessThanOrEqual(15 * 60_000 + 5000);
    const clash = await book(org.member, space, t + 30 * 60_000, t + 2 * HOUR);
    expectEnvelopeError(clash, 409, 'Space is already booked for this time slot');
    expect(clash.json.errors.conflict, clash.text).toEqual({ start: z(t), end: z(t + HOUR) });
    // A hold sends no confirmation: nothing is paid yet.
    const mail = await env.DB.prepare('SELECT count(*) AS n FROM dev_mailbox WHERE text LIKE ?')
      .bind(`%${held.id}%`)
      .first<{ n: number }>();
    expect(mail?.n).toBe(0);
  });

  it("is confirmed by its booker; then the confirmation and the guests' codes go out", async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(5) + 12 * HOUR;
    const guests = guestsOf(2);
    const res = await hold(org.outsider, space, t, t + HOUR, { guestList: guests });
    expectStatus(res, 201);
    const id = res.json.booking.id;
    expect(res.json.booking.guest_list.map((g: any) => g.email)).toEqual(guests.map((g) => g.email));
    // No code exists before the confirmation.
    const before = await env.DB.prepare('SELECT count(*) AS n FROM booking_guests WHERE booking_id = ? AND code_hash IS NOT NULL')
      .bind(id)
      .first<{ n: number }>();
    expect(before?.n).toBe(0);
    const ok = await confirm(id, org.outsider.token);
    expectStatus(ok, 200);
    expect(ok.json, ok.text).toMatchObject({
      success: true,
      message: 'Booking confirmed successfully',
      booking: { id, status: 'confirmed', expires_at: null },
    });
    expect(ok.json.booking.confirmed_at).toMatch(/Z$/);
    for (const g of guests) expect(await codeMailedTo(g.email)).toMatch(/^G-[A-Z0-9]{10}$/);
    await eventually(() =>
      env.DB.prepare(
        'SELECT 1 AS ok FROM dev_mailbox WHERE lower("to") = lower(?) AND subject LIKE \'Booking confirmed%\' AND text LIKE ?',
      )
        .bind(org.outsider.email, `%${id}%`)
        .first(),
    );
    const again = await confirm(id, org.outsider.token);
    expectEnvelopeError(again, 400, 'Confirmation failed');
    expect(again.json.errors.non_field_errors, again.text).toEqual(['This booking is already confirmed.']);
  });

  it('is confirmed by its booker only: staff 403, a stranger 404 as for a missing booking, anonymous 401', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(5) + 15 * HOUR;
    const id = (await hold(org.member, space, t, t + HOUR)).json.booking.id;
    expectEnvelopeError(await confirm(id, org.staff.token), 403);
    expectEnvelopeError(await confirm(id, org.manager.token), 403);
    const stranger = await confirm(id, org.outsider.token);
    expectEnvelopeError(stranger, 404, 'Booking not found');
    expect(stranger.json).toEqual((await confirm(crypto.randomUUID(), org.outsider.token)).json);
    expectStatus(await confirm(id), 401);
    expect((await rowOf(id))?.status).toBe('pending');
  });

  it('cannot be confirmed once expired (409), and then shows as expired even before the cron marks it', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(6) + 9 * HOUR;
    const id = (await hold(org.member, space, t, t + HOUR)).json.booking.id;
    await lapse(id);
    const late = await confirm(id, org.member.token);
    expectEnvelopeError(late, 409, 'Confirmation failed');
    expect(late.json.errors.non_field_errors[0], late.text).toMatch(/expired/);
    const detail = await api(`/api/workspace/bookings/${id}/`, { token: org.member.token });
    expect(detail.json.booking.status, detail.text).toBe('expired');
    expect((await rowOf(id))?.status).toBe('pending');
    const expiredList = await api('/api/workspace/bookings/?status=expired', { token: org.member.token });
    expect(expiredList.json.bookings.map((b: any) => b.id)).toContain(id);
    const pendingList = await api('/api/workspace/bookings/?status=pending', { token: org.member.token });
    expect(pendingList.json.bookings.map((b: any) => b.id)).not.toContain(id);
  });

  it('never blocks anyone once expired, even before any clean-up has run', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(6) + 12 * HOUR;
    const id = (await hold(org.member, space, t, t + HOUR)).json.booking.id;
    expectStatus(await book(org.member2, space, t, t + HOUR), 409);
    await lapse(id);
    const mine = await booked(org.member2, space, t, t + HOUR);
    expect(mine.status).toBe('confirmed');
    expect((await rowOf(id))?.status, 'the cron has not run').toBe('pending');
    const avail = await api(`/api/workspace/spaces/${space}/availability/?from=${z(t - HOUR)}&to=${z(t + 2 * HOUR)}`, {
      token: org.member.token,
    });
    expect(avail.json.taken, avail.text).toEqual([{ start: z(t), end: z(t + HOUR) }]);
  });

  it('50 parallel requests for a slot held by an expired hold yield exactly one booking', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(7) + 9 * HOUR;
    const id = (await hold(org.outsider, space, t, t + 2 * HOUR)).json.booking.id;
    await lapse(id);
    const people = [org.owner, org.manager, org.staff, org.member, org.member2, org.outsider];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book(people[i % people.length], space, t, t + 2 * HOUR)),
    );
    expectStatusCounts(results, { 201: 1, 409: 49 });
    const blocking = await blockingIn(space);
    expect(
      blocking.filter((b) => b.status === 'confirmed'),
      JSON.stringify(blocking),
    ).toHaveLength(1);
    // The lapsed hold itself can no longer be confirmed over the new booking.
    expectStatus(await confirm(id, org.outsider.token), 409);
  });

  it('50 parallel holds and bookings for a free slot leave exactly one blocking booking', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(7) + 14 * HOUR;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 ? hold(org.member, space, t, t + HOUR) : book(org.member2, space, t, t + HOUR),
      ),
    );
    expectStatusCounts(results, { 201: 1 });
    expect(await blockingIn(space)).toHaveLength(1);
  });

  it('parallel confirmations of one hold confirm it once and send its codes once', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(8) + 9 * HOUR;
    const [guest] = guestsOf(1);
    const id = (await hold(org.member, space, t, t + HOUR, { guestList: [guest] })).json.booking.id;
    const results = await Promise.all(Array.from({ length: 10 }, () => confirm(id, org.member.token)));
    expectStatusCounts(results, { 200: 1, 400: 9 });
    await codeMailedTo(guest.email);
    await new Promise((r) => setTimeout(r, 300));
    const mails = await env.DB.prepare('SELECT count(*) AS n FROM dev_mailbox WHERE lower("to") = lower(?)')
      .bind(guest.email)
      .first<{ n: number }>();
    expect(mails?.n).toBe(1);
  });

  it('is released by its booker with a refund of 0.00 (nothing was paid)', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(9) + 9 * HOUR;
    const id = (await hold(org.member, space, t, t + HOUR)).json.booking.id;
    const res = await api(`/api/workspace/bookings/${id}/cancel/`, { method: 'POST', token: org.member.token });
    expectStatus(res, 200);
    expect(res.json.booking, res.text).toMatchObject({ status: 'cancelled', refund_amount: '0.00' });
    expectStatus(await book(org.member2, space, t, t + HOUR), 201);
  });
});
