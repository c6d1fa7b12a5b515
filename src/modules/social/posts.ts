import {
  PaginatedSocialPostList,
  PatchedSocialPost,
  SocialPost,
  SocialPost_READ_ONLY,
  SocialPostRequest,
} from '../../contract/tamiti/social/posts.gen';
import type { ResourceDef, Row } from '../../core/resource';
import { listOnly } from '../../core/resource';
import { childrenStmt, groupBy } from '../../db';
import { nowIso } from '../../db/columns';
import { PLATFORMS, POST_STATUSES, socialMetrics, socialPosts } from '../../db/schema/social';
import { users } from '../../db/schema/users';
import { SERVER_OWNED } from '../content/filters';
import { commentsByPost, commentsStmt } from './post-comments';

type PostRow = typeof socialPosts.$inferSelect;

/**
 * approved_at follows the status: set when a post becomes `approved` (kept through `published`),
 * cleared when it goes back to draft, review or rejected. The original never set it.
 */
function approvedAt(status: unknown, existing?: PostRow): string | null | undefined {
  if (status === undefined || status === existing?.status) return undefined;
  if (status === 'approved') return nowIso();
  if (status === 'published') return existing?.approved_at ?? null;
  return null;
}

/**
 * `/api/social/posts/`: with nested comments and metrics (an object, or null without metrics), both
 * loaded in the posts' own round trip. `?platform=` and `?status=` must be choices and `?assigned_to=`
 * an existing user (400 otherwise, all at once, as django-filter answers).
 */
export const postResource: ResourceDef<typeof socialPosts> = {
  path: '/social/posts/',
  operationId: 'social_posts',
  tag: 'social',
  model: 'SocialPost',
  table: socialPosts,
  schemas: { read: SocialPost, write: SocialPostRequest, patch: PatchedSocialPost, page: PaginatedSocialPostList },
  readOnly: [...SocialPost_READ_ONLY, ...SERVER_OWNED],
  search: [socialPosts.title, socialPosts.content_text],
  ordering: { scheduled_for: socialPosts.scheduled_for, created_at: socialPosts.created_at, title: socialPosts.title },
  filters: {
    platform: { column: socialPosts.platform, choices: PLATFORMS, description: `One of ${PLATFORMS.join(', ')}.` },
    status: { column: socialPosts.status, choices: POST_STATUSES, description: `One of ${POST_STATUSES.join(', ')}.` },
    assigned_to: { column: socialPosts.assigned_to, type: 'int', table: users, description: 'Assignee (user) id.' },
  },
  foreignKeys: { assigned_to: users, reviewer: users },
  prepare(_k, input, existing) {
    const approved = approvedAt(existing ? input.status : (input.status ?? 'draft'), existing);
    return approved === undefined ? input : { ...input, approved_at: approved };
  },
  expansion: {
    load: (k, ids) => [commentsStmt(k.db, ids), childrenStmt(k.db, socialMetrics, socialMetrics.post, ids)],
    attach: (k, rows, [comments, metrics]) => {
      const commentsOf = commentsByPost(k.user, comments);
      const metricsOf = groupBy(metrics as Row[], 'post');
      return rows.map((r) => ({ ...r, comments: commentsOf.get(r.id) ?? [], metrics: metricsOf.get(r.id)?.[0] ?? null }));
    },
  },
};

/** GET /api/social/posts/ alone: the area's read app (src/app.ts). */
export const postList = listOnly(postResource);
