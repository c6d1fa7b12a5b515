/**
 * A post's comments as the posts list and detail nest them: one statement for the posts' own batch,
 * and the shaping. A module apart from the comments' resource (./comments.ts), so a first list of
 * posts does not build the comments' request bodies and page.
 */
import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { publicName, type Viewer } from '../../core/contact';
import type { Db, Row } from '../../core/resource';
import { postComments } from '../../db/schema/social';
import { users } from '../../db/schema/users';
import { fullNameSql } from '../content/names';

/**
 * The comments of the posts `posts` selects (a subquery), oldest first, each with its author's full
 * name: one statement for the posts' own batch. Shape them with `commentsByPost`.
 */
export const commentsStmt = (db: Db, posts: SQL) =>
  db
    .select({ comment: postComments, author_name: fullNameSql })
    .from(postComments)
    .leftJoin(users, eq(users.id, postComments.author))
    .where(sql`${postComments.post} in ${posts}`)
    .orderBy(asc(postComments.id));

/** What `commentsStmt` loaded, grouped by post id, author names as `viewer` may see them. */
export function commentsByPost(viewer: Viewer, rows: unknown[]): Map<number, Row[]> {
  const map = new Map<number, Row[]>();
  for (const { comment, author_name } of rows as { comment: typeof postComments.$inferSelect; author_name: string | null }[]) {
    const list = map.get(comment.post) ?? [];
    list.push({ ...comment, author_name: publicName(viewer, comment.author, author_name ?? '') });
    map.set(comment.post, list);
  }
  return map;
}
