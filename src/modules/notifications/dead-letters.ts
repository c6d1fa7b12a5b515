/**
 * GET /api/notifications/dead-letters/ (Admin only; not in the reference): the events that kept
 * failing and reached the dead-letter queue, or that no handler could process, newest first.
 * Each keeps the message's metadata only (see consumer.ts), never a mail's text or address.
 */
import { z } from '@hono/zod-openapi';
import type { ResourceDef } from '../../core/resource';
import { deadLetters } from '../../db/schema/notifications';

const DeadLetter = z
  .object({
    id: z.number().int(),
    queue: z.string(),
    event_id: z.string().nullable(),
    body: z.any().openapi({
      description:
        "The message's metadata: type, id, recipient (id, or a hash of the address), subject or verb, attempts; never a mail's text.",
    }),
    reason: z.string().nullable().openapi({ description: 'Why it was dead-lettered, when known.' }),
    received_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('DeadLetter');

export const deadLetterResource: ResourceDef<typeof deadLetters> = {
  path: '/notifications/dead-letters/',
  operationId: 'notifications_dead_letters',
  tag: 'notifications',
  model: 'DeadLetter',
  table: deadLetters,
  schemas: { read: DeadLetter, write: DeadLetter, patch: DeadLetter },
  actions: ['list', 'retrieve'],
  can: (k) => k.user.role === 'Admin',
  defaultOrdering: ['-received_at', '-id'],
  filters: { queue: { column: deadLetters.queue }, event_id: { column: deadLetters.event_id } },
};
