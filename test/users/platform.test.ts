import { describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser } from '../helpers';

describe('platform behaviour', () => {
  it("unknown routes are JSON 404s in each family's shape", async () => {
    const t = await api('/api/nothing-here/');
    expectStatus(t, 404);
    expect(t.json).toEqual({ detail: 'Not found.' });
    const w = await api('/api/workspace/nothing-here/');
    expectStatus(w, 404);
    expect(w.json).toEqual({ success: false, message: 'Not found.' });
  });

  it('a wrong method is a 405 with Allow', async () => {
    const res = await api('/api/users/login/', { method: 'GET' });
    expectStatus(res, 405);
    expect(res.json).toEqual({ detail: 'Method "GET" not allowed.' });
    expect(res.headers.get('allow')).toContain('POST');
  });

  it("malformed JSON is a 400 in the family's shape", async () => {
    const t = await api('/api/users/login/', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expectStatus(t, 400);
    expect(t.json.detail).toMatch(/JSON parse error/);
    const w = await api('/api/user/login/', { body: '{"email":', headers: { 'content-type': 'application/json' } });
    expectStatus(w, 400);
    expect(w.json).toMatchObject({ success: false });
  });

  it('a JSON body that is not an object is a 400 non_field_errors', async () => {
    const res = await api('/api/users/login/', { body: '[1,2]', headers: { 'content-type': 'application/json' } });
    expectStatus(res, 400);
    expect(res.json.non_field_errors[0]).toMatch(/Expected a dictionary/);
  });

  it('oversize bodies are a 413', async () => {
    const res = await api('/api/users/login/', { body: JSON.stringify({ username: 'x'.repeat(1_100_000), password: 'y' }) });
    expectStatus(res, 413);
    expect(res.json.detail).toMatch(/too large/);
  });

  it('responses carry a request id and security headers', async () => {
    const res = await api('/api/');
    expectStatus(res, 200);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
  });

  it('CORS: configured origins get credentials; others get nothing', async () => {
    const ok = await api('/api/users/login/', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expectStatus(ok, 204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const bad = await api('/api/users/login/', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves Swagger UI and Redoc pages that load only local assets', async () => {
    for (const path of ['/api/docs/', '/api/redoc/']) {
      const res = await api(path);
      expectStatus(res, 200);
      expect(res.text).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)/);
      expect(res.text).toMatch(/\/api\/(docs|redoc)\/assets\//);
    }
  });

  it('documents every identity operation with bearer security where protected', async () => {
    const res = await api('/api/schema/');
    const doc = res.json;
    expect(doc.components.securitySchemes.jwtAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const prefix of ['users', 'auth']) {
      for (const op of [
        'register',
        'login',
        'token/refresh',
        'verify-email',
        'password-reset-request',
        'password-reset-confirm',
        'me',
      ]) {
        expect(doc.paths[`/api/${prefix}/${op}/`], `${prefix}/${op}`).toBeTruthy();
      }
      expect(doc.paths[`/api/${prefix}/me/`].get.security).toEqual([{ jwtAuth: [] }]);
    }
    for (const op of [
      'register',
      'login',
      'auth/google',
      'profile',
      'forget-password',
      'resend-password-reset',
      'password-reset-confirm',
      'token/refresh',
    ]) {
      expect(doc.paths[`/api/user/${op}/`], `user/${op}`).toBeTruthy();
    }
  });

  it('the dev mailbox is served in development', async () => {
    const u = await makeUser();
    const res = await api(`/api/dev/mailbox/?to=${encodeURIComponent(u.email)}`);
    expectStatus(res, 200);
    expect(res.json).toHaveProperty('count');
  });
});
