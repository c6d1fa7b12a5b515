/**
 * `POST /api/workspace/bookings/{booking_id}/review/`: the booker rates the space (1-5, with an
 * optional comment) once the booking has ended or was checked out, once per booking (a unique
 * index decides between parallel attempts). The space's public rating is the average of its
 * reviews (public/spaces.ts).
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { int } from '../../../core/fields';
import { mount, route } from '../../../core/route';
import type { Actor } from '../../../core/scope';
import type { Db } from '../../../db';
import { bookingReviews } from '../../../db/schema/bookings';
import type { AppEnv } from '../../../env';
import { BookingReview, bookingByIdStmt, effectiveStatus, visibleTo } from './serializers';
import { bookingNotFound, fail, isUuid, refused, uuidParam } from './shared';
import { isoAt } from './time';

const FAILED = 'Review failed';

export const ReviewCreate = z
  .object({
    rating: int({ min: 1, max: 5 }).openapi({ description: '1 (poor) to 5 (excellent).' }),
    comment: z.string().trim().max(2000).optional(),
  })
  .openapi('WsBookingReviewRequest');

/** Reviews a booking; throws 404/403/400. */
export async function reviewBooking(db: Db, id: string, input: z.infer<typeof ReviewCreate>, actor: Actor, now = Date.now()) {
  if (!isUuid(id)) throw bookingNotFound();
  const [[found]] = await db.batch([bookingByIdStmt(db, id, actor.id)]);
  const seen = visibleTo(found, actor.id);
  if (!seen) throw bookingNotFound();
  const { row, rights } = seen;
  if (!rights.isBooker) throw fail(403, 'Only the booker can review this booking');
  const status = effectiveStatus(row, now);
  const ended = status === 'completed' || (status === 'confirmed' && Date.parse(row.end) <= now);
  if (!ended) throw refused(FAILED, 'A booking can be reviewed once it has ended or been checked out.');
  if (row.review_id) throw refused(FAILED, 'This booking has already been reviewed.');
  const at = isoAt(now);
  const [inserted] = await db.batch([
    db
      .insert(bookingReviews)
      .values({
        booking_id: row.id,
        space_id: row.space_id,
        user_id: actor.id,
        rating: input.rating,
        comment: input.comment ?? '',
        created_at: at,
        updated_at: at,
      })
      .onConflictDoNothing({ target: bookingReviews.booking_id })
      .returning(),
  ]);
  const review = inserted[0];
  if (!review) throw refused(FAILED, 'This booking has already been reviewed.');
  return {
    id: review.id,
    booking_id: review.booking_id,
    space_id: review.space_id,
    rating: review.rating,
    comment: review.comment,
    created_at: review.created_at,
  };
}

export function mountReviews(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/workspace/bookings/{booking_id}/review/',
      operationId: 'workspace_bookings_review_create',
      summary: 'Review a booking (its booker, once it ended or was checked out; one review per booking)',
      tags: ['workspace-bookings'],
      params: uuidParam('booking_id'),
      body: ReviewCreate,
      status: 201,
      response: BookingReview,
      envelope: { message: 'Review submitted successfully', failure: FAILED, key: 'review', name: 'WsBookingReviewResponse' },
      handler: ({ db, actor, params, body }) => reviewBooking(db, params.booking_id, body, actor, Date.now()),
    }),
  );
}
