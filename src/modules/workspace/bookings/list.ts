/**
 * Reading bookings, one round trip each (the caller's rights, the page, its count and its guests
 * in one batch):
 * - `GET /api/workspace/bookings/`: the caller's own bookings; with `workspace_id`, `branch_id` or
 *   `space_id`, all the bookings there for those who run it (the workspace's admin and managers; the
 *   branch's manager for a branch or space), filtered by status, type and time window;
 *   `GET /api/workspace/workspaces/{workspace_id}/bookings/` is the same list for a workspace;
 * - `GET /api/workspace/bookings/{booking_id}/`: the booker, and staff and above of its workspace.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, desc, eq, gt, lt, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { SQLiteSelect } from 'drizzle-orm/sqlite-core';
import { paginate, pageRequest, wsPages } from '../../../core/pagination';
import { mount, type Page, route } from '../../../core/route';
import type { Actor } from '../../../core/scope';
import { type Db, runBatch } from '../../../db';
import { statement, subquery } from '../../../db/compiled';
import { BOOKING_STATUSES, BOOKING_TYPES, type BookingStatus, bookings } from '../../../db/schema/bookings';
import { type MemberRole, workspaceBranches, workspaceMembers, workspaces, workspaceSpaces } from '../../../db/schema/workspace';
import type { AppEnv } from '../../../env';
import {
  loadVisibleBooking,
  Booking,
  type BookingOut,
  type BookingRow,
  bookingOut,
  bookingsOut,
  type GuestRow,
  guestsStmt,
  managesSpace,
  selectBookings,
} from './serializers';
import { pageQuery, slot } from '../common';
import { fail, isUuid, uuidParam } from './shared';
import { instant, isoAt } from './time';

const ListQuery = z.object({
  workspace_id: z.uuid().optional().openapi({ description: "All of a workspace's bookings (its admin and managers)." }),
  branch_id: z
    .uuid()
    .optional()
    .openapi({ description: "All of a branch's bookings (the workspace's admin and managers, the branch's manager)." }),
  space_id: z.uuid().optional().openapi({ description: "All of a space's bookings (admin, managers, the branch's manager)." }),
  status: z.enum(BOOKING_STATUSES).optional(),
  booking_type: z.enum(BOOKING_TYPES).optional(),
  from: instant().optional().openapi({ description: 'Only bookings ending after this time.' }),
  to: instant().optional().openapi({ description: 'Only bookings starting before this time.' }),
  ordering: z.enum(['start', '-start', 'created_at', '-created_at']).optional().openapi({ description: 'Default `start`.' }),
  ...pageQuery,
});
type ListInput = z.infer<typeof ListQuery>;

/** The caller's role in a workspace (owner = admin) with the branch manager, for the list's scopes. */
const roleColumns = (userId: number) => ({
  admin_id: workspaces.admin_id,
  role: sql<MemberRole | null>`(select m.role from ${workspaceMembers} m where m.workspace_id = "workspaces"."id"
    and m.user_id = ${userId} and m.is_active = 1)`,
});

const workspaceScopeStmt = (db: Db, id: string, userId: number) =>
  db.select(roleColumns(userId)).from(workspaces).where(eq(workspaces.id, id)).limit(1);

const branchScopeStmt = (db: Db, id: string, userId: number) =>
  db
    .select({ ...roleColumns(userId), manager_id: workspaceBranches.manager_id })
    .from(workspaceBranches)
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .where(eq(workspaceBranches.id, id))
    .limit(1);

const spaceScopeStmt = (db: Db, id: string, userId: number) =>
  db
    .select({ ...roleColumns(userId), manager_id: workspaceBranches.manager_id })
    .from(workspaceSpaces)
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .where(eq(workspaceSpaces.id, id))
    .limit(1);

type Scope = { admin_id: number; role: MemberRole | null; manager_id?: number | null } | undefined;

/** Checks a scope filter: 404 for outsiders (as for a missing row), 403 for members who do not run it. */
function checkScope(found: Scope, userId: number, what: 'Workspace' | 'Branch' | 'Space', forbidden: string) {
  const role = found ? (found.admin_id === userId ? 'admin' : found.role) : null;
  if (!found || !role) throw fail(404, `${what} not found`);
  const runs =
    what === 'Workspace' ? role === 'admin' || role === 'manager' : managesSpace(role, found.manager_id ?? null, userId);
  if (!runs) throw fail(403, forbidden);
}

/** The SQL for a status filter, as clients see statuses (a lapsed hold is `expired`). */
function statusWhere(status: BookingStatus, now: string): SQL | undefined {
  if (status === 'pending') return and(eq(bookings.status, 'pending'), gt(bookings.expires_at, now));
  if (status === 'expired')
    return or(eq(bookings.status, 'expired'), and(eq(bookings.status, 'pending'), sql`${bookings.expires_at} <= ${now}`));
  return eq(bookings.status, status);
}

/** Lists bookings (see the file comment); one round trip. */
export async function listBookings(db: Db, query: ListInput, actor: Actor, url: string, now = Date.now()) {
  const me = actor.id;
  const page = pageRequest(query, wsPages);
  const where: (SQL | undefined)[] = [];
  if (query.workspace_id) where.push(eq(bookings.workspace_id, query.workspace_id));
  if (query.branch_id)
    where.push(
      sql`${bookings.space_id} in (select ${workspaceSpaces.id} from ${workspaceSpaces} where ${workspaceSpaces.branch_id} = ${query.branch_id})`,
    );
  if (query.space_id) where.push(eq(bookings.space_id, query.space_id));
  if (!query.workspace_id && !query.branch_id && !query.space_id) where.push(eq(bookings.user_id, me));
  if (query.status) where.push(statusWhere(query.status, isoAt(now)));
  if (query.booking_type) where.push(eq(bookings.booking_type, query.booking_type));
  if (query.from) where.push(gt(bookings.end, query.from.utc));
  if (query.to) where.push(lt(bookings.start, query.to.utc));
  const ordering = query.ordering ?? 'start';
  const column = ordering.endsWith('created_at') ? bookings.created_at : bookings.start;
  const order = [ordering.startsWith('-') ? desc(column) : asc(column), asc(bookings.id)];
  const filter = and(...where);
  // The page and its ids are built once per ordering and filter shape (db/compiled.ts).
  const values = { user: me, limit: page.pageSize, offset: page.offset };
  const paged = <T extends SQLiteSelect>(q: T, w: SQL | undefined, limit: Placeholder | number, offset: Placeholder | number) =>
    q
      .where(w)
      .orderBy(...order)
      .limit(limit)
      .offset(offset);
  const idsOf = (q: Db) => q.select({ id: bookings.id }).from(bookings).$dynamic();
  const pageStmt = statement(
    db,
    `workspace.bookings\u0000${ordering}`,
    (q, w) => paged(selectBookings(q, slot.user), w, slot.limit, slot.offset),
    values,
    filter,
  );
  const idsStmt = statement(
    db,
    `workspace.bookingIds\u0000${ordering}`,
    (q, w) => paged(idsOf(q), w, slot.limit, slot.offset),
    values,
    filter,
  );
  const pageIds = subquery(idsStmt.getQuery()) ?? sql`(${paged(idsOf(db), filter, page.pageSize, page.offset)})`;

  const scopes = [
    query.workspace_id ? workspaceScopeStmt(db, query.workspace_id, me) : undefined,
    query.branch_id ? branchScopeStmt(db, query.branch_id, me) : undefined,
    query.space_id ? spaceScopeStmt(db, query.space_id, me) : undefined,
  ];
  const present = scopes.filter((x) => x !== undefined);
  const results = (await runBatch(db, [pageStmt, guestsStmt(db, pageIds), ...present])) as [
    BookingRow[],
    GuestRow[],
    ...Scope[][],
  ];
  const [rows, guests, ...scopeRows] = results;
  // Rights are checked before anything is served; the rows read with them are dropped on refusal.
  let i = 0;
  if (query.workspace_id)
    checkScope(scopeRows[i++][0], me, 'Workspace', "Only workspace admin or managers can view the workspace's bookings");
  if (query.branch_id)
    checkScope(scopeRows[i++][0], me, 'Branch', "Only workspace admin or managers can view the branch's bookings");
  if (query.space_id)
    checkScope(scopeRows[i++][0], me, 'Space', "Only workspace admin or managers can view the space's bookings");
  return paginate(url, page, rows[0]?.total_rows ?? 0, bookingsOut(rows, guests, now), wsPages);
}

/** One booking for its booker or the workspace's staff; 404 for anyone else. */
export async function getBooking(db: Db, id: string, actor: Actor, now = Date.now()): Promise<BookingOut> {
  const { guests, ...seen } = await loadVisibleBooking(db, id, actor.id);
  return bookingOut(seen.row, guests, now);
}

export function mountList(app: OpenAPIHono<AppEnv>) {
  const tags = ['workspace-bookings'];
  mount(
    app,
    route({
      method: 'get',
      path: '/api/workspace/bookings/',
      operationId: 'workspace_bookings_list',
      summary: "The caller's bookings; with workspace_id or space_id, all of them for those who run it",
      description:
        "With `workspace_id`, `branch_id` or `space_id`: every booking there, for the workspace's admin and managers (and the branch's manager for a branch or a space); staff and plain members get 403, anyone else 404. `status=pending` lists live holds, `status=expired` includes holds past their `expires_at`.",
      tags,
      query: ListQuery,
      response: Booking,
      responseDescription: 'Bookings',
      envelope: {
        message: 'Bookings retrieved successfully',
        failure: 'Invalid query parameters',
        key: 'bookings',
        list: true,
        name: 'WsBookingListResponse',
      },
      aliases: [
        {
          path: '/api/workspace/workspaces/{workspace_id}/bookings/',
          operationId: 'workspace_workspaces_bookings_list',
          summary: "A workspace's bookings (its admin and managers), with the list's filters",
          params: uuidParam('workspace_id'),
          query: ListQuery.omit({ workspace_id: true }),
          into: ({ params, query }) => {
            const id = String(params.workspace_id);
            if (!isUuid(id)) throw fail(404, 'Workspace not found');
            return { params: {}, query: { ...(query as ListInput), workspace_id: id }, body: {} };
          },
        },
      ],
      handler: ({ s, db, actor, query }): Promise<Page<BookingOut>> => listBookings(db, query, actor, s.url, Date.now()),
    }),
  );
  mount(
    app,
    route({
      method: 'get',
      path: '/api/workspace/bookings/{booking_id}/',
      operationId: 'workspace_bookings_retrieve',
      summary: 'A booking (its booker, or staff, managers and admin of its workspace)',
      tags,
      params: uuidParam('booking_id'),
      response: Booking,
      responseDescription: 'The booking',
      envelope: { message: 'Booking retrieved successfully', key: 'booking', name: 'WsBookingResponse' },
      handler: ({ db, actor, params }) => getBooking(db, params.booking_id, actor, Date.now()),
    }),
  );
}
