import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let other: TestUser;
let customer: TestUser;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  other = await makeUser({ role: 'Staff' });
  customer = await makeUser({ role: 'Customer' });
  await env.DB.prepare("UPDATE users SET first_name = 'Grace', last_name = 'Hopper' WHERE id = ?").bind(other.id).run();
});

const base = { title: 'Launch', content_text: 'We are live', platform: 'instagram', scheduled_for: '2030-05-01T10:00:00Z' };
const post = async (body: Record<string, unknown> = {}) => {
  const res = await api('/api/social/posts/', { token: staff.token, body: { ...base, ...body } });
  expectStatus(res, 201);
  return res.json;
};
const listIds = async (query: string) => {
  const res = await api(`/api/social/posts/?page_size=100&${query}`, { token: staff.token });
  expectStatus(res, 200);
  return res.json.results.map((r: any) => r.id) as number[];
};

describe('social posts', () => {
  it('creates a post with defaults, empty comments and null metrics (datetimes with six fractional digits as the original prints them; we printed three)', async () => {
    const p = await post({ assigned_to: other.id, reviewer: staff.id, scheduled_for: '2030-05-01T13:00:00+03:00' });
    expect(p).toMatchObject({
      ...base,
      scheduled_for: '2030-05-01T10:00:00.000000Z',
      status: 'draft',
      approved_at: null,
      internal_notes: '',
      reminder_at: null,
      assigned_to: other.id,
      reviewer: staff.id,
      comments: [],
      metrics: null,
    });
  });

  it('nests comments (with author names) and the metrics object', async () => {
    const p = await post();
    const c1 = await api('/api/social/comments/', { token: other.token, body: { post: p.id, content: 'Nice' } });
    expectStatus(c1, 201);
    const c2 = await api('/api/social/comments/', { token: staff.token, body: { post: p.id, content: 'Thanks' } });
    expectStatus(c2, 201);
    const m = await api('/api/social/metrics/', { token: staff.token, body: { post: p.id, likes: 10 } });
    expectStatus(m, 201);
    const res = await api(`/api/social/posts/${p.id}/`, { token: staff.token });
    expectStatus(res, 200);
    expect(res.json.comments.map((c: any) => [c.id, c.content, c.author, c.author_name])).toEqual([
      [c1.json.id, 'Nice', other.id, 'Grace Hopper'],
      [c2.json.id, 'Thanks', staff.id, ''],
    ]);
    expect(res.json.metrics).toMatchObject({ id: m.json.id, post: p.id, likes: 10, engagement_score: '4.00' });
    const listed = (await api(`/api/social/posts/?page_size=100`, { token: staff.token })).json.results.find(
      (r: any) => r.id === p.id,
    );
    expect(listed.comments).toHaveLength(2);
    expect(listed.metrics.id).toBe(m.json.id);
  });

  it('updates with PUT and PATCH; status is free and approved_at follows it (datetimes with six fractional digits as the original prints them; we printed three)', async () => {
    const p = await post();
    const put = await api(`/api/social/posts/${p.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { ...base, title: 'Relaunch', status: 'approved', internal_notes: 'ok', reminder_at: '2030-04-30T09:00:00Z' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({
      title: 'Relaunch',
      status: 'approved',
      internal_notes: 'ok',
      reminder_at: '2030-04-30T09:00:00.000000Z',
    });
    expect(put.json.approved_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const published = await api(`/api/social/posts/${p.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { status: 'published' },
    });
    expectStatus(published, 200);
    expect(published.json.approved_at).toBe(put.json.approved_at);
    const back = await api(`/api/social/posts/${p.id}/`, { method: 'PATCH', token: staff.token, body: { status: 'draft' } });
    expect(back.json).toMatchObject({ status: 'draft', approved_at: null });
    const ignored = await api(`/api/social/posts/${p.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: {
        approved_at: '2020-01-01T00:00:00Z',
        comments: [1],
        metrics: {},
        is_deleted: true,
        deleted_at: '2020-01-01T00:00:00Z',
      },
    });
    expectStatus(ignored, 200);
    expect(ignored.json).toMatchObject({ approved_at: null, comments: [], metrics: null, is_deleted: false, deleted_at: null });
  });

  it('deleting a post deletes its comments and metrics', async () => {
    const p = await post();
    const c = await api('/api/social/comments/', { token: staff.token, body: { post: p.id, content: 'x' } });
    const m = await api('/api/social/metrics/', { token: staff.token, body: { post: p.id } });
    expectStatus(await api(`/api/social/posts/${p.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/social/posts/${p.id}/`, { token: staff.token }), 404);
    expectStatus(await api(`/api/social/comments/${c.json.id}/`, { token: staff.token }), 404);
    expectStatus(await api(`/api/social/metrics/${m.json.id}/`, { token: staff.token }), 404);
  });

  it('rejects invalid input', async () => {
    const missing = await api('/api/social/posts/', { token: staff.token, body: {} });
    expectStatus(missing, 400);
    expect(Object.keys(missing.json).sort()).toEqual(['content_text', 'platform', 'scheduled_for', 'title']);
    const bad = await api('/api/social/posts/', {
      token: staff.token,
      body: { ...base, platform: 'myspace', status: 'gone', scheduled_for: 'tomorrow' },
    });
    expectStatus(bad, 400);
    expect(Object.keys(bad.json).sort()).toEqual(['platform', 'scheduled_for', 'status']);
    const fk = await api('/api/social/posts/', { token: staff.token, body: { ...base, assigned_to: 999999, reviewer: 999998 } });
    expectStatus(fk, 400);
    expect(fk.json).toEqual({
      assigned_to: ['Invalid pk "999999" - object does not exist.'],
      reviewer: ['Invalid pk "999998" - object does not exist.'],
    });
    const p = await post();
    expectStatus(await api(`/api/social/posts/${p.id}/`, { method: 'PUT', token: staff.token, body: { title: 'only' } }), 400);
    expectStatus(
      await api(`/api/social/posts/${p.id}/`, { method: 'PATCH', token: staff.token, body: { platform: 'mastodon' } }),
      400,
    );
    expectStatus(await api('/api/social/posts/999999/', { token: staff.token }), 404);
  });

  it('searches title and content_text; filters platform, status, assigned_to', async () => {
    const tag = `pq${Date.now().toString(36)}`;
    const a = await post({ title: `Promo ${tag}`, platform: 'x', assigned_to: other.id });
    const b = await post({ content_text: `body ${tag}`, platform: 'linkedin', status: 'published', assigned_to: other.id });
    const c = await post({ title: 'unrelated', internal_notes: tag });
    expect(await listIds(`search=${tag}`)).toEqual([a.id, b.id]);
    expect(await listIds(`search=${tag}&platform=x`)).toEqual([a.id]);
    expect(await listIds(`search=${tag}&status=published`)).toEqual([b.id]);
    const mine = await listIds(`assigned_to=${other.id}`);
    expect(mine).toContain(a.id);
    expect(mine).toContain(b.id);
    expect(mine).not.toContain(c.id);
    const badChoice = await api('/api/social/posts/?platform=myspace&status=nope', { token: staff.token });
    expectStatus(badChoice, 400);
    expect(Object.keys(badChoice.json).sort()).toEqual(['platform', 'status']);
    expectStatus(await api('/api/social/posts/?assigned_to=999999', { token: staff.token }), 400);
    expectStatus(await api('/api/social/posts/?assigned_to=me', { token: staff.token }), 400);
  });

  it('orders by scheduled_for and created_at', async () => {
    const tag = `ord${Date.now().toString(36)}`;
    const late = await post({ title: tag, scheduled_for: '2031-03-01T00:00:00Z' });
    const early = await post({ title: tag, scheduled_for: '2031-01-01T00:00:00Z' });
    const mid = await post({ title: tag, scheduled_for: '2031-02-01T00:00:00Z' });
    expect(await listIds(`search=${tag}`)).toEqual([late.id, early.id, mid.id]);
    expect(await listIds(`search=${tag}&ordering=scheduled_for`)).toEqual([early.id, mid.id, late.id]);
    expect(await listIds(`search=${tag}&ordering=-scheduled_for`)).toEqual([late.id, mid.id, early.id]);
    for (const [id, at] of [
      [late.id, '2024-01-03T00:00:00.000Z'],
      [early.id, '2024-01-01T00:00:00.000Z'],
      [mid.id, '2024-01-02T00:00:00.000Z'],
    ])
      await env.DB.prepare('UPDATE social_posts SET created_at = ? WHERE id = ?').bind(at, id).run();
    expect(await listIds(`search=${tag}&ordering=-created_at`)).toEqual([late.id, mid.id, early.id]);
  });

  it('refuses customers and anonymous callers on every operation', async () => {
    const p = await post({ title: 'Guarded' });
    const ops: [string, string][] = [
      ['GET', '/api/social/posts/'],
      ['POST', '/api/social/posts/'],
      ['GET', `/api/social/posts/${p.id}/`],
      ['PUT', `/api/social/posts/${p.id}/`],
      ['PATCH', `/api/social/posts/${p.id}/`],
      ['DELETE', `/api/social/posts/${p.id}/`],
    ];
    for (const [method, path] of ops) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : base;
      expectStatus(await api(path, { method, token: customer.token, body }), 403);
      expectStatus(await api(path, { method, body }), 401);
    }
    expect((await api(`/api/social/posts/${p.id}/`, { token: staff.token })).json.title).toBe('Guarded');
  });
});
