/**
 * The WebSocket frames of a chat room, shared by the server (the ChatRoom Durable Object) and
 * clients. Every frame is one JSON object with a `type`.
 */

/** A stored message in the REST shape (channel messages carry `channel`, direct ones `thread`). */
export interface WireMessage {
  id: number;
  channel?: number;
  thread?: number;
  sender: number | null;
  content: string;
  timestamp: string;
  attachments: { id: number; file: string; uploaded_at: string }[];
}

/** Frames a client sends. */
export type ClientFrame =
  | { type: 'message'; content: string; client_id?: string }
  | { type: 'typing' }
  | { type: 'read'; message_id: number }
  | { type: 'ping' };

/**
 * Frames the server sends. `client_id` is the sender's own id for the message, when it gave one.
 * `truncated` comes first in a replay that missed more than REPLAY_LIMIT messages: the ones stored
 * before `before` are fetched with `GET .../messages/?before=<before>`. A socket opened with
 * `?batch=1` also receives `batch` frames: several `message` frames, in stored order, in one.
 * `attachment` says a file was attached to a message already sent (`upload_attachment/`); a message
 * posted with its file (`create-with-file/`) carries it in its own `attachments`.
 */
export type ServerFrame =
  | { type: 'message'; message: WireMessage; client_id?: string }
  | { type: 'batch'; frames: ServerFrame[] }
  | { type: 'attachment'; message_id: number; attachment: WireMessage['attachments'][number] }
  | { type: 'typing'; user: number }
  | { type: 'presence'; online: number[] }
  | { type: 'truncated'; before: number }
  | { type: 'error'; detail: string }
  | { type: 'pong' };

/**
 * Close codes of a room socket. 4401: the token expired (refresh it and reconnect, with `since`).
 * 4403: the user may no longer be in the room (removed, left, deactivated, or the room was deleted).
 */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/** Longest message content, over REST and over a socket. */
export const MAX_CONTENT = 4000;
/** Frames a socket may send per second; more get an error frame and are dropped. */
export const MAX_FRAMES_PER_SECOND = 10;
/** Longest `client_id` echoed back. */
export const MAX_CLIENT_ID = 100;
/** Messages a user may post per window, over REST and sockets together, unless `CHAT_POST_RATE` says otherwise. */
export const DEFAULT_POST_RATE = { count: 30, seconds: 10 };
/** Open sockets a user may hold in one room, and across all rooms. */
export const MAX_SOCKETS_PER_ROOM = 5;
export const MAX_SOCKETS_PER_USER = 20;
/** Messages in one page of `messages/` and embedded in one direct thread's detail. */
export const HISTORY_PAGE = 100;
/** Messages embedded per thread in a list of threads, and members embedded per channel. */
export const EMBED_IN_LIST = 10;
export const MEMBERS_EMBEDDED = 100;
/** Most messages a reconnect with `since` replays (the newest ones); older ones come from `messages/`. */
export const REPLAY_LIMIT = 500;
/** Longest raw frame read (bytes of JSON); anything longer cannot hold a valid message. */
export const MAX_FRAME_CHARS = MAX_CONTENT * 6 + 1024;

/** Parses and checks one client frame; returns the frame or the error detail to send back. */
export function parseClientFrame(raw: string | ArrayBuffer): ClientFrame | { error: string } {
  if (typeof raw !== 'string') return { error: 'Binary frames are not supported; send JSON text.' };
  if (raw.length > MAX_FRAME_CHARS) return { error: `Ensure the message has no more than ${MAX_CONTENT} characters.` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { error: 'Frames must be JSON.' };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { error: 'Frames must be JSON objects with a "type".' };
  const frame = data as Record<string, unknown>;
  switch (frame.type) {
    case 'message': {
      if (typeof frame.content !== 'string') return { error: 'Message content cannot be empty.' };
      const content = frame.content.trim();
      if (!content) return { error: 'Message content cannot be empty.' };
      if (content.length > MAX_CONTENT) return { error: `Ensure the message has no more than ${MAX_CONTENT} characters.` };
      const clientId = frame.client_id;
      if (clientId !== undefined && clientId !== null && (typeof clientId !== 'string' || clientId.length > MAX_CLIENT_ID))
        return { error: `client_id must be a string of at most ${MAX_CLIENT_ID} characters.` };
      return { type: 'message', content, client_id: typeof clientId === 'string' ? clientId : undefined };
    }
    case 'typing':
      return { type: 'typing' };
    case 'ping':
      return { type: 'ping' };
    case 'read': {
      const id = frame.message_id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return { error: 'message_id must be a message id.' };
      return { type: 'read', message_id: id };
    }
    default:
      return { error: `Unknown frame type: ${JSON.stringify(frame.type ?? null).slice(0, 40)}.` };
  }
}
