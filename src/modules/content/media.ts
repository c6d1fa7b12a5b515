import {
  AssetTypeEnum,
  MediaAsset,
  MediaAsset_READ_ONLY,
  MediaAssetRequest,
  PaginatedMediaAssetList,
  PatchedMediaAsset,
} from '../../contract/tamiti/content.gen';
import { url } from '../../core/fields';
import type { ResourceDef } from '../../core/resource';
import { byId } from '../../core/resource';
import { ASSET_TYPES, mediaAssets, mediaCategories } from '../../db/schema/content';
import { SERVER_OWNED, checkListFilters } from './filters';
import { fullNames } from './names';

/**
 * `file` is a URL: there is no object-storage binding, so clients upload the file elsewhere and
 * send its address (the original took a multipart upload and served it back as a URL).
 */
const fileUrl = url({ max: 1000 })
  .nullable()
  .optional()
  .openapi({ description: 'Absolute http(s) URL of the stored file (multipart uploads are not accepted).' });

export const MediaAssetWrite = MediaAssetRequest.extend({ file: fileUrl }).openapi('MediaAssetWrite');
export const PatchedMediaAssetWrite = PatchedMediaAsset.extend({ file: fileUrl }).openapi('PatchedMediaAssetWrite');

/** `/api/content/media/`: uploaded_by is the caller; category_name / uploaded_by_name are null without the FK. */
export const mediaResource: ResourceDef = {
  path: '/content/media/',
  operationId: 'content_media',
  tag: 'content',
  model: 'MediaAsset',
  table: mediaAssets,
  schemas: { read: MediaAsset, write: MediaAssetWrite, patch: PatchedMediaAssetWrite, page: PaginatedMediaAssetList },
  readOnly: [...MediaAsset_READ_ONLY, ...SERVER_OWNED],
  search: [mediaAssets.title, mediaAssets.description, mediaAssets.alt_text, mediaAssets.caption],
  ordering: { created_at: mediaAssets.created_at, title: mediaAssets.title },
  filters: {
    asset_type: { column: mediaAssets.asset_type, description: `One of ${AssetTypeEnum.options.join(', ')}.` },
    category: { column: mediaAssets.category, type: 'int', description: 'Media category id.' },
  },
  foreignKeys: { category: mediaCategories },
  async can(k, action) {
    if (action === 'list')
      await checkListFilters(k, { asset_type: { choices: ASSET_TYPES }, category: { table: mediaCategories } });
    return true;
  },
  prepare: (k, input, existing) => (existing ? input : { ...input, uploaded_by: k.user.id }),
  async expand(k, rows) {
    const [categories, names] = await Promise.all([
      byId<{ id: number; name: string }>(
        k.db,
        mediaCategories,
        rows.map((r) => r.category as number | null),
      ),
      fullNames(
        k.db,
        k.user,
        rows.map((r) => r.uploaded_by as number | null),
      ),
    ]);
    return rows.map((r) => ({
      ...r,
      category_name: r.category == null ? null : (categories.get(r.category as number)?.name ?? null),
      uploaded_by_name: r.uploaded_by == null ? null : (names.get(r.uploaded_by as number) ?? null),
    }));
  },
};
