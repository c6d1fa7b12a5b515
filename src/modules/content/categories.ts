import {
  MediaCategory,
  MediaCategory_READ_ONLY,
  MediaCategoryRequest,
  PaginatedMediaCategoryList,
  PatchedMediaCategory,
} from '../../contract/tamiti/content/categories.gen';
import type { ResourceDef } from '../../core/resource';
import { mediaCategories } from '../../db/schema/content';
import { SERVER_OWNED } from './filters';

/** `/api/content/categories/`: plain CRUD; deleting a category leaves its assets uncategorised. */
export const categoryResource: ResourceDef<typeof mediaCategories> = {
  path: '/content/categories/',
  operationId: 'content_categories',
  tag: 'content',
  model: 'MediaCategory',
  table: mediaCategories,
  schemas: { read: MediaCategory, write: MediaCategoryRequest, patch: PatchedMediaCategory, page: PaginatedMediaCategoryList },
  readOnly: [...MediaCategory_READ_ONLY, ...SERVER_OWNED],
};
