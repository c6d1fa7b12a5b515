import { describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser } from '../helpers';

describe('smoke', () => {
  it('registers, logs in and reads /me', async () => {
    const u = await makeUser();
    const me = await api('/api/users/me/', { token: u.token });
    expectStatus(me, 200);
    expect(me.json.username).toBe(u.username);
    expect(me.json.preferences).toEqual({ dark_mode: true, language: 'en', daily_summary: true });
  });
  it('serves the OpenAPI document', async () => {
    const res = await api('/api/schema/');
    expectStatus(res, 200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.paths['/api/users/login/'].post.operationId).toBe('users_login_create');
  });
});
