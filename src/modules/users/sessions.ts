/**
 * What a revocation must reach beyond D1: a user whose tokens were revoked (password reset,
 * deactivation, role change) loses their open chat sockets too, after the response. The rooms
 * holding their sockets are read in the batch of the change itself (`liveRoomsStmt`), so closing
 * them costs no round trip of its own.
 */
import { and, eq, gt } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Db } from '../../db';
import { chatSocketLeases } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { type Room, roomStub } from '../chat/rooms';

/** The rooms where a user holds a live socket, as a statement for the batch of the revoking change. */
export const liveRoomsStmt = (db: Db, userId: number) =>
  db
    .selectDistinct({ kind: chatSocketLeases.room_kind, id: chatSocketLeases.room_id })
    .from(chatSocketLeases)
    .where(and(eq(chatSocketLeases.user, userId), gt(chatSocketLeases.expires_at, Date.now())));

/** Closes the user's sockets in the given rooms, in the background (`waitUntil`). */
export function endLiveSessions(c: Context<AppEnv>, userId: number, rooms: Room[]) {
  if (!rooms.length) return;
  c.executionCtx.waitUntil(
    Promise.all(rooms.map((room) => roomStub(c.env, room).disconnect(userId, 'Your session has ended; sign in again.'))).catch(
      (err) => console.error(JSON.stringify({ level: 'error', msg: 'closing chat sockets failed', userId, error: String(err) })),
    ),
  );
}
