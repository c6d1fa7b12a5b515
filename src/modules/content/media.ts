import {
  AssetTypeEnum,
  MediaAsset,
  MediaAsset_READ_ONLY,
  MediaAssetRequest,
  PatchedMediaAsset,
} from '../../contract/tamiti/content/media.gen';
import { z } from '@hono/zod-openapi';
import { url } from '../../core/fields';
import { MEDIA } from '../../core/files';
import { paginated } from '../../core/pagination';
import type { ResourceDef } from '../../core/resource';
import { indexById, referencedIds, referencedStmt } from '../../db';
import { ASSET_TYPES, mediaAssets, mediaCategories } from '../../db/schema/content';
import { SERVER_OWNED } from './filters';
import { namesById, namesStmt } from './names';

/**
 * `file` is a multipart file part (stored in R2, shown as a signed URL) or, in JSON, the absolute
 * URL of a file stored elsewhere.
 */
const fileUrl = url({ max: 1000 }).nullable().optional().openapi({
  description:
    'Absolute http(s) URL of a file stored elsewhere; or send the file itself as a multipart file part (served back through a signed URL).',
});

export const MediaAssetWrite = MediaAssetRequest.extend({ file: fileUrl }).openapi('MediaAssetWrite');
export const PatchedMediaAssetWrite = PatchedMediaAsset.extend({ file: fileUrl }).openapi('PatchedMediaAssetWrite');

/** MediaAsset as served: the reference types the names as strings, but they are null without the FK (as DRF's). */
const MediaAssetEntry = MediaAsset.extend({
  category_name: z.string().nullable().openapi({ readOnly: true, description: 'Null without a category.' }),
  uploaded_by_name: z.string().nullable().openapi({ readOnly: true, description: 'Null without an uploader.' }),
}).openapi('MediaAssetEntry');

/**
 * `/api/content/media/`: uploaded_by is the caller; category_name / uploaded_by_name are null without
 * the FK (both loaded in the assets' own round trip). `?asset_type=` must be a type and `?category=`
 * an existing category (400 otherwise, as django-filter answers).
 */
export const mediaResource: ResourceDef<typeof mediaAssets> = {
  path: '/content/media/',
  operationId: 'content_media',
  tag: 'content',
  model: 'MediaAsset',
  table: mediaAssets,
  schemas: {
    read: MediaAssetEntry,
    write: MediaAssetWrite,
    patch: PatchedMediaAssetWrite,
    page: paginated(MediaAssetEntry, 'PaginatedMediaAssetEntryList'),
  },
  readOnly: [...MediaAsset_READ_ONLY, ...SERVER_OWNED],
  search: [mediaAssets.title, mediaAssets.description, mediaAssets.alt_text, mediaAssets.caption],
  ordering: { created_at: mediaAssets.created_at, title: mediaAssets.title },
  filters: {
    asset_type: {
      column: mediaAssets.asset_type,
      choices: ASSET_TYPES,
      description: `One of ${AssetTypeEnum.options.join(', ')}.`,
    },
    category: { column: mediaAssets.category, type: 'int', table: mediaCategories, description: 'Media category id.' },
  },
  foreignKeys: { category: mediaCategories },
  files: { file: { types: MEDIA, prefix: 'media' } },
  prepare: (k, input, existing) => (existing ? input : { ...input, uploaded_by: k.user.id }),
  expansion: {
    load: (k, ids) => [
      referencedStmt(k.db, mediaCategories, mediaAssets, mediaAssets.category, ids),
      namesStmt(k.db, referencedIds(mediaAssets, mediaAssets.uploaded_by, ids)),
    ],
    attach: (k, rows, [categories, names]) => {
      const categoryOf = indexById(categories as { id: number; name: string }[]);
      const nameOf = namesById(k.user, names);
      return rows.map((r) => ({
        ...r,
        category_name: categoryOf.get(r.category as number)?.name ?? null,
        uploaded_by_name: r.uploaded_by == null ? null : (nameOf.get(r.uploaded_by as number) ?? null),
      }));
    },
  },
};
