/**
 * Chat attachments (issue 18): `POST /api/chat/channel-messages/{id}/upload_attachment/` and
 * `POST /api/chat/direct-messages/{id}/upload_attachment/` store a multipart `file` in R2 (the
 * types of `MEDIA`, at most 10 MB, the type read from its first bytes) for a message of a room the
 * caller is in (404 otherwise, as for an invisible room), and answer the message (201). Messages
 * list their `attachments: [{id, file, uploaded_at}]`, loaded in the rows' own batch, `file` a URL
 * signed for this response only (serializers of rows the caller may see). Deleting a message
 * releases its objects through the queue.
 */
import { idParam } from '../../core/router';
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq, inArray, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { DirectMessage } from '../../contract/tamiti/chat.gen';
import { ChannelMessage } from '../../contract/tamiti/chat/channel-messages.gen';
import { drf } from '../../core/errors';
import { int } from '../../core/fields';
import {
  checkUpload,
  discardUploads,
  type FileRule,
  MEDIA,
  type StoredFile,
  storeUpload,
  UploadError,
  uploadsOf,
} from '../../core/files';
import type { Expansion, Kit, Row, WriteEvent } from '../../core/resource';
import { parseId, pickAs } from '../../core/resource';
import { mount, route } from '../../core/route';
import type { Scope } from '../../core/scope';
import { type Db, groupBy, runBatch } from '../../db';
import { chatAttachments, chatChannelMessages, chatDirectMessages } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { MAX_CONTENT, type WireMessage } from './frames';
import {
  channelWithMember,
  isParticipant,
  liveThread,
  memberChannelIds,
  participantThreadIds,
  type Room,
  type RoomKind,
  roomStub,
  signAttachments,
} from './rooms';
import { postRefused } from './shared';

/** What a chat attachment may be. */
export const ATTACHMENT_RULE: FileRule = { types: MEDIA, prefix: 'chat' };

type AttachmentRow = typeof chatAttachments.$inferSelect;

/** The attachments of the messages `ids` (a subquery or a list), as one statement for a batch. */
export function attachmentsStmt(db: Db, kind: RoomKind, ids: SQL | number[]) {
  const t = chatAttachments;
  return db
    .select()
    .from(t)
    .where(and(eq(t.kind, kind), Array.isArray(ids) ? inArray(t.message, ids) : sql`${t.message} in ${ids}`))
    .orderBy(asc(t.message), asc(t.id));
}

type Attachment = WireMessage['attachments'][number];

/** Adds each message's attachments (`file` still the key: `signAttachments` makes it a URL). */
export function withAttachments<T extends { id: number }>(rows: T[], loaded: unknown): (T & { attachments: Attachment[] })[] {
  const byMessage = groupBy(loaded as AttachmentRow[], 'message');
  return rows.map((r) => ({
    ...r,
    attachments: ((byMessage.get(r.id) ?? []) as AttachmentRow[]).map((a) => ({
      id: a.id,
      file: a.file,
      uploaded_at: a.uploaded_at,
    })),
  }));
}

/** The ids of the messages a statement selects, as a subquery (its attachments go in the same batch). */
export const idsOf = (stmt: SQLWrapper) => sql`(select id from (${stmt}))`;

/** The message resources' expansion: attachments in the rows' batch. */
export const attachmentExpansion = (kind: RoomKind): Expansion => ({
  load: (k, ids) => [attachmentsStmt(k.db, kind, ids)],
  attach: (_k, rows, [loaded]) => withAttachments(rows, loaded),
});

/** The message resources' `expand`: signs the attachments' URLs (no query). */
export const signExpanded = (k: Kit, rows: Row[]) => signAttachments(k.s, rows);

/**
 * A message delete's side effect: its attachment rows go in the same batch, their keys read back
 * for `releasedAttachments`.
 */
export const dropAttachmentsStmt = (db: Db, kind: RoomKind, messageId: number) =>
  db
    .delete(chatAttachments)
    .where(and(eq(chatAttachments.kind, kind), eq(chatAttachments.message, messageId)))
    .returning({ file: chatAttachments.file });

/** The keys a message delete released (its side effect's rows), as the queue's `file_delete` event. */
export function releasedAttachments(ev: WriteEvent): string[] {
  const [rows] = (ev.effects ?? []) as { file: string }[][];
  return (rows ?? []).map((r) => r.file);
}

const ChatAttachmentUpload = z
  .object({ file: z.any().optional().openapi({ type: 'string', format: 'binary' }) })
  .openapi('ChatAttachmentUploadRequest');

/** The two message tables a file can be attached to, with what their upload route needs. */
const UPLOAD_TARGETS = {
  channel: {
    kind: 'channel',
    model: 'ChannelMessage',
    schema: ChannelMessage,
    table: chatChannelMessages,
    roomColumn: chatChannelMessages.channel,
    rooms: memberChannelIds,
  },
  thread: {
    kind: 'thread',
    model: 'DirectMessage',
    schema: DirectMessage,
    table: chatDirectMessages,
    roomColumn: chatDirectMessages.thread,
    rooms: participantThreadIds,
  },
} as const;
type UploadTarget = (typeof UPLOAD_TARGETS)[keyof typeof UPLOAD_TARGETS];

/** The live message `id` of a room the caller is in; 404 otherwise, as for a message they cannot see. */
async function visibleMessage(db: Db, t: UploadTarget, id: number, userId: number) {
  const [found] = await db
    .select({ id: t.table.id })
    .from(t.table)
    .where(and(eq(t.table.id, id), eq(t.table.is_deleted, false), inArray(t.roomColumn, t.rooms(db, userId))))
    .limit(1);
  if (!found) throw drf.notFound(`No ${t.model} matches the given query.`);
}

/**
 * One batch: the attachment row, the message read back and its attachments; then the message with
 * its URLs signed, and the room's sockets told of the new attachment.
 */
async function attach(s: Scope, db: Db, t: UploadTarget, id: number, stored: StoredFile) {
  const [[inserted], [row], loaded] = (await runBatch(db, [
    db
      .insert(chatAttachments)
      .values({ kind: t.kind, message: id, file: stored.key, name: stored.name, content_type: stored.type, size: stored.size })
      .returning({ id: chatAttachments.id }),
    db.select().from(t.table).where(eq(t.table.id, id)).limit(1),
    attachmentsStmt(db, t.kind, [id]),
  ])) as [{ id: number }[], Row[], unknown];
  const [body] = await signAttachments(s, withAttachments([row], loaded));
  await announce(
    s,
    { kind: t.kind, id: Number(row[t.kind]) },
    id,
    body.attachments.find((a) => a.id === inserted?.id),
  );
  return body;
}

/** `upload_attachment/` of one message table (see the file comment). */
function uploadRoute(t: UploadTarget, path: string, operationId: string) {
  const room = t.kind === 'channel' ? 'channel' : 'thread';
  return route({
    method: 'post',
    path,
    operationId,
    tags: ['chat'],
    summary: `Attach a file to a ${t.kind === 'channel' ? 'channel' : 'direct'} message`,
    description: `Stores the multipart \`file\` (${ATTACHMENT_RULE.types.join(', ')}; at most 10 MB; the type is read from the file's first bytes) as an attachment of the message and answers the message with its attachments (signed URLs, valid 1 hour). Members of the ${room} only: anyone else gets 404, as for a message they cannot see. 400 for a missing file or a type not allowed, 413 for a file too large; nothing is stored then.`,
    params: idParam(t.model),
    body: ChatAttachmentUpload,
    bodyRequired: false,
    files: { file: ATTACHMENT_RULE },
    status: 201,
    response: t.schema,
    handler: async ({ s, db, actor, params, c }) => {
      const id = parseId(params.id, t.model);
      await visibleMessage(db, t, id, actor.id);
      const [file, ...more] = uploadsOf(c.req.raw).get('file') ?? [];
      const stored = await storeAttachment(s.env, file, more.length);
      try {
        return pickAs(t.schema, await attach(s, db, t, id, stored));
      } catch (err) {
        await discardUploads(s.env, [stored.key]);
        throw err;
      }
    },
  });
}

const channelUploadRoute = uploadRoute(
  UPLOAD_TARGETS.channel,
  '/api/chat/channel-messages/{id}/upload_attachment/',
  'chat_channel_messages_upload_attachment_create',
);
const directUploadRoute = uploadRoute(
  UPLOAD_TARGETS.thread,
  '/api/chat/direct-messages/{id}/upload_attachment/',
  'chat_direct_messages_upload_attachment_create',
);

/**
 * Mounts the file routes of one kind of message, a channel's or a direct thread's: `{id}/upload_attachment/`
 * and `create-with-file/`.
 */
export function mountMessageFiles(app: OpenAPIHono<AppEnv>, kind: RoomKind) {
  if (kind === 'channel') {
    mount(app, channelUploadRoute);
    mountChannelCreateWithFile(app);
  } else {
    mount(app, directUploadRoute);
    mountDirectCreateWithFile(app);
  }
}

/**
 * Tells the room's sockets that `attachment` (its URL signed) was added to message `messageId`: an
 * `attachment` frame. A failure is logged: the file is stored and listed on the message either way.
 */
async function announce(s: Scope, room: Room, messageId: number, attachment: Attachment | undefined) {
  if (!attachment) return;
  try {
    await roomStub(s.env, room).attached(messageId, attachment);
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'chat attachment broadcast failed', room, error: String(err) }));
  }
}

/** A checked upload stored under a new key; a refused file is the DRF 400/413 on `file`, nothing stored. */
async function storeAttachment(env: Scope['env'], file: File | undefined, more: number) {
  if (!file) throw drf.field('file', 'No file was submitted.');
  if (more) throw drf.field('file', 'Send one file for this field.');
  try {
    return await storeUpload(env, await checkUpload('file', file, ATTACHMENT_RULE), ATTACHMENT_RULE.prefix);
  } catch (err) {
    if (err instanceof UploadError) throw err.toApiError('drf');
    throw err;
  }
}

const fileField = z.any().optional().openapi({ type: 'string', format: 'binary' });
const ChannelMessageWithFile = z
  .object({ channel: int(), content: z.string().optional(), file: fileField })
  .openapi('ChannelMessageWithFileRequest');
const DirectMessageWithFile = z
  .object({ thread: int(), content: z.string().optional(), file: fileField })
  .openapi('DirectMessageWithFileRequest');

/** Optional content with a file: trimmed, at most MAX_CONTENT characters (may be empty). */
function optionalContent(content: string | undefined): string {
  const text = (content ?? '').trim();
  if (text.length > MAX_CONTENT) throw drf.field('content', `Ensure this field has no more than ${MAX_CONTENT} characters.`);
  return text;
}

/**
 * Posts the room's new message with the stored file through its Durable Object, which inserts the
 * attachment in the message's own batch and broadcasts the message with it (its URL signed).
 * A refused post or a failed write removes the object.
 */
async function postWithFile(s: Scope, room: Room, sender: number, content: string, stored: StoredFile) {
  const file = { key: stored.key, name: stored.name, type: stored.type, size: stored.size };
  const result = await roomStub(s.env, room)
    .post(room, sender, content, file, new URL(s.url).origin)
    .catch(async (err) => {
      await discardUploads(s.env, [stored.key]);
      throw err;
    });
  if ('error' in result) {
    await discardUploads(s.env, [stored.key]);
    throw postRefused(
      result,
      room.kind === 'channel' ? 'You are not a member of this channel.' : 'You are not a participant of this thread.',
    );
  }
  return result.message;
}

const createDescription = (room: string, rule: string) =>
  `Posts a message with one file (multipart: ${rule}, \`content\` optional, \`file\` one of ${ATTACHMENT_RULE.types.join(', ')}, at most 10 MB, the type read from its first bytes): the same rules as a plain post (membership, posting limit), and 201 with the message and its attachment (a signed URL). The room's sockets receive the message with its attachment, as any message. A ${room} the caller cannot see is a 400, as one that does not exist.`;

function mountChannelCreateWithFile(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/chat/channel-messages/create-with-file/',
      operationId: 'chat_channel_messages_create_with_file_create',
      tags: ['chat'],
      summary: 'Post a channel message with a file',
      description: createDescription('channel', '`channel`'),
      body: ChannelMessageWithFile,
      files: { file: ATTACHMENT_RULE },
      status: 201,
      response: ChannelMessage,
      responses: { 429: { description: 'Past the per-user posting limit (Retry-After)' } },
      handler: async ({ s, db, actor, body, c }) => {
        const content = optionalContent(body.content);
        const found = await channelWithMember(db, body.channel, actor.id);
        const invisible = !found || (!found.member && (found.channel.is_private || actor.role === 'Customer'));
        if (invisible) throw drf.field('channel', `Invalid pk "${body.channel}" - object does not exist.`);
        if (!found.member) throw drf.forbidden('You are not a member of this channel.');
        const [file, ...more] = uploadsOf(c.req.raw).get('file') ?? [];
        const stored = await storeAttachment(s.env, file, more.length);
        const message = await postWithFile(s, { kind: 'channel', id: body.channel }, actor.id, content, stored);
        return { ...message, channel: body.channel };
      },
    }),
  );
}

function mountDirectCreateWithFile(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/chat/direct-messages/create-with-file/',
      operationId: 'chat_direct_messages_create_with_file_create',
      tags: ['chat'],
      summary: 'Send a direct message with a file',
      description: createDescription('thread', '`thread`'),
      body: DirectMessageWithFile,
      files: { file: ATTACHMENT_RULE },
      status: 201,
      response: DirectMessage,
      responses: { 429: { description: 'Past the per-user posting limit (Retry-After)' } },
      handler: async ({ s, db, actor, body, c }) => {
        const content = optionalContent(body.content);
        const thread = await liveThread(db, body.thread);
        if (!thread || !isParticipant(thread, actor.id))
          throw drf.field('thread', `Invalid pk "${body.thread}" - object does not exist.`);
        const [file, ...more] = uploadsOf(c.req.raw).get('file') ?? [];
        const stored = await storeAttachment(s.env, file, more.length);
        const message = await postWithFile(s, { kind: 'thread', id: thread.id }, actor.id, content, stored);
        return { ...message, thread: thread.id };
      },
    }),
  );
}
