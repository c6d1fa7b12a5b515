/**
 * GET /api/dev/mailbox/?to=<email>: mail delivered by the console transport, newest first; and
 * the Google sign-in stand-in (google.ts).
 * Served only when ENVIRONMENT is "development" (`npm run dev`, through .dev.vars) or "test"; 404
 * everywhere else, production (the committed wrangler.toml) included.
 */
import { z } from '@hono/zod-openapi';
import { desc, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { mount, route } from '../../core/route';
import { createRouter } from '../../core/router';
import { devMailbox } from '../../db/schema/users';
import { isDevelopment } from '../../env';
import { mountDevGoogle } from './google';

const Mail = z.object({ to: z.string(), subject: z.string(), text: z.string(), created_at: z.string() }).openapi('DevMail');

const mailbox = route({
  method: 'get',
  path: '/api/dev/mailbox/',
  operationId: 'dev_mailbox_list',
  summary: 'Read the development mailbox',
  tags: ['dev'],
  description:
    'Development only (ENVIRONMENT `development` or `test`; 404 in production): the last 100 mails delivered by the console transport, newest first, optionally only those to `?to=` (case-insensitive). Use it to open verify links and read reset codes locally. No token needed.',
  auth: 'public',
  query: z.object({ to: z.string().optional() }),
  response: z.object({ count: z.number().int(), results: z.array(Mail) }),
  responseDescription: 'Mail, newest first',
  omitFailures: [400, 401, 403, 404],
  async handler({ s, db, query: { to } }) {
    if (!isDevelopment(s.env)) throw drf.notFound('Not found.');
    const where = to ? sql`lower(${devMailbox.to}) = ${to.toLowerCase()}` : undefined;
    const rows = await db
      .select({ to: devMailbox.to, subject: devMailbox.subject, text: devMailbox.text, created_at: devMailbox.created_at })
      .from(devMailbox)
      .where(where)
      .orderBy(desc(devMailbox.id))
      .limit(100);
    return { count: rows.length, results: rows };
  },
});

export function devRoutes() {
  const app = createRouter();
  mount(app, mailbox);
  mountDevGoogle(app);
  return app;
}
