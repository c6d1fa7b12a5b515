/**
 * Users' display names for the content and social resources (`uploaded_by_name`, `author_name`),
 * as the viewer may see them (an email-like name is masked, core/contact.ts).
 */
import { inArray, sql } from 'drizzle-orm';
import { publicName, type Viewer } from '../../core/contact';
import type { Db } from '../../core/resource';
import { users } from '../../db/schema/users';

/** Django's `get_full_name()`: first and last name joined by a space, trimmed ("" when both are blank). */
export const fullNameSql = sql<string>`trim(${users.first_name} || ' ' || ${users.last_name})`;

/** Full names of the given users as `viewer` may see them, in one query. */
export async function fullNames(db: Db, viewer: Viewer, ids: (number | null | undefined)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: users.id, name: fullNameSql }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, publicName(viewer, r.id, r.name)]));
}
