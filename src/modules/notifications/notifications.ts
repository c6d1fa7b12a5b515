/**
 * GET /api/notifications/ and /api/notifications/{id}/: the caller's own notifications, newest
 * first; anyone else's are 404. Rows are written only by the queue consumer.
 */
import { eq, sql } from 'drizzle-orm';
import { Actor, Notification, Notification_READ_ONLY, NotificationRequest } from '../../contract/tamiti/notifications.gen';
import { publicUsername } from '../../core/contact';
import { paginated } from '../../core/pagination';
import type { ResourceDef } from '../../core/resource';
import { indexById, referencedIds } from '../../db';
import { notifications } from '../../db/schema/notifications';
import { users } from '../../db/schema/users';

/**
 * The reference's Notification, with the actor nullable as it really is (system events have none);
 * an actor's email-like username reads `user-<id>` (core/contact.ts).
 */
const NotificationRead = Notification.extend({ actor: Actor.nullable().openapi({ readOnly: true }) }).openapi('NotificationRead');

export const notificationResource: ResourceDef<typeof notifications> = {
  path: '/notifications/',
  operationId: 'notifications',
  tag: 'notifications',
  model: 'Notification',
  table: notifications,
  schemas: {
    read: NotificationRead,
    write: NotificationRequest,
    patch: NotificationRequest,
    page: paginated(NotificationRead, 'PaginatedNotificationReadList'),
  },
  readOnly: Notification_READ_ONLY,
  actions: ['list', 'retrieve'],
  audience: 'any',
  scope: (k) => eq(notifications.recipient, k.user.id),
  defaultOrdering: ['-created_at', '-id'],
  filters: {
    is_read: { column: notifications.is_read, type: 'bool' },
    created_at__gte: { column: notifications.created_at, op: 'gte', type: 'datetime' },
    created_at__lte: { column: notifications.created_at, op: 'lte', type: 'datetime' },
  },
  // The actors of the rows, in the rows' own round trip (id and username only).
  expansion: {
    load: (k, ids) => [
      k.db
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(sql`${users.id} in ${referencedIds(notifications, notifications.actor, ids)}`),
    ],
    attach: (k, rows, [loaded]) => {
      const actors = indexById(loaded as { id: number; username: string }[]);
      return rows.map((r) => {
        const actor = typeof r.actor === 'number' ? actors.get(r.actor) : undefined;
        return { ...r, actor: actor ? { id: actor.id, username: publicUsername(k.user, actor) } : null };
      });
    },
  },
};
