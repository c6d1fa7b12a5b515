/**
 * Content: media categories and media assets. There is no object-storage binding, so an asset's
 * `file` is the URL of a file stored elsewhere (the original took a multipart upload).
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { baseModel } from '../columns';
import { users } from './users';

export const mediaCategories = sqliteTable(
  'media_categories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    name: text('name').notNull(),
  },
  (t) => [index('media_categories_name_idx').on(t.name)],
);

export const ASSET_TYPES = ['photo', 'video', 'document', 'other'] as const;

export const mediaAssets = sqliteTable(
  'media_assets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    caption: text('caption').notNull().default(''),
    alt_text: text('alt_text').notNull().default(''),
    asset_type: text('asset_type', { enum: ASSET_TYPES }).notNull().default('photo'),
    file: text('file'),
    external_url: text('external_url'),
    size: text('size').notNull().default(''),
    dimensions: text('dimensions').notNull().default(''),
    category: integer('category_id').references(() => mediaCategories.id, { onDelete: 'set null' }),
    uploaded_by: integer('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('media_assets_category_idx').on(t.category),
    index('media_assets_uploaded_by_idx').on(t.uploaded_by),
    index('media_assets_asset_type_idx').on(t.asset_type),
    index('media_assets_created_at_idx').on(t.created_at),
    index('media_assets_title_idx').on(t.title),
  ],
);
