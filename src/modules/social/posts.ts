import {
  PaginatedSocialPostList,
  PatchedSocialPost,
  SocialPost,
  SocialPost_READ_ONLY,
  SocialPostRequest,
} from '../../contract/tamiti/social.gen';
import { childrenOf } from '../../core/resource';
import type { ResourceDef, Row } from '../../core/resource';
import { nowIso } from '../../db/columns';
import { PLATFORMS, POST_STATUSES, socialMetrics, socialPosts } from '../../db/schema/social';
import { users } from '../../db/schema/users';
import { SERVER_OWNED, checkListFilters } from '../content/filters';
import { commentsOfPosts } from './comments';

/**
 * approved_at follows the status: set when a post becomes `approved` (kept through `published`),
 * cleared when it goes back to draft, review or rejected. The original never set it.
 */
function approvedAt(status: unknown, existing?: Row): string | null | undefined {
  if (status === undefined || status === existing?.status) return undefined;
  if (status === 'approved') return nowIso();
  if (status === 'published') return (existing?.approved_at as string | null) ?? null;
  return null;
}

/** `/api/social/posts/`: with nested comments and metrics (an object, or null without metrics). */
export const postResource: ResourceDef = {
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
    platform: { column: socialPosts.platform, description: `One of ${PLATFORMS.join(', ')}.` },
    status: { column: socialPosts.status, description: `One of ${POST_STATUSES.join(', ')}.` },
    assigned_to: { column: socialPosts.assigned_to, type: 'int', description: 'Assignee (user) id.' },
  },
  foreignKeys: { assigned_to: users, reviewer: users },
  async can(k, action) {
    if (action === 'list')
      await checkListFilters(k, {
        platform: { choices: PLATFORMS },
        status: { choices: POST_STATUSES },
        assigned_to: { table: users },
      });
    return true;
  },
  prepare(_k, input, existing) {
    const approved = approvedAt(existing ? input.status : (input.status ?? 'draft'), existing);
    return approved === undefined ? input : { ...input, approved_at: approved };
  },
  async expand(k, rows) {
    const ids = rows.map((r) => r.id);
    const [comments, metrics] = await Promise.all([
      commentsOfPosts(k.db, k.user, ids),
      childrenOf<Row>(k.db, socialMetrics, socialMetrics.post, ids),
    ]);
    return rows.map((r) => ({ ...r, comments: comments.get(r.id) ?? [], metrics: metrics.get(r.id)?.[0] ?? null }));
  },
};
