/**
 * DRF page-number pagination: `?page=N&page_size=N` (default 10, capped at 100), envelope
 * `{count, next, previous, results}` with absolute URLs. A page past the end is 404 "Invalid page.".
 */
import { z } from '@hono/zod-openapi';
import { drf } from './errors';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

/** Reads page and page_size the way DRF does (bad page_size falls back to the default). */
export function pageRequest(query: Record<string, string | undefined>): PageRequest {
  const rawPage = query.page;
  let page = 1;
  if (rawPage !== undefined && rawPage !== '') {
    if (rawPage === 'last') page = Number.MAX_SAFE_INTEGER;
    else if (!/^\d+$/.test(rawPage) || Number(rawPage) < 1) throw drf.notFound('Invalid page.');
    else page = Number(rawPage);
  }
  const size = Number(query.page_size);
  const pageSize = Number.isInteger(size) && size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** Builds the paginated envelope; checks the page exists (page 1 always does). */
export function paginate<T>(url: string, req: PageRequest, count: number, results: T[]) {
  const lastPage = Math.max(1, Math.ceil(count / req.pageSize));
  if (req.page > lastPage) throw drf.notFound('Invalid page.');
  const link = (page: number) => {
    const u = new URL(url);
    if (page === 1) u.searchParams.delete('page');
    else u.searchParams.set('page', String(page));
    return u.toString();
  };
  return {
    count,
    next: req.page < lastPage ? link(req.page + 1) : null,
    previous: req.page > 1 ? link(req.page - 1) : null,
    results,
  };
}

/** The paginated envelope schema for an item schema, named like drf-spectacular (`PaginatedLeadList`). */
export function paginated<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      count: z.number().int().openapi({ example: 123 }),
      next: z.string().nullable().openapi({ format: 'uri', example: 'http://api.example.org/accounts/?page=4' }),
      previous: z.string().nullable().openapi({ format: 'uri', example: 'http://api.example.org/accounts/?page=2' }),
      results: z.array(item),
    })
    .openapi(name);
}

/** Query parameters documented on every paginated list. */
export const pageParams = {
  page: z.string().optional().openapi({ description: 'A page number within the paginated result set.', type: 'integer' }),
  page_size: z.string().optional().openapi({ description: 'Number of results to return per page (max 100).', type: 'integer' }),
};
