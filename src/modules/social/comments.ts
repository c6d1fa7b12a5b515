import { asc, eq, inArray } from 'drizzle-orm';
import {
  PaginatedPostCommentList,
  PatchedPostComment,
  PostComment,
  PostComment_READ_ONLY,
  PostCommentRequest,
} from '../../contract/tamiti/social.gen';
import { publicName, type Viewer } from '../../core/contact';
import type { Db, ResourceDef, Row } from '../../core/resource';
import { postComments, socialPosts } from '../../db/schema/social';
import { users } from '../../db/schema/users';
import { fullNameSql, fullNames } from '../content/names';
import { SERVER_OWNED } from '../content/filters';

/** The comments of a page of posts with their authors' names as `viewer` may see them, in one query, grouped by post id. */
export async function commentsOfPosts(db: Db, viewer: Viewer, postIds: number[]): Promise<Map<number, Row[]>> {
  const map = new Map<number, Row[]>();
  if (!postIds.length) return map;
  const rows = await db
    .select({ comment: postComments, author_name: fullNameSql })
    .from(postComments)
    .leftJoin(users, eq(users.id, postComments.author))
    .where(inArray(postComments.post, postIds))
    .orderBy(asc(postComments.id));
  for (const { comment, author_name } of rows) {
    const list = map.get(comment.post) ?? [];
    list.push({ ...comment, author_name: publicName(viewer, comment.author, author_name ?? '') } as Row);
    map.set(comment.post, list);
  }
  return map;
}

/** `/api/social/comments/`: the author is the caller; author_name is the author's full name. */
export const commentResource: ResourceDef = {
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
  async expand(k, rows) {
    const names = await fullNames(
      k.db,
      k.user,
      rows.map((r) => r.author as number),
    );
    return rows.map((r) => ({ ...r, author_name: names.get(r.author as number) ?? '' }));
  },
};
