/**
 * What channels and direct threads answer alike once a route's first round trip loaded the room
 * (and the caller's place in it): the history page of `messages/` and the read marker of
 * `mark_read/`, `mark-read-up-to/` and `unread_count/`.
 */
import { drf } from '../../core/errors';
import { reply } from '../../core/route';
import type { Scope } from '../../core/scope';
import type { Db } from '../../db';
import { nowIso } from '../../db/columns';
import { attachmentsStmt, idsOf, withAttachments } from './attachments';
import { type Room, signAttachments } from './rooms';
import { historyStmt, linkNext, markReadStmt } from './shared';

/** The statements `messages/` adds to its first round trip: the history page and its attachments. */
export function historyStmts(db: Db, room: Room, before: number | undefined) {
  const history = historyStmt(db, room, before);
  return [history, attachmentsStmt(db, room.kind, idsOf(history))];
}

/** A history page as `messages/` answers it: attachments signed, a Link to older messages when more remain. */
export async function historyReply<T extends { id: number }>(
  s: Scope,
  requestUrl: string,
  page: { messages: T[]; more: boolean },
  attachments: unknown,
) {
  const messages = await signAttachments(s, withAttachments(page.messages, attachments));
  if (page.more) return reply(messages, { headers: linkNext(requestUrl, 'before', messages[0].id) });
  return messages;
}

/** `mark_read/`: the caller's read marker moves to now. */
export async function markReadNow(db: Db, room: Room, userId: number) {
  const at = nowIso();
  const [row] = await markReadStmt(db, room, userId, at);
  return { detail: 'Marked as read.', last_read_at: row?.last_read_at ?? at };
}

/**
 * `mark-read-up-to/`: the marker moves to the message the first round trip loaded (404 when it is
 * not one of the room's); it never moves backwards.
 */
export async function markReadUpTo(db: Db, room: Room, userId: number, loaded: unknown) {
  const [message] = loaded as { timestamp: string }[];
  if (!message) throw drf.notFound('Message not found.');
  const [row] = await markReadStmt(db, room, userId, message.timestamp);
  return { detail: 'Marked as read.', last_read_at: row?.last_read_at ?? message.timestamp };
}

/** `unread_count/`'s answer from the count the first round trip loaded. */
export const unreadCountOf = (loaded: unknown) => ({ unread_count: (loaded as { n: number }[])[0]?.n ?? 0 });
