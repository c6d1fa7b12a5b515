/**
 * What the bookings and public routes share: the family's failure envelope, UUID path ids and small
 * schema builders (their pagination is `wsPages` in core/pagination.ts). Kept here rather than in
 * `workspace/common.ts`, which the workspace routes own.
 */
import { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type FieldErrors, ws } from '../../../core/errors';

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
