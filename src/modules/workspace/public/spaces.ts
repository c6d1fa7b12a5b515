/**
 * Public discovery of coworking spaces (no token needed): spaces that are available, in active
 * branches of active workspaces. Each route is one D1 statement or one batch (one round trip):
 * - `GET /api/workspace/public/spaces/`: filters, search, an availability window, pagination;
 * - `GET /api/workspace/public/spaces/{space_id}/`: one space with its rules;
 * - `GET /api/workspace/public/spaces/{space_id}/availability/`: free and taken stretches;
 * - `GET /api/workspace/public/spaces/{space_id}/reviews/`: its reviews, newest first.
 * A space that is not public answers 404 "Space not found or not available" on each.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, desc, eq, gte, type SQL, sql } from 'drizzle-orm';
import { publicName } from '../../../core/contact';
import { int } from '../../../core/fields';
import { toCents } from '../../../core/money';
import { paginate, pageRequest, wsPages } from '../../../core/pagination';
import { presentPublicFile } from '../../../core/files';
import { mount, type Page, route } from '../../../core/route';
import type { Scope } from '../../../core/scope';
import type { Db } from '../../../db';
import { bookingReviews } from '../../../db/schema/bookings';
import { users } from '../../../db/schema/users';
import { SPACE_TYPES, workspaceBranches, workspaces, workspaceSpacePhotos, workspaceSpaces } from '../../../db/schema/workspace';
import type { AppEnv } from '../../../env';
import { Availability, AvailabilityQuery, availabilityOf, MAX_WINDOW_DAYS } from '../bookings/availability';
import { dt, fail, isUuid, money, uuid, uuidParam } from '../bookings/shared';
import { pageQuery } from '../common';
import { hasRoom, SHARED_SPACE_TYPES } from '../bookings/slots';
import { DAY, instant, isoAt } from '../bookings/time';

const INVALID = 'Invalid query parameters';
const NOT_FOUND = 'Space not found or not available';
const notFound = () => fail(404, NOT_FOUND);
const tags = ['workspace-public'];

const Rating = z
  .object({
    average: z.number().nullable().openapi({ description: 'Mean of the reviews, 2 decimals; null without reviews.' }),
    count: z.number().int(),
  })
  .openapi('WsSpaceRating');

const PublicBranch = z.object({
  id: uuid(),
  name: z.string(),
  address: z.string(),
  city: z.string(),
  workspace: z.object({ id: uuid(), name: z.string(), logo_url: z.string().nullable() }),
});

const spaceFields = {
  id: uuid(),
  name: z.string(),
  description: z.string(),
  space_type: z.enum(SPACE_TYPES),
  capacity: z.number().int(),
  price_per_hour: money(),
  daily_rate: money().nullable(),
  monthly_rate: money().nullable(),
  main_photo_url: z
    .string()
    .nullable()
    .openapi({ description: 'The first of the space photos (a long-lived URL), else the image_url given, else null.' }),
  amenities: z.array(z.any()),
  rating: Rating,
  branch: PublicBranch,
};
export const PublicSpace = z.object(spaceFields).openapi('WsPublicSpace');
export const PublicSpaceDetail = z
  .object({
    ...spaceFields,
    rules: z.string().nullable(),
    cancellation_policy: z.string().nullable(),
    operational_hours: z.record(z.string(), z.any()).nullable(),
    images: z.array(z.string()).openapi({ description: 'Every photo of the space in its order (long-lived URLs).' }),
  })
  .openapi('WsPublicSpaceDetail');

const PublicReview = z
  .object({
    id: uuid(),
    rating: z.number().int(),
    comment: z.string(),
    reviewer_name: z.string().openapi({ description: "The reviewer's first name (empty when their name is an email)." }),
    created_at: dt(),
  })
  .openapi('WsPublicReview');

const decimal = () =>
  z
    .string()
    .regex(/^\d{1,8}(\.\d{1,2})?$/, { error: 'A valid number is required.' })
    .optional()
    .openapi({ type: 'string', format: 'decimal' });

const ListQuery = z.object({
  workspace_id: z.uuid().optional(),
  branch_id: z.uuid().optional(),
  type: z.enum(SPACE_TYPES).optional().openapi({ description: 'The space type.' }),
  city: z.string().max(100).optional().openapi({ description: "The branch's city (case-insensitive)." }),
  capacity: int({ min: 1 }).optional().openapi({ description: 'At least this many people.' }),
  min_price: decimal().openapi({ description: 'Hourly price at least this.' }),
  max_price: decimal().openapi({ description: 'Hourly price at most this.' }),
  search: z.string().max(200).optional().openapi({ description: 'Substring of the name, description, branch or city.' }),
  available_from: instant()
    .optional()
    .openapi({ description: 'With available_to: only spaces with room over the whole interval (a seat, in shared spaces).' }),
  available_to: instant().optional(),
  ...pageQuery,
});
type ListInput = z.infer<typeof ListQuery>;

/** Spaces open to the public. */
const isPublic = and(
  eq(workspaceSpaces.is_available, true),
  eq(workspaceBranches.is_active, true),
  eq(workspaces.is_active, true),
);

const SHARED = sql.raw(SHARED_SPACE_TYPES.map((t) => `'${t}'`).join(', '));

const columns = {
  space: workspaceSpaces,
  branch_name: workspaceBranches.name,
  branch_address: workspaceBranches.address,
  branch_city: workspaceBranches.city,
  workspace_id: workspaces.id,
  workspace_name: workspaces.name,
  workspace_logo: workspaces.logo_url,
  main_photo: sql<
    string | null
  >`(select p.file from ${workspaceSpacePhotos} p where p.space_id = ${workspaceSpaces.id} order by p.position, p.created_at, p.id limit 1)`,
  rating_average: sql<
    number | null
  >`(select round(avg(r.rating), 2) from ${bookingReviews} r where r.space_id = ${workspaceSpaces.id})`,
  rating_count: sql<number>`(select count(*) from ${bookingReviews} r where r.space_id = ${workspaceSpaces.id})`.mapWith(Number),
  total_rows: sql<number>`count(*) over ()`.mapWith(Number),
};

const selectPublic = (db: Db) =>
  db
    .select(columns)
    .from(workspaceSpaces)
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .$dynamic();
type PublicRow = Awaited<ReturnType<typeof selectPublic>>[number];

function spaceOut(r: PublicRow) {
  const s = r.space;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    space_type: s.space_type,
    capacity: s.capacity,
    price_per_hour: s.price_per_hour,
    daily_rate: s.daily_rate,
    monthly_rate: s.monthly_rate,
    // A stored key is signed by the module's publicFileUrls middleware.
    main_photo_url: r.main_photo ?? s.image_url,
    amenities: s.amenities,
    rating: { average: r.rating_average === null ? null : Number(r.rating_average), count: r.rating_count },
    branch: {
      id: s.branch_id,
      name: r.branch_name,
      address: r.branch_address,
      city: r.branch_city,
      workspace: { id: r.workspace_id, name: r.workspace_name, logo_url: r.workspace_logo },
    },
  };
}

const contains = (column: SQL, term: string) => sql`instr(lower(${column}), lower(${term})) > 0`;

/** The list's filters as SQL; a bad combination is a 400 before any query. */
function listWhere(q: ListInput, now: number): SQL | undefined {
  const errors: Record<string, string[]> = {};
  if (q.min_price && q.max_price && toCents(q.min_price) > toCents(q.max_price))
    errors.max_price = ['Ensure max_price is at least min_price.'];
  if (!q.available_from !== !q.available_to)
    errors[q.available_from ? 'available_to' : 'available_from'] = ['Give available_from and available_to together.'];
  else if (q.available_from && q.available_to) {
    if (q.available_to.ms <= q.available_from.ms) errors.available_to = ['"available_to" must be after "available_from".'];
    else if (q.available_to.ms - q.available_from.ms > MAX_WINDOW_DAYS * DAY)
      errors.available_to = [`The window may span at most ${MAX_WINDOW_DAYS} days.`];
  }
  if (Object.keys(errors).length) throw fail(400, INVALID, errors);
  const where: (SQL | undefined)[] = [isPublic];
  if (q.workspace_id) where.push(eq(workspaceBranches.workspace_id, q.workspace_id));
  if (q.branch_id) where.push(eq(workspaceSpaces.branch_id, q.branch_id));
  if (q.type) where.push(eq(workspaceSpaces.space_type, q.type));
  if (q.city) where.push(sql`lower(${workspaceBranches.city}) = lower(${q.city.trim()})`);
  if (q.capacity) where.push(gte(workspaceSpaces.capacity, q.capacity));
  if (q.min_price) where.push(sql`${workspaceSpaces.price_per_hour} >= ${toCents(q.min_price)}`);
  if (q.max_price) where.push(sql`${workspaceSpaces.price_per_hour} <= ${toCents(q.max_price)}`);
  const term = q.search?.trim();
  if (term)
    where.push(
      sql`(${contains(sql`${workspaceSpaces.name}`, term)} OR ${contains(sql`${workspaceSpaces.description}`, term)} OR ${contains(
        sql`${workspaceBranches.name}`,
        term,
      )} OR ${contains(sql`${workspaceBranches.city}`, term)})`,
    );
  if (q.available_from && q.available_to) {
    const shared = sql`${workspaceSpaces.space_type} IN (${SHARED})`;
    where.push(
      hasRoom({
        spaceId: sql`${workspaceSpaces.id}`,
        seat: sql`(CASE WHEN ${shared} THEN c.guests ELSE 1 END)`,
        capacity: sql`(CASE WHEN ${shared} THEN ${workspaceSpaces.capacity} ELSE 1 END)`,
        start: q.available_from.utc,
        end: q.available_to.utc,
        need: 1,
        now: isoAt(now),
      }),
    );
  }
  return and(...where);
}

/** The public listing (one statement: the page and its count). */
export async function listPublicSpaces(db: Db, q: ListInput, url: string, now = Date.now()) {
  const page = pageRequest(q, wsPages);
  const where = listWhere(q, now);
  const rows = await selectPublic(db)
    .where(where)
    .orderBy(asc(workspaceSpaces.name), asc(workspaceSpaces.id))
    .limit(page.pageSize)
    .offset(page.offset);
  return paginate(url, page, rows[0]?.total_rows ?? 0, rows.map(spaceOut), wsPages);
}

/** One public space with its rules and photos (one batch); 404 when it is not public. */
export async function getPublicSpace(s: Scope, id: string) {
  if (!isUuid(id)) throw notFound();
  const [[row], photos] = await s.db.batch([
    selectPublic(s.db)
      .where(and(eq(workspaceSpaces.id, id), isPublic))
      .limit(1),
    s.db
      .select({ file: workspaceSpacePhotos.file })
      .from(workspaceSpacePhotos)
      .where(eq(workspaceSpacePhotos.space_id, id))
      .orderBy(asc(workspaceSpacePhotos.position), asc(workspaceSpacePhotos.created_at), asc(workspaceSpacePhotos.id)),
  ]);
  if (!row) throw notFound();
  const origin = new URL(s.url).origin;
  return {
    ...spaceOut(row),
    rules: row.space.rules,
    cancellation_policy: row.space.cancellation_policy,
    operational_hours: row.space.operational_hours,
    images: (await Promise.all(photos.map((p) => presentPublicFile(s.env, origin, p.file)))) as string[],
  };
}

/** A public space's reviews, newest first (one batch: the space's visibility and the page). */
export async function listPublicReviews(db: Db, id: string, q: { page?: string; page_size?: string }, url: string) {
  if (!isUuid(id)) throw notFound();
  const page = pageRequest(q, wsPages);
  const [space, rows] = await db.batch([
    selectPublic(db)
      .where(and(eq(workspaceSpaces.id, id), isPublic))
      .limit(1),
    db
      .select({
        id: bookingReviews.id,
        rating: bookingReviews.rating,
        comment: bookingReviews.comment,
        created_at: bookingReviews.created_at,
        user_id: users.id,
        full_name: users.full_name,
        total_rows: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(bookingReviews)
      .innerJoin(users, eq(users.id, bookingReviews.user_id))
      .where(eq(bookingReviews.space_id, id))
      .orderBy(desc(bookingReviews.created_at), sql`"booking_reviews".rowid desc`)
      .limit(page.pageSize)
      .offset(page.offset),
  ]);
  if (!space.length) throw notFound();
  const reviews = rows.map((r) => ({
    id: r.id,
    rating: r.rating,
    comment: r.comment,
    reviewer_name: publicName(undefined, r.user_id, r.full_name).trim().split(/\s+/)[0] ?? '',
    created_at: r.created_at,
  }));
  return paginate(url, page, rows[0]?.total_rows ?? 0, reviews, wsPages);
}

/** What every public route declares: no token, so no 401 or 403. */
const common = { tags, auth: 'public' as const, omitFailures: [401, 403] };

const listRoute = route({
  ...common,
  method: 'get',
  path: '/api/workspace/public/spaces/',
  operationId: 'workspace_public_spaces_list',
  summary: 'Spaces open to the public, with filters and an availability window (no token needed)',
  query: ListQuery,
  response: PublicSpace,
  envelope: {
    message: 'Spaces retrieved successfully',
    failure: INVALID,
    key: 'spaces',
    list: true,
    name: 'WsPublicSpaceListResponse',
  },
  handler: ({ s, query }): Promise<Page<z.input<typeof PublicSpace>>> => listPublicSpaces(s.db, query, s.url, Date.now()),
});

const retrieveRoute = route({
  ...common,
  method: 'get',
  path: '/api/workspace/public/spaces/{space_id}/',
  operationId: 'workspace_public_spaces_retrieve',
  summary: 'A space open to the public, with its rules and cancellation policy (no token needed)',
  params: uuidParam('space_id'),
  response: PublicSpaceDetail,
  envelope: { message: 'Space retrieved successfully', key: 'space', name: 'WsPublicSpaceResponse' },
  handler: ({ s, params }) => getPublicSpace(s, params.space_id),
});

const availabilityRoute = route({
  ...common,
  method: 'get',
  path: '/api/workspace/public/spaces/{space_id}/availability/',
  operationId: 'workspace_public_spaces_availability_retrieve',
  summary: 'Free and taken intervals of a space open to the public (no token needed)',
  params: uuidParam('space_id'),
  query: AvailabilityQuery,
  response: Availability,
  envelope: { message: 'Availability retrieved successfully', failure: INVALID, name: 'WsPublicSpaceAvailability' },
  handler: ({ db, params, query }) => availabilityOf(db, params.space_id, query, undefined, (f) => f.open, notFound, Date.now()),
});

const reviewsRoute = route({
  ...common,
  method: 'get',
  path: '/api/workspace/public/spaces/{space_id}/reviews/',
  operationId: 'workspace_public_spaces_reviews_list',
  summary: "A public space's reviews, newest first (no token needed)",
  params: uuidParam('space_id'),
  query: z.object(pageQuery),
  response: PublicReview,
  envelope: { message: 'Reviews retrieved successfully', key: 'reviews', list: true, name: 'WsPublicReviewListResponse' },
  handler: ({ s, params, query }) => listPublicReviews(s.db, params.space_id, query, s.url),
});

export function mountPublicSpaces(app: OpenAPIHono<AppEnv>) {
  mount(app, listRoute);
  mount(app, retrieveRoute);
  mount(app, availabilityRoute);
  mount(app, reviewsRoute);
}
