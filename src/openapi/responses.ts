/**
 * Documented responses shared by routes that the route kit's family failures do not cover.
 */
import { z } from '@hono/zod-openapi';

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' as const } },
};

/**
 * A 429 as documented: "too many requests", with its `Retry-After` header. `schema` is the family's
 * error body (`{detail}` for Tamiti, the envelope for workspaces); `why` names the limit.
 */
export function tooManyRequests(schema: z.ZodType, why = 'the rate limit of this action') {
  return {
    description: `Too many requests: past ${why}; retry after the seconds in Retry-After`,
    headers: RETRY_AFTER,
    content: { 'application/json': { schema } },
  };
}

/** The DRF `{detail}` body of a 429. */
export const ThrottledDetail = z.object({ detail: z.string() });
