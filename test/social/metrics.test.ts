import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let customer: TestUser;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  customer = await makeUser({ role: 'Customer' });
});

const newPost = async () => {
  const res = await api('/api/social/posts/', {
    token: staff.token,
    body: { title: 'M', content_text: 'c', platform: 'tiktok', scheduled_for: '2030-01-01T00:00:00Z' },
  });
  expectStatus(res, 201);
  return res.json.id as number;
};
const metric = async (body: Record<string, unknown>) => {
  const res = await api('/api/social/metrics/', { token: staff.token, body });
  expectStatus(res, 201);
  return res.json;
};

describe('social metrics', () => {
  it('defaults counters to 0 and the score to "0.00"', async () => {
    const m = await metric({ post: await newPost() });
    expect(m).toMatchObject({ likes: 0, shares: 0, comments: 0, views: 0, engagement_score: '0.00' });
  });

  it('computes engagement_score on create, ignoring a client value, and stores it exactly', async () => {
    // 0.4*3 + 0.3*7 + 0.2*11 + 0.1*13 = 1.2 + 2.1 + 2.2 + 1.3 = 6.80 (6.8000000000000007 in floats)
    const m = await metric({ post: await newPost(), likes: 3, comments: 7, shares: 11, views: 13, engagement_score: '55.55' });
    expect(m.engagement_score).toBe('6.80');
    const row = await env.DB.prepare('SELECT engagement_score FROM social_metrics WHERE id = ?').bind(m.id).first();
    expect(row?.engagement_score).toBe(680);
  });

  it('recomputes on PUT and PATCH from the merged counters', async () => {
    const post = await newPost();
    const m = await metric({ post, likes: 10 });
    expect(m.engagement_score).toBe('4.00');
    const patch = await api(`/api/social/metrics/${m.id}/`, { method: 'PATCH', token: staff.token, body: { views: 5 } });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ likes: 10, views: 5, engagement_score: '4.50' });
    const put = await api(`/api/social/metrics/${m.id}/`, { method: 'PUT', token: staff.token, body: { post, shares: 1 } });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ likes: 10, views: 5, shares: 1, engagement_score: '4.70' });
  });

  it('caps the score at 9999.99', async () => {
    const m = await metric({ post: await newPost(), likes: 24_999, views: 1 });
    expect(m.engagement_score).toBe('9999.70');
    const capped = await metric({ post: await newPost(), views: 10_000_000 });
    expect(capped.engagement_score).toBe('9999.99');
  });

  it('allows one metrics row per post', async () => {
    const post = await newPost();
    await metric({ post });
    const second = await api('/api/social/metrics/', { token: staff.token, body: { post, likes: 1 } });
    expectStatus(second, 400);
    expect(second.json).toEqual({ post: ['social metric with this post already exists.'] });
    const other = await metric({ post: await newPost() });
    const move = await api(`/api/social/metrics/${other.id}/`, { method: 'PATCH', token: staff.token, body: { post } });
    expectStatus(move, 400);
  });

  it('lists, filters by post, retrieves and deletes', async () => {
    const post = await newPost();
    const m = await metric({ post, likes: 2 });
    const list = await api(`/api/social/metrics/?post=${post}`, { token: staff.token });
    expectStatus(list, 200);
    expect(list.json.results.map((r: any) => r.id)).toEqual([m.id]);
    const one = await api(`/api/social/metrics/${m.id}/`, { token: staff.token });
    expectStatus(one, 200);
    expect(one.json.engagement_score).toBe('0.80');
    expectStatus(await api(`/api/social/metrics/${m.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/social/metrics/${m.id}/`, { token: staff.token }), 404);
    const again = await metric({ post });
    expect(again.post).toBe(post);
  });

  it('rejects invalid input', async () => {
    const missing = await api('/api/social/metrics/', { token: staff.token, body: { likes: 1 } });
    expectStatus(missing, 400);
    expect(missing.json.post).toBeDefined();
    const post = await newPost();
    const negative = await api('/api/social/metrics/', {
      token: staff.token,
      body: { post, likes: -1, views: 1.5, shares: 'many' },
    });
    expectStatus(negative, 400);
    expect(Object.keys(negative.json).sort()).toEqual(['likes', 'shares', 'views']);
    const fk = await api('/api/social/metrics/', { token: staff.token, body: { post: 999999 } });
    expectStatus(fk, 400);
    expect(fk.json).toEqual({ post: ['Invalid pk "999999" - object does not exist.'] });
    const m = await metric({ post });
    expectStatus(await api(`/api/social/metrics/${m.id}/`, { method: 'PUT', token: staff.token, body: { likes: 1 } }), 400);
    expectStatus(await api(`/api/social/metrics/${m.id}/`, { method: 'PATCH', token: staff.token, body: { likes: -5 } }), 400);
  });

  it('refuses customers and anonymous callers on every operation', async () => {
    const post = await newPost();
    const m = await metric({ post });
    const ops: [string, string][] = [
      ['GET', '/api/social/metrics/'],
      ['POST', '/api/social/metrics/'],
      ['GET', `/api/social/metrics/${m.id}/`],
      ['PUT', `/api/social/metrics/${m.id}/`],
      ['PATCH', `/api/social/metrics/${m.id}/`],
      ['DELETE', `/api/social/metrics/${m.id}/`],
    ];
    for (const [method, path] of ops) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { post, likes: 1 };
      expectStatus(await api(path, { method, token: customer.token, body }), 403);
      expectStatus(await api(path, { method, body }), 401);
    }
    expect((await api(`/api/social/metrics/${m.id}/`, { token: staff.token })).json.likes).toBe(0);
  });
});
