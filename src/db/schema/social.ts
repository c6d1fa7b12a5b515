/**
 * Social: posts with their comments and one metrics row each, and one profile per platform.
 * `social_metrics.engagement_score` is integer cents (see `money`), computed on every save.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { baseModel, money } from '../columns';
import { users } from './users';

export const PLATFORMS = ['facebook', 'instagram', 'x', 'linkedin', 'tiktok', 'youtube'] as const;
export const POST_STATUSES = ['draft', 'under_review', 'approved', 'rejected', 'published'] as const;

export const socialPosts = sqliteTable(
  'social_posts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    title: text('title').notNull(),
    content_text: text('content_text').notNull(),
    platform: text('platform', { enum: PLATFORMS }).notNull(),
    scheduled_for: text('scheduled_for').notNull(),
    status: text('status', { enum: POST_STATUSES }).notNull().default('draft'),
    approved_at: text('approved_at'),
    internal_notes: text('internal_notes').notNull().default(''),
    reminder_at: text('reminder_at'),
    assigned_to: integer('assigned_to_id').references(() => users.id, { onDelete: 'set null' }),
    reviewer: integer('reviewer_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('social_posts_platform_idx').on(t.platform),
    index('social_posts_status_idx').on(t.status),
    index('social_posts_assigned_to_status_idx').on(t.assigned_to, t.status),
    index('social_posts_reviewer_idx').on(t.reviewer),
    index('social_posts_scheduled_for_idx').on(t.scheduled_for),
    index('social_posts_created_at_idx').on(t.created_at),
  ],
);

export const postComments = sqliteTable(
  'post_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    content: text('content').notNull(),
    post: integer('post_id')
      .notNull()
      .references(() => socialPosts.id, { onDelete: 'cascade' }),
    author: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('post_comments_post_idx').on(t.post), index('post_comments_author_idx').on(t.author)],
);

export const socialMetrics = sqliteTable('social_metrics', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ...baseModel(),
  likes: integer('likes').notNull().default(0),
  shares: integer('shares').notNull().default(0),
  comments: integer('comments').notNull().default(0),
  views: integer('views').notNull().default(0),
  engagement_score: money('engagement_score').notNull().default(sql`0`),
  post: integer('post_id')
    .notNull()
    .unique()
    .references(() => socialPosts.id, { onDelete: 'cascade' }),
});

export const socialPlatformProfiles = sqliteTable('social_platform_profiles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ...baseModel(),
  platform: text('platform', { enum: PLATFORMS }).notNull().unique(),
  followers: integer('followers').notNull().default(0),
  posts_made: integer('posts_made').notNull().default(0),
  last_synced: text('last_synced'),
});
