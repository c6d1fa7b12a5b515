/**
 * The cancellation policy (issue 17): the booker gets 100 % back with 24 hours of notice or more,
 * 50 % (rounded down to the cent) with 6 hours or more, nothing below; the workspace's admin and
 * managers cancel with a full refund. Exact money: integer cents inside, decimal strings outside.
 */
import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/db/session';
import { cancelBooking, refundFor } from '../../src/modules/workspace/bookings/cancel';
import { booked, expectEnvelopeError, HOUR, insertBooking, makeOrg, makeSpace, type Org, rowOf } from '../helpers/bookings';
import { api, expectStatus, expectStatusCounts } from '../helpers';

let org: Org;
let space: string;
beforeAll(async () => {
  org = await makeOrg();
  space = await makeSpace(org.branchId, { hourly: 1255 }); // 12.55 an hour: half is 6.275
});

const cancel = (id: string, token?: string) => api(`/api/workspace/bookings/${id}/cancel/`, { method: 'POST', token });
const MIN = 60_000;
let slot = 0;
/** A one-hour booking by the member starting `notice` from now, in a space of its own (12.55 an hour). */
async function bookingWithNotice(notice: number) {
  const start = Date.now() + notice;
  return booked(org.member, await makeSpace(org.branchId, { hourly: 1255 }), start, start + HOUR);
}

describe('refundFor: the bands at their exact boundaries', () => {
  const start = Date.UTC(2030, 0, 15, 9);
  const b = { totalCents: 1255, startMs: start, pending: false };
  it.each([
    ['48 h', 48 * HOUR, 1255],
    ['exactly 24 h', 24 * HOUR, 1255],
    ['24 h − 1 ms', 24 * HOUR - 1, 627],
    ['exactly 6 h', 6 * HOUR, 627],
    ['6 h − 1 ms', 6 * HOUR - 1, 0],
    ['1 minute', MIN, 0],
  ])('the booker with %s of notice gets %i cents back', (_label, notice, cents) => {
    expect(refundFor(b, false, start - notice)).toBe(cents);
  });
  it('managers refund in full whatever the notice, even after the start; a hold refunds nothing', () => {
    expect(refundFor(b, true, start + HOUR)).toBe(1255);
    expect(refundFor(b, true, start - MIN)).toBe(1255);
    expect(refundFor({ ...b, pending: true }, false, start - 48 * HOUR)).toBe(0);
    expect(refundFor({ ...b, pending: true }, true, start - 48 * HOUR)).toBe(0);
  });
});

describe('cancelBooking (the service, with the clock passed in) at the exact boundaries', () => {
  it.each([
    [24 * HOUR, '12.55', 1255],
    [24 * HOUR - 1, '6.27', 627],
    [6 * HOUR, '6.27', 627],
    [6 * HOUR - 1, '0.00', 0],
  ])('with %i ms of notice the refund is %s', async (notice, amount, cents) => {
    const start = Date.now() + 30 * 24 * HOUR + slot++ * 2 * HOUR;
    const id = await insertBooking(space, org.workspaceId, org.member.id, start, start + HOUR);
    await env.DB.prepare('UPDATE bookings SET total = 1255 WHERE id = ?').bind(id).run();
    const actor = { id: org.member.id, uuid: org.member.uuid, role: 'Staff' as const };
    // The service runs on a request's connection (src/db/session.ts), as the route runs it.
    const { booking } = await cancelBooking(drizzle(openConnection(env.DB, 'POST').d1), id, actor, start - notice);
    expect(booking.refund_amount).toBe(amount);
    expect((await rowOf(id))?.refund_amount).toBe(cents);
  });
});

describe('POST /api/workspace/bookings/{id}/cancel/ refunds', () => {
  it.each([
    ['24 h + 2 min of notice: 100 %', 24 * HOUR + 2 * MIN, '12.55'],
    ['24 h − 2 min: 50 %, rounded down to the cent', 24 * HOUR - 2 * MIN, '6.27'],
    ['6 h + 2 min: 50 %', 6 * HOUR + 2 * MIN, '6.27'],
    ['6 h − 2 min: nothing', 6 * HOUR - 2 * MIN, '0.00'],
  ])('the booker cancelling with %s', async (_label, notice, refund) => {
    const b = await bookingWithNotice(notice);
    expect(b.price.total).toBe('12.55');
    const res = await cancel(b.id, org.member.token);
    expectStatus(res, 200);
    expect(res.json.booking, res.text).toMatchObject({ status: 'cancelled', refund_amount: refund });
    expect(typeof (await rowOf(b.id))?.refund_amount).toBe('number');
  });

  it('admin and managers cancel with a full refund, even 1 minute before the start or after it', async () => {
    const soon = await bookingWithNotice(2 * MIN);
    const res = await cancel(soon.id, org.manager.token);
    expectStatus(res, 200);
    expect(res.json.booking.refund_amount, res.text).toBe('12.55');
    const started = await insertBooking(space, org.workspaceId, org.member.id, Date.now() - HOUR, Date.now() + HOUR);
    const byOwner = await cancel(started, org.owner.token);
    expectStatus(byOwner, 200);
    expect(byOwner.json.booking.refund_amount, byOwner.text).toBe('12.50');
  });

  it('staff may not cancel (403); a stranger gets 404; anonymous 401; parallel cancels refund once', async () => {
    const b = await bookingWithNotice(48 * HOUR);
    expectEnvelopeError(await cancel(b.id, org.staff.token), 403);
    expectEnvelopeError(await cancel(b.id, org.outsider.token), 404, 'Booking not found');
    expectStatus(await cancel(b.id), 401);
    const results = await Promise.all(Array.from({ length: 10 }, () => cancel(b.id, org.member.token)));
    expectStatusCounts(results, { 200: 1, 400: 9 });
    expect((await rowOf(b.id))?.refund_amount).toBe(1255);
  });
});
