/**
 * POST /api/notifications/{id}/mark-read/, {id}/mark-unread/ and mark-all-read/. The reference
 * documents a Notification body for both request and response; the original takes no body and
 * answers `{"status": ...}` / `{"updated": n}`, which is what clients rely on (any body is ignored).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { getVisible, kitOf, parseId } from '../../core/resource';
import type { Db } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import { notifications } from '../../db/schema/notifications';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { notificationResource } from './notifications';

const MarkStatus = z.object({ status: z.string().openapi({ example: 'marked read' }) }).openapi('NotificationMarkStatus');
const MarkAllResult = z
  .object({ updated: z.number().int().openapi({ description: 'How many unread notifications were marked read.' }) })
  .openapi('NotificationMarkAllResult');

const idParam = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    type: 'integer',
    description: 'A unique integer value identifying this notification.',
  }),
});

/** Sets is_read on one notification (updated_at is not bumped: the original saves only is_read). */
export async function setRead(db: Db, id: number, isRead: boolean) {
  await db.update(notifications).set({ is_read: isRead }).where(eq(notifications.id, id));
}

/** Marks every unread notification of a user read; returns how many changed. */
export async function markAllRead(db: Db, userId: number): Promise<number> {
  const result = await db
    .update(notifications)
    .set({ is_read: true })
    .where(and(eq(notifications.recipient, userId), eq(notifications.is_read, false)))
    .run();
  return result.meta.changes ?? 0;
}

export function mountMarkRead(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/notifications/mark-all-read/',
      operationId: 'notifications_mark_all_read_create',
      summary: 'Mark all my notifications read',
      tags: ['notifications'],
      security: bearer,
      middleware: [requireAuth()] as const,
      description:
        "Marks all of the caller's unread notifications read and answers how many changed (`updated`). Any signed-in user.",
      responses: { 200: jsonResponse(MarkAllResult, ''), ...drfErrors },
    }),
    async (c) => {
      const k = kitOf(c, 'any');
      return c.json({ updated: await markAllRead(k.db, k.user.id) }, 200);
    },
  );

  for (const [action, isRead] of [
    ['mark-read', true],
    ['mark-unread', false],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/notifications/{id}/${action}/`,
        operationId: `notifications_${action.replace('-', '_')}_create`,
        summary: isRead ? 'Mark a notification read' : 'Mark a notification unread',
        description: `Sets one of the caller's notifications ${isRead ? 'read' : 'unread'}; someone else's notification is a 404. Any signed-in user.`,
        tags: ['notifications'],
        security: bearer,
        middleware: [requireAuth()] as const,
        request: { params: idParam },
        responses: { 200: jsonResponse(MarkStatus, ''), ...drfErrors },
      }),
      async (c) => {
        const k = kitOf(c, 'any');
        const row = await getVisible(notificationResource, k, parseId(c.req.param('id') ?? '', 'Notification'));
        await setRead(k.db, row.id, isRead);
        return c.json({ status: isRead ? 'marked read' : 'marked unread' }, 200);
      },
    );
  }
}
