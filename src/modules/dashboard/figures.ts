/**
 * The dashboard's figures (behaviour notes §10), each computed in the database by aggregate
 * queries: COUNT / SUM(CASE …) over indexed columns, never rows loaded into the Worker.
 *
 * A figure is a list of statements plus a function shaping their results, so a summary endpoint
 * runs its own statements in one `db.batch` and `kpis/` runs every figure's statements in one batch.
 *
 * Our decision #3 (count only what the user can see) holds by construction: every per-user figure
 * is a subset of the owning list's visible rows (projects I created, tasks assigned to me, my goals,
 * visits and leads where I am the rep and that are not soft-deleted, posts assigned to me); income
 * and expenses are system-wide, as in the original, and finance is visible to all staff. Customers
 * see none of these modules and are refused the dashboard (403).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { fromCents } from '../../core/money';
import { type Db, runBatch, type Stmt } from '../../db';
import { nowIso } from '../../db/columns';
import { leads, visits } from '../../db/schema/field';
import { goals, transactions } from '../../db/schema/finance';
import { projects } from '../../db/schema/projects';
import { socialPosts } from '../../db/schema/social';
import { tasks } from '../../db/schema/tasks';
import { users } from '../../db/schema/users';

/** Number of rows matching `cond` (0 for an empty set). */
const countWhere = (cond: SQL) => sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`.mapWith(Number);
/** Σ of an integer-cents column over rows matching `cond`, exact, as integer cents. */
const centsWhere = (column: SQLiteColumn, cond: SQL) =>
  sql<number>`coalesce(sum(case when ${cond} then ${column} else 0 end), 0)`.mapWith(Number);
const total = () => sql<number>`count(*)`.mapWith(Number);

/** A figure: statements for one batch, and how to shape their results. */
export interface Figure<T> {
  statements: Stmt[];
  shape: (results: unknown[]) => T;
}

const one = <T>(results: unknown[], i = 0) => (results[i] as T[])[0];

export function projectFigure(db: Db, userId: number): Figure<{ total: number; active: number; completed: number }> {
  return {
    statements: [
      db
        .select({
          total: total(),
          active: countWhere(sql`${projects.status} = 'active'`),
          completed: countWhere(sql`${projects.status} = 'complete'`),
        })
        .from(projects)
        .where(eq(projects.created_by, userId)),
    ],
    shape: (r) => one(r),
  };
}

export function taskFigure(
  db: Db,
  userId: number,
  now = nowIso(),
): Figure<{ total: number; completed: number; overdue: number }> {
  return {
    statements: [
      db
        .select({
          total: total(),
          completed: countWhere(sql`${tasks.is_completed} = 1`),
          // due_date is a UTC ISO datetime, so text order is time order
          overdue: countWhere(sql`${tasks.is_completed} = 0 and ${tasks.due_date} < ${now}`),
        })
        .from(tasks)
        .where(eq(tasks.assigned_to, userId)),
    ],
    shape: (r) => one(r),
  };
}

export function financeFigure(db: Db, userId: number): Figure<{ income: string; expenses: string; goals_count: number }> {
  return {
    statements: [
      db
        .select({
          income: centsWhere(transactions.amount, sql`${transactions.type} = 'income'`),
          expenses: centsWhere(transactions.amount, sql`${transactions.type} = 'expense'`),
        })
        .from(transactions),
      db.select({ goals_count: total() }).from(goals).where(eq(goals.owner, userId)),
    ],
    shape: (r) => {
      const money = one<{ income: number; expenses: number }>(r, 0);
      return {
        income: fromCents(money.income),
        expenses: fromCents(money.expenses),
        goals_count: one<{ goals_count: number }>(r, 1).goals_count,
      };
    },
  };
}

type RecentVisit = { location: string; rep__email: string; date_time: string };

export function fieldFigure(db: Db, userId: number): Figure<{ total_visits: number; recent: RecentVisit[] }> {
  const mine = and(eq(visits.rep, userId), eq(visits.is_deleted, false));
  return {
    statements: [
      db.select({ total_visits: total() }).from(visits).where(mine),
      db
        .select({ location: visits.location, rep__email: users.email, date_time: visits.date_time })
        .from(visits)
        .innerJoin(users, eq(users.id, visits.rep))
        .where(mine)
        .orderBy(desc(visits.date_time), desc(visits.id))
        .limit(5),
    ],
    shape: (r) => ({ total_visits: one<{ total_visits: number }>(r, 0).total_visits, recent: r[1] as RecentVisit[] }),
  };
}

export function leadFigure(db: Db, userId: number): Figure<{ total: number; won: number; lost: number }> {
  return {
    statements: [
      db
        .select({
          total: total(),
          won: countWhere(sql`${leads.stage} = 'won'`),
          lost: countWhere(sql`${leads.stage} = 'lost'`),
        })
        .from(leads)
        .where(and(eq(leads.assigned_rep, userId), eq(leads.is_deleted, false))),
    ],
    shape: (r) => one(r),
  };
}

export function socialFigure(db: Db, userId: number): Figure<{ draft: number; published: number; platforms: string[] }> {
  const mine = eq(socialPosts.assigned_to, userId);
  return {
    statements: [
      db
        .select({
          draft: countWhere(sql`${socialPosts.status} = 'draft'`),
          published: countWhere(sql`${socialPosts.status} = 'published'`),
        })
        .from(socialPosts)
        .where(mine),
      db.selectDistinct({ platform: socialPosts.platform }).from(socialPosts).where(mine).orderBy(socialPosts.platform),
    ],
    shape: (r) => ({
      ...one<{ draft: number; published: number }>(r, 0),
      platforms: (r[1] as { platform: string }[]).map((p) => p.platform),
    }),
  };
}

/** Runs figures in one `db.batch` round trip and shapes each one's results. */
export async function runFigures<T extends Record<string, Figure<unknown>>>(
  db: Db,
  figures: T,
): Promise<{ [K in keyof T]: T[K] extends Figure<infer R> ? R : never }> {
  const entries = Object.entries(figures);
  const statements = entries.flatMap(([, f]) => f.statements);
  const results = await runBatch(db, statements);
  const out: Record<string, unknown> = {};
  let at = 0;
  for (const [name, f] of entries) {
    out[name] = f.shape(results.slice(at, at + f.statements.length));
    at += f.statements.length;
  }
  return out as { [K in keyof T]: T[K] extends Figure<infer R> ? R : never };
}

/** Every figure, keyed as in `kpis/` (note `social`, while its endpoint is `summary/socials/`). */
export const allFigures = (db: Db, userId: number) => ({
  projects: projectFigure(db, userId),
  tasks: taskFigure(db, userId),
  finance: financeFigure(db, userId),
  field: fieldFigure(db, userId),
  leads: leadFigure(db, userId),
  social: socialFigure(db, userId),
});
