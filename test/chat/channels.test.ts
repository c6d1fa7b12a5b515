import { describe, expect, it } from 'vitest';
import { makeChannel, postChannelMessage } from '../helpers/chat';
import { api, expectStatus, makeUser } from '../helpers';

describe('channels CRUD', { timeout: 20000 }, () => {
  it('creates a channel: the caller is the creator and its first admin member', async () => {
    const [u, other] = [await makeUser(), await makeUser()];
    const res = await api('/api/chat/channels/', {
      token: u.token,
      body: { name: 'general', type: 'public', description: 'all hands', created_by: other.id, members: [{ user: other.id }] },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      name: 'general',
      type: 'public',
      is_private: false,
      created_by: u.id,
      description: 'all hands',
    });
    expect(res.json.members).toHaveLength(1);
    expect(res.json.members[0]).toMatchObject({ channel: res.json.id, user: u.id, is_admin: true });
    expect(typeof res.json.members[0].joined_at).toBe('string');
  });

  it('keeps type and is_private consistent', async () => {
    const u = await makeUser();
    const priv = await api('/api/chat/channels/', { token: u.token, body: { name: 'p', type: 'private' } });
    expectStatus(priv, 201);
    expect(priv.json.is_private).toBe(true);
    const clash = await api('/api/chat/channels/', { token: u.token, body: { name: 'x', type: 'public', is_private: true } });
    expectStatus(clash, 400);
    expect(clash.json.is_private).toBeDefined();
    const patched = await api(`/api/chat/channels/${priv.json.id}/`, {
      method: 'PATCH',
      token: u.token,
      body: { is_private: false },
    });
    expectStatus(patched, 200);
    expect(patched.json).toMatchObject({ type: 'public', is_private: false });
  });

  it('validates the body and requires a token', async () => {
    const u = await makeUser();
    const bad = await api('/api/chat/channels/', { token: u.token, body: { type: 'secret' } });
    expectStatus(bad, 400);
    expect(bad.json.name).toBeDefined();
    expect(bad.json.type).toBeDefined();
    const long = await api('/api/chat/channels/', { token: u.token, body: { name: 'n'.repeat(101), type: 'public' } });
    expectStatus(long, 400);
    expectStatus(await api('/api/chat/channels/', { body: { name: 'a', type: 'public' } }), 401);
    expectStatus(await api('/api/chat/channels/'), 401);
  });

  it('lists public channels and the private ones the caller belongs to, paginated', async () => {
    const [owner, member, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const pub = await makeChannel(owner);
    const priv = await makeChannel(owner, [member], { type: 'private' });
    const ids = async (token: string) => {
      const res = await api('/api/chat/channels/?page_size=100', { token });
      expectStatus(res, 200);
      expect(res.json).toHaveProperty('count');
      expect(res.json).toHaveProperty('next');
      return res.json.results.map((c: { id: number }) => c.id);
    };
    expect(await ids(stranger.token)).toContain(pub.id);
    expect(await ids(stranger.token)).not.toContain(priv.id);
    expect(await ids(member.token)).toContain(priv.id);
    const page = await api('/api/chat/channels/?page_size=1', { token: owner.token });
    expect(page.json.results).toHaveLength(1);
    expect(page.json.next).toContain('page=2');
  });

  it('retrieves a visible channel; a private one is 404 to outsiders', async () => {
    const [owner, member, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const pub = await makeChannel(owner);
    const priv = await makeChannel(owner, [member], { type: 'private' });
    expectStatus(await api(`/api/chat/channels/${pub.id}/`, { token: stranger.token }), 200);
    const mine = await api(`/api/chat/channels/${priv.id}/`, { token: member.token });
    expectStatus(mine, 200);
    expect(mine.json.members.map((m: { user: number }) => m.user).sort()).toEqual([owner.id, member.id].sort());
    const hidden = await api(`/api/chat/channels/${priv.id}/`, { token: stranger.token });
    expectStatus(hidden, 404);
    expect(hidden.json.detail).toBe('No Channel matches the given query.');
    expectStatus(await api('/api/chat/channels/99999999/', { token: owner.token }), 404);
    expectStatus(await api('/api/chat/channels/abc/', { token: owner.token }), 404);
  });

  it('updates (PUT/PATCH) for the creator or an admin only', async () => {
    const [owner, member, admin, stranger] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(owner, [member, admin]);
    expectStatus(
      await api(`/api/chat/channels/${ch.id}/promote_member/`, { token: owner.token, body: { user_id: admin.id } }),
      200,
    );
    const put = await api(`/api/chat/channels/${ch.id}/`, {
      method: 'PUT',
      token: owner.token,
      body: { name: 'renamed', type: 'public', created_by: stranger.id },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ name: 'renamed', created_by: owner.id });
    const byAdmin = await api(`/api/chat/channels/${ch.id}/`, {
      method: 'PATCH',
      token: admin.token,
      body: { description: 'by admin' },
    });
    expectStatus(byAdmin, 200);
    expect(byAdmin.json.description).toBe('by admin');
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'PATCH', token: member.token, body: { name: 'no' } }), 403);
    expectStatus(
      await api(`/api/chat/channels/${ch.id}/`, { method: 'PUT', token: stranger.token, body: { name: 'no', type: 'public' } }),
      403,
    );
    const invalid = await api(`/api/chat/channels/${ch.id}/`, { method: 'PUT', token: owner.token, body: { name: 'no type' } });
    expectStatus(invalid, 400);
    const priv = await makeChannel(owner, [], { type: 'private' });
    expectStatus(
      await api(`/api/chat/channels/${priv.id}/`, { method: 'PATCH', token: stranger.token, body: { name: 'x' } }),
      404,
    );
  });

  it('soft-deletes for the creator or an admin; the channel and its messages disappear', async () => {
    const [owner, member] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(owner, [member]);
    const msg = await postChannelMessage(member, ch.id, 'soon gone');
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'DELETE', token: member.token }), 403);
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'DELETE', token: owner.token }), 204);
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { token: owner.token }), 404);
    const list = await api('/api/chat/channels/?page_size=100', { token: owner.token });
    expect(list.json.results.map((c: { id: number }) => c.id)).not.toContain(ch.id);
    // The original still listed messages of a deleted channel; they are hidden now.
    expectStatus(await api(`/api/chat/channel-messages/${msg.id}/`, { token: member.token }), 404);
    const msgs = await api(`/api/chat/channel-messages/?channel=${ch.id}`, { token: member.token });
    expect(msgs.json.count).toBe(0);
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'DELETE', token: owner.token }), 404);
  });
});

describe('channel membership actions', { timeout: 20000 }, () => {
  it('members/ lists memberships; add_member is for admins, validated and idempotent', async () => {
    const [owner, member, newcomer, stranger] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(owner, [member]);
    const members = await api(`/api/chat/channels/${ch.id}/members/`, { token: stranger.token });
    expectStatus(members, 200);
    expect(members.json.map((m: { user: number }) => m.user)).toEqual([owner.id, member.id]);

    const denied = await api(`/api/chat/channels/${ch.id}/add_member/`, { token: member.token, body: { user_id: newcomer.id } });
    expectStatus(denied, 403);
    expect(denied.json.detail).toBe('Admin privileges required.');
    const missing = await api(`/api/chat/channels/${ch.id}/add_member/`, { token: owner.token, body: {} });
    expectStatus(missing, 400);
    expect(missing.json.detail).toBe('user_id is required.');
    const unknown = await api(`/api/chat/channels/${ch.id}/add_member/`, { token: owner.token, body: { user_id: 99999999 } });
    expectStatus(unknown, 404);
    expect(unknown.json.detail).toBe('User not found.');
    for (let i = 0; i < 2; i++) {
      const ok = await api(`/api/chat/channels/${ch.id}/add_member/`, { token: owner.token, body: { user_id: newcomer.id } });
      expectStatus(ok, 201);
      expect(ok.json).toEqual({ detail: 'Member added.' });
    }
    const after = await api(`/api/chat/channels/${ch.id}/members/`, { token: owner.token });
    expect(after.json.filter((m: { user: number }) => m.user === newcomer.id)).toEqual([
      expect.objectContaining({ user: newcomer.id, is_admin: false }),
    ]);
    const priv = await makeChannel(owner, [], { type: 'private' });
    expectStatus(await api(`/api/chat/channels/${priv.id}/members/`, { token: stranger.token }), 404);
  });

  it('remove, promote and demote members; never the last admin', async () => {
    const [owner, member, other] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(owner, [member]);
    const path = (a: string) => `/api/chat/channels/${ch.id}/${a}/`;
    expectStatus(await api(path('remove_member'), { token: member.token, body: { user_id: owner.id } }), 403);
    const none = await api(path('remove_member'), { token: owner.token, body: { user_id: other.id } });
    expectStatus(none, 404);
    expect(none.json.detail).toBe('Membership not found.');
    expectStatus(await api(path('remove_member'), { token: owner.token, body: { user_id: owner.id } }), 400);
    expectStatus(await api(path('demote_member'), { token: owner.token, body: { user_id: owner.id } }), 400);
    expectStatus(await api(path('promote_member'), { token: owner.token, body: {} }), 400);
    const noBody = await api(path('promote_member'), { method: 'POST', token: owner.token });
    expectStatus(noBody, 400);
    expect(noBody.json.detail).toBe('user_id is required.');
    expectStatus(await api(path('promote_member'), { token: owner.token, body: { user_id: 'abc' } }), 400);

    expectStatus(await api(path('promote_member'), { token: owner.token, body: { user_id: member.id } }), 200);
    const promoted = await api(path('members'), { token: owner.token });
    expect(promoted.json.find((m: { user: number }) => m.user === member.id).is_admin).toBe(true);
    expectStatus(await api(path('demote_member'), { token: member.token, body: { user_id: owner.id } }), 200);
    expectStatus(await api(path('demote_member'), { token: member.token, body: { user_id: member.id } }), 400);
    const removed = await api(path('remove_member'), { token: member.token, body: { user_id: owner.id } });
    expectStatus(removed, 200);
    expect(removed.json.detail).toBeTruthy();
    const left = await api(path('members'), { token: member.token });
    expect(left.json.map((m: { user: number }) => m.user)).toEqual([member.id]);
  });

  it('join/ is for public channels and idempotent; leave/ keeps an admin', async () => {
    const [owner, u, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const pub = await makeChannel(owner);
    const priv = await makeChannel(owner, [u], { type: 'private' });
    for (let i = 0; i < 2; i++)
      expectStatus(await api(`/api/chat/channels/${pub.id}/join/`, { method: 'POST', token: u.token }), 200);
    const members = await api(`/api/chat/channels/${pub.id}/members/`, { token: u.token });
    expect(members.json.map((m: { user: number }) => m.user)).toEqual([owner.id, u.id]);
    expectStatus(await api(`/api/chat/channels/${priv.id}/join/`, { method: 'POST', token: stranger.token }), 404);
    expectStatus(await api(`/api/chat/channels/${priv.id}/join/`, { method: 'POST', token: u.token }), 403);

    expectStatus(await api(`/api/chat/channels/${pub.id}/leave/`, { method: 'POST', token: stranger.token }), 400);
    expectStatus(await api(`/api/chat/channels/${pub.id}/leave/`, { method: 'POST', token: owner.token }), 400);
    expectStatus(await api(`/api/chat/channels/${pub.id}/leave/`, { method: 'POST', token: u.token }), 200);
    const after = await api(`/api/chat/channels/${pub.id}/members/`, { token: owner.token });
    expect(after.json.map((m: { user: number }) => m.user)).toEqual([owner.id]);
    // A member who left a private channel no longer sees it.
    expectStatus(await api(`/api/chat/channels/${priv.id}/leave/`, { method: 'POST', token: u.token }), 200);
    expectStatus(await api(`/api/chat/channels/${priv.id}/`, { token: u.token }), 404);
  });

  it('read state: mark_read, mark-read-up-to (never backwards), unread_count and messages/ for members', async () => {
    const [owner, member, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(owner, [member]);
    const path = (a: string) => `/api/chat/channels/${ch.id}/${a}/`;
    const m1 = await postChannelMessage(owner, ch.id, 'one');
    const m2 = await postChannelMessage(owner, ch.id, 'two');
    await postChannelMessage(member, ch.id, 'mine');
    const m3 = await postChannelMessage(owner, ch.id, 'three');
    expect((await api(path('unread_count'), { token: member.token })).json).toEqual({ unread_count: 3 });

    const upTo = await api(path('mark-read-up-to'), { token: member.token, body: { message_id: m2.id } });
    expectStatus(upTo, 200);
    expect(upTo.json.last_read_at).toBe(m2.timestamp);
    expect((await api(path('unread_count'), { token: member.token })).json).toEqual({ unread_count: 1 });
    const back = await api(path('mark-read-up-to'), { token: member.token, body: { message_id: m1.id } });
    expect(back.json.last_read_at).toBe(m2.timestamp);
    expectStatus(await api(path('mark-read-up-to'), { token: member.token, body: {} }), 400);
    expectStatus(await api(path('mark-read-up-to'), { token: member.token, body: { message_id: 99999999 } }), 404);

    expectStatus(await api(path('mark_read'), { method: 'POST', token: member.token }), 200);
    expect((await api(path('unread_count'), { token: member.token })).json).toEqual({ unread_count: 0 });

    const all = await api(path('messages'), { token: member.token });
    expectStatus(all, 200);
    expect(all.json.map((m: { id: number }) => m.id)).toEqual([m1.id, m2.id, all.json[2].id, m3.id]);

    for (const [method, action] of [
      ['GET', 'messages'],
      ['GET', 'unread_count'],
      ['POST', 'mark_read'],
    ] as const) {
      expectStatus(await api(path(action), { method, token: stranger.token }), 403);
    }
  });
});
