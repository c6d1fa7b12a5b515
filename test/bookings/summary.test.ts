/**
 * For workspace staff (issue 17): the summary's figures against hand-computed ones, and the
 * workspace's bookings list with its branch, status and date filters.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { booked, dayUtc, expectEnvelopeError, HOUR, makeBranch, makeOrg, makeSpace, type Org, z } from '../helpers/bookings';
import { api, expectStatus } from '../helpers';

let org: Org;
let stranger: Org;
const D = dayUtc(30); // the window is [D, D + 48 h)
const from = z(D);
const to = z(D + 48 * HOUR);
const sp: Record<string, string> = {};
let branchA: string;
let branchB: string;

interface Put {
  status?: string;
  guests?: number;
  total?: number;
  refund?: number | null;
  checkedOut?: number | null;
}
/** Writes a booking as it would be after its life so far (statuses the API reaches over time). */
async function put(o: Org, space: string, start: number, end: number, p: Put = {}) {
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  const status = p.status ?? 'confirmed';
  await env.DB.prepare(
    `INSERT INTO bookings (id, space_id, workspace_id, user_id, booking_type, "start", "end", guests, notes, status, price_unit,
       quantity, unit_price, subtotal, total, expires_at, checked_out_at, refund_amount, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'hourly', ?, ?, ?, '', ?, 'hour', 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      space,
      o.workspaceId,
      o.member.id,
      z(start),
      z(end),
      p.guests ?? 1,
      status,
      p.total ?? 1000,
      p.total ?? 1000,
      p.total ?? 1000,
      status === 'pending' ? z(Date.now() + 10 * 60_000) : null,
      p.checkedOut ? z(p.checkedOut) : null,
      p.refund ?? null,
      now,
      now,
    )
    .run();
  return id;
}

beforeAll(async () => {
  [org, stranger] = await Promise.all([makeOrg(), makeOrg()]);
  branchA = org.branchId;
  await env.DB.prepare("UPDATE workspace_branches SET name = 'A branch' WHERE id = ?").bind(branchA).run();
  // Branch B opens 08:00-18:00 at +03:00 every day: 05:00-15:00Z, 10 hours a day.
  const daily = { open: '08:00', close: '18:00' };
  branchB = await makeBranch(org.workspaceId, {
    operatingHours: {
      timezone: '+03:00',
      monday: daily,
      tuesday: daily,
      wednesday: daily,
      thursday: daily,
      friday: daily,
      saturday: daily,
      sunday: daily,
    },
  });
  await env.DB.prepare("UPDATE workspace_branches SET name = 'B branch' WHERE id = ?").bind(branchB).run();
  sp.P = await makeSpace(branchA, { space_type: 'meeting_room' });
  sp.C = await makeSpace(branchA, { space_type: 'coworking', capacity: 4 });
  sp.Q = await makeSpace(branchB, { space_type: 'office' });
  sp.R = await makeSpace(branchB, { space_type: 'office' });

  // P (private, open 48 h): 2 h + 2 h (completed, checked out after 2 of its 4 hours) + 1 h (starts before the
  // window) + 1 h (ends after it) = 6 h; bookings starting in the window: 3 (25 + 50 + 30 = 105.00);
  // one cancellation refunding 12.50; a live hold counts for nothing.
  await put(org, sp.P, D + 9 * HOUR, D + 11 * HOUR, { total: 2500 });
  await put(org, sp.P, D + 13 * HOUR, D + 17 * HOUR, { status: 'completed', total: 5000, checkedOut: D + 15 * HOUR });
  await put(org, sp.P, D + 20 * HOUR, D + 21 * HOUR, { status: 'cancelled', total: 2500, refund: 1250 });
  await put(org, sp.P, D - HOUR, D + HOUR, { total: 2000 });
  await put(org, sp.P, D + 30 * HOUR, D + 31 * HOUR, { status: 'pending', total: 9900 });
  await put(org, sp.P, D + 47 * HOUR, D + 49 * HOUR, { total: 3000 });
  await put(org, sp.P, D + 50 * HOUR, D + 51 * HOUR, { total: 7700 }); // after the window
  // C (coworking, 4 seats, open 48 h): 3 seats x 4 h + 1 seat x 2 h = 14 seat-hours of 192; 40 + 10 = 50.00.
  await put(org, sp.C, D + 8 * HOUR, D + 12 * HOUR, { guests: 3, total: 4000 });
  await put(org, sp.C, D + 10 * HOUR, D + 12 * HOUR, { guests: 1, total: 1000 });
  // Q (branch B, open 2 x 10 h): a whole day (24 h booked, 10 h of it open) + 2 h inside opening hours:
  // booked 26 h, occupancy 12 / 20 = 60 %; 80 + 20 = 100.00.
  await put(org, sp.Q, D, D + 24 * HOUR, { total: 8000 });
  await put(org, sp.Q, D + 29 * HOUR, D + 31 * HOUR, { total: 2000 });
  // Another workspace's booking counts nowhere here.
  await put(stranger, await makeSpace(stranger.branchId), D + 9 * HOUR, D + 10 * HOUR, { total: 99900 });
});

const summary = (query: string, token?: string, ws = org.workspaceId) =>
  api(`/api/workspace/workspaces/${ws}/bookings/summary/?${query}`, { token });

describe('GET /api/workspace/workspaces/{id}/bookings/summary/', () => {
  it('per space: booked hours, occupancy of open hours, confirmed revenue, cancellations and refunds, as computed by hand', async () => {
    const res = await summary(`from=${from}&to=${to}`, org.owner.token);
    expectStatus(res, 200);
    expect(res.json, res.text).toMatchObject({ success: true, message: 'Booking summary retrieved successfully' });
    const s = res.json.summary;
    expect(s).toMatchObject({ workspace_id: org.workspaceId, from, to });
    const bySpace = Object.fromEntries(s.spaces.map((x: any) => [x.space_id, x]));
    expect(bySpace[sp.P], res.text).toMatchObject({
      branch_id: branchA,
      seats: 1,
      open_hours: 48,
      booked_hours: 6,
      occupancy_percent: 12.5,
      bookings: 3,
      confirmed_revenue: '105.00',
      cancellations: 1,
      refunds: '12.50',
    });
    expect(bySpace[sp.C], res.text).toMatchObject({
      seats: 4,
      open_hours: 48,
      booked_hours: 14,
      occupancy_percent: 7.29,
      bookings: 2,
      confirmed_revenue: '50.00',
      cancellations: 0,
      refunds: '0.00',
    });
    expect(bySpace[sp.Q], res.text).toMatchObject({
      branch_id: branchB,
      seats: 1,
      open_hours: 20,
      booked_hours: 26,
      occupancy_percent: 60,
      bookings: 2,
      confirmed_revenue: '100.00',
    });
    expect(bySpace[sp.R], res.text).toMatchObject({ open_hours: 20, booked_hours: 0, occupancy_percent: 0, bookings: 0 });
    expect(s.spaces.map((x: any) => x.space_id).sort()).toEqual(Object.values(sp).sort());
    // Totals: open 48 + 48 + 20 + 20; occupancy (6 + 14 + 12 + 0) / (48 + 192 + 20 + 20) = 11.43 %.
    expect(s.totals, res.text).toEqual({
      open_hours: 136,
      booked_hours: 46,
      occupancy_percent: 11.43,
      bookings: 7,
      confirmed_revenue: '255.00',
      cancellations: 1,
      refunds: '12.50',
    });
  });

  it('a window inside a day clips bookings to it (and to the opening hours)', async () => {
    // [D + 10 h, D + 14 h): P has 1 h of its 9-11 booking and 1 h of the completed one (13-15, starting in the window);
    // C 3 x 2 + 1 x 2 = 8 seat-hours of 16, its 10-12 booking starting in the window; Q is open the whole window
    // (within 05:00-15:00Z) and booked all of it by the day booking that started before.
    const res = await summary(`from=${z(D + 10 * HOUR)}&to=${z(D + 14 * HOUR)}`, org.manager.token);
    expectStatus(res, 200);
    const bySpace = Object.fromEntries(res.json.summary.spaces.map((x: any) => [x.space_id, x]));
    expect(bySpace[sp.P]).toMatchObject({
      open_hours: 4,
      booked_hours: 2,
      occupancy_percent: 50,
      bookings: 1,
      confirmed_revenue: '50.00',
    });
    expect(bySpace[sp.C]).toMatchObject({ booked_hours: 8, occupancy_percent: 50, bookings: 1, confirmed_revenue: '10.00' });
    expect(bySpace[sp.Q]).toMatchObject({ open_hours: 4, booked_hours: 4, occupancy_percent: 100, bookings: 0 });
  });

  it('defaults to the current month in UTC; checks the window', async () => {
    const res = await summary('', org.owner.token);
    expectStatus(res, 200);
    const now = new Date();
    expect(res.json.summary.from).toBe(z(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
    expect(res.json.summary.to).toBe(z(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
    expectEnvelopeError(await summary(`from=${to}&to=${from}`, org.owner.token), 400, 'Invalid query parameters');
    expectEnvelopeError(
      await summary(`from=${from}&to=${z(D + 400 * 24 * HOUR)}`, org.owner.token),
      400,
      'Invalid query parameters',
    );
    expectEnvelopeError(await summary('from=yesterday', org.owner.token), 400, 'Invalid query parameters');
  });

  it('admin and managers only: staff and plain members 403, a stranger 404 as for a missing workspace, anonymous 401', async () => {
    for (const who of [org.staff, org.member]) expectEnvelopeError(await summary('', who.token), 403);
    const missing = await summary('', org.outsider.token, crypto.randomUUID());
    expectEnvelopeError(missing, 404, 'Workspace not found');
    expect((await summary('', org.outsider.token)).json).toEqual(missing.json);
    expect((await summary('', stranger.owner.token)).json).toEqual(missing.json);
    expectEnvelopeError(await summary('', org.owner.token, 'nope'), 404, 'Workspace not found');
    expectStatus(await summary(''), 401);
  });
});

describe("the workspace's bookings list for its staff", () => {
  it('filters by branch, space, status and date range, also under /workspaces/{id}/bookings/', async () => {
    const ids = (res: { json: any; text: string }) => {
      expectStatus(res as never, 200);
      return (res.json.bookings as { id: string }[]).map((b) => b.id);
    };
    const inB = await api(`/api/workspace/bookings/?workspace_id=${org.workspaceId}&branch_id=${branchB}`, {
      token: org.owner.token,
    });
    const qs = ids(inB);
    expect(qs).toHaveLength(2);
    expect(inB.json.bookings.every((b: any) => b.branch_id === branchB)).toBe(true);
    const alias = await api(`/api/workspace/workspaces/${org.workspaceId}/bookings/?branch_id=${branchB}`, {
      token: org.manager.token,
    });
    expect(ids(alias)).toEqual(qs);
    const cancelled = await api(`/api/workspace/workspaces/${org.workspaceId}/bookings/?status=cancelled`, {
      token: org.owner.token,
    });
    expect(cancelled.json.bookings.map((b: any) => b.start)).toEqual([z(D + 20 * HOUR)]);
    const pending = await api(`/api/workspace/workspaces/${org.workspaceId}/bookings/?status=pending&space_id=${sp.P}`, {
      token: org.owner.token,
    });
    expect(pending.json.bookings.map((b: any) => b.start)).toEqual([z(D + 30 * HOUR)]);
    const day = await api(
      `/api/workspace/workspaces/${org.workspaceId}/bookings/?branch_id=${branchA}&from=${z(D + 12 * HOUR)}&to=${z(D + 14 * HOUR)}`,
      { token: org.owner.token },
    );
    expect(day.json.bookings.map((b: any) => b.start).sort()).toEqual([z(D + 13 * HOUR)]);
  });

  it("branch scope: admin, managers and the branch's manager; staff and members 403; strangers 404; anonymous 401", async () => {
    const managed = await makeBranch(org.workspaceId, { managerId: org.member2.id });
    const space = await makeSpace(managed);
    const t = dayUtc(12) + 9 * HOUR;
    const b = await booked(org.outsider, space, t, t + HOUR);
    const path = `/api/workspace/bookings/?branch_id=${managed}`;
    for (const who of [org.owner, org.manager, org.member2]) {
      const res = await api(path, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.bookings.map((x: any) => x.id)).toEqual([b.id]);
    }
    for (const who of [org.staff, org.member]) expectEnvelopeError(await api(path, { token: who.token }), 403);
    expectEnvelopeError(await api(path, { token: org.outsider.token }), 404, 'Branch not found');
    expectEnvelopeError(await api(path, { token: stranger.owner.token }), 404, 'Branch not found');
    expectStatus(await api(path), 401);
    for (const who of [org.staff, org.outsider])
      expectEnvelopeError(
        await api(`/api/workspace/workspaces/${org.workspaceId}/bookings/`, { token: who.token }),
        who === org.staff ? 403 : 404,
      );
    expectEnvelopeError(
      await api('/api/workspace/workspaces/nope/bookings/', { token: org.owner.token }),
      404,
      'Workspace not found',
    );
  });
});
