/**
 * The lead score (0..100), which the original declared but never computed. It is stored on the lead
 * so lists can order and filter by it, and recomputed in the same batch as every write that can
 * change it (the lead itself, or any of its actions). The follow-up part is measured against the
 * UTC date of that write.
 *
 *   lost leads score 0; otherwise clamp(0, 100, priority + stage + follow-up + actions) where
 *   priority   low 5, medium 15, high 30, critical 40
 *   stage      prospect 0, qualified 10, negotiation 20, won 30
 *   follow-up  follow_up_date within the next 7 days (today included) 15, within 30 days 10,
 *              later 5; none or already past 0
 *   actions    5 per live lead action, at most 20
 *
 * A lead scoring 80 or more counts as hot (see `GET /api/field/leads/hot/`).
 */
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../core/resource';
import { leadActions, leads } from '../../db/schema/field';

export const LEAD_SCORE = {
  priority: { low: 5, medium: 15, high: 30, critical: 40 },
  stage: { prospect: 0, qualified: 10, negotiation: 20, won: 30 },
  followUp: { week: 15, month: 10, later: 5 },
  perAction: 5,
  maxActions: 20,
  hot: 80,
} as const;

const weights = (column: SQLiteColumn, table: Record<string, number>) =>
  sql.join(
    [sql`CASE ${column}`, ...Object.entries(table).map(([k, v]) => sql`WHEN ${k} THEN ${sql.raw(String(v))}`), sql`ELSE 0 END`],
    sql` `,
  );

/** The score of the row being read or updated, as one SQL expression (see the formula above). */
export function leadScoreSql(): SQL {
  const days = sql`(julianday(${leads.follow_up_date}) - julianday(date('now')))`;
  const f = LEAD_SCORE.followUp;
  const followUp = sql`CASE WHEN ${leads.follow_up_date} IS NULL OR ${days} < 0 THEN 0 WHEN ${days} <= 7 THEN ${sql.raw(String(f.week))} WHEN ${days} <= 30 THEN ${sql.raw(String(f.month))} ELSE ${sql.raw(String(f.later))} END`;
  const actions = sql`min(${sql.raw(String(LEAD_SCORE.maxActions))}, ${sql.raw(String(LEAD_SCORE.perAction))} * (SELECT count(*) FROM ${leadActions} WHERE ${leadActions.lead} = ${leads.id} AND ${leadActions.is_deleted} = 0))`;
  return sql`CASE WHEN ${leads.stage} = 'lost' THEN 0 ELSE max(0, min(100, ${weights(leads.priority, LEAD_SCORE.priority)} + ${weights(leads.stage, LEAD_SCORE.stage)} + ${followUp} + ${actions})) END`;
}

/** A statement recomputing the score of the lead with this uuid (usable for a row inserted in the same batch). */
export const rescoreByUuid = (db: Db, uuid: string) =>
  db.update(leads).set({ lead_score: leadScoreSql() }).where(eq(leads.uuid, uuid));

/** A statement recomputing the scores of these leads. */
export const rescore = (db: Db, ids: number[]) =>
  db
    .update(leads)
    .set({ lead_score: leadScoreSql() })
    .where(inArray(leads.id, [...new Set(ids)]));
