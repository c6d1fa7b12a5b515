/**
 * POST /api/notifications/{id}/mark-read/, {id}/mark-unread/ and mark-all-read/. The reference
 * documents a Notification body for both request and response; the original takes no body and
 * answers `{"status": ...}` / `{"updated": n}`, which is what clients rely on (any body is ignored).
 * Each is one D1 round trip: the update is scoped to the caller's own rows and says what it changed.
 */
import { idParam } from '../../core/router';
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { mount, route } from '../../core/route';
import type { Db } from '../../db';
import { notifications } from '../../db/schema/notifications';
import type { AppEnv } from '../../env';

const MarkStatus = z.object({ status: z.string().openapi({ example: 'marked read' }) }).openapi('NotificationMarkStatus');
const MarkAllResult = z
  .object({ updated: z.number().int().openapi({ description: 'How many unread notifications were marked read.' }) })
  .openapi('NotificationMarkAllResult');

/**
 * Sets is_read on one of `recipient`'s notifications in one statement (updated_at is not bumped:
 * the original saves only is_read); false when no such notification is the recipient's.
 */
export async function setRead(db: Db, recipient: number, id: number, isRead: boolean): Promise<boolean> {
  const changed = await db
    .update(notifications)
    .set({ is_read: isRead })
    .where(and(eq(notifications.id, id), eq(notifications.recipient, recipient)))
    .returning({ id: notifications.id });
  return changed.length > 0;
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

const markAll = route({
  method: 'post',
  path: '/api/notifications/mark-all-read/',
  operationId: 'notifications_mark_all_read_create',
  summary: 'Mark all my notifications read',
  description:
    "Marks all of the caller's unread notifications read and answers how many changed (`updated`). Any signed-in user.",
  tags: ['notifications'],
  response: MarkAllResult,
  handler: async ({ db, actor }) => ({ updated: await markAllRead(db, actor.id) }),
});

/** mark-read (`isRead` true) or mark-unread: someone else's notification is the same 404 as a missing one. */
const markOne = (action: 'mark-read' | 'mark-unread', isRead: boolean) =>
  route({
    method: 'post',
    path: `/api/notifications/{id}/${action}/`,
    operationId: `notifications_${action.replace('-', '_')}_create`,
    summary: isRead ? 'Mark a notification read' : 'Mark a notification unread',
    description: `Sets one of the caller's notifications ${isRead ? 'read' : 'unread'}; someone else's notification is a 404. Any signed-in user.`,
    tags: ['notifications'],
    params: idParam('notification'),
    response: MarkStatus,
    handler: async ({ db, actor, params }) => {
      const id = parseId(params.id, 'Notification');
      if (!(await setRead(db, actor.id, id, isRead))) throw drf.notFound('No Notification matches the given query.');
      return { status: isRead ? 'marked read' : 'marked unread' };
    },
  });

export function mountMarkRead(app: OpenAPIHono<AppEnv>) {
  mount(app, markAll);
  mount(app, markOne('mark-read', true));
  mount(app, markOne('mark-unread', false));
}
