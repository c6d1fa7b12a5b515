/**
 * `GET /api/workspace/spaces/{space_id}/availability/`: the free and taken stretches of a space in
 * a window (default now to +7 days, at most 92 days), for any active member of its workspace.
 * Private spaces: taken = booked, free = not booked. Shared spaces (coworking, desk, lounge):
 * stretches of constant seat use, with `seats_taken` and `seats_available`; a stretch is free while
 * at least one seat is left. A space that cannot be booked now (unavailable space, inactive branch
 * or workspace) has no free stretch.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, createRouter, envelopeHook, jsonResponse } from '../../core/router';
import { SPACE_TYPES } from '../../db/schema/workspace';
import { currentUser, requireAuth } from '../../middleware/auth';
import { fail, failures, loadSpaceForBooking, notFound } from '../workspace/common';
import { overlapping, seatModel, sweep } from './slots';
import { DAY, instant, isoAt } from './time';

export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 92;

const dt = () => z.string().openapi({ format: 'date-time' });
const Stretch = z
  .object({
    start: dt(),
    end: dt(),
    seats_taken: z.number().int().optional().openapi({ description: 'Shared spaces only.' }),
    seats_available: z.number().int().optional().openapi({ description: 'Shared spaces only.' }),
  })
  .openapi('WsAvailabilityInterval');
const AvailabilityResponse = z
  .object({
    success: z.boolean(),
    message: z.string(),
    space: z.object({
      id: z.string().openapi({ format: 'uuid' }),
      name: z.string(),
      space_type: z.enum(SPACE_TYPES),
      capacity: z.number().int(),
      shared: z.boolean().openapi({ description: 'Sells seats (coworking, desk, lounge) rather than the whole space.' }),
      bookable: z.boolean(),
    }),
    operating_hours: z.record(z.string(), z.any()).nullable().openapi({ description: "The branch's opening rules, if any." }),
    from: dt(),
    to: dt(),
    free: z.array(Stretch),
    taken: z.array(Stretch),
  })
  .openapi('WsSpaceAvailability');

const Query = z.object({
  from: instant().optional().openapi({ description: 'ISO 8601 with offset; default now.' }),
  to: instant()
    .optional()
    .openapi({ description: `ISO 8601 with offset; default from + ${DEFAULT_WINDOW_DAYS} days.` }),
});

export function availabilityRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/spaces/{space_id}/availability/',
      operationId: 'workspace_spaces_availability_retrieve',
      summary: 'Free and taken intervals of a space (members of its workspace)',
      tags: ['workspace-bookings'],
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: z.object({ space_id: z.string().openapi({ format: 'uuid' }) }), query: Query },
      responses: { 200: jsonResponse(AvailabilityResponse, 'Availability'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const found = await loadSpaceForBooking(db, c.req.valid('param').space_id, currentUser(c).id);
      if (!found?.role) throw notFound('space');
      const query = c.req.valid('query');
      const fromMs = query.from?.ms ?? Date.now();
      const toMs = query.to?.ms ?? fromMs + DEFAULT_WINDOW_DAYS * DAY;
      if (toMs <= fromMs) throw fail(400, 'Invalid query parameters', { to: ['"to" must be after "from".'] });
      if (toMs - fromMs > MAX_WINDOW_DAYS * DAY)
        throw fail(400, 'Invalid query parameters', { to: [`The window may span at most ${MAX_WINDOW_DAYS} days.`] });

      const { space, branch, workspace } = found;
      const { shared, capacity, seatsOf } = seatModel(space);
      const [from, to] = [isoAt(fromMs), isoAt(toMs)];
      const segments = sweep(await overlapping(db, space.id, from, to), from, to, seatsOf);
      const bookable = space.is_available && branch.is_active && workspace.is_active;
      const shape = (s: (typeof segments)[number]) =>
        shared ? { ...s, seats_available: Math.max(0, capacity - s.seats_taken) } : { start: s.start, end: s.end };
      return c.json(
        {
          success: true,
          message: 'Availability retrieved successfully',
          space: { id: space.id, name: space.name, space_type: space.space_type, capacity: space.capacity, shared, bookable },
          operating_hours: branch.operating_hours ?? null,
          from,
          to,
          free: bookable ? segments.filter((s) => s.seats_taken < capacity).map(shape) : [],
          taken: segments.filter((s) => s.seats_taken > 0).map(shape),
        },
        200,
      );
    },
    envelopeHook('Invalid query parameters'),
  );

  return app;
}
