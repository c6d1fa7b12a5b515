/**
 * Hostile and malformed input on the bookings and public discovery routes (issue 17): always a 4xx
 * in the workspace family's envelope (`success: false` and a message), never a 500.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { booked, dayUtc, HOUR, makeOrg, makeSpace, moveBooking, type Org, z } from '../helpers/bookings';
import { api } from '../helpers';

let org: Org;
let space: string;
let booking: string;
beforeAll(async () => {
  org = await makeOrg();
  space = await makeSpace(org.branchId, { capacity: 3 });
  const t = dayUtc(60) + 9 * HOUR;
  booking = (await booked(org.member, space, t, t + HOUR)).id;
  // Ended, so that a review is refused for its input alone.
  await moveBooking(booking, Date.now() - 3 * HOUR, Date.now() - 2 * HOUR);
});

const t0 = () => dayUtc(61) + 10 * HOUR;
const create = (extra: Record<string, unknown>) => ({
  space_id: space,
  booking_type: 'hourly',
  start: z(t0()),
  end: z(t0() + HOUR),
  ...extra,
});

describe('bad input on the bookings routes is a 4xx in the envelope, never a 500 (writes: 400)', () => {
  it.each<[string, string, unknown]>([
    ['create: not JSON', '/api/workspace/bookings/create/', '{"space_id": '],
    ['create: a JSON array', '/api/workspace/bookings/create/', '[]'],
    ['create: hold is not a boolean', '/api/workspace/bookings/create/', create({ hold: 'yes' })],
    ['create: guests is a string', '/api/workspace/bookings/create/', create({ guests: 'two' })],
    ['create: a guest without an email', '/api/workspace/bookings/create/', create({ guests: [{ name: 'A' }] })],
    [
      'create: a guest with a bad email',
      '/api/workspace/bookings/create/',
      create({ guests: [{ name: 'A', email: 'not-an-email' }] }),
    ],
    ['create: a guest that is a number', '/api/workspace/bookings/create/', create({ guests: [7] })],
    [
      'create: more guests than capacity − 1',
      '/api/workspace/bookings/create/',
      create({
        guests: ['a', 'b', 'c'].map((n) => ({ name: n, email: `${n}-${crypto.randomUUID()}@guests.test` })),
      }),
    ],
    [
      'create: a huge guest list',
      '/api/workspace/bookings/create/',
      create({ guests: Array.from({ length: 5000 }, (_, i) => ({ name: `g${i}`, email: `g${i}@x.test` })) }),
    ],
    ['create: a malformed space id', '/api/workspace/bookings/create/', create({ space_id: "1' OR '1'='1" })],
    ['create: start is not a time', '/api/workspace/bookings/create/', create({ start: 'tomorrow' })],
    ['check-in by code: no code', '/api/workspace/bookings/check-in/', {}],
    ['check-in by code: a number', '/api/workspace/bookings/check-in/', { code: 12345 }],
    ['check-in by code: a very long code', '/api/workspace/bookings/check-in/', { code: `G-${'A'.repeat(100_000)}` }],
    ['review: rating 0', 'REVIEW', { rating: 0 }],
    ['review: rating 6', 'REVIEW', { rating: 6 }],
    ['review: rating 4.5', 'REVIEW', { rating: 4.5 }],
    ['review: rating as text', 'REVIEW', { rating: 'five' }],
    ['review: a comment that is an object', 'REVIEW', { rating: 5, comment: { a: 1 } }],
    ['review: not JSON', 'REVIEW', 'rating=5'],
  ])('%s', async (_name, path, body) => {
    const res = await api(path === 'REVIEW' ? `/api/workspace/bookings/${booking}/review/` : path, {
      method: 'POST',
      token: org.member.token,
      body,
    });
    // Refused for its input: a 400, before anything is looked up or written.
    expect(res.status, res.text.slice(0, 400)).toBe(400);
    expect(res.json?.success, res.text.slice(0, 400)).toBe(false);
    expect(typeof res.json?.message, res.text.slice(0, 400)).toBe('string');
  });

  it.each([
    '/api/workspace/bookings/not-a-uuid/',
    '/api/workspace/bookings/not-a-uuid/calendar.ics',
    '/api/workspace/bookings/?status=maybe',
    '/api/workspace/bookings/?from=yesterday',
    '/api/workspace/bookings/?page=99999999999999999999',
    '/api/workspace/bookings/?workspace_id=nope',
    '/api/workspace/spaces/nope/availability/',
    '/api/workspace/public/spaces/?capacity=-1',
    '/api/workspace/public/spaces/?min_price=abc',
    '/api/workspace/public/spaces/?available_from=2030-01-01T00:00:00Z',
    `/api/workspace/public/spaces/?search=${'x'.repeat(5000)}`,
    '/api/workspace/public/spaces/?page=0',
    '/api/workspace/public/spaces/nope/',
    '/api/workspace/public/spaces/nope/reviews/?page=-3',
    `/api/workspace/workspaces/nope/bookings/summary/?from=${'9'.repeat(40)}`,
  ])('GET %s', async (path) => {
    const res = await api(path, { token: org.owner.token });
    expect(res.status, res.text.slice(0, 400)).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text.slice(0, 400)).toBeLessThan(500);
    expect(res.json?.success, res.text.slice(0, 400)).toBe(false);
  });
});
