/**
 * Users' display names for the content and social resources (`uploaded_by_name`, `author_name`).
 */
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../core/resource';
import { users } from '../../db/schema/users';

/** Django's `get_full_name()`: first and last name joined by a space, trimmed ("" when both are blank). */
export const fullNameSql = sql<string>`trim(${users.first_name} || ' ' || ${users.last_name})`;

/** Full names of the given users, in one query. */
export async function fullNames(db: Db, ids: (number | null | undefined)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: users.id, name: fullNameSql }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}
