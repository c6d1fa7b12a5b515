import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let other: TestUser;
let customer: TestUser;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  other = await makeUser({ role: 'Staff' });
  customer = await makeUser({ role: 'Customer' });
  await env.DB.prepare("UPDATE users SET first_name = 'Ada', last_name = 'Lovelace' WHERE id = ?").bind(staff.id).run();
});

const category = async (name: string) => {
  const res = await api('/api/content/categories/', { token: staff.token, body: { name } });
  expectStatus(res, 201);
  return res.json.id as number;
};
const asset = async (body: Record<string, unknown>, token = staff.token) => {
  const res = await api('/api/content/media/', { token, body });
  expectStatus(res, 201);
  return res.json;
};
const listIds = async (query: string) => {
  const res = await api(`/api/content/media/?page_size=100&${query}`, { token: staff.token });
  expectStatus(res, 200);
  return res.json.results.map((r: any) => r.id) as number[];
};

describe('media assets', () => {
  it('creates an asset owned by the caller, with derived names and defaults', async () => {
    const cat = await category('Photos');
    const a = await asset({
      title: 'Team photo',
      category: cat,
      file: 'https://cdn.example.com/team.jpg',
      external_url: 'https://example.com/team',
      size: '2.4 MB',
      dimensions: '1920x1080',
      uploaded_by: other.id,
    });
    expect(a).toMatchObject({
      title: 'Team photo',
      asset_type: 'photo',
      description: '',
      caption: '',
      alt_text: '',
      file: 'https://cdn.example.com/team.jpg',
      external_url: 'https://example.com/team',
      size: '2.4 MB',
      dimensions: '1920x1080',
      category: cat,
      category_name: 'Photos',
      uploaded_by: staff.id,
      uploaded_by_name: 'Ada Lovelace',
      is_deleted: false,
    });
  });

  it('emits null names when the foreign keys are null, and "" for a user without a name', async () => {
    const a = await asset({ title: 'Loose' }, other.token);
    expect(a.category).toBeNull();
    expect(a.category_name).toBeNull();
    expect(a.file).toBeNull();
    expect(a.uploaded_by).toBe(other.id);
    expect(a.uploaded_by_name).toBe('');
    await env.DB.prepare('UPDATE media_assets SET uploaded_by_id = NULL WHERE id = ?').bind(a.id).run();
    const again = await api(`/api/content/media/${a.id}/`, { token: staff.token });
    expect(again.json).toHaveProperty('uploaded_by_name', null);
    expect(again.json).toHaveProperty('uploaded_by', null);
  });

  it('updates (PUT and PATCH) without changing the uploader', async () => {
    const a = await asset({ title: 'Draft', asset_type: 'video' });
    const put = await api(`/api/content/media/${a.id}/`, {
      method: 'PUT',
      token: other.token,
      body: { title: 'Final', asset_type: 'document', file: null },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ title: 'Final', asset_type: 'document', uploaded_by: staff.id });
    const patch = await api(`/api/content/media/${a.id}/`, { method: 'PATCH', token: other.token, body: { caption: 'Cap' } });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ title: 'Final', caption: 'Cap', uploaded_by: staff.id });
    expectStatus(await api(`/api/content/media/${a.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/content/media/${a.id}/`, { token: staff.token }), 404);
  });

  it('rejects invalid input', async () => {
    const missing = await api('/api/content/media/', { token: staff.token, body: { description: 'no title' } });
    expectStatus(missing, 400);
    expect(missing.json.title).toBeDefined();
    const bad = await api('/api/content/media/', {
      token: staff.token,
      body: { title: 't', asset_type: 'gif', external_url: 'not a url', file: 'ftp://x' },
    });
    expectStatus(bad, 400);
    expect(Object.keys(bad.json).sort()).toEqual(['asset_type', 'external_url', 'file']);
    const fk = await api('/api/content/media/', { token: staff.token, body: { title: 't', category: 999999 } });
    expectStatus(fk, 400);
    expect(fk.json).toEqual({ category: ['Invalid pk "999999" - object does not exist.'] });
    const a = await asset({ title: 'ok' });
    const patch = await api(`/api/content/media/${a.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { size: 'x'.repeat(21) },
    });
    expectStatus(patch, 400);
    expect(patch.json.size).toBeDefined();
    const put = await api(`/api/content/media/${a.id}/`, { method: 'PUT', token: staff.token, body: { caption: 'no title' } });
    expectStatus(put, 400);
  });

  it('searches title, description, alt_text and caption', async () => {
    const tag = `zq${Date.now().toString(36)}`;
    const t = await asset({ title: `Sunset ${tag}` });
    const d = await asset({ title: 'A', description: `about ${tag}` });
    const al = await asset({ title: 'B', alt_text: `alt ${tag.toUpperCase()}` });
    const c = await asset({ title: 'C', caption: `${tag}!` });
    const none = await asset({ title: 'D', size: tag });
    const ids = await listIds(`search=${tag}`);
    expect(ids.sort()).toEqual([t.id, d.id, al.id, c.id].sort());
    expect(ids).not.toContain(none.id);
    expect(await listIds(`search=${tag}%20sunset`)).toEqual([t.id]);
    // LIKE wildcards in the term are literal
    expect(await listIds('search=%25%25%25')).toEqual([]);
  });

  it('filters by asset_type and category; rejects bad filter values', async () => {
    const cat = await category('Filter cat');
    const v = await asset({ title: 'clip', asset_type: 'video', category: cat });
    const p = await asset({ title: 'pic', asset_type: 'photo', category: cat });
    expect(await listIds(`category=${cat}`)).toEqual([v.id, p.id]);
    expect(await listIds(`category=${cat}&asset_type=video`)).toEqual([v.id]);
    const wrongType = await api('/api/content/media/?asset_type=gif', { token: staff.token });
    expectStatus(wrongType, 400);
    expect(wrongType.json.asset_type).toBeDefined();
    expectStatus(await api('/api/content/media/?category=abc', { token: staff.token }), 400);
    const missingCat = await api('/api/content/media/?category=999999', { token: staff.token });
    expectStatus(missingCat, 400);
    expect(missingCat.json.category).toBeDefined();
  });

  it('orders by title and created_at (default id asc)', async () => {
    const cat = await category('Order cat');
    const b = await asset({ title: 'bbb', category: cat });
    const a = await asset({ title: 'aaa', category: cat });
    const c = await asset({ title: 'ccc', category: cat });
    expect(await listIds(`category=${cat}`)).toEqual([b.id, a.id, c.id]);
    expect(await listIds(`category=${cat}&ordering=title`)).toEqual([a.id, b.id, c.id]);
    expect(await listIds(`category=${cat}&ordering=-title`)).toEqual([c.id, b.id, a.id]);
    // distinct timestamps, in an order unlike the ids
    for (const [id, at] of [
      [b.id, '2024-01-02T00:00:00.000Z'],
      [a.id, '2024-01-03T00:00:00.000Z'],
      [c.id, '2024-01-01T00:00:00.000Z'],
    ])
      await env.DB.prepare('UPDATE media_assets SET created_at = ? WHERE id = ?').bind(at, id).run();
    expect(await listIds(`category=${cat}&ordering=-created_at`)).toEqual([a.id, b.id, c.id]);
    expect(await listIds(`category=${cat}&ordering=created_at`)).toEqual([c.id, b.id, a.id]);
    expect(await listIds(`category=${cat}&ordering=bogus`)).toEqual([b.id, a.id, c.id]);
  });

  it('refuses customers and anonymous callers on every operation', async () => {
    const a = await asset({ title: 'Guarded' });
    const ops: [string, string][] = [
      ['GET', '/api/content/media/'],
      ['POST', '/api/content/media/'],
      ['GET', `/api/content/media/${a.id}/`],
      ['PUT', `/api/content/media/${a.id}/`],
      ['PATCH', `/api/content/media/${a.id}/`],
      ['DELETE', `/api/content/media/${a.id}/`],
    ];
    for (const [method, path] of ops) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { title: 'x' };
      expectStatus(await api(path, { method, token: customer.token, body }), 403);
      expectStatus(await api(path, { method, body }), 401);
    }
    const still = await api(`/api/content/media/${a.id}/`, { token: staff.token });
    expect(still.json.title).toBe('Guarded');
  });
});

describe('uploaded_by_name (contact details, issue 14 #6)', () => {
  it('an uploader name that is an email reads "" for other users, as the uploader’s own for the uploader', async () => {
    const mailer = await emailLikeUser();
    const a = await asset({ title: `mailer-${mailer.id}` }, mailer.token);
    expect(a.uploaded_by_name, JSON.stringify(a)).toBe(mailer.email);
    for (const path of [`/api/content/media/${a.id}/`, `/api/content/media/?search=mailer-${mailer.id}`]) {
      const res = await api(path, { token: staff.token });
      expectStatus(res, 200);
      expect(contactLeaks(res.text, mailer), `${path}: ${res.text}`).toEqual([]);
      expect((res.json.results?.[0] ?? res.json).uploaded_by_name, res.text).toBe('');
    }
  });
});
