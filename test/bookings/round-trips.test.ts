/**
 * Round trips of every bookings and public discovery operation (issues 16 and 17), counted on a D1
 * binding that sees each statement and batch the request sends: every GET is one round trip (auth
 * included) whatever the data size, every write at most two (the checks that must precede it, then
 * one batch with the write, its side effects and the read-back). Prints the table.
 */
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bookedWithGuests,
  codeMailedTo,
  dayUtc,
  guestsOf,
  hold,
  HOUR,
  makeOrg,
  makeSpace,
  moveBooking,
  type Org,
  z,
} from '../helpers/bookings';
import { api, countingD1, documentedOperations, type TestUser } from '../helpers';

const GET = 1;
const WRITE = 2;

let org: Org;
let space: string;
let shared: string;
let slot = 0;
/** A fresh hour of its own for each fixture. */
const nextSlot = () => dayUtc(40 + Math.floor(slot / 10)) + (slot++ % 10) * HOUR;

const table: { operation: string; trips: number; budget: number; status: number }[] = [];

/** Calls the API through a counting D1 binding; asserts the status and the budget; returns the response. */
async function measure(
  operation: string,
  budget: number,
  path: string,
  opts: { method?: string; token?: string; body?: unknown; status: number },
) {
  const DB = countingD1();
  const res = await api(path, { method: opts.method, token: opts.token, body: opts.body, env: { ...env, DB } });
  expect(res.status, `${operation}: ${res.text.slice(0, 400)}`).toBe(opts.status);
  table.push({ operation, trips: DB.trips, budget, status: res.status });
  expect(DB.trips, `${operation} took ${DB.trips} round trips (budget ${budget})`).toBeLessThanOrEqual(budget);
  return { res, trips: DB.trips };
}

/** A confirmed booking by `who` with one guest (mailed a code), at a slot of its own. */
async function fixture(who: TestUser = org.member) {
  const t = nextSlot();
  const [guest] = guestsOf(1, 'rt');
  const b = await bookedWithGuests(who, space, t, t + HOUR, [guest]);
  return { id: b.id as string, code: await codeMailedTo(guest.email) };
}

beforeAll(async () => {
  org = await makeOrg();
  space = await makeSpace(org.branchId, { capacity: 6 });
  shared = await makeSpace(org.branchId, { space_type: 'coworking', capacity: 20 });
});

afterAll(() => {
  console.log(['operation | round trips | budget', ...table.map((r) => `${r.operation} | ${r.trips} | ${r.budget}`)].join('\n'));
});

describe('round trips of the bookings operations', () => {
  it('public discovery: each read is one round trip for the anonymous caller, and stays one as spaces and bookings grow', async () => {
    const from = z(nextSlot());
    const to = z(Date.parse(from) + 2 * HOUR);
    const filters = `type=coworking&capacity=2&min_price=1&max_price=500&search=Room&city=&available_from=${from}&available_to=${to}`;
    const small = await measure('GET /public/spaces/ (every filter)', GET, `/api/workspace/public/spaces/?${filters}`, {
      status: 200,
    });
    await measure('GET /public/spaces/{id}/', GET, `/api/workspace/public/spaces/${space}/`, { status: 200 });
    await measure('GET /public/spaces/{id}/availability/', GET, `/api/workspace/public/spaces/${space}/availability/`, {
      status: 200,
    });
    await measure('GET /public/spaces/{id}/reviews/', GET, `/api/workspace/public/spaces/${space}/reviews/`, { status: 200 });
    await measure('GET /public/spaces/{id}/ (missing)', GET, `/api/workspace/public/spaces/${crypto.randomUUID()}/`, {
      status: 404,
    });
    // More data: 25 more shared spaces and bookings inside the window: still one round trip.
    const more = await Promise.all(
      Array.from({ length: 25 }, () => makeSpace(org.branchId, { space_type: 'coworking', capacity: 4 })),
    );
    await Promise.all(more.slice(0, 10).map((s) => bookedWithGuests(org.member, s, Date.parse(from), Date.parse(to), [])));
    const large = await measure(
      'GET /public/spaces/ (every filter, more data)',
      GET,
      `/api/workspace/public/spaces/?${filters}&page_size=50`,
      {
        status: 200,
      },
    );
    expect(large.res.json.count, large.res.text).toBeGreaterThan(small.res.json.count);
    expect(large.trips).toBe(small.trips);
  });

  it('reads for the booker and the staff are one round trip each', async () => {
    const { id } = await fixture();
    await measure('GET /bookings/', GET, '/api/workspace/bookings/', { token: org.member.token, status: 200 });
    await measure('GET /bookings/{id}/', GET, `/api/workspace/bookings/${id}/`, { token: org.member.token, status: 200 });
    await measure('GET /bookings/{id}/ (stranger)', GET, `/api/workspace/bookings/${id}/`, {
      token: org.outsider.token,
      status: 404,
    });
    await measure('GET /bookings/{id}/calendar.ics', GET, `/api/workspace/bookings/${id}/calendar.ics`, {
      token: org.staff.token,
      status: 200,
    });
    await measure('GET /spaces/{id}/availability/', GET, `/api/workspace/spaces/${shared}/availability/`, {
      token: org.outsider.token,
      status: 200,
    });
    await measure(
      'GET /bookings/?workspace_id=&branch_id=&status=',
      GET,
      `/api/workspace/bookings/?workspace_id=${org.workspaceId}&branch_id=${org.branchId}&status=confirmed`,
      {
        token: org.manager.token,
        status: 200,
      },
    );
    await measure('GET /workspaces/{id}/bookings/', GET, `/api/workspace/workspaces/${org.workspaceId}/bookings/`, {
      token: org.owner.token,
      status: 200,
    });
    await measure(
      'GET /workspaces/{id}/bookings/summary/',
      GET,
      `/api/workspace/workspaces/${org.workspaceId}/bookings/summary/`,
      {
        token: org.owner.token,
        status: 200,
      },
    );
  });

  it('writes take at most two round trips', async () => {
    let t = nextSlot();
    await measure('POST /bookings/create/', WRITE, '/api/workspace/bookings/create/', {
      token: org.outsider.token,
      body: { space_id: space, booking_type: 'hourly', start: z(t), end: z(t + HOUR), guests: guestsOf(3, 'rt') },
      status: 201,
    });
    await measure('POST /bookings/create/ (slot taken)', WRITE, '/api/workspace/bookings/create/', {
      token: org.member2.token,
      body: { space_id: space, booking_type: 'hourly', start: z(t), end: z(t + HOUR) },
      status: 409,
    });
    t = nextSlot();
    const held = await measure('POST /bookings/create/ (hold)', WRITE, '/api/workspace/bookings/create/', {
      token: org.member.token,
      body: { space_id: space, booking_type: 'hourly', start: z(t), end: z(t + HOUR), hold: true },
      status: 201,
    });
    await measure('POST /bookings/{id}/confirm/', WRITE, `/api/workspace/bookings/${held.res.json.booking.id}/confirm/`, {
      method: 'POST',
      token: org.member.token,
      status: 200,
    });
    const a = await fixture();
    await measure('POST /bookings/{id}/cancel/ (booker)', WRITE, `/api/workspace/bookings/${a.id}/cancel/`, {
      method: 'POST',
      token: org.member.token,
      status: 200,
    });
    const b = await fixture();
    await measure('POST /bookings/{id}/cancel/ (manager)', WRITE, `/api/workspace/bookings/${b.id}/cancel/`, {
      method: 'POST',
      token: org.manager.token,
      status: 200,
    });
    const c = await fixture();
    await moveBooking(c.id, Date.now() - 5 * 60_000, Date.now() + HOUR);
    await measure('POST /bookings/check-in/ {code}', WRITE, '/api/workspace/bookings/check-in/', {
      token: org.staff.token,
      body: { code: c.code },
      status: 200,
    });
    await measure('POST /bookings/check-in/ {code} (again)', WRITE, '/api/workspace/bookings/check-in/', {
      token: org.staff.token,
      body: { code: c.code },
      status: 400,
    });
    await measure('POST /bookings/{id}/check-in/', WRITE, `/api/workspace/bookings/${c.id}/check-in/`, {
      method: 'POST',
      token: org.staff.token,
      status: 200,
    });
    await measure('POST /bookings/{id}/check-out/', WRITE, `/api/workspace/bookings/${c.id}/check-out/`, {
      method: 'POST',
      token: org.member.token,
      status: 200,
    });
    await measure('POST /bookings/{id}/review/', WRITE, `/api/workspace/bookings/${c.id}/review/`, {
      token: org.member.token,
      body: { rating: 4, comment: 'Quiet' },
      status: 201,
    });
    await measure('POST /bookings/{id}/review/ (again)', WRITE, `/api/workspace/bookings/${c.id}/review/`, {
      token: org.member.token,
      body: { rating: 5 },
      status: 400,
    });
  });

  it('an expired hold does not cost a round trip more: the next booking of its slot still takes at most two', async () => {
    const t = nextSlot();
    const h = await hold(org.member2, space, t, t + HOUR);
    await env.DB.prepare('UPDATE bookings SET expires_at = ? WHERE id = ?')
      .bind(z(Date.now() - 60_000), h.json.booking.id)
      .run();
    await measure('POST /bookings/create/ (over an expired hold)', WRITE, '/api/workspace/bookings/create/', {
      token: org.outsider.token,
      body: { space_id: space, booking_type: 'hourly', start: z(t), end: z(t + HOUR) },
      status: 201,
    });
    await measure('POST /bookings/{id}/confirm/ (expired)', WRITE, `/api/workspace/bookings/${h.json.booking.id}/confirm/`, {
      method: 'POST',
      token: org.member2.token,
      status: 409,
    });
  });

  it('covers every documented bookings and public discovery operation', async () => {
    const covered = [
      'workspace_public_spaces_list',
      'workspace_public_spaces_retrieve',
      'workspace_public_spaces_availability_retrieve',
      'workspace_public_spaces_reviews_list',
      'workspace_bookings_list',
      'workspace_bookings_retrieve',
      'workspace_bookings_calendar_retrieve',
      'workspace_spaces_availability_retrieve',
      'workspace_workspaces_bookings_list',
      'workspace_workspaces_bookings_summary_retrieve',
      'workspace_bookings_create',
      'workspace_bookings_confirm_create',
      'workspace_bookings_cancel_create',
      'workspace_bookings_guest_check_in_create',
      'workspace_bookings_check_in_create',
      'workspace_bookings_check_out_create',
      'workspace_bookings_review_create',
    ];
    const documented = [
      ...(await documentedOperations('/api/workspace/bookings/')),
      ...(await documentedOperations('/api/workspace/public/')),
      ...(await documentedOperations('/api/workspace/spaces/{space_id}/availability/')),
      ...(await documentedOperations('/api/workspace/workspaces/{workspace_id}/bookings/')),
    ];
    expect(documented.filter((op) => !covered.includes(op))).toEqual([]);
    expect(covered.filter((op) => !documented.includes(op))).toEqual([]);
  });
});
