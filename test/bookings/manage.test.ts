import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookingCountsForAdmin } from '../../src/modules/workspace/bookings';
import {
  booked,
  dayUtc,
  expectEnvelopeError,
  HOUR,
  insertBooking,
  makeBranch,
  makeOrg,
  makeSpace,
  type Org,
  z,
} from '../helpers/bookings';
import { api, eventually, expectStatus, makeUser } from '../helpers';

let org: Org;
beforeAll(async () => {
  org = await makeOrg();
});

const get = (path: string, token?: string) => api(path, { token });
const post = (path: string, token?: string) => api(path, { method: 'POST', token });
const ids = (res: { json: any }) => (res.json.bookings as { id: string }[]).map((b) => b.id).sort();

describe('GET /api/workspace/bookings/', () => {
  it("lists the caller's own bookings by default; admin and managers list a workspace's or a space's", async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(20) + 9 * HOUR;
    const mine = await booked(org.member, space, t, t + HOUR);
    const theirs = await booked(org.member2, space, t + HOUR, t + 2 * HOUR);

    const own = await get('/api/workspace/bookings/', org.member.token);
    expectStatus(own, 200);
    expect(own.json).toMatchObject({ success: true, message: 'Bookings retrieved successfully' });
    expect(ids(own)).toContain(mine.id);
    expect(ids(own)).not.toContain(theirs.id);
    expect(own.json.bookings.every((b: any) => b.user.id === org.member.uuid)).toBe(true);

    for (const who of [org.owner, org.manager]) {
      const all = await get(`/api/workspace/bookings/?workspace_id=${org.workspaceId}`, who.token);
      expectStatus(all, 200);
      expect(ids(all)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      const bySpace = await get(`/api/workspace/bookings/?space_id=${space}`, who.token);
      expect(ids(bySpace)).toEqual([mine.id, theirs.id].sort());
    }
    for (const who of [org.staff, org.member]) {
      expectEnvelopeError(await get(`/api/workspace/bookings/?workspace_id=${org.workspaceId}`, who.token), 403);
      expectEnvelopeError(await get(`/api/workspace/bookings/?space_id=${space}`, who.token), 403);
    }
    expectEnvelopeError(
      await get(`/api/workspace/bookings/?workspace_id=${org.workspaceId}`, org.outsider.token),
      404,
      'Workspace not found',
    );
    expectEnvelopeError(await get(`/api/workspace/bookings/?space_id=${space}`, org.outsider.token), 404, 'Space not found');
    expectStatus(await get('/api/workspace/bookings/'), 401);
  });

  it("a branch's manager lists that branch's spaces", async () => {
    const branch = await makeBranch(org.workspaceId, { managerId: org.staff.id });
    const space = await makeSpace(branch);
    const t = dayUtc(20) + 13 * HOUR;
    const b = await booked(org.member, space, t, t + HOUR);
    const res = await get(`/api/workspace/bookings/?space_id=${space}`, org.staff.token);
    expectStatus(res, 200);
    expect(ids(res)).toEqual([b.id]);
  });

  it('filters by status, type and time window; orders by start; paginates', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(21) + 9 * HOUR;
    const a = await booked(org.member2, space, t + 2 * HOUR, t + 3 * HOUR);
    const b = await booked(org.member2, space, t, t + HOUR);
    const c = await booked(org.member2, space, t + 4 * HOUR, t + 5 * HOUR);
    expectStatus(await post(`/api/workspace/bookings/${c.id}/cancel/`, org.member2.token), 200);
    const q = `space_id=${space}`;
    const confirmed = await get(`/api/workspace/bookings/?${q}&status=confirmed`, org.owner.token);
    expect(confirmed.json.bookings.map((x: any) => x.id)).toEqual([b.id, a.id]);
    const cancelled = await get(`/api/workspace/bookings/?${q}&status=cancelled`, org.owner.token);
    expect(cancelled.json.bookings.map((x: any) => x.id)).toEqual([c.id]);
    const newestFirst = await get(`/api/workspace/bookings/?${q}&ordering=-start`, org.owner.token);
    expect(newestFirst.json.bookings.map((x: any) => x.id)).toEqual([c.id, a.id, b.id]);
    const window = await get(
      `/api/workspace/bookings/?${q}&from=${encodeURIComponent(z(t + HOUR))}&to=${encodeURIComponent(z(t + 4 * HOUR))}`,
      org.owner.token,
    );
    expect(window.json.bookings.map((x: any) => x.id)).toEqual([a.id]);
    const page = await get(`/api/workspace/bookings/?${q}&page_size=2`, org.owner.token);
    expect(page.json).toMatchObject({ count: 3 });
    expect(page.json.bookings).toHaveLength(2);
    expect(page.json.next).toContain('page=2');
    expect((await get(`/api/workspace/bookings/?${q}&booking_type=daily`, org.owner.token)).json.count).toBe(0);
    expectEnvelopeError(
      await get(`/api/workspace/bookings/?${q}&status=weird`, org.owner.token),
      400,
      'Invalid query parameters',
    );
  });
});

describe('GET /api/workspace/bookings/{id}/', () => {
  it('the booker, staff, managers and admin see it; other users and outsiders get 404 as for a missing booking', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(22) + 9 * HOUR;
    const b = await booked(org.member, space, t, t + HOUR, { guests: 2 });
    for (const who of [org.member, org.staff, org.manager, org.owner]) {
      const res = await get(`/api/workspace/bookings/${b.id}/`, who.token);
      expectStatus(res, 200);
      expect(res.json).toMatchObject({ success: true, message: 'Booking retrieved successfully' });
      expect(res.json.booking).toMatchObject({
        id: b.id,
        space_id: space,
        branch_id: org.branchId,
        workspace_id: org.workspaceId,
        user: { id: org.member.uuid, email: org.member.email },
        guests: 2,
        start: z(t),
        end: z(t + HOUR),
        price: { unit: 'hour', quantity: 1, unit_price: '12.50', subtotal: '12.50', total: '12.50' },
      });
    }
    const hidden = await get(`/api/workspace/bookings/${b.id}/`, org.member2.token);
    const outsider = await get(`/api/workspace/bookings/${b.id}/`, org.outsider.token);
    const missing = await get(`/api/workspace/bookings/${crypto.randomUUID()}/`, org.member.token);
    const malformed = await get('/api/workspace/bookings/not-a-uuid/', org.member.token);
    for (const res of [hidden, outsider, missing, malformed]) expectEnvelopeError(res, 404, 'Booking not found');
    expect(hidden.json).toEqual(missing.json);
  });
});

describe('POST /api/workspace/bookings/{id}/cancel/', () => {
  it('the booker cancels before the start; a second cancel is refused', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(23) + 9 * HOUR;
    const b = await booked(org.member, space, t, t + HOUR);
    const res = await post(`/api/workspace/bookings/${b.id}/cancel/`, org.member.token);
    expectStatus(res, 200);
    expect(res.json).toMatchObject({
      success: true,
      message: 'Booking cancelled successfully',
      booking: { id: b.id, status: 'cancelled' },
    });
    expect(res.json.booking.cancelled_at).toMatch(/Z$/);
    const again = await post(`/api/workspace/bookings/${b.id}/cancel/`, org.member.token);
    expectEnvelopeError(again, 400, 'Cancellation failed');
    expect(again.json.errors.non_field_errors).toEqual(['This booking is already cancelled.']);
  });

  it('the booker cannot cancel once it started; admin and managers can, and the booker is notified', async () => {
    const space = await makeSpace(org.branchId);
    const started = await insertBooking(space, org.workspaceId, org.member.id, Date.now() - HOUR, Date.now() + HOUR);
    const ended = await insertBooking(space, org.workspaceId, org.member.id, Date.now() - 5 * HOUR, Date.now() - 3 * HOUR);
    const refused = await post(`/api/workspace/bookings/${started}/cancel/`, org.member.token);
    expectEnvelopeError(refused, 400, 'Cancellation failed');
    expect(refused.json.errors.non_field_errors[0]).toMatch(/before it starts/);
    const byManager = await post(`/api/workspace/bookings/${started}/cancel/`, org.manager.token);
    expectStatus(byManager, 200);
    expect(byManager.json.booking.status).toBe('cancelled');
    expectStatus(await post(`/api/workspace/bookings/${ended}/cancel/`, org.owner.token), 200);
    const note = await eventually(() =>
      env.DB.prepare("SELECT * FROM notifications WHERE target_type = 'booking' AND target_id = ? AND verb = 'booking cancelled'")
        .bind(started)
        .first<any>(),
    );
    expect(note).toMatchObject({ recipient_id: org.member.id, actor_id: org.manager.id });
  });

  it('staff may not cancel (403); other users and outsiders get 404', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(23) + 13 * HOUR;
    const b = await booked(org.member, space, t, t + HOUR);
    expectEnvelopeError(await post(`/api/workspace/bookings/${b.id}/cancel/`, org.staff.token), 403);
    expectEnvelopeError(await post(`/api/workspace/bookings/${b.id}/cancel/`, org.member2.token), 404, 'Booking not found');
    expectEnvelopeError(await post(`/api/workspace/bookings/${b.id}/cancel/`, org.outsider.token), 404, 'Booking not found');
    expectStatus(await post(`/api/workspace/bookings/${b.id}/cancel/`), 401);
    const still = await get(`/api/workspace/bookings/${b.id}/`, org.member.token);
    expect(still.json.booking.status).toBe('confirmed');
  });
});

describe('POST /api/workspace/bookings/{id}/check-in/', () => {
  it('the booker checks in from 15 minutes before the start; only once', async () => {
    const space = await makeSpace(org.branchId);
    const start = Date.now() + 10 * 60_000;
    const b = await booked(org.member, space, start, start + HOUR);
    const res = await post(`/api/workspace/bookings/${b.id}/check-in/`, org.member.token);
    expectStatus(res, 200);
    expect(res.json).toMatchObject({
      success: true,
      message: 'Checked in successfully',
      booking: { is_checked_in: true, status: 'confirmed' },
    });
    expect(res.json.booking.checked_in_at).toMatch(/Z$/);
    const again = await post(`/api/workspace/bookings/${b.id}/check-in/`, org.member.token);
    expectEnvelopeError(again, 400, 'Check-in failed');
    expect(again.json.errors.non_field_errors).toEqual(['This booking is already checked in.']);
    // Checked in: the booker can no longer cancel it, the admin can.
    expectEnvelopeError(await post(`/api/workspace/bookings/${b.id}/cancel/`, org.member.token), 400, 'Cancellation failed');
    expectStatus(await post(`/api/workspace/bookings/${b.id}/cancel/`, org.owner.token), 200);
  });

  it('staff, managers and admin check guests in; other users get 404', async () => {
    const space = await makeSpace(org.branchId);
    const bookingsNow = await Promise.all(
      [0, 1, 2].map((i) =>
        insertBooking(space, org.workspaceId, org.member.id, Date.now() - (i + 1) * 60_000, Date.now() + (i + 1) * 60_000 + 1000),
      ),
    );
    expectEnvelopeError(
      await post(`/api/workspace/bookings/${bookingsNow[0]}/check-in/`, org.member2.token),
      404,
      'Booking not found',
    );
    expectEnvelopeError(
      await post(`/api/workspace/bookings/${bookingsNow[0]}/check-in/`, org.outsider.token),
      404,
      'Booking not found',
    );
    for (const [i, who] of [org.staff, org.manager, org.owner].entries()) {
      const res = await post(`/api/workspace/bookings/${bookingsNow[i]}/check-in/`, who.token);
      expectStatus(res, 200);
      expect(res.json.booking.is_checked_in).toBe(true);
    }
  });

  it('refuses too early, after the end, and cancelled bookings', async () => {
    const space = await makeSpace(org.branchId);
    const start = Date.now() + 2 * HOUR;
    const early = await booked(org.member, space, start, start + HOUR);
    const tooEarly = await post(`/api/workspace/bookings/${early.id}/check-in/`, org.member.token);
    expectEnvelopeError(tooEarly, 400, 'Check-in failed');
    expect(tooEarly.json.errors.non_field_errors[0]).toMatch(/15 minutes before the start/);
    const over = await insertBooking(space, org.workspaceId, org.member.id, Date.now() - 3 * HOUR, Date.now() - HOUR);
    expectEnvelopeError(await post(`/api/workspace/bookings/${over}/check-in/`, org.staff.token), 400, 'Check-in failed');
    const cancelled = await insertBooking(
      space,
      org.workspaceId,
      org.member.id,
      Date.now() - 60_000,
      Date.now() + HOUR,
      'cancelled',
    );
    const res = await post(`/api/workspace/bookings/${cancelled}/check-in/`, org.member.token);
    expectEnvelopeError(res, 400, 'Check-in failed');
    expect(res.json.errors.non_field_errors).toEqual(['Only confirmed bookings can be checked in.']);
  });
});

describe('GET /api/workspace/spaces/{id}/availability/', () => {
  it('private space: taken intervals and their free complement; cancelled bookings are free', async () => {
    const space = await makeSpace(org.branchId);
    const day = dayUtc(30);
    const a = await booked(org.member, space, day + 9 * HOUR, day + 10 * HOUR);
    await booked(org.member2, space, day + 10 * HOUR, day + 11 * HOUR);
    const c = await booked(org.member, space, day + 14 * HOUR, day + 15 * HOUR);
    expectStatus(await post(`/api/workspace/bookings/${c.id}/cancel/`, org.member.token), 200);
    const from = encodeURIComponent(`${z(day).slice(0, 10)}T11:00:00+03:00`); // 08:00Z
    const to = encodeURIComponent(z(day + 16 * HOUR));
    const res = await get(`/api/workspace/spaces/${space}/availability/?from=${from}&to=${to}`, org.member2.token);
    expectStatus(res, 200);
    expect(res.json).toMatchObject({
      success: true,
      space: { id: space, shared: false, bookable: true, capacity: 6 },
      from: z(day + 8 * HOUR),
      to: z(day + 16 * HOUR),
    });
    expect(res.json.taken).toEqual([{ start: a.start, end: z(day + 11 * HOUR) }]);
    expect(res.json.free).toEqual([
      { start: z(day + 8 * HOUR), end: z(day + 9 * HOUR) },
      { start: z(day + 11 * HOUR), end: z(day + 16 * HOUR) },
    ]);
  });

  it('shared space: seats taken and available per interval; a full stretch is not free', async () => {
    const space = await makeSpace(org.branchId, { space_type: 'coworking', capacity: 3 });
    const day = dayUtc(31);
    await booked(org.member, space, day + 9 * HOUR, day + 12 * HOUR, { guests: 2 });
    await booked(org.member2, space, day + 10 * HOUR, day + 11 * HOUR);
    const res = await get(
      `/api/workspace/spaces/${space}/availability/?from=${z(day + 8 * HOUR)}&to=${z(day + 13 * HOUR)}`,
      org.staff.token,
    );
    expectStatus(res, 200);
    expect(res.json.space.shared).toBe(true);
    expect(res.json.taken).toEqual([
      { start: z(day + 9 * HOUR), end: z(day + 10 * HOUR), seats_taken: 2, seats_available: 1 },
      { start: z(day + 10 * HOUR), end: z(day + 11 * HOUR), seats_taken: 3, seats_available: 0 },
      { start: z(day + 11 * HOUR), end: z(day + 12 * HOUR), seats_taken: 2, seats_available: 1 },
    ]);
    expect(res.json.free).toEqual([
      { start: z(day + 8 * HOUR), end: z(day + 9 * HOUR), seats_taken: 0, seats_available: 3 },
      { start: z(day + 9 * HOUR), end: z(day + 10 * HOUR), seats_taken: 2, seats_available: 1 },
      { start: z(day + 11 * HOUR), end: z(day + 12 * HOUR), seats_taken: 2, seats_available: 1 },
      { start: z(day + 12 * HOUR), end: z(day + 13 * HOUR), seats_taken: 0, seats_available: 3 },
    ]);
  });

  it('defaults to the next 7 days; checks the window; outsiders see public spaces only (was members only; issue 17)', async () => {
    const space = await makeSpace(org.branchId);
    const res = await get(`/api/workspace/spaces/${space}/availability/`, org.member.token);
    expectStatus(res, 200);
    expect(Date.parse(res.json.to) - Date.parse(res.json.from)).toBe(7 * 24 * HOUR);
    expect(res.json.free).toEqual([{ start: res.json.from, end: res.json.to }]);
    const from = z(dayUtc(1));
    const tooWide = await get(`/api/workspace/spaces/${space}/availability/?from=${from}&to=${z(dayUtc(100))}`, org.member.token);
    expectEnvelopeError(tooWide, 400, 'Invalid query parameters');
    expect(tooWide.json.errors.to[0]).toMatch(/92 days/);
    expectEnvelopeError(await get(`/api/workspace/spaces/${space}/availability/?from=${from}&to=${from}`, org.member.token), 400);
    const noOffset = await get(`/api/workspace/spaces/${space}/availability/?from=2030-01-01T09:00:00`, org.member.token);
    expectEnvelopeError(noOffset, 400, 'Invalid query parameters');
    expect(noOffset.json.errors.from).toBeDefined();
    expectStatus(await get(`/api/workspace/spaces/${space}/availability/`, org.outsider.token), 200);
    expectStatus(await get(`/api/workspace/spaces/${space}/availability/`), 401);
    expectEnvelopeError(
      await get(`/api/workspace/spaces/${crypto.randomUUID()}/availability/`, org.member.token),
      404,
      'Space not found',
    );
    const closed = await makeSpace(org.branchId, { is_available: false });
    const none = await get(`/api/workspace/spaces/${closed}/availability/`, org.member.token);
    expect(none.json).toMatchObject({ space: { bookable: false }, free: [] });
    expectEnvelopeError(await get(`/api/workspace/spaces/${closed}/availability/`, org.outsider.token), 404, 'Space not found');
  });
});

describe('bookingCountsForAdmin', () => {
  it("counts the bookings of the admin's own workspaces only", async () => {
    const own = await makeOrg();
    const space = await makeSpace(own.branchId);
    const t = dayUtc(40) + 9 * HOUR;
    await booked(own.member, space, t, t + HOUR);
    const gone = await booked(own.member, space, t + HOUR, t + 2 * HOUR);
    expectStatus(await post(`/api/workspace/bookings/${gone.id}/cancel/`, own.member.token), 200);
    await insertBooking(space, own.workspaceId, own.member.id, Date.now() - 3 * HOUR, Date.now() - 2 * HOUR);
    // Another workspace's booking is not counted.
    await booked(org.member, await makeSpace(org.branchId), t, t + HOUR);
    const counts = await bookingCountsForAdmin(drizzle(env.DB), own.owner.id);
    expect(counts).toEqual({
      booking_count: 3,
      confirmed_booking_count: 2,
      upcoming_booking_count: 1,
      cancelled_booking_count: 1,
    });
    const nobody = await makeUser();
    expect(await bookingCountsForAdmin(drizzle(env.DB), nobody.id)).toEqual({
      booking_count: 0,
      confirmed_booking_count: 0,
      upcoming_booking_count: 0,
      cancelled_booking_count: 0,
    });
  });
});

describe('admin profile booking counts', () => {
  it("the workspace's admin sees booking counts in GET /api/workspace/admin/profile/", async () => {
    const org = await makeOrg();
    const space = await makeSpace(org.branchId);
    const start = dayUtc(3) + 9 * HOUR;
    await booked(org.member, space, start, start + HOUR);
    const second = await booked(org.member2, space, start + 2 * HOUR, start + 3 * HOUR);
    expectStatus(await api(`/api/workspace/bookings/${second.id}/cancel/`, { method: 'POST', token: org.owner.token }), 200);
    const res = await api('/api/workspace/admin/profile/', { token: org.owner.token });
    expectStatus(res, 200);
    expect(res.json.user).toMatchObject({
      booking_count: 2,
      confirmed_booking_count: 1,
      upcoming_booking_count: 1,
      cancelled_booking_count: 1,
    });
    const outsider = await api('/api/workspace/admin/profile/', { token: org.outsider.token });
    expect(outsider.json.user.booking_count).toBe(0);
  });
});
