import { PostComment, PostComment_READ_ONLY, PostCommentRequest } from '../../contract/tamiti/social.gen';
import { PaginatedPostCommentList, PatchedPostComment } from '../../contract/tamiti/social/comments.gen';
import type { ResourceDef } from '../../core/resource';
import { postComments, socialPosts } from '../../db/schema/social';
import { referencedIds } from '../../db';
import { namesById, namesStmt } from '../content/names';
import { SERVER_OWNED } from '../content/filters';

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
