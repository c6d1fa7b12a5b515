/**
 * A list page's children (a lead's actions, a project's tasks...) are read with a statement compiled
 * once per shape around the page's ids subquery (db/compiled.ts `subquery` and `childrenQuery`), so
 * drizzle does not flatten the subquery's SQL again on every request. The compiled statement must be
 * the very statement drizzle builds, and a page must nest the same children as the detail route.
 */
import { env } from 'cloudflare:test';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { childrenStmt, type Db } from '../../src/db';
import { subquery } from '../../src/db/compiled';
import { leadActions } from '../../src/db/schema/field';
import { createLead } from '../helpers/field';
import { api, expectStatus, makeUser } from '../helpers';

type Query = { sql: string; params: unknown[] };
/** The text and values of a statement: compiled ones have drizzle's `getQuery`, builders `toSQL`. */
const textOf = (stmt: unknown): Query & { compiled: boolean } => {
  const s = stmt as { getQuery?: () => Query; toSQL?: () => Query };
  return s.getQuery ? { ...s.getQuery(), compiled: true } : { ...(s.toSQL as () => Query)(), compiled: false };
};

describe('children of a list page', () => {
  it('are read with the statement drizzle builds (same text, same values), compiled once per shape', () => {
    const db = drizzle(env.DB) as unknown as Db;
    const ids = {
      sql: 'select "id" from "leads" where "leads"."is_deleted" = ? order by "leads"."id" limit ? offset ?',
      params: [0, 20, 40],
    };
    const children = () =>
      childrenStmt(db, leadActions, leadActions.lead, subquery(ids) as SQL, eq(leadActions.is_deleted, false), [
        asc(leadActions.id),
      ]);
    const first = textOf(children());
    const again = textOf(children());
    // What drizzle builds for the same statement (childrenStmt's own fallback).
    const reference = textOf(
      db
        .select()
        .from(leadActions)
        .where(and(sql`${leadActions.lead} in ${subquery(ids)}`, eq(leadActions.is_deleted, false)))
        .orderBy(asc(leadActions.id)),
    );
    expect(first.compiled, 'the compiled path is taken').toBe(true);
    expect(reference.compiled).toBe(false);
    expect({ sql: first.sql, params: first.params }).toEqual({ sql: reference.sql, params: reference.params });
    expect(again).toEqual(first);
    // Another page of the same shape: same text, its own values.
    const next = textOf(
      childrenStmt(
        db,
        leadActions,
        leadActions.lead,
        subquery({ ...ids, params: [0, 20, 60] }) as SQL,
        eq(leadActions.is_deleted, false),
        [asc(leadActions.id)],
      ),
    );
    expect(next.sql).toBe(first.sql);
    expect(next.params).toEqual([0, 20, 60, ...first.params.slice(3)]);
  });

  it('a leads page nests the same actions, decoded alike, as the detail route of each lead', async () => {
    const staff = await makeUser();
    const made = [await createLead(staff.token), await createLead(staff.token)];
    for (const lead of made)
      for (const type of ['call', 'demo']) {
        const res = await api('/api/field/actions/', {
          token: staff.token,
          body: { lead: lead.id, type, next_follow_up: '2030-01-02' },
        });
        expectStatus(res, 201);
      }
    const page = await api('/api/field/leads/?page_size=5&ordering=-id', { token: staff.token });
    expectStatus(page, 200);
    const listed = page.json.results.filter((l: { id: number }) => made.some((m) => m.id === l.id));
    expect(listed, page.text).toHaveLength(2);
    for (const lead of listed) {
      expect(lead.actions, page.text).toHaveLength(2);
      const detail = await api(`/api/field/leads/${lead.id}/`, { token: staff.token });
      expect(lead.actions, detail.text).toEqual(detail.json.actions);
    }
  });
});
