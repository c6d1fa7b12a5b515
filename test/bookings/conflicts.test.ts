import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { book, booked, dayUtc, expectEnvelopeError, HOUR, makeOrg, makeSpace, type Org, z } from '../helpers/bookings';
import { api, expectStatus, expectStatusCounts } from '../helpers';

const CONFLICT = 'Space is already booked for this time slot';

let org: Org;
beforeAll(async () => {
  org = await makeOrg();
});

const confirmedIn = async (space: string) =>
  (
    await env.DB.prepare(
      `SELECT "start", "end", guests FROM bookings WHERE space_id = ? AND status = 'confirmed' ORDER BY "start"`,
    )
      .bind(space)
      .all<{ start: string; end: string; guests: number }>()
  ).results;

describe('no double booking of a private space', () => {
  it('an overlapping request is a 409 naming the clashing interval; touching intervals are fine', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(9) + 10 * HOUR;
    const first = await booked(org.member, space, t, t + 2 * HOUR);
    const clash = await book(org.member2, space, t + HOUR, t + 3 * HOUR);
    expectEnvelopeError(clash, 409, CONFLICT);
    expect(clash.json.errors, clash.text).toEqual({ conflict: { start: first.start, end: first.end } });
    const inside = await book(org.member2, space, t + 30 * 60_000, t + 90 * 60_000);
    expect(inside.json.errors?.conflict, inside.text).toEqual({ start: first.start, end: first.end });
    const around = await book(org.member2, space, t - HOUR, t + 3 * HOUR);
    expectStatus(around, 409);
    expectStatus(await book(org.member2, space, t + 2 * HOUR, t + 3 * HOUR), 201);
    expectStatus(await book(org.member2, space, t - HOUR, t), 201);
    // A daily booking over the same stretch clashes too: every type shares the space's timeline.
    expectStatus(await book(org.member2, space, t - 5 * HOUR, t + 19 * HOUR, { booking_type: 'daily' }), 409);
  });

  it('a cancelled booking frees its slot and never blocks again', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(9) + 14 * HOUR;
    const first = await booked(org.member, space, t, t + HOUR);
    expectStatus(await book(org.member2, space, t, t + HOUR), 409);
    expectStatus(await api(`/api/workspace/bookings/${first.id}/cancel/`, { method: 'POST', token: org.member.token }), 200);
    const second = await booked(org.member2, space, t, t + HOUR);
    expect(second.start).toBe(first.start);
    expect(await confirmedIn(space)).toHaveLength(1);
  });

  it('50 concurrent requests for the same slot produce exactly one booking', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(11) + 9 * HOUR;
    const people = [org.owner, org.manager, org.staff, org.member, org.member2];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book(people[i % people.length], space, t, t + 2 * HOUR)),
    );
    expectStatusCounts(results, { 201: 1, 409: 49 });
    for (const r of results.filter((r) => r.status === 409))
      expect(r.json.errors.conflict).toEqual({ start: z(t), end: z(t + 2 * HOUR) });
    expect(await confirmedIn(space)).toHaveLength(1);
  });

  it('50 concurrent requests for staggered, overlapping slots never leave two overlapping bookings', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(12) + 8 * HOUR;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book(org.member, space, t + i * 15 * 60_000, t + i * 15 * 60_000 + HOUR)),
    );
    expect(
      results.every((r) => r.status === 201 || r.status === 409),
      JSON.stringify(results.map((r) => r.status)),
    ).toBe(true);
    const rows = await confirmedIn(space);
    expect(rows.length).toBeGreaterThan(0);
    for (let i = 1; i < rows.length; i++) expect(rows[i].start >= rows[i - 1].end, JSON.stringify(rows)).toBe(true);
  });
});

describe('a shared space never exceeds its capacity', () => {
  it('50 concurrent requests for a coworking space of capacity 4 produce exactly 4 bookings', async () => {
    const space = await makeSpace(org.branchId, { space_type: 'coworking', capacity: 4 });
    const t = dayUtc(11) + 9 * HOUR;
    const results = await Promise.all(Array.from({ length: 50 }, () => book(org.member, space, t, t + 3 * HOUR)));
    expectStatusCounts(results, { 201: 4, 409: 46 });
    expect(await confirmedIn(space)).toHaveLength(4);
  });

  it('counts the maximum concurrent seats, not every overlapping booking (sweep)', async () => {
    const space = await makeSpace(org.branchId, { space_type: 'desk', capacity: 2 });
    const t = dayUtc(13) + 9 * HOUR;
    const a = await booked(org.member, space, t, t + HOUR); // 09-10
    await booked(org.member, space, t + HOUR, t + 2 * HOUR); // 10-11
    // 09-11 overlaps both, but at most one of them at any instant: one seat is always free.
    const c = await booked(org.member2, space, t, t + 2 * HOUR);
    // 09:30-10:30 would make three at 09:30 (a and c) + itself.
    const full = await book(org.staff, space, t + 30 * 60_000, t + 90 * 60_000);
    expectEnvelopeError(full, 409, CONFLICT);
    expect(full.json.errors.conflict, full.text).toEqual({ start: a.start, end: a.end });
    expect(c.start).toBe(a.start);
    // After 11:00 both seats are free again.
    expectStatus(await book(org.staff, space, t + 2 * HOUR, t + 3 * HOUR), 201);
  });

  it('a booking takes as many seats as its guests', async () => {
    const space = await makeSpace(org.branchId, { space_type: 'lounge', capacity: 5 });
    const t = dayUtc(14) + 9 * HOUR;
    await booked(org.member, space, t, t + 2 * HOUR, { guests: 3 });
    const tooMany = await book(org.member2, space, t + HOUR, t + 3 * HOUR, { guests: 3 });
    expectEnvelopeError(tooMany, 409, CONFLICT);
    expect(tooMany.json.errors.conflict).toEqual({ start: z(t), end: z(t + 2 * HOUR) });
    expectStatus(await book(org.member2, space, t + HOUR, t + 3 * HOUR, { guests: 2 }), 201);
    expectStatus(await book(org.staff, space, t + 90 * 60_000, t + 2 * HOUR), 409);
    expectStatus(await book(org.staff, space, t + 2 * HOUR, t + 3 * HOUR, { guests: 3 }), 201);
  });

  it('a private room is one booking at a time whatever its capacity', async () => {
    const space = await makeSpace(org.branchId, { space_type: 'event_space', capacity: 200 });
    const t = dayUtc(14) + 15 * HOUR;
    await booked(org.member, space, t, t + HOUR, { guests: 10 });
    expectStatus(await book(org.member2, space, t, t + HOUR, { guests: 1 }), 409);
  });
});
