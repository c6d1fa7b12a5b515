/**
 * GET /api/dev/mailbox/?to=<email>: mail delivered by the console transport, newest first.
 * Served only when ENVIRONMENT is "development" (`npm run dev`, through .dev.vars) or "test"; 404
 * everywhere else, production (the committed wrangler.toml) included.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { desc, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { createRouter, jsonResponse } from '../../core/router';
import { devMailbox } from '../../db/schema/users';
import { isDevelopment } from '../../env';

const Mail = z.object({ to: z.string(), subject: z.string(), text: z.string(), created_at: z.string() }).openapi('DevMail');

export function devRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dev/mailbox/',
      operationId: 'dev_mailbox_list',
      tags: ['dev'],
      description: 'Development only: mail delivered by the console transport.',
      request: { query: z.object({ to: z.string().optional() }) },
      responses: { 200: jsonResponse(z.object({ count: z.number().int(), results: z.array(Mail) }), 'Mail, newest first') },
    }),
    async (c) => {
      if (!isDevelopment(c.env)) throw drf.notFound('Not found.');
      const { to } = c.req.valid('query');
      const where = to ? sql`lower(${devMailbox.to}) = ${to.toLowerCase()}` : undefined;
      const rows = await c
        .get('db')
        .select({ to: devMailbox.to, subject: devMailbox.subject, text: devMailbox.text, created_at: devMailbox.created_at })
        .from(devMailbox)
        .where(where)
        .orderBy(desc(devMailbox.id))
        .limit(100);
      return c.json({ count: rows.length, results: rows }, 200);
    },
  );
  return app;
}
