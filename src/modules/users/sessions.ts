/**
 * What a revocation must reach beyond D1: a user whose tokens were revoked (password reset,
 * deactivation, role change) loses their open chat sockets too, after the response.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { closeUserSockets } from '../chat/rooms';

/** Closes the user's chat sockets in every room, in the background (`waitUntil`). */
export function endLiveSessions(c: Context<AppEnv>, userId: number) {
  c.executionCtx.waitUntil(
    closeUserSockets(c.env, userId).catch((err) =>
      console.error(JSON.stringify({ level: 'error', msg: 'closing chat sockets failed', userId, error: String(err) })),
    ),
  );
}
