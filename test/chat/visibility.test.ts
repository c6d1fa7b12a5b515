/**
 * Issue 14, finding 4 (chat part): Customers (workspace-family sign-ups) take part only in the
 * channels staff invite them to, and start direct threads only with people who share a channel
 * with them; and finding 11 (chat part): a channel or thread the caller cannot see answers exactly
 * like one that does not exist (404 on its URLs, the 400 "does not exist" in a body), never 403.
 */
import { describe, expect, it } from 'vitest';
import { channelWs, connect, join, makeChannel, makeThread } from '../helpers/chat';
import { api, expectStatus, makeUser } from '../helpers';

describe('Customers in chat', { timeout: 30000 }, () => {
  it('a Customer who was not invited cannot see, join, read or post in a public channel', async () => {
    const [staff, customer] = [await makeUser(), await makeUser({ role: 'Customer' })];
    const pub = await makeChannel(staff);
    await api('/api/chat/channel-messages/', { token: staff.token, body: { channel: pub.id, content: 'staff only talk' } });
    const list = await api('/api/chat/channels/?page_size=100', { token: customer.token });
    expectStatus(list, 200);
    expect(list.json.results.map((c: { id: number }) => c.id)).not.toContain(pub.id);
    for (const [method, path] of [
      ['GET', `/api/chat/channels/${pub.id}/`],
      ['GET', `/api/chat/channels/${pub.id}/members/`],
      ['GET', `/api/chat/channels/${pub.id}/messages/`],
      ['GET', `/api/chat/channels/${pub.id}/unread_count/`],
      ['POST', `/api/chat/channels/${pub.id}/join/`],
    ] as const) {
      const res = await api(path, { method, token: customer.token });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
      expect(res.json).toEqual({ detail: 'No Channel matches the given query.' });
    }
    const post = await api('/api/chat/channel-messages/', { token: customer.token, body: { channel: pub.id, content: 'hi' } });
    expectStatus(post, 400);
    expect(post.json).toEqual({ channel: [`Invalid pk "${pub.id}" - object does not exist.`] });
    expectStatus(await connect(channelWs(pub.id), { token: customer.token }), 404);
    const messages = await api('/api/chat/channel-messages/', { token: customer.token });
    expect(messages.text).not.toContain('staff only talk');
  });

  it('once staff add the Customer, they read and post there, live and over REST', async () => {
    const [staff, customer] = [await makeUser(), await makeUser({ role: 'Customer' })];
    const ch = await makeChannel(staff, [customer]);
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { token: customer.token }), 200);
    const live = await join(channelWs(ch.id), customer.token);
    const posted = await api('/api/chat/channel-messages/', { token: staff.token, body: { channel: ch.id, content: 'welcome' } });
    expectStatus(posted, 201);
    expect((await live.messages(1))[0].message).toEqual(posted.json);
    expectStatus(
      await api('/api/chat/channel-messages/', { token: customer.token, body: { channel: ch.id, content: 'thanks' } }),
      201,
    );
    const history = await api(`/api/chat/channels/${ch.id}/messages/`, { token: customer.token });
    expect(history.json.map((m: { content: string }) => m.content)).toEqual(['welcome', 'thanks']);
    live.close();
    await live.waitClosed();
  });

  it('Customers neither create channels nor run them: no admin rights even when promoted, so they invite no one', async () => {
    const [staff, customer, other] = [
      await makeUser(),
      await makeUser({ role: 'Customer' }),
      await makeUser({ role: 'Customer' }),
    ];
    const create = await api('/api/chat/channels/', { token: customer.token, body: { name: 'mine', type: 'public' } });
    expectStatus(create, 403);
    expect(create.json.detail).toBe('Customers cannot create channels.');
    const ch = await makeChannel(staff, [customer]);
    expectStatus(
      await api(`/api/chat/channels/${ch.id}/promote_member/`, { token: staff.token, body: { user_id: customer.id } }),
      200,
    );
    const invite = await api(`/api/chat/channels/${ch.id}/add_member/`, { token: customer.token, body: { user_id: other.id } });
    expectStatus(invite, 403);
    expect(invite.json.detail).toBe('Admin privileges required.');
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'PATCH', token: customer.token, body: { name: 'x' } }), 403);
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'DELETE', token: customer.token }), 403);
  });

  it('a Customer starts a thread only with someone who shares a channel with them; others look like unknown users', async () => {
    const [staff, stranger, customer] = [await makeUser(), await makeUser(), await makeUser({ role: 'Customer' })];
    const refused = await api('/api/chat/direct-threads/', { token: customer.token, body: { user_2: stranger.id } });
    expectStatus(refused, 400);
    expect(refused.json).toEqual({ user_2: [`Invalid pk "${stranger.id}" - object does not exist.`] });
    const unknown = await api('/api/chat/direct-threads/', { token: customer.token, body: { user_2: 99999999 } });
    expect(unknown.json).toEqual({ user_2: ['Invalid pk "99999999" - object does not exist.'] });
    await makeChannel(staff, [customer]);
    const shared = await api('/api/chat/direct-threads/', { token: customer.token, body: { user_2: staff.id } });
    expectStatus(shared, 201);
    // Someone who wrote to the Customer first: the Customer gets that thread back.
    const started = await makeThread(stranger, customer);
    const back = await api('/api/chat/direct-threads/', { token: customer.token, body: { user_2: stranger.id } });
    expectStatus(back, 200);
    expect(back.json.id).toBe(started.id);
    // Staff may still write to anyone.
    expectStatus(await api('/api/chat/direct-threads/', { token: staff.token, body: { user_2: stranger.id } }), 201);
  });
});

describe('channels and threads the caller cannot see (404, not 403)', { timeout: 30000 }, () => {
  it('posting into a private channel one is not in answers like a channel that does not exist (it answered 403)', async () => {
    const [owner, outsider] = [await makeUser(), await makeUser()];
    const priv = await makeChannel(owner, [], { type: 'private' });
    const hidden = await api('/api/chat/channel-messages/', { token: outsider.token, body: { channel: priv.id, content: 'x' } });
    const missing = await api('/api/chat/channel-messages/', {
      token: outsider.token,
      body: { channel: 99999999, content: 'x' },
    });
    expect(hidden.status, hidden.text).toBe(missing.status);
    expect(hidden.json).toEqual({ channel: [`Invalid pk "${priv.id}" - object does not exist.`] });
    for (const path of [
      `/api/chat/channels/${priv.id}/`,
      `/api/chat/channels/${priv.id}/messages/`,
      `/api/chat/channels/${priv.id}/members/`,
    ]) {
      const res = await api(path, { token: outsider.token });
      expect(res.status, `${path}: ${res.text}`).toBe(404);
    }
    expectStatus(await connect(channelWs(priv.id), { token: outsider.token }), 404);
    // A public channel is visible to staff: there, not being a member is a 403.
    const pub = await makeChannel(owner);
    expectStatus(
      await api('/api/chat/channel-messages/', { token: outsider.token, body: { channel: pub.id, content: 'x' } }),
      403,
    );
  });

  it("posting into someone else's direct thread answers like a thread that does not exist (it answered 403; the original 500)", async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const t = await makeThread(a, b);
    const hidden = await api('/api/chat/direct-messages/', { token: c.token, body: { thread: t.id, content: 'x' } });
    expectStatus(hidden, 400);
    expect(hidden.json).toEqual({ thread: [`Invalid pk "${t.id}" - object does not exist.`] });
    expectStatus(await api(`/api/chat/direct-threads/${t.id}/messages/`, { token: c.token }), 404);
  });
});
