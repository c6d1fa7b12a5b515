/**
 * Live rooms: `GET /api/chat/channels/{id}/ws/` and `GET /api/chat/direct-threads/{id}/ws/`
 * upgrade to a WebSocket held by the room's Durable Object. The Worker authenticates the caller
 * and checks the room before any socket exists (401/403/404); the object then trusts what it is
 * told, including the token's expiry, at which it closes the socket.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { decodeJwt } from 'jose';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { drfErrors, idParam } from '../../core/router';
import type { AppEnv } from '../../env';
import { actorFromToken, armGuard, tokenError } from '../../middleware/auth';
import { roomAccess, roomStub, type Room, type RoomKind } from './rooms';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Browsers cannot set headers on a WebSocket, so the token comes as `?token=` or as one of the
 * offered subprotocols (`new WebSocket(url, ['bearer', token])`). Returns the token and the
 * subprotocol to answer with (a browser fails the handshake if none of its offers is selected).
 */
export function upgradeCredentials(c: Context<AppEnv>): { token?: string; protocol?: string } {
  const offered = (c.req.header('sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const fromProtocol = offered.find((p) => JWT_SHAPE.test(p));
  const protocol = offered.length ? (offered.find((p) => p !== fromProtocol) ?? fromProtocol) : undefined;
  const header = c.req.header('authorization');
  const fromHeader = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
  return { token: c.req.query('token') || fromProtocol || fromHeader || undefined, protocol };
}

async function upgrade(c: Context<AppEnv>, kind: RoomKind) {
  const { token, protocol } = upgradeCredentials(c);
  if (!token) throw drf.unauthorized();
  const found = await actorFromToken(c.env.JWT_SECRET, token);
  if (!found) throw tokenError(c.req.path, 'invalid');
  const user = found.actor;
  const scope = c.get('scope');
  scope.actor = user;
  // The user's state rides the membership lookup below (a revoked token or inactive user is a 401).
  armGuard(scope.conn, found.claims);
  const model = kind === 'channel' ? 'Channel' : 'DirectThread';
  const room: Room = { kind, id: parseId(c.req.param('id') ?? '', model) };
  const access = await roomAccess(c.get('db'), room, user);
  if (access === 'not_found') throw drf.notFound(`No ${model} matches the given query.`);
  if (access === 'not_member') throw drf.forbidden('You are not a member of this channel.');
  const since = c.req.query('since');
  if (since !== undefined && (!/^\d+$/.test(since) || !Number.isSafeInteger(Number(since))))
    throw drf.field('since', 'Enter a message id.');
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw drf.detail(426, 'Expected a WebSocket upgrade.');

  const target = new URL('https://chat-room/connect');
  target.searchParams.set('kind', kind);
  target.searchParams.set('id', String(room.id));
  target.searchParams.set('user', String(user.id));
  // Verified above; the room closes the socket when the token expires.
  target.searchParams.set('exp', String(decodeJwt(token).exp));
  if (since !== undefined) target.searchParams.set('since', since);
  if (c.req.query('batch') === '1') target.searchParams.set('batch', '1');
  target.searchParams.set('origin', new URL(c.req.url).origin);
  const res = await roomStub(c.env, room).fetch(target.toString(), { headers: { Upgrade: 'websocket' } });
  if (res.status !== 101 || !res.webSocket) {
    // The room refused (too many sockets, a token that expired meanwhile): its answer in the DRF shape.
    const body = (await res.json().catch(() => ({}))) as { detail?: unknown };
    throw drf.detail(
      res.status === 429 || res.status === 401 ? res.status : 503,
      String(body.detail ?? 'The room is unavailable.'),
    );
  }
  const headers = new Headers();
  if (protocol) headers.set('Sec-WebSocket-Protocol', protocol);
  return new Response(null, { status: 101, webSocket: res.webSocket, headers });
}

const wsQuery = z.object({
  token: z.string().optional().openapi({ description: 'Access token (or send it as a `Sec-WebSocket-Protocol` offer).' }),
  since: z
    .string()
    .optional()
    .openapi({ type: 'integer', description: 'Replay the messages stored after this message id before live traffic.' }),
  batch: z.string().optional().openapi({
    description: '`1`: the client also reads `batch` frames (several messages in one frame; fewer frames under load).',
  }),
});

const wsDescription = `Upgrades to a WebSocket (JSON frames). Client: {"type":"message","content","client_id"}, {"type":"typing"},
{"type":"read","message_id"}, {"type":"ping"}. Server: {"type":"message","message","client_id"?}, {"type":"typing","user"},
{"type":"presence","online"}, {"type":"attachment","message_id","attachment"} (a file attached to a message already sent), {"type":"truncated","before"} (a replay missed more than 500 messages: fetch the older ones with
messages/?before=), {"type":"error","detail"}, {"type":"pong"}; with ?batch=1 also {"type":"batch","frames":[message frames]}. The room closes the socket with 4401 when the token expires
(refresh it and reconnect with ?since=) and with 4403 when the user may no longer be there. At most 5 sockets per user in a
room and 20 across rooms (429).`;

/** Each kind of room's upgrade route: its path, operation id and model name. */
const LIVE_ROUTES = {
  channel: ['/api/chat/channels/{id}/ws/', 'chat_channels_ws', 'channel'],
  thread: ['/api/chat/direct-threads/{id}/ws/', 'chat_direct_threads_ws', 'direct thread'],
} as const;

/** Mounts the upgrade route of one kind of room: a channel's or a direct thread's. */
export function mountLive(app: OpenAPIHono<AppEnv>, kind: RoomKind) {
  const [path, operationId, model] = LIVE_ROUTES[kind];
  const route = createRoute({
    method: 'get',
    path,
    operationId,
    tags: ['chat'],
    summary: `Open a live ${model} socket`,
    description: wsDescription,
    request: {
      params: idParam(model),
      query: wsQuery,
    },
    responses: {
      101: { description: 'Switching Protocols: the room socket' },
      ...drfErrors,
      426: { description: 'Not a WebSocket upgrade request' },
      429: { description: 'Too many open sockets for this user' },
    },
  });
  app.openapi(route, (c) => upgrade(c, kind));
}
