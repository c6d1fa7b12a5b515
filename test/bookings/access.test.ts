/**
 * Who may call each bookings endpoint (issue 17): the booker, a stranger (signed in, no role in the
 * workspace), workspace staff, a workspace manager and the anonymous caller, each on a fresh
 * booking in the state the endpoint needs. Statuses only: the other files test the bodies.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
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
import { api } from '../helpers';

let org: Org;
let space: string;
let n = 0;
beforeAll(async () => {
  org = await makeOrg();
  space = await makeSpace(org.branchId, { capacity: 8 });
});

type Call = { method: string; path: string; body?: unknown };
type Who = 'booker' | 'stranger' | 'staff' | 'manager' | 'anonymous';
const WHO: Who[] = ['booker', 'stranger', 'staff', 'manager', 'anonymous'];
const tokenOf = (who: Who) =>
  ({
    booker: org.member.token,
    stranger: org.outsider.token,
    staff: org.staff.token,
    manager: org.manager.token,
    anonymous: undefined,
  })[who];

/** A slot of its own for each fixture. */
const nextSlot = () => dayUtc(10 + (n % 300)) + (n++ % 10) * HOUR;

/** A confirmed booking by the booker (member) with one guest; `state` moves it where an endpoint needs it. */
async function fixture(state: 'future' | 'under-way' | 'checked-in' | 'ended' = 'future') {
  const t = nextSlot();
  const [guest] = guestsOf(1);
  const b = await bookedWithGuests(org.member, space, t, t + HOUR, [guest]);
  const code = await codeMailedTo(guest.email);
  if (state === 'under-way' || state === 'checked-in') await moveBooking(b.id, Date.now() - 5 * 60_000, Date.now() + HOUR);
  if (state === 'checked-in')
    await env.DB.prepare('UPDATE bookings SET checked_in_at = ? WHERE id = ?').bind(z(Date.now()), b.id).run();
  if (state === 'ended') await moveBooking(b.id, Date.now() - 3 * HOUR, Date.now() - 2 * HOUR);
  return { id: b.id as string, code };
}

const matrix: [string, () => Promise<Call>, Record<Who, number>][] = [
  [
    'POST /bookings/create/',
    async () => {
      const t = nextSlot();
      return {
        method: 'POST',
        path: '/api/workspace/bookings/create/',
        body: { space_id: space, booking_type: 'hourly', start: z(t), end: z(t + HOUR) },
      };
    },
    { booker: 201, stranger: 201, staff: 201, manager: 201, anonymous: 401 },
  ],
  [
    'GET /bookings/',
    async () => ({ method: 'GET', path: '/api/workspace/bookings/' }),
    { booker: 200, stranger: 200, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'GET /bookings/{id}/',
    async () => ({ method: 'GET', path: `/api/workspace/bookings/${(await fixture()).id}/` }),
    { booker: 200, stranger: 404, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'POST /bookings/{id}/confirm/',
    async () => {
      const t = nextSlot();
      const id = (await hold(org.member, space, t, t + HOUR)).json.booking.id;
      return { method: 'POST', path: `/api/workspace/bookings/${id}/confirm/` };
    },
    { booker: 200, stranger: 404, staff: 403, manager: 403, anonymous: 401 },
  ],
  [
    'POST /bookings/{id}/cancel/',
    async () => ({ method: 'POST', path: `/api/workspace/bookings/${(await fixture()).id}/cancel/` }),
    { booker: 200, stranger: 404, staff: 403, manager: 200, anonymous: 401 },
  ],
  [
    'POST /bookings/{id}/check-in/',
    async () => ({ method: 'POST', path: `/api/workspace/bookings/${(await fixture('under-way')).id}/check-in/` }),
    { booker: 200, stranger: 404, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'POST /bookings/check-in/ {code}',
    async () => ({
      method: 'POST',
      path: '/api/workspace/bookings/check-in/',
      body: { code: (await fixture('under-way')).code },
    }),
    { booker: 404, stranger: 404, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'POST /bookings/{id}/check-out/',
    async () => ({ method: 'POST', path: `/api/workspace/bookings/${(await fixture('checked-in')).id}/check-out/` }),
    { booker: 200, stranger: 404, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'POST /bookings/{id}/review/',
    async () => ({ method: 'POST', path: `/api/workspace/bookings/${(await fixture('ended')).id}/review/`, body: { rating: 5 } }),
    { booker: 201, stranger: 404, staff: 403, manager: 403, anonymous: 401 },
  ],
  [
    'GET /bookings/{id}/calendar.ics',
    async () => ({ method: 'GET', path: `/api/workspace/bookings/${(await fixture()).id}/calendar.ics` }),
    { booker: 200, stranger: 404, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'GET /spaces/{id}/availability/',
    async () => ({ method: 'GET', path: `/api/workspace/spaces/${space}/availability/` }),
    { booker: 200, stranger: 200, staff: 200, manager: 200, anonymous: 401 },
  ],
  [
    'GET /bookings/?workspace_id=',
    async () => ({ method: 'GET', path: `/api/workspace/bookings/?workspace_id=${org.workspaceId}` }),
    { booker: 403, stranger: 404, staff: 403, manager: 200, anonymous: 401 },
  ],
  [
    'GET /workspaces/{id}/bookings/',
    async () => ({ method: 'GET', path: `/api/workspace/workspaces/${org.workspaceId}/bookings/` }),
    { booker: 403, stranger: 404, staff: 403, manager: 200, anonymous: 401 },
  ],
  [
    'GET /workspaces/{id}/bookings/summary/',
    async () => ({ method: 'GET', path: `/api/workspace/workspaces/${org.workspaceId}/bookings/summary/` }),
    { booker: 403, stranger: 404, staff: 403, manager: 200, anonymous: 401 },
  ],
  [
    'GET /public/spaces/',
    async () => ({ method: 'GET', path: '/api/workspace/public/spaces/' }),
    { booker: 200, stranger: 200, staff: 200, manager: 200, anonymous: 200 },
  ],
  [
    'GET /public/spaces/{id}/',
    async () => ({ method: 'GET', path: `/api/workspace/public/spaces/${space}/` }),
    { booker: 200, stranger: 200, staff: 200, manager: 200, anonymous: 200 },
  ],
  [
    'GET /public/spaces/{id}/availability/',
    async () => ({ method: 'GET', path: `/api/workspace/public/spaces/${space}/availability/` }),
    { booker: 200, stranger: 200, staff: 200, manager: 200, anonymous: 200 },
  ],
  [
    'GET /public/spaces/{id}/reviews/',
    async () => ({ method: 'GET', path: `/api/workspace/public/spaces/${space}/reviews/` }),
    { booker: 200, stranger: 200, staff: 200, manager: 200, anonymous: 200 },
  ],
];

describe('access to every bookings endpoint', () => {
  it.each(matrix)(
    '%s',
    async (_name, make, expected) => {
      const got: Record<string, number> = {};
      const bodies: string[] = [];
      for (const who of WHO) {
        const call = await make();
        const res = await api(call.path, { method: call.method, token: tokenOf(who), body: call.body });
        got[who] = res.status;
        if (res.status !== expected[who]) bodies.push(`${who}: ${res.text.slice(0, 300)}`);
        // Refusals keep the family's shape: the envelope (or the 401's detail).
        if (res.status >= 400) expect(res.json?.success === false || typeof res.json?.detail === 'string', res.text).toBe(true);
      }
      expect(got, bodies.join('\n')).toEqual(expected);
    },
    60_000,
  );
});
