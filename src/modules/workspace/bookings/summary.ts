/**
 * `GET /api/workspace/workspaces/{workspace_id}/bookings/summary/?from=&to=`: per space of the
 * workspace, for its admin and managers, over the window [from, to) (default: the current calendar
 * month in UTC, at most 366 days):
 *
 * - `booked_hours`: time held by confirmed and completed bookings inside the window (a completed
 *   booking counts until its check-out); in a shared space, seat-hours (hours × seats);
 * - `open_hours`: the branch's opening hours inside the window (`operating_hours`, in the branch's
 *   time zone; all of it without rules), and `occupancy_percent` = booked time within opening hours
 *   / (open hours × seats) (null when the branch is never open in the window);
 * - `bookings` and `confirmed_revenue`: confirmed and completed bookings starting in the window and
 *   their totals; `cancellations` and `refunds`: cancelled bookings starting in the window and what
 *   their cancellations refunded.
 *
 * Every figure is an aggregate computed in SQL. One round trip when no branch has opening rules
 * (the window is then all open); a second one otherwise, because the opening intervals come from
 * the rules (time zones included), read in the first, before SQL can clip bookings to them.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { fromCents } from '../../../core/money';
import { mount, route } from '../../../core/route';
import type { Actor } from '../../../core/scope';
import type { Db } from '../../../db';
import { type MemberRole, SPACE_TYPES, workspaceBranches, workspaces } from '../../../db/schema/workspace';
import type { AppEnv } from '../../../env';
import { openIntervals } from './hours';
import { dt, fail, isUuid, money, uuid, uuidParam } from './shared';
import { SHARED_SPACE_TYPES } from './slots';
import { DAY, HOUR, instant, isoAt } from './time';
import { allStmt } from './raw';

export const MAX_SUMMARY_DAYS = 366;
const INVALID = 'Invalid query parameters';

const Figures = {
  open_hours: z.number().openapi({ description: 'Opening hours in the window.' }),
  booked_hours: z.number().openapi({ description: 'Booked (seat-)hours in the window.' }),
  occupancy_percent: z
    .number()
    .nullable()
    .openapi({ description: 'Booked time within opening hours / (open hours x seats), in percent, 2 decimals.' }),
  bookings: z.number().int(),
  confirmed_revenue: money(),
  cancellations: z.number().int(),
  refunds: money(),
};

const SpaceSummary = z
  .object({
    space_id: uuid(),
    space_name: z.string(),
    space_type: z.enum(SPACE_TYPES),
    branch_id: uuid(),
    branch_name: z.string(),
    seats: z.number().int().openapi({ description: 'Capacity of a shared space; 1 for a private one.' }),
    ...Figures,
  })
  .openapi('WsBookingSpaceSummary');

const Summary = z.object({
  workspace_id: uuid(),
  from: dt(),
  to: dt(),
  spaces: z.array(SpaceSummary),
  totals: z.object(Figures),
});

const Query = z.object({
  from: instant().optional().openapi({ description: 'Start of the window (default: the 1st of this month, 00:00 UTC).' }),
  to: instant().optional().openapi({ description: 'End of the window, exclusive (default: the 1st of next month).' }),
});

const SHARED = sql.raw(SHARED_SPACE_TYPES.map((t) => `'${t}'`).join(', '));
/** Epoch milliseconds of an ISO instant, in SQL. */
const ms = (x: ReturnType<typeof sql>) => sql`((julianday(${x}) - 2440587.5) * 86400000.0)`;
const LIVE = sql`k.status IN ('confirmed', 'completed')`;
const SEATS = sql`(CASE WHEN s.space_type IN (${SHARED}) THEN k.guests ELSE 1 END)`;
/** A completed booking holds its space until its check-out. */
const END = sql`(CASE WHEN k.status = 'completed' AND k.checked_out_at IS NOT NULL AND k.checked_out_at < k."end"
  THEN max(k.checked_out_at, k."start") ELSE k."end" END)`;

interface Row {
  space_id: string;
  space_name: string;
  space_type: (typeof SPACE_TYPES)[number];
  capacity: number;
  branch_id: string;
  branch_name: string;
  booked_ms: number;
  bookings: number;
  revenue: number;
  cancellations: number;
  refunds: number;
}

/** Per-space aggregates over [from, to) (one statement). */
function figuresStmt(db: Db, workspaceId: string, from: string, to: string) {
  const starts = sql`k."start" >= ${from}`;
  return allStmt<Row>(
    db,
    sql`
    SELECT s.id AS space_id, s.name AS space_name, s.space_type, s.capacity, b.id AS branch_id, b.name AS branch_name,
      round(coalesce(sum(CASE WHEN ${LIVE} THEN ${SEATS} * max(0, ${ms(sql`min(${END}, ${to})`)} - ${ms(sql`max(k."start", ${from})`)}) END), 0)) AS booked_ms,
      coalesce(sum(CASE WHEN ${LIVE} AND ${starts} THEN 1 ELSE 0 END), 0) AS bookings,
      coalesce(sum(CASE WHEN ${LIVE} AND ${starts} THEN k.total ELSE 0 END), 0) AS revenue,
      coalesce(sum(CASE WHEN k.status = 'cancelled' AND ${starts} THEN 1 ELSE 0 END), 0) AS cancellations,
      coalesce(sum(CASE WHEN k.status = 'cancelled' AND ${starts} THEN coalesce(k.refund_amount, 0) ELSE 0 END), 0) AS refunds
    FROM workspace_spaces s
    JOIN workspace_branches b ON b.id = s.branch_id
    LEFT JOIN bookings k ON k.space_id = s.id AND k."start" < ${to} AND k."end" > ${from}
    WHERE b.workspace_id = ${workspaceId}
    GROUP BY s.id
    ORDER BY b.name, s.name, s.id`,
  );
}

/**
 * Per space, the booked (seat-)milliseconds inside the branch's opening intervals. `open` is
 * `{"b": {branch_id: set index}, "s": [[[start_ms, end_ms], ...], ...]}` (branches with the same
 * rules share a set).
 */
function openBookedStmt(db: Db, workspaceId: string, from: string, to: string, open: string) {
  const start = ms(sql`k."start"`);
  const end = ms(END);
  return allStmt<{ space_id: string; booked_open_ms: number }>(
    db,
    sql`
    SELECT s.id AS space_id,
      round(coalesce(sum(CASE WHEN ${LIVE} THEN ${SEATS} * (
        SELECT coalesce(sum(max(0, min(${end}, json_extract(o.value, '$[1]')) - max(${start}, json_extract(o.value, '$[0]')))), 0)
        FROM json_each(${open}, '$.s[' || json_extract(${open}, '$.b."' || s.branch_id || '"') || ']') o
      ) END), 0)) AS booked_open_ms
    FROM workspace_spaces s
    JOIN workspace_branches b ON b.id = s.branch_id
    LEFT JOIN bookings k ON k.space_id = s.id AND k."start" < ${to} AND k."end" > ${from}
    WHERE b.workspace_id = ${workspaceId}
    GROUP BY s.id`,
  );
}

const scopeStmt = (db: Db, workspaceId: string, userId: number) =>
  db
    .select({
      admin_id: workspaces.admin_id,
      role: sql<MemberRole | null>`(select m.role from workspace_members m where m.workspace_id = "workspaces"."id"
        and m.user_id = ${userId} and m.is_active = 1)`,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .limit(1);

const branchesStmt = (db: Db, workspaceId: string) =>
  db
    .select({ id: workspaceBranches.id, operating_hours: workspaceBranches.operating_hours })
    .from(workspaceBranches)
    .where(eq(workspaceBranches.workspace_id, workspaceId));

const hours = (msValue: number) => Math.round(msValue / (HOUR / 100)) / 100;
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null);

/** The window: given, or the current calendar month in UTC. */
function windowOf(query: z.infer<typeof Query>, now: number) {
  const d = new Date(now);
  const fromMs = query.from?.ms ?? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const toMs = query.to?.ms ?? Date.UTC(new Date(fromMs).getUTCFullYear(), new Date(fromMs).getUTCMonth() + 1, 1);
  if (toMs <= fromMs) throw fail(400, INVALID, { to: ['"to" must be after "from".'] });
  if (toMs - fromMs > MAX_SUMMARY_DAYS * DAY)
    throw fail(400, INVALID, { to: [`The window may span at most ${MAX_SUMMARY_DAYS} days.`] });
  return { fromMs, toMs, from: isoAt(fromMs), to: isoAt(toMs) };
}

/** The summary's window: milliseconds for the opening hours, ISO strings for SQL. */
type Window = ReturnType<typeof windowOf>;

/**
 * The branches' opening intervals over the window, as the sets `openBookedStmt` reads (branches
 * with the same rules share one set), each branch's open milliseconds, and whether every branch is
 * open the whole window (then booked time needs no clipping).
 */
function openingOf(branches: { id: string; operating_hours: unknown }[], w: Window) {
  const sets: [number, number][][] = [];
  const setOf = new Map<string, number>();
  const branchSet: Record<string, number> = {};
  for (const b of branches) {
    const key = JSON.stringify(b.operating_hours ?? null);
    if (!setOf.has(key)) {
      setOf.set(key, sets.length);
      sets.push(openIntervals(b.operating_hours, w.fromMs, w.toMs));
    }
    branchSet[b.id] = setOf.get(key)!;
  }
  const openMs = (branchId: string) => (sets[branchSet[branchId]] ?? []).reduce((n, [a, b]) => n + (b - a), 0);
  const windowOnly = sets.every((set) => set.length === 1 && set[0][0] === w.fromMs && set[0][1] === w.toMs);
  return { sets, branchSet, openMs, windowOnly };
}

/** Per space, the booked time inside its branch's opening hours (a second statement). */
async function bookedInOpen(db: Db, workspaceId: string, w: Window, opening: ReturnType<typeof openingOf>) {
  const open = JSON.stringify({ b: opening.branchSet, s: opening.sets });
  const [rows] = await db.batch([openBookedStmt(db, workspaceId, w.from, w.to, open)]);
  return new Map(rows.map((r) => [r.space_id, Number(r.booked_open_ms)]));
}

const noTotals = () => ({
  open: 0,
  seatOpen: 0,
  booked: 0,
  bookedOpen: 0,
  bookings: 0,
  revenue: 0,
  cancellations: 0,
  refunds: 0,
});
type Totals = ReturnType<typeof noTotals>;

/** One space's figures (open and booked milliseconds given), added to `totals` as well. */
function spaceFigures(r: Row, open: number, bookedOpen: number, totals: Totals) {
  const seats = SHARED_SPACE_TYPES.includes(r.space_type) ? r.capacity : 1;
  const booked = Number(r.booked_ms);
  totals.open += open;
  totals.seatOpen += open * seats;
  totals.booked += booked;
  totals.bookedOpen += bookedOpen;
  totals.bookings += Number(r.bookings);
  totals.revenue += Number(r.revenue);
  totals.cancellations += Number(r.cancellations);
  totals.refunds += Number(r.refunds);
  return {
    space_id: r.space_id,
    space_name: r.space_name,
    space_type: r.space_type,
    branch_id: r.branch_id,
    branch_name: r.branch_name,
    seats,
    open_hours: hours(open),
    booked_hours: hours(booked),
    occupancy_percent: percent(bookedOpen, open * seats),
    bookings: Number(r.bookings),
    confirmed_revenue: fromCents(Number(r.revenue)),
    cancellations: Number(r.cancellations),
    refunds: fromCents(Number(r.refunds)),
  };
}

const totalsOut = (t: Totals) => ({
  open_hours: hours(t.open),
  booked_hours: hours(t.booked),
  occupancy_percent: percent(t.bookedOpen, t.seatOpen),
  bookings: t.bookings,
  confirmed_revenue: fromCents(t.revenue),
  cancellations: t.cancellations,
  refunds: fromCents(t.refunds),
});

/** The summary (see the file comment); throws 404/403/400. */
export async function bookingSummary(db: Db, workspaceId: string, query: z.infer<typeof Query>, actor: Actor, now = Date.now()) {
  if (!isUuid(workspaceId)) throw fail(404, 'Workspace not found');
  const w = windowOf(query, now);
  const [[scope], branches, rows] = await db.batch([
    scopeStmt(db, workspaceId, actor.id),
    branchesStmt(db, workspaceId),
    figuresStmt(db, workspaceId, w.from, w.to),
  ]);
  const role = scope ? (scope.admin_id === actor.id ? 'admin' : scope.role) : null;
  if (!role) throw fail(404, 'Workspace not found');
  if (role !== 'admin' && role !== 'manager') throw fail(403, 'Only workspace admin or managers can view booking summaries');
  const opening = openingOf(branches, w);
  const inOpen = opening.windowOnly ? undefined : await bookedInOpen(db, workspaceId, w, opening);
  const totals = noTotals();
  const spaces = rows.map((r) =>
    spaceFigures(r, opening.openMs(r.branch_id), inOpen ? (inOpen.get(r.space_id) ?? 0) : Number(r.booked_ms), totals),
  );
  return { workspace_id: workspaceId, from: w.from, to: w.to, spaces, totals: totalsOut(totals) };
}

export function mountSummary(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'get',
      path: '/api/workspace/workspaces/{workspace_id}/bookings/summary/',
      operationId: 'workspace_workspaces_bookings_summary_retrieve',
      summary: 'Per-space booking figures of a workspace over a window (its admin and managers)',
      description:
        'Booked hours (seat-hours in shared spaces; a completed booking counts until its check-out), open hours and occupancy (booked time within the branch opening hours / (open hours x seats)), confirmed revenue and bookings, cancellations and refunds (of bookings starting in the window), all computed in SQL. Window: `from` to `to` (default the current month in UTC), at most 366 days.',
      tags: ['workspace-bookings'],
      params: uuidParam('workspace_id'),
      query: Query,
      response: Summary,
      envelope: {
        message: 'Booking summary retrieved successfully',
        failure: INVALID,
        key: 'summary',
        name: 'WsBookingSummaryResponse',
      },
      handler: ({ db, actor, params, query }) => bookingSummary(db, params.workspace_id, query, actor, Date.now()),
    }),
  );
}
