/**
 * Chat attachments (issue 18): a member uploads a file to a message (multipart `file`), the message
 * lists it with a signed URL serving the same bytes, anyone outside the room gets the 404 of an
 * invisible message, the type and size limits refuse before storing, and deleting the message
 * removes the object (through the queue). The room's sockets get a message posted with its file
 * like any message, an attachment added later as an `attachment` frame, and both on a replay.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join, makeChannel, makeThread, postChannelMessage } from '../helpers/chat';
import { countObjects, exists, form, html, jpeg, keyOf, pdf, waitGone } from '../helpers/files';
import { api, fetchUrl, makeUser, type TestUser } from '../helpers';

let owner: TestUser;
let member: TestUser;
let stranger: TestUser;
let channelId: number;
let threadId: number;

beforeAll(async () => {
  [owner, member, stranger] = await Promise.all([
    makeUser({ role: 'Staff' }),
    makeUser({ role: 'Staff' }),
    makeUser({ role: 'Staff' }),
  ]);
  channelId = (await makeChannel(owner, [member], { type: 'private' })).id;
  threadId = (await makeThread(owner, member)).id;
}, 60_000);

const upload = (kind: 'channel' | 'direct', id: number, token: string, bytes: Uint8Array, name = 'photo.jpg') =>
  form(`/api/chat/${kind}-messages/${id}/upload_attachment/`, { file: { bytes, name } }, { token });

describe('chat attachments', () => {
  it('a member attaches a file: the message lists it and its signed URL serves the same bytes', async () => {
    const message = await postChannelMessage(owner, channelId, 'with a photo');
    const bytes = jpeg(4096, 42);
    const res = await upload('channel', message.id, member.token, bytes);
    expect(res.status, res.text).toBe(201);
    expect(res.json.id, res.text).toBe(message.id);
    expect(res.json.attachments, res.text).toHaveLength(1);
    const key = keyOf(res.json.attachments[0].file);
    const served = await fetchUrl(res.json.attachments[0].file);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.bytes).toEqual(bytes);

    // Lists and the detail show it too, signed for the caller.
    const list = await api(`/api/chat/channel-messages/?channel=${channelId}`, { token: owner.token });
    const listed = list.json.results.find((m: { id: number }) => m.id === message.id);
    expect(
      listed?.attachments.map((a: { file: string }) => keyOf(a.file)),
      list.text,
    ).toEqual([key]);
    const detail = await api(`/api/chat/channel-messages/${message.id}/`, { token: member.token });
    expect(keyOf(detail.json.attachments[0].file), detail.text).toBe(key);
    const history = await api(`/api/chat/channels/${channelId}/messages/`, { token: owner.token });
    const inHistory = history.json.find((m: { id: number }) => m.id === message.id);
    expect(keyOf(inHistory?.attachments[0]?.file), history.text).toBe(key);
  });

  it('someone outside the room gets 404, as for a message they cannot see, and nothing is stored', async () => {
    const message = await postChannelMessage(owner, channelId, 'private');
    const before = await countObjects('chat');
    const res = await upload('channel', message.id, stranger.token, jpeg());
    expect(res.status, res.text).toBe(404);
    const missing = await upload('channel', 999999, member.token, jpeg());
    expect(missing.status, missing.text).toBe(404);
    expect(await countObjects('chat')).toBe(before);
  });

  it('a participant attaches a PDF to a direct message; anyone else gets 404', async () => {
    const sent = await api('/api/chat/direct-messages/', { token: owner.token, body: { thread: threadId, content: 'doc' } });
    expect(sent.status, sent.text).toBe(201);
    const res = await upload('direct', sent.json.id, member.token, pdf(), 'doc.pdf');
    expect(res.status, res.text).toBe(201);
    expect(res.json.thread, res.text).toBe(threadId);
    const served = await fetchUrl(res.json.attachments[0].file);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    const key = keyOf(res.json.attachments[0].file);
    const thread = await api(`/api/chat/direct-threads/${threadId}/`, { token: owner.token });
    const embedded = thread.json.messages.find((m: { id: number }) => m.id === sent.json.id);
    expect(keyOf(embedded?.attachments[0]?.file), thread.text).toBe(key);
    const history = await api(`/api/chat/direct-threads/${threadId}/messages/`, { token: owner.token });
    const inHistory = history.json.find((m: { id: number }) => m.id === sent.json.id);
    expect(keyOf(inHistory?.attachments[0]?.file), history.text).toBe(key);
    const refused = await upload('direct', sent.json.id, stranger.token, pdf(), 'doc.pdf');
    expect(refused.status, refused.text).toBe(404);
  });

  it('limits: a type not allowed is a 400 on file, a file over 10 MB a 413, a missing file a 400; nothing stored', async () => {
    const message = await postChannelMessage(owner, channelId, 'limits');
    const before = await countObjects('chat');
    const markup = await upload('channel', message.id, owner.token, html(), 'page.html');
    expect(markup.status, markup.text).toBe(400);
    expect(markup.json.file?.[0], markup.text).toMatch(/Unsupported file type/);
    const big = await upload('channel', message.id, owner.token, jpeg(10 * 1024 * 1024 + 1));
    expect(big.status, big.text).toBe(413);
    expect(big.json.file?.[0], big.text).toMatch(/too large/);
    const none = await form(`/api/chat/channel-messages/${message.id}/upload_attachment/`, { note: 'x' }, { token: owner.token });
    expect(none.status, none.text).toBe(400);
    expect(await countObjects('chat')).toBe(before);
  });

  it('deleting the message removes its objects', async () => {
    const message = await postChannelMessage(member, channelId, 'to delete');
    const res = await upload('channel', message.id, member.token, jpeg());
    expect(res.status, res.text).toBe(201);
    const key = keyOf(res.json.attachments[0].file);
    expect(await exists(key)).toBe(true);
    const del = await api(`/api/chat/channel-messages/${message.id}/`, { token: member.token, method: 'DELETE' });
    expect(del.status, del.text).toBe(204);
    await waitGone(key);
  });

  it("the room's sockets receive a message posted with its file, a file attached later, and both on a replay", async () => {
    const path = `/api/chat/channels/${channelId}/ws/`;
    const live = await join(path, owner.token);
    const bytes = jpeg(2048, 9);
    const posted = await form(
      '/api/chat/channel-messages/create-with-file/',
      { channel: String(channelId), content: 'look', file: { bytes, name: 'look.jpg' } },
      { token: member.token },
    );
    expect(posted.status, posted.text).toBe(201);
    const id = posted.json.id as number;
    const frame = await live.next((f) => f.type === 'message' && f.message.id === id);
    expect(frame.message.attachments, JSON.stringify(frame)).toHaveLength(1);
    expect(keyOf(frame.message.attachments[0].file)).toBe(keyOf(posted.json.attachments[0].file));
    expect((await fetchUrl(frame.message.attachments[0].file)).bytes, "the frame's URL serves the file").toEqual(bytes);

    const added = await upload('channel', id, member.token, pdf('later'), 'later.pdf');
    expect(added.status, added.text).toBe(201);
    const note = await live.next((f) => f.type === 'attachment');
    expect(note.message_id, JSON.stringify(note)).toBe(id);
    expect(note.attachment.id).toBe(added.json.attachments[1].id);
    expect((await fetchUrl(note.attachment.file)).status).toBe(200);
    live.close();

    const again = await join(path, owner.token, id - 1);
    const replayed = await again.next((f) => f.type === 'message' && f.message.id === id);
    expect(replayed.message.attachments.map((a: { file: string }) => keyOf(a.file))).toEqual(
      added.json.attachments.map((a: { file: string }) => keyOf(a.file)),
    );
    expect((await fetchUrl(replayed.message.attachments[0].file)).bytes).toEqual(bytes);
    again.close();
  });
});
