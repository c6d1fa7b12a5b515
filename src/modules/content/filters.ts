/**
 * List-filter checks shared by the content and social resources, and the server-owned input keys.
 */
import { eq } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { drf } from '../../core/errors';
import type { Kit } from '../../core/resource';

/** Soft-delete markers are not client-writable (the original let clients PATCH them; §14.13). Deletes are hard. */
export const SERVER_OWNED = ['is_deleted', 'deleted_at'] as const;

/** What a list filter accepts beyond its type: a fixed set of choices, or an existing row's id. */
export type FilterCheck = { choices: readonly string[] } | { table: SQLiteTable & { id: SQLiteColumn } };

/**
 * Validates list filters the way django-filter does: an unknown choice or a missing related row is
 * a 400 naming the parameter (the kit checks only the value's type).
 */
export async function checkListFilters(k: Kit, checks: Record<string, FilterCheck>) {
  const query = k.c.req.query();
  const errors: Record<string, string[]> = {};
  for (const [name, check] of Object.entries(checks)) {
    const raw = query[name];
    if (raw === undefined || raw === '') continue;
    if ('choices' in check) {
      if (!check.choices.includes(raw)) errors[name] = [`Select a valid choice. ${raw} is not one of the available choices.`];
    } else if (/^\d+$/.test(raw)) {
      const found = await k.db
        .select({ id: check.table.id })
        .from(check.table)
        .where(eq(check.table.id, Number(raw)))
        .limit(1);
      if (!found.length) errors[name] = ['Select a valid choice. That choice is not one of the available choices.'];
    }
  }
  if (Object.keys(errors).length) throw drf.fields(errors);
}
