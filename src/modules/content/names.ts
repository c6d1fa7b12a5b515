/**
 * Users' display names for the content and social resources (`uploaded_by_name`, `author_name`),
 * as the viewer may see them (an email-like name is masked, core/contact.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import { publicName, type Viewer } from '../../core/contact';
import type { Db } from '../../core/resource';
import { users } from '../../db/schema/users';

/** Django's `get_full_name()`: first and last name joined by a space, trimmed ("" when both are blank). */
export const fullNameSql = sql<string>`trim(${users.first_name} || ' ' || ${users.last_name})`;

/** The full names of the users `ids` selects (a subquery), as one statement for the rows' own batch. */
export const namesStmt = (db: Db, ids: SQL) =>
  db.select({ id: users.id, name: fullNameSql }).from(users).where(sql`${users.id} in ${ids}`);

/** The names `namesStmt` loaded, by user id, as `viewer` may see them. */
export function namesById(viewer: Viewer, rows: unknown[]): Map<number, string> {
  return new Map((rows as { id: number; name: string }[]).map((r) => [r.id, publicName(viewer, r.id, r.name)]));
}
