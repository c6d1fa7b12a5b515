import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let other: TestUser;
let customer: TestUser;
let postId: number;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  other = await makeUser({ role: 'Staff' });
  customer = await makeUser({ role: 'Customer' });
  await env.DB.prepare("UPDATE users SET first_name = ' Alan', last_name = 'Turing ' WHERE id = ?").bind(staff.id).run();
  const p = await api('/api/social/posts/', {
    token: staff.token,
    body: { title: 'P', content_text: 'c', platform: 'facebook', scheduled_for: '2030-01-01T00:00:00Z' },
  });
  expectStatus(p, 201);
  postId = p.json.id;
});

const comment = async (content: string, token = staff.token, post = postId) => {
  const res = await api('/api/social/comments/', { token, body: { post, content } });
  expectStatus(res, 201);
  return res.json;
};

describe('post comments', () => {
  it('sets the author from the caller and serves author_name', async () => {
    const c = await comment('First', staff.token);
    expect(c).toMatchObject({ content: 'First', post: postId, author: staff.id, author_name: 'Alan Turing' });
    const forged = await api('/api/social/comments/', {
      token: other.token,
      body: { post: postId, content: 'Second', author: staff.id, author_name: 'Mallory' },
    });
    expectStatus(forged, 201);
    expect(forged.json).toMatchObject({ author: other.id, author_name: '' });
  });

  it('lists, filters by post, retrieves, updates and deletes', async () => {
    const p2 = await api('/api/social/posts/', {
      token: staff.token,
      body: { title: 'P2', content_text: 'c', platform: 'x', scheduled_for: '2030-01-01T00:00:00Z' },
    });
    const a = await comment('on p2', staff.token, p2.json.id);
    const b = await comment('also p2', other.token, p2.json.id);
    const list = await api(`/api/social/comments/?post=${p2.json.id}`, { token: staff.token });
    expectStatus(list, 200);
    expect(list.json.count).toBe(2);
    expect(list.json.results.map((r: any) => r.id)).toEqual([a.id, b.id]);
    expect(list.json.results[0].author_name).toBe('Alan Turing');
    const byAuthor = await api(`/api/social/comments/?post=${p2.json.id}&author=${other.id}`, { token: staff.token });
    expect(byAuthor.json.results.map((r: any) => r.id)).toEqual([b.id]);
    const search = await api(`/api/social/comments/?post=${p2.json.id}&search=also`, { token: staff.token });
    expect(search.json.results.map((r: any) => r.id)).toEqual([b.id]);

    const one = await api(`/api/social/comments/${a.id}/`, { token: other.token });
    expectStatus(one, 200);
    expect(one.json.content).toBe('on p2');
    const put = await api(`/api/social/comments/${a.id}/`, {
      method: 'PUT',
      token: other.token,
      body: { post: postId, content: 'moved' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ post: postId, content: 'moved', author: staff.id });
    const patch = await api(`/api/social/comments/${a.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { content: 'edited' },
    });
    expectStatus(patch, 200);
    expect(patch.json.content).toBe('edited');
    expectStatus(await api(`/api/social/comments/${a.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/social/comments/${a.id}/`, { token: staff.token }), 404);
  });

  it('rejects invalid input', async () => {
    const missing = await api('/api/social/comments/', { token: staff.token, body: {} });
    expectStatus(missing, 400);
    expect(Object.keys(missing.json).sort()).toEqual(['content', 'post']);
    const fk = await api('/api/social/comments/', { token: staff.token, body: { post: 999999, content: 'x' } });
    expectStatus(fk, 400);
    expect(fk.json).toEqual({ post: ['Invalid pk "999999" - object does not exist.'] });
    const c = await comment('valid');
    expectStatus(
      await api(`/api/social/comments/${c.id}/`, { method: 'PUT', token: staff.token, body: { content: 'no post' } }),
      400,
    );
    expectStatus(await api(`/api/social/comments/${c.id}/`, { method: 'PATCH', token: staff.token, body: { post: 'abc' } }), 400);
    expectStatus(await api('/api/social/comments/?post=abc', { token: staff.token }), 400);
  });

  it('refuses customers and anonymous callers on every operation', async () => {
    const c = await comment('guarded');
    const ops: [string, string][] = [
      ['GET', '/api/social/comments/'],
      ['POST', '/api/social/comments/'],
      ['GET', `/api/social/comments/${c.id}/`],
      ['PUT', `/api/social/comments/${c.id}/`],
      ['PATCH', `/api/social/comments/${c.id}/`],
      ['DELETE', `/api/social/comments/${c.id}/`],
    ];
    for (const [method, path] of ops) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { post: postId, content: 'x' };
      expectStatus(await api(path, { method, token: customer.token, body }), 403);
      expectStatus(await api(path, { method, body }), 401);
    }
    expect((await api(`/api/social/comments/${c.id}/`, { token: staff.token })).json.content).toBe('guarded');
  });
});

describe('author_name (contact details, issue 14 #6)', () => {
  it('an author name that is an email reads "" for other users, in the comments and nested in the post', async () => {
    const mailer = await emailLikeUser();
    const c = await comment('from a mailer', mailer.token);
    expect(c.author_name, JSON.stringify(c)).toBe(mailer.email);
    for (const path of [
      `/api/social/comments/${c.id}/`,
      `/api/social/comments/?post=${postId}&page_size=100`,
      `/api/social/posts/${postId}/`,
    ]) {
      const res = await api(path, { token: staff.token });
      expectStatus(res, 200);
      expect(contactLeaks(res.text, mailer), `${path}: ${res.text}`).toEqual([]);
      const rows = res.json.results ?? res.json.comments ?? [res.json];
      expect(rows.find((r: { id: number }) => r.id === c.id)?.author_name, res.text).toBe('');
    }
  });
});
