/**
 * What the bookings and public routes share: the family's failure envelope, UUID path ids, the
 * envelope pagination (`?page`, `?page_size`, default and maximum 100 rows), and small schema
 * builders. Kept here rather than in `workspace/common.ts`, which the workspace routes own.
 */
import { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type FieldErrors, ws } from '../../../core/errors';
import { lastPossiblePage, pageSizeOf } from '../../../core/pagination';

/**
 * A workspace-family failure, always `{success:false, message, errors}`; without field errors the
 * message is repeated under `non_field_errors`, so clients read every failure the same way.
 */
export function fail(status: ContentfulStatusCode, message: string, errors?: FieldErrors) {
  return ws.fail(status, message, errors ?? { non_field_errors: [message] });
}

/** A 400 whose reason goes under `non_field_errors`. */
export const refused = (message: string, reason: string) => fail(400, message, { non_field_errors: [reason] });

export const bookingNotFound = () => fail(404, 'Booking not found');
export const spaceNotFound = () => fail(404, 'Space not found');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path ids are UUIDs; anything else is the same 404 as a missing row. */
export const isUuid = (value: string | undefined | null): value is string => !!value && UUID_RE.test(value);

export const uuid = () => z.string().openapi({ format: 'uuid' });
export const dt = () => z.string().openapi({ format: 'date-time', example: '2030-01-15T06:00:00.000Z' });
export const money = () => z.string().openapi({ format: 'decimal', example: '150.00' });

/** A path parameter holding a UUID (checked by the handler, so a malformed one is the route's own 404). */
export const uuidParam = <K extends string>(name: K) =>
  z.object({ [name]: z.string().openapi({ format: 'uuid' }) } as { [P in K]: z.ZodString });

// ---- pagination ------------------------------------------------------------------------------

export const MAX_PAGE_SIZE = 100;

export interface Page {
  page: number;
  size: number;
  offset: number;
}

/**
 * `?page` / `?page_size`: by default the first 100 rows. A page beyond any list's end is "Invalid
 * page." before any query; an unreadable page_size is the default.
 */
export function pageOf(query: { page?: string; page_size?: string }): Page {
  const size = pageSizeOf(query.page_size, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  let page = 1;
  if (query.page !== undefined && query.page !== '') {
    if (!/^\d+$/.test(query.page) || Number(query.page) < 1 || Number(query.page) > lastPossiblePage(size))
      throw fail(404, 'Invalid page.');
    page = Number(query.page);
  }
  return { page, size, offset: (page - 1) * size };
}

/** `{count, next, previous, results}` for a page; a page past the end (other than 1) is a 404. */
export function pageResult<T>(url: string, page: Page, count: number, results: T[]) {
  const last = Math.max(1, Math.ceil(count / page.size));
  if (page.page > last) throw fail(404, 'Invalid page.');
  const link = (n: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(n));
    return u.toString();
  };
  return {
    count,
    next: page.page < last ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(page.page - 1) : null,
    results,
  };
}
