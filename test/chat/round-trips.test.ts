/**
 * D1 round trips of every chat operation over populated data (issues 15/16): each GET one round
 * trip (authorization included) whatever the page size, each write at most two (the checks, then
 * one batch with the write, its side effects and the read-back). Channels embed members, threads
 * embed their newest messages, messages carry attachments: all loaded in the rows' round trip.
 * A REST post is stored by the room's Durable Object on its own binding (not counted here): the
 * Worker's part is the membership check.
 */
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeChannel, makeThread } from '../helpers/chat';
import { Budget, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let owner: TestUser;
let member: TestUser;
let stranger: TestUser;
let channelId: number;
let privateId: number;
let threadId: number;
const channelMessageIds: number[] = [];
const directMessageIds: number[] = [];

/** Stores messages straight in D1 (the posting limit would otherwise slow the setup down). */
async function seedMessages(table: 'chat_channel_messages' | 'chat_direct_messages', room: number, senders: number[], n: number) {
  const column = table === 'chat_channel_messages' ? 'channel_id' : 'thread_id';
  const stmts = Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString().replace('Z', '000Z');
    return env.DB.prepare(
      `INSERT INTO ${table} (created_at, updated_at, is_deleted, uuid, ${column}, sender_id, content, timestamp)
       VALUES (?1, ?1, 0, ?2, ?3, ?4, ?5, ?1) RETURNING id`,
    ).bind(at, crypto.randomUUID(), room, senders[i % senders.length], `message ${i}`);
  });
  const results = await env.DB.batch<{ id: number }>(stmts);
  return results.map((r) => r.results[0].id);
}

beforeAll(async () => {
  [owner, member, stranger] = await Promise.all([makeUser({ role: 'Staff' }), makeUser({ role: 'Staff' }), makeUser()]);
  const others = await Promise.all(Array.from({ length: 22 }, () => makeUser({ role: 'Staff' })));
  channelId = (await makeChannel(owner, [member, ...others])).id;
  privateId = (await makeChannel(owner, [member], { type: 'private' })).id;
  for (let i = 0; i < 22; i++) await makeChannel(owner, [], { name: `rt-${i}-${crypto.randomUUID().slice(0, 6)}` });
  channelMessageIds.push(...(await seedMessages('chat_channel_messages', channelId, [owner.id, member.id], 60)));
  threadId = (await makeThread(owner, member)).id;
  directMessageIds.push(...(await seedMessages('chat_direct_messages', threadId, [owner.id, member.id], 60)));
  for (const other of others) {
    const t = await makeThread(owner, other);
    await seedMessages('chat_direct_messages', t.id, [owner.id, other.id], 3);
  }
}, 180_000);

afterAll(() => budget.print('chat'));

/** A multipart body with one small PDF as `file` and `fields` (ASCII, so `api()` can send it as a string). */
function pdfForm(fields: Record<string, string | number> = {}) {
  const boundary = `rt${crypto.randomUUID().replaceAll('-', '')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="doc.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n% rt\n%%EOF\n\r\n--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('chat: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    await budget.pages('chat_channels_list', '/api/chat/channels/', owner.token);
    await budget.pages('chat_channel_messages_list', '/api/chat/channel-messages/', member.token);
    await budget.pages('chat_channel_messages_list', `/api/chat/channel-messages/?channel=${channelId}`, member.token);
    await budget.pages('chat_direct_threads_list', '/api/chat/direct-threads/', owner.token);
    await budget.pages('chat_direct_messages_list', '/api/chat/direct-messages/', owner.token);
    await budget.pages('chat_direct_messages_list', `/api/chat/direct-messages/?thread=${threadId}`, member.token);
    const channels = await budget.call('chat_channels_list', '/api/chat/channels/?page_size=20', { token: owner.token });
    const busy = channels.json.results.find((c: { id: number }) => c.id === channelId);
    expect(busy?.members.length, `channels embed their members: ${channels.text.slice(0, 300)}`).toBeGreaterThan(2);
    const threads = await budget.call('chat_direct_threads_list', '/api/chat/direct-threads/?page_size=20', {
      token: owner.token,
    });
    expect(
      threads.json.results.every((t: { messages: unknown[] }) => t.messages.length > 0),
      `threads embed their newest messages: ${threads.text.slice(0, 300)}`,
    ).toBe(true);
  });

  it('retrieves and room reads cost one round trip', async () => {
    const t = member.token;
    const channel = await budget.call('chat_channels_retrieve', `/api/chat/channels/${channelId}/`, { token: t });
    expect(channel.json.members.length, channel.text.slice(0, 300)).toBeGreaterThan(2);
    await budget.call('chat_channels_retrieve', `/api/chat/channels/${privateId}/`, { token: stranger.token, status: 404 });
    await budget.call('chat_channel_messages_retrieve', `/api/chat/channel-messages/${channelMessageIds[0]}/`, { token: t });
    const thread = await budget.call('chat_direct_threads_retrieve', `/api/chat/direct-threads/${threadId}/`, { token: t });
    expect(thread.json.messages.length, thread.text.slice(0, 300)).toBeGreaterThan(20);
    await budget.call('chat_direct_messages_retrieve', `/api/chat/direct-messages/${directMessageIds[0]}/`, { token: t });
    const members = await budget.call('chat_channels_members_list', `/api/chat/channels/${channelId}/members/`, { token: t });
    expect(members.json.length, members.text.slice(0, 300)).toBeGreaterThan(20);
    await budget.call('chat_channels_members_list', `/api/chat/channels/${privateId}/members/`, {
      token: stranger.token,
      status: 404,
    });
    const history = await budget.call('chat_channels_messages_list', `/api/chat/channels/${channelId}/messages/`, { token: t });
    expect(history.json.length, history.text.slice(0, 300)).toBeGreaterThan(20);
    await budget.call('chat_channels_messages_list', `/api/chat/channels/${channelId}/messages/`, {
      token: stranger.token,
      status: 403,
    });
    await budget.call('chat_channels_unread_count_retrieve', `/api/chat/channels/${channelId}/unread_count/`, { token: t });
    await budget.call('chat_direct_threads_messages_list', `/api/chat/direct-threads/${threadId}/messages/`, { token: t });
    await budget.call('chat_direct_threads_messages_list', `/api/chat/direct-threads/${threadId}/messages/`, {
      token: stranger.token,
      status: 404,
    });
    await budget.call('chat_direct_threads_unread_count_retrieve', `/api/chat/direct-threads/${threadId}/unread_count/`, {
      token: t,
    });
    // Without an Upgrade header the socket routes answer 426 after the room check, in one round trip.
    await budget.call('chat_channels_ws', `/api/chat/channels/${channelId}/ws/?token=${t}`, { status: 426 });
    await budget.call('chat_direct_threads_ws', `/api/chat/direct-threads/${threadId}/ws/?token=${t}`, { status: 426 });
  });

  it('channel writes cost at most two round trips', async () => {
    const t = owner.token;
    const created = await budget.call('chat_channels_create', '/api/chat/channels/', {
      token: t,
      body: { name: `rt-${crypto.randomUUID().slice(0, 8)}`, type: 'public' },
    });
    const id = created.json.id;
    await budget.call('chat_channels_update', `/api/chat/channels/${id}/`, {
      token: t,
      method: 'PUT',
      body: { name: 'renamed', type: 'private' },
    });
    await budget.call('chat_channels_partial_update', `/api/chat/channels/${id}/`, {
      token: t,
      method: 'PATCH',
      body: { description: 'd' },
    });
    await budget.call('chat_channels_partial_update', `/api/chat/channels/${id}/`, {
      token: member.token,
      method: 'PATCH',
      body: { description: 'd' },
      status: 404,
    });
    await budget.call('chat_channels_add_member_create', `/api/chat/channels/${id}/add_member/`, {
      token: t,
      body: { user_id: member.id },
      status: 201,
    });
    await budget.call('chat_channels_add_member_create', `/api/chat/channels/${id}/add_member/`, {
      token: t,
      body: { user_id: 999999 },
      status: 404,
    });
    await budget.call('chat_channels_promote_member_create', `/api/chat/channels/${id}/promote_member/`, {
      token: t,
      body: { user_id: member.id },
    });
    await budget.call('chat_channels_demote_member_create', `/api/chat/channels/${id}/demote_member/`, {
      token: t,
      body: { user_id: member.id },
    });
    await budget.call('chat_channels_demote_member_create', `/api/chat/channels/${id}/demote_member/`, {
      token: t,
      body: { user_id: owner.id },
      status: 400,
    });
    await budget.call('chat_channels_mark_read_create', `/api/chat/channels/${channelId}/mark_read/`, {
      token: member.token,
      method: 'POST',
    });
    await budget.call('chat_channels_mark_read_up_to_create', `/api/chat/channels/${channelId}/mark-read-up-to/`, {
      token: member.token,
      body: { message_id: channelMessageIds[10] },
    });
    await budget.call('chat_channels_mark_read_up_to_create', `/api/chat/channels/${channelId}/mark-read-up-to/`, {
      token: member.token,
      body: { message_id: 999999 },
      status: 404,
    });
    await budget.call('chat_channels_remove_member_create', `/api/chat/channels/${id}/remove_member/`, {
      token: t,
      body: { user_id: member.id },
    });
    const open = (await makeChannel(owner)).id;
    await budget.call('chat_channels_join_create', `/api/chat/channels/${open}/join/`, { token: member.token, method: 'POST' });
    await budget.call('chat_channels_leave_create', `/api/chat/channels/${open}/leave/`, { token: member.token, method: 'POST' });
    await budget.call('chat_channels_leave_create', `/api/chat/channels/${open}/leave/`, {
      token: owner.token,
      method: 'POST',
      status: 400,
    });
    await budget.call('chat_channels_destroy', `/api/chat/channels/${id}/`, { token: t, method: 'DELETE' });
  });

  it('message writes cost at most two round trips', async () => {
    const posted = await budget.call('chat_channel_messages_create', '/api/chat/channel-messages/', {
      token: member.token,
      body: { channel: channelId, content: 'hello' },
    });
    expect(posted.json.attachments, posted.text).toEqual([]);
    await budget.call('chat_channel_messages_create', '/api/chat/channel-messages/', {
      token: stranger.token,
      body: { channel: privateId, content: 'hello' },
      status: 400,
    });
    const mid = posted.json.id;
    const attached = await budget.call(
      'chat_channel_messages_upload_attachment_create',
      `/api/chat/channel-messages/${mid}/upload_attachment/`,
      { token: member.token, ...pdfForm(), status: 201 },
    );
    expect(attached.json.attachments, attached.text).toHaveLength(1);
    await budget.call('chat_channel_messages_upload_attachment_create', `/api/chat/channel-messages/${mid}/upload_attachment/`, {
      token: stranger.token,
      ...pdfForm(),
      status: 404,
    });
    const withFileCreated = await budget.call(
      'chat_channel_messages_create_with_file_create',
      '/api/chat/channel-messages/create-with-file/',
      { token: member.token, ...pdfForm({ channel: channelId, content: 'see attached' }), status: 201 },
    );
    expect(withFileCreated.json.attachments, withFileCreated.text).toHaveLength(1);
    await budget.call('chat_direct_messages_create_with_file_create', '/api/chat/direct-messages/create-with-file/', {
      token: member.token,
      ...pdfForm({ thread: threadId }),
      status: 201,
    });
    const page = await budget.call(
      'chat_channel_messages_list',
      `/api/chat/channel-messages/?channel=${channelId}&page_size=100`,
      {
        token: member.token,
      },
    );
    const withFile = page.json.results.find((m: { id: number }) => m.id === mid);
    expect(withFile?.attachments, `attachments ride the list's round trip: ${page.text.slice(0, 200)}`).toHaveLength(1);
    await budget.call('chat_channel_messages_update', `/api/chat/channel-messages/${mid}/`, {
      token: member.token,
      method: 'PUT',
      body: { channel: channelId, content: 'edited' },
    });
    await budget.call('chat_channel_messages_partial_update', `/api/chat/channel-messages/${mid}/`, {
      token: member.token,
      method: 'PATCH',
      body: { content: 'edited again' },
    });
    await budget.call('chat_channel_messages_partial_update', `/api/chat/channel-messages/${mid}/`, {
      token: owner.token,
      method: 'PATCH',
      body: { content: 'not mine' },
      status: 403,
    });
    // A channel admin may delete another member's message.
    await budget.call('chat_channel_messages_destroy', `/api/chat/channel-messages/${mid}/`, {
      token: owner.token,
      method: 'DELETE',
    });

    const direct = await budget.call('chat_direct_messages_create', '/api/chat/direct-messages/', {
      token: member.token,
      body: { thread: threadId, content: 'hi' },
    });
    await budget.call('chat_direct_messages_create', '/api/chat/direct-messages/', {
      token: stranger.token,
      body: { thread: threadId, content: 'hi' },
      status: 400,
    });
    const did = direct.json.id;
    await budget.call('chat_direct_messages_upload_attachment_create', `/api/chat/direct-messages/${did}/upload_attachment/`, {
      token: member.token,
      ...pdfForm(),
      status: 201,
    });
    await budget.call('chat_direct_messages_update', `/api/chat/direct-messages/${did}/`, {
      token: member.token,
      method: 'PUT',
      body: { thread: threadId, content: 'edited' },
    });
    await budget.call('chat_direct_messages_partial_update', `/api/chat/direct-messages/${did}/`, {
      token: member.token,
      method: 'PATCH',
      body: { content: 'edited again' },
    });
    await budget.call('chat_direct_messages_destroy', `/api/chat/direct-messages/${did}/`, {
      token: member.token,
      method: 'DELETE',
    });
  });

  it('thread writes cost at most two round trips', async () => {
    const t = member.token;
    await budget.call('chat_direct_threads_mark_read_create', `/api/chat/direct-threads/${threadId}/mark_read/`, {
      token: t,
      method: 'POST',
    });
    await budget.call('chat_direct_threads_mark_read_up_to_create', `/api/chat/direct-threads/${threadId}/mark-read-up-to/`, {
      token: t,
      body: { message_id: directMessageIds[5] },
    });
    const other = await makeUser({ role: 'Staff' });
    const opened = await budget.call('chat_direct_threads_create', '/api/chat/direct-threads/', {
      token: t,
      body: { user_2: other.id },
      status: 201,
    });
    await budget.call('chat_direct_threads_create', '/api/chat/direct-threads/', {
      token: t,
      body: { user_2: other.id },
      status: 200,
    });
    await budget.call('chat_direct_threads_create', '/api/chat/direct-threads/', {
      token: t,
      body: { user_2: 999999 },
      status: 400,
    });
    const tid = opened.json.id;
    await budget.call('chat_direct_threads_update', `/api/chat/direct-threads/${tid}/`, {
      token: t,
      method: 'PUT',
      body: { user_1: member.id, user_2: other.id },
      status: 403,
    });
    await budget.call('chat_direct_threads_partial_update', `/api/chat/direct-threads/${tid}/`, {
      token: t,
      method: 'PATCH',
      body: {},
      status: 403,
    });
    await budget.call('chat_direct_threads_destroy', `/api/chat/direct-threads/${tid}/`, { token: t, method: 'DELETE' });
  });

  it('every documented chat operation was measured', async () => {
    expect(await budget.uncovered('/api/chat/')).toEqual([]);
  });
});
