/**
 * Reviews (issue 17): 1-5 with a comment, by the booker, once the booking ended or was checked
 * out, one per booking; the public listing's rating follows.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  booked,
  dayUtc,
  expectEnvelopeError,
  HOUR,
  insertBooking,
  makeOrg,
  makeSpace,
  moveBooking,
  type Org,
} from '../helpers/bookings';
import { api, expectStatus, expectStatusCounts } from '../helpers';

let org: Org;
beforeAll(async () => {
  org = await makeOrg();
});

const review = (id: string, body: unknown, token?: string) => api(`/api/workspace/bookings/${id}/review/`, { token, body });
const pastBooking = (space: string, userId = org.member.id) =>
  insertBooking(space, org.workspaceId, userId, Date.now() - 3 * HOUR, Date.now() - 2 * HOUR);

describe('POST /api/workspace/bookings/{id}/review/', () => {
  it('the booker rates an ended booking once; the review shows on the booking', async () => {
    const space = await makeSpace(org.branchId);
    const id = await pastBooking(space);
    const res = await review(id, { rating: 4, comment: 'Quiet, good coffee.' }, org.member.token);
    expectStatus(res, 201);
    expect(res.json, res.text).toMatchObject({
      success: true,
      message: 'Review submitted successfully',
      review: { booking_id: id, space_id: space, rating: 4, comment: 'Quiet, good coffee.' },
    });
    const again = await review(id, { rating: 5 }, org.member.token);
    expectEnvelopeError(again, 400, 'Review failed');
    expect(again.json.errors.non_field_errors, again.text).toEqual(['This booking has already been reviewed.']);
    const detail = await api(`/api/workspace/bookings/${id}/`, { token: org.member.token });
    expect(detail.json.booking.review, detail.text).toMatchObject({ rating: 4, comment: 'Quiet, good coffee.' });
  });

  it('not before the end, unless checked out; never for a cancelled booking', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(4) + 9 * HOUR;
    const future = await booked(org.member, space, t, t + HOUR);
    const early = await review(future.id, { rating: 5 }, org.member.token);
    expectEnvelopeError(early, 400, 'Review failed');
    expect(early.json.errors.non_field_errors[0], early.text).toMatch(/ended or been checked out/);
    // Under way, checked in and out: reviewable before its end.
    await moveBooking(future.id, Date.now() - 10 * 60_000, Date.now() + HOUR);
    expectStatus(await api(`/api/workspace/bookings/${future.id}/check-in/`, { method: 'POST', token: org.member.token }), 200);
    expectStatus(await api(`/api/workspace/bookings/${future.id}/check-out/`, { method: 'POST', token: org.member.token }), 200);
    expectStatus(await review(future.id, { rating: 5 }, org.member.token), 201);
    const cancelled = await insertBooking(
      space,
      org.workspaceId,
      org.member.id,
      Date.now() - 5 * HOUR,
      Date.now() - 4 * HOUR,
      'cancelled',
    );
    expectEnvelopeError(await review(cancelled, { rating: 1 }, org.member.token), 400, 'Review failed');
  });

  it('validates the rating (1-5, an integer) and the comment', async () => {
    const space = await makeSpace(org.branchId);
    const id = await pastBooking(space);
    for (const rating of [0, 6, 4.5, 'great', null]) {
      const res = await review(id, { rating }, org.member.token);
      expectEnvelopeError(res, 400, 'Review failed');
      expect(res.json.errors.rating, res.text).toBeDefined();
    }
    const long = await review(id, { rating: 3, comment: 'x'.repeat(2001) }, org.member.token);
    expect(long.json.errors.comment, long.text).toBeDefined();
    expectStatus(await review(id, { rating: '3' }, org.member.token), 201);
  });

  it('only the booker: staff and managers 403, a stranger 404, anonymous 401', async () => {
    const space = await makeSpace(org.branchId);
    const id = await pastBooking(space);
    expectEnvelopeError(await review(id, { rating: 5 }, org.staff.token), 403);
    expectEnvelopeError(await review(id, { rating: 5 }, org.owner.token), 403);
    expectEnvelopeError(await review(id, { rating: 5 }, org.outsider.token), 404, 'Booking not found');
    expectEnvelopeError(await review(id, { rating: 5 }, org.member2.token), 404, 'Booking not found');
    expectStatus(await review(id, { rating: 5 }), 401);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM booking_reviews WHERE booking_id = ?')
      .bind(id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it('10 parallel reviews of one booking store one', async () => {
    const space = await makeSpace(org.branchId);
    const id = await pastBooking(space);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => review(id, { rating: (i % 5) + 1 }, org.member.token)),
    );
    expectStatusCounts(results, { 201: 1, 400: 9 });
    const n = await env.DB.prepare('SELECT count(*) AS n FROM booking_reviews WHERE booking_id = ?')
      .bind(id)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });
});

describe('the public rating follows the reviews', () => {
  it('average (2 decimals) and count in the public listing and detail; reviews listed newest first with first names', async () => {
    const space = await makeSpace(org.branchId);
    const listed = async () => {
      const res = await api(`/api/workspace/public/spaces/?workspace_id=${org.workspaceId}`);
      expectStatus(res, 200);
      return res.json.spaces.find((s: any) => s.id === space);
    };
    expect((await listed()).rating).toEqual({ average: null, count: 0 });
    await env.DB.prepare("UPDATE users SET full_name = 'Ada Lovelace' WHERE id = ?").bind(org.member.id).run();
    await env.DB.prepare("UPDATE users SET full_name = 'grace@navy.test' WHERE id = ?").bind(org.member2.id).run();
    const ratings: [typeof org.member, number][] = [
      [org.member, 5],
      [org.member2, 4],
      [org.member, 4],
    ];
    for (const [who, rating] of ratings) {
      const id = await pastBooking(space, who.id);
      expectStatus(await review(id, { rating, comment: `rated ${rating}` }, who.token), 201);
    }
    expect((await listed()).rating).toEqual({ average: 4.33, count: 3 });
    const detail = await api(`/api/workspace/public/spaces/${space}/`);
    expect(detail.json.space.rating, detail.text).toEqual({ average: 4.33, count: 3 });
    const reviews = await api(`/api/workspace/public/spaces/${space}/reviews/`);
    expectStatus(reviews, 200);
    expect(reviews.json.count).toBe(3);
    expect(
      reviews.json.reviews.map((r: any) => [r.rating, r.reviewer_name]),
      reviews.text,
    ).toEqual([
      [4, 'Ada'],
      [4, ''],
      [5, 'Ada'],
    ]);
    expect(reviews.text).not.toContain('grace@navy.test');
    const paged = await api(`/api/workspace/public/spaces/${space}/reviews/?page_size=2&page=2`);
    expect(
      paged.json.reviews.map((r: any) => r.rating),
      paged.text,
    ).toEqual([5]);
    expect(paged.json.previous).toContain('page=1');
  });
});
