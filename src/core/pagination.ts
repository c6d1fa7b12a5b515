/**
 * Page-number pagination for both families: `?page=N&page_size=N`, `{count, next, previous, results}`
 * with absolute URLs, a page past the end is a 404 "Invalid page.". The DRF family (default) pages
 * by 10 and accepts `page=last`; the workspace family passes `options` (100 rows by default, its
 * envelope for the 404, the page number kept in every link).
 */
import { z } from '@hono/zod-openapi';
import { drf, ws } from './errors';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

/** How a family paginates. */
export interface PageOptions {
  /** Rows per page when `page_size` is absent or unreadable. */
  defaultSize: number;
  /** The largest page size honoured. */
  maxSize: number;
  /** The family's "Invalid page." 404. */
  invalid: () => Error;
  /** `page=last` names the last page (DRF). */
  acceptsLast: boolean;
  /** Links to page 1 carry `page=1` (the workspace family) rather than dropping it (DRF). */
  numberFirstPage: boolean;
}

/** DRF's pagination (Tamiti). */
export const drfPages: PageOptions = {
  defaultSize: DEFAULT_PAGE_SIZE,
  maxSize: MAX_PAGE_SIZE,
  invalid: () => drf.notFound('Invalid page.'),
  acceptsLast: true,
  numberFirstPage: false,
};

/** The workspace family's pagination: the first 100 rows by default, so small lists come back whole. */
export const wsPages: PageOptions = {
  defaultSize: MAX_PAGE_SIZE,
  maxSize: MAX_PAGE_SIZE,
  invalid: () => ws.fail(404, 'Invalid page.', { non_field_errors: ['Invalid page.'] }),
  acceptsLast: false,
  numberFirstPage: true,
};

const INT64_MAX = 9223372036854775807n;

/**
 * A page size as DRF reads it: a positive integer, capped at `max`; anything else (not digits, 0,
 * beyond 64 bits) falls back to `fallback`.
 */
export function pageSizeOf(raw: string | undefined, fallback: number, max: number): number {
  if (!raw || !/^\d+$/.test(raw) || BigInt(raw) > INT64_MAX) return fallback;
  const size = Number(raw);
  return size > 0 ? Math.min(size, max) : fallback;
}

/**
 * The last page that can exist at this page size: its offset must stay a safe integer (a larger
 * page would overflow the OFFSET bound to D1 and no list holds that many rows anyway).
 */
export const lastPossiblePage = (pageSize: number) => Math.floor(Number.MAX_SAFE_INTEGER / pageSize);

/**
 * Reads page and page_size the way DRF does (bad page_size falls back to the default); a page that
 * is not a positive integer, or beyond any list's end, is the 404 "Invalid page." before any query.
 */
export function pageRequest(query: { page?: string; page_size?: string }, options: PageOptions = drfPages): PageRequest {
  const pageSize = pageSizeOf(query.page_size, options.defaultSize, options.maxSize);
  const rawPage = query.page;
  let page = 1;
  if (rawPage !== undefined && rawPage !== '') {
    if (rawPage === 'last' && options.acceptsLast) page = lastPossiblePage(pageSize);
    else if (!/^\d+$/.test(rawPage) || Number(rawPage) < 1 || Number(rawPage) > lastPossiblePage(pageSize))
      throw options.invalid();
    else page = Number(rawPage);
  }
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** Builds the paginated envelope; checks the page exists (page 1 always does). */
export function paginate<T>(url: string, req: PageRequest, count: number, results: T[], options: PageOptions = drfPages) {
  const lastPage = Math.max(1, Math.ceil(count / req.pageSize));
  if (req.page > lastPage) throw options.invalid();
  const link = (page: number) => {
    const u = new URL(url);
    if (page === 1 && !options.numberFirstPage) u.searchParams.delete('page');
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
