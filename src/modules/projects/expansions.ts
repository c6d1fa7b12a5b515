/**
 * What a project's comments and members add to their rows: the author's name, the member's email
 * (null unless the caller may see it, core/contact.ts). Shared by their own areas and the project's
 * detail, which nests both; kept apart from their routes, so the projects' area does not build the
 * comments' and members' routes and schemas (each is an area of its own, src/modules/projects/index.ts).
 */
import { sql } from 'drizzle-orm';
import { contactField } from '../../core/contact';
import type { Expansion } from '../../core/resource';
import { referencedIds } from '../../db';
import { projectComments, projectMembers } from '../../db/schema/projects';
import { users } from '../../db/schema/users';
import { namesById, namesStmt } from '../content/names';

/** Authors' names (masked when email-like, core/contact.ts), in the comments' own batch. */
export const commentAuthors: Expansion = {
  load: (k, ids) => [namesStmt(k.db, referencedIds(projectComments, projectComments.user, ids))],
  attach: (k, rows, [authors]) => {
    const nameOf = namesById(k.user, authors);
    return rows.map((r) => ({ ...r, user_name: nameOf.get(r.user as number) ?? '' }));
  },
};

/** Members' emails (null unless the caller is that user or an Admin), in the rows' own batch. */
export const memberEmails: Expansion = {
  load: (k, ids) => [
    k.db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(sql`${users.id} in ${referencedIds(projectMembers, projectMembers.user, ids)}`),
  ],
  attach: (k, rows, [found]) => {
    const emailOf = new Map((found as { id: number; email: string }[]).map((u) => [u.id, u.email]));
    return rows.map((r) => ({ ...r, user_email: contactField(k.user, r.user as number, emailOf.get(r.user as number) ?? null) }));
  },
};
