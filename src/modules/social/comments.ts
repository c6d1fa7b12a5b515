import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { PostComment, PostComment_READ_ONLY, PostCommentRequest } from '../../contract/tamiti/social.gen';
import { PaginatedPostCommentList, PatchedPostComment } from '../../contract/tamiti/social/comments.gen';
import { publicName, type Viewer } from '../../core/contact';
import type { Db, ResourceDef, Row } from '../../core/resource';
import { postComments, socialPosts } from '../../db/schema/social';
import { users } from '../../db/schema/users';
import { referencedIds } from '../../db';
import { fullNameSql, namesById, namesStmt } from '../content/names';
import { SERVER_OWNED } from '../content/filters';

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

/** `/api/social/comments/`: the author is the caller; author_name is the author's full name (loaded in the comments' round trip). */
export const commentResource: ResourceDef<typeof postComments> = {
  path: '/social/comments/',
  operationId: 'social_comments',
  tag: 'social',
  model: 'PostComment',
  table: postComments,
  schemas: { read: PostComment, write: PostCommentRequest, patch: PatchedPostComment, page: PaginatedPostCommentList },
  readOnly: [...PostComment_READ_ONLY, ...SERVER_OWNED],
  search: [postComments.content],
  ordering: { created_at: postComments.created_at },
  filters: {
    post: { column: postComments.post, type: 'int', description: 'Social post id.' },
    author: { column: postComments.author, type: 'int', description: 'Author (user) id.' },
  },
  foreignKeys: { post: socialPosts },
  prepare: (k, input, existing) => (existing ? input : { ...input, author: k.user.id }),
  expansion: {
    load: (k, ids) => [namesStmt(k.db, referencedIds(postComments, postComments.author, ids))],
    attach: (k, rows, [names]) => {
      const nameOf = namesById(k.user, names);
      return rows.map((r) => ({ ...r, author_name: nameOf.get(r.author as number) ?? '' }));
    },
  },
};
