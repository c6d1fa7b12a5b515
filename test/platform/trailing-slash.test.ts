/**
 * Issue 20 item 13: a missing trailing slash. The original (Django's APPEND_SLASH) redirects
 * `GET /api/field/leads` to `/api/field/leads/` with a 301; we do the same for GET and HEAD, and
 * answer 308 for other methods, which keeps the body (the original's 301 lost it).
 */
import { describe, expect, it } from 'vitest';
import { api, BASE, makeUser } from '../helpers';

describe('a path without its trailing slash', () => {
  it('GET redirects with 301 to the slashed path, query kept (as the original)', async () => {
    const res = await api('/api/field/leads?page=2&search=x');
    expect(res.status, res.text).toBe(301);
    expect(res.headers.get('location')).toBe(`${BASE}/api/field/leads/?page=2&search=x`);
  });

  it('POST redirects with 308, which keeps method and body (the original answered 301 and lost the body)', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const res = await api('/api/field/zones', { token: staff.token, body: { name: 'z' } });
    expect(res.status, res.text).toBe(308);
    expect(res.headers.get('location')).toBe(`${BASE}/api/field/zones/`);
  });

  it('redirects detail paths and the workspace family alike', async () => {
    expect((await api('/api/field/leads/12')).headers.get('location')).toBe(`${BASE}/api/field/leads/12/`);
    const ws = await api('/api/workspace/workspaces');
    expect(ws.status).toBe(301);
    expect(ws.headers.get('location')).toBe(`${BASE}/api/workspace/workspaces/`);
  });

  it('still answers 404 for a path that matches nothing, slash or not', async () => {
    const res = await api('/api/field/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: 'Not found.' });
  });
});
