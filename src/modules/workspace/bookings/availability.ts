/**
 * Availability of a space in a window (default now to +7 days, at most 92 days), one round trip
 * (the space and its blocking bookings in one batch):
 * - `GET /api/workspace/spaces/{space_id}/availability/`: any signed-in user for a space open to the
 *   public (they may book it), members of its workspace for any of its spaces;
 * - `GET /api/workspace/public/spaces/{space_id}/availability/` (public/): anyone, public spaces only.
 * Private spaces: taken = booked or held, free = the rest. Shared spaces (coworking, desk, lounge):
 * stretches of constant seat use, with `seats_taken` and `seats_available`; a stretch is free while
 * at least one seat is left. A space that cannot be booked now has no free stretch.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { mount, route } from '../../../core/route';
import type { Db } from '../../../db';
import { SPACE_TYPES } from '../../../db/schema/workspace';
import type { AppEnv } from '../../../env';
import { dt, fail, isUuid, spaceNotFound, uuid, uuidParam } from './shared';
import { type Occupant, occupantsStmt, seatModel, sweep } from './slots';
import { type BookableSpace, bookableSpace, spaceStmt } from './space';
import { DAY, instant, isoAt } from './time';

export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 92;
const INVALID = 'Invalid query parameters';

export const Stretch = z
  .object({
    start: dt(),
    end: dt(),
    seats_taken: z.number().int().optional().openapi({ description: 'Shared spaces only.' }),
    seats_available: z.number().int().optional().openapi({ description: 'Shared spaces only.' }),
  })
  .openapi('WsAvailabilityInterval');

export const Availability = z.object({
  space: z.object({
    id: uuid(),
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
});

export const AvailabilityQuery = z.object({
  from: instant().optional().openapi({ description: 'ISO 8601 with offset; default now.' }),
  to: instant()
    .optional()
    .openapi({ description: `ISO 8601 with offset; default from + ${DEFAULT_WINDOW_DAYS} days.` }),
});
type Window = z.infer<typeof AvailabilityQuery>;

/** The window, checked before any query. */
export function availabilityWindow(query: Window, now: number) {
  const fromMs = query.from?.ms ?? now;
  const toMs = query.to?.ms ?? fromMs + DEFAULT_WINDOW_DAYS * DAY;
  if (toMs <= fromMs) throw fail(400, INVALID, { to: ['"to" must be after "from".'] });
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY)
    throw fail(400, INVALID, { to: [`The window may span at most ${MAX_WINDOW_DAYS} days.`] });
  return { from: isoAt(fromMs), to: isoAt(toMs) };
}

/** Loads a space and its blocking bookings in the window (one batch); `allowed` decides who sees it. */
export async function availabilityOf(
  db: Db,
  spaceId: string,
  query: Window,
  userId: number | undefined,
  allowed: (found: BookableSpace) => boolean,
  notFound: () => Error,
  now: number,
) {
  const { from, to } = availabilityWindow(query, now);
  if (!isUuid(spaceId)) throw notFound();
  const [rows, occupants] = await db.batch([spaceStmt(db, spaceId, userId), occupantsStmt(db, spaceId, from, to, now)]);
  const found = bookableSpace(rows, userId);
  if (!found || !allowed(found)) throw notFound();
  return shapeAvailability(found, occupants, from, to);
}

function shapeAvailability(found: BookableSpace, occupants: Occupant[], from: string, to: string) {
  const { space, branch, open } = found;
  const { shared, capacity, seatsOf } = seatModel(space);
  const segments = sweep(occupants, from, to, seatsOf);
  const shape = (s: (typeof segments)[number]) =>
    shared ? { ...s, seats_available: Math.max(0, capacity - s.seats_taken) } : { start: s.start, end: s.end };
  return {
    space: { id: space.id, name: space.name, space_type: space.space_type, capacity: space.capacity, shared, bookable: open },
    operating_hours: branch.operating_hours ?? null,
    from,
    to,
    free: open ? segments.filter((s) => s.seats_taken < capacity).map(shape) : [],
    taken: segments.filter((s) => s.seats_taken > 0).map(shape),
  };
}

export function mountAvailability(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'get',
      path: '/api/workspace/spaces/{space_id}/availability/',
      operationId: 'workspace_spaces_availability_retrieve',
      summary: 'Free and taken intervals of a space (anyone signed in for a public space; members for any of theirs)',
      tags: ['workspace-bookings'],
      params: uuidParam('space_id'),
      query: AvailabilityQuery,
      response: Availability,
      responseDescription: 'Availability',
      envelope: { message: 'Availability retrieved successfully', failure: INVALID, name: 'WsSpaceAvailability' },
      handler: ({ db, actor, params, query }) =>
        availabilityOf(db, params.space_id, query, actor.id, (f) => f.role !== null || f.open, spaceNotFound, Date.now()),
    }),
  );
}
