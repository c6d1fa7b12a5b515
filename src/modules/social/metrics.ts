import { SocialMetric, SocialMetric_READ_ONLY, SocialMetricRequest } from '../../contract/tamiti/social.gen';
import { PaginatedSocialMetricList, PatchedSocialMetric } from '../../contract/tamiti/social/metrics.gen';
import { fromCents } from '../../core/money';
import type { ResourceDef } from '../../core/resource';
import { socialMetrics, socialPosts } from '../../db/schema/social';
import { SERVER_OWNED } from '../content/filters';

/** The engagement_score column holds at most 6 digits with 2 places. */
const MAX_SCORE_CENTS = 999_999;

/**
 * engagement_score = 0.4·likes + 0.3·comments + 0.2·shares + 0.1·views, capped at 9999.99.
 * Worked in integer cents (0.4 = 40 cents per like), so the stored value is exact.
 */
export function engagementScore(m: { likes: number; comments: number; shares: number; views: number }): string {
  const cents = 40 * m.likes + 30 * m.comments + 20 * m.shares + 10 * m.views;
  return fromCents(Math.min(cents, MAX_SCORE_CENTS));
}

const count = (v: unknown) => (typeof v === 'number' ? v : 0);

/**
 * `/api/social/metrics/`: one row per post (a second is a 400). engagement_score is computed on
 * every save from the counters; a client-sent value is ignored.
 */
export const metricResource: ResourceDef<typeof socialMetrics> = {
  path: '/social/metrics/',
  operationId: 'social_metrics',
  tag: 'social',
  model: 'SocialMetric',
  table: socialMetrics,
  schemas: { read: SocialMetric, write: SocialMetricRequest, patch: PatchedSocialMetric, page: PaginatedSocialMetricList },
  readOnly: [...SocialMetric_READ_ONLY, ...SERVER_OWNED, 'engagement_score'],
  ordering: {
    engagement_score: socialMetrics.engagement_score,
    likes: socialMetrics.likes,
    views: socialMetrics.views,
    created_at: socialMetrics.created_at,
  },
  filters: { post: { column: socialMetrics.post, type: 'int', description: 'Social post id.' } },
  foreignKeys: { post: socialPosts },
  uniques: { post: 'social metric with this post already exists.' },
  prepare(_k, input, existing) {
    const merged = {
      likes: count(input.likes ?? existing?.likes),
      comments: count(input.comments ?? existing?.comments),
      shares: count(input.shares ?? existing?.shares),
      views: count(input.views ?? existing?.views),
    };
    return { ...input, engagement_score: engagementScore(merged) };
  },
};
