/**
 * One error class and one error path. Each API family renders errors in its own shape:
 * - Tamiti (DRF): `{"detail": "..."}` or field errors `{"field": ["message"]}`;
 * - Workspaces: `{"success": false, "message": "...", "errors"|"error": {...}}`.
 * Handlers and services throw `ApiError`; `onError` in app.ts renders it.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type FieldErrors = { [field: string]: string[] | FieldErrors };

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === 'string' ? body.detail : typeof body.message === 'string' ? body.message : 'error');
  }
}

/** DRF-family errors. */
export const drf = {
  detail: (status: ContentfulStatusCode, detail: string, extra: Record<string, unknown> = {}) =>
    new ApiError(status, { detail, ...extra }),
  notFound: (detail = 'No matching object found.') => new ApiError(404, { detail }),
  forbidden: (detail = 'You do not have permission to perform this action.') => new ApiError(403, { detail }),
  unauthorized: (detail = 'Authentication credentials were not provided.') =>
    new ApiError(401, { detail }, { 'WWW-Authenticate': 'Bearer realm="api"' }),
  invalidToken: () =>
    new ApiError(
      401,
      {
        detail: 'Given token not valid for any token type',
        code: 'token_not_valid',
        messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' }],
      },
      { 'WWW-Authenticate': 'Bearer realm="api"' },
    ),
  /** 400 with field errors, e.g. `drf.fields({ email: ['This field is required.'] })`. */
  fields: (errors: FieldErrors) => new ApiError(400, errors),
  field: (field: string, message: string) => new ApiError(400, { [field]: [message] }),
  nonField: (message: string) => new ApiError(400, { non_field_errors: [message] }),
  throttled: (retryAfter: number) =>
    new ApiError(
      429,
      { detail: `Request was throttled. Expected available in ${retryAfter} seconds.` },
      { 'Retry-After': String(retryAfter) },
    ),
};

/** Workspace-family errors: the `{success:false, message, errors|error}` envelope. */
export const ws = {
  fail: (status: ContentfulStatusCode, message: string, errors?: FieldErrors | string, key: 'errors' | 'error' = 'errors') =>
    new ApiError(status, errors === undefined ? { success: false, message } : { success: false, message, [key]: errors }),
  /** DRF's get_object_or_404 body, which the original returns for missing parents. */
  notFound: (model: string) => new ApiError(404, { detail: `No ${model} matches the given query.` }),
};

/** Which family a path belongs to: the seed-002 routes use the envelope, everything else DRF. */
export function familyOf(path: string): 'workspace' | 'tamiti' {
  return path.startsWith('/api/user/') || path.startsWith('/api/workspace/') ? 'workspace' : 'tamiti';
}

/** A generic error (404 route, 405, 413, malformed body, 500) in the family's shape. */
export function genericError(path: string, status: ContentfulStatusCode, message: string, extra: Record<string, unknown> = {}) {
  return familyOf(path) === 'workspace'
    ? new ApiError(status, { success: false, message, ...extra })
    : new ApiError(status, { detail: message, ...extra });
}

/** A failed D1 constraint, parsed from the driver's message (drizzle keeps it in `cause`). */
export interface ConstraintViolation {
  kind: 'unique' | 'foreign_key' | 'check' | 'not_null';
  /** Columns named by a UNIQUE failure (`workspaces.name` → `name`), or the index name. */
  columns: string[];
  /** The whole message, for matching a named constraint. */
  text: string;
}

/** Parses a D1 constraint error; undefined for any other error. */
export function constraintViolation(err: unknown): ConstraintViolation | undefined {
  const e = err as { message?: unknown; cause?: { message?: unknown; cause?: { message?: unknown } } } | undefined;
  const text = `${String(e?.message ?? err)} ${String(e?.cause?.message ?? '')} ${String(e?.cause?.cause?.message ?? '')}`;
  const unique = /UNIQUE constraint failed: (?:index '([^']+)'|([\w.]+(?:, [\w.]+)*))/.exec(text);
  if (unique) {
    const columns = unique[2] ? unique[2].split(', ').map((c) => c.split('.').pop() ?? c) : [unique[1]];
    return { kind: 'unique', columns, text };
  }
  if (/FOREIGN KEY constraint failed/.test(text)) return { kind: 'foreign_key', columns: [], text };
  if (/CHECK constraint failed/.test(text)) return { kind: 'check', columns: [], text };
  if (/NOT NULL constraint failed/.test(text)) return { kind: 'not_null', columns: [], text };
  return undefined;
}
