/**
 * Start-up warm-up: runs once, at module evaluation, the library paths every API request takes on
 * its first use, so V8 compiles them while the Worker starts rather than on its first request.
 * Cloudflare starts a Worker during the TLS handshake of the request that needs it, so start-up
 * work is largely hidden where first-request work is not (the same trade as evaluating the route
 * kit at start-up, src/index.ts). Only what every first request needs, whichever module it reaches:
 *
 * - zod parsing a request's query and body, as the validator calls it (`safeParseAsync`): an
 *   object of optional strings (the list parameters), and one of the kit's field kinds
 *   (core/fields.ts: a lenient string, a coerced number and boolean, a checked datetime);
 * - drizzle building a list's statements: a filtered, ordered, paged select and its count, on
 *   the kit's drizzle over no database (nothing is ever run);
 * - the access-token check (core/jwt.ts `verifyAccess`: WebCrypto's HMAC and jose's verify) of a
 *   constant token under a constant key of its own. Neither is a secret: the Worker checks
 *   requests' tokens against JWT_SECRET only, which this key never is.
 *
 * Not the paths of a failed validation or of a write: not every first request takes them. Pure
 * computation: no I/O, no bindings, nothing kept. A failure here must never stop the Worker from
 * starting, so index.ts swallows it; test/platform/warm-up.test.ts runs it and fails on any error.
 * Measured in the README (issue 16).
 */
import { z } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, isNull, like, or, sql } from 'drizzle-orm';
import { offlineDb } from '../db/compiled';
import { users } from '../db/schema/users';
import { bool, datetime, int, str } from './fields';
import { verifyAccess } from './jwt';
import { pageParams } from './pagination';

/** The warm-up's own key, and an access token it signed (user 1, Staff, expiring in 2100). */
export const WARM_KEY = 'start-up warm-up only, never a real secret';
export const WARM_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwidXNlcl9pZCI6IjEiLCJqdGkiOiJ3YXJtdXAiLCJ1aWQiOiJ3YXJtdXAiLCJyb2xlIjoiU3RhZmYiLCJ0diI6MCwiaWF0IjoxNzY0NTQ3MjAwLCJleHAiOjQxMDI0NDQ4MDB9.741bJf9Xp7RXRID478armiMgk0WilSW8wZth5mO2lmE';

/** Runs the warm-up; resolves when zod's asynchronous parses and the token check have settled. */
export async function warmUp(): Promise<void> {
  const claims = verifyAccess(WARM_KEY, WARM_TOKEN);
  const query = z.object({ ...pageParams, search: z.string().optional(), ordering: z.string().optional() });
  const body = z.object({
    name: str({ max: 50 }),
    count: int({ min: 0 }).nullable().optional(),
    active: bool().optional(),
    at: datetime().nullable().optional(),
  });
  const parsed = await Promise.all([
    query.safeParseAsync({ page: '2', page_size: '20' }),
    body.safeParseAsync({ name: ' warm ', count: '3', active: 'true', at: '2026-01-02T03:04:05Z' }),
  ]);
  if (!parsed[0].success || !parsed[1].success) throw new Error('warm-up: unexpected parse result');

  // The kit's own drizzle over no database, which `statement` builds on (db/compiled.ts).
  const db = offlineDb();
  const where = and(eq(users.is_active, true), or(like(users.username, '%w%'), isNull(users.last_login)));
  db.select({ total: count() }).from(users).where(where).toSQL();
  db.select()
    .from(users)
    .where(where)
    .orderBy(desc(users.date_joined), asc(users.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .toSQL();

  if ((await claims)?.user_id !== '1') throw new Error('warm-up: the token check failed');
}
