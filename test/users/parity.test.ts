/**
 * Drop-in parity of the identity routes (issue 20): each test states the original's answer and
 * ours. Where we deliberately differ (security), the test name says so.
 */
import { describe, expect, it } from 'vitest';
import { api, cookieFrom, expectStatus, freshEmail, makeUser, wsUser } from '../helpers';

describe('item 5: Google without `code`', () => {
  it('keeps the envelope and adds the field errors at top level, where the original put them (bare {"code": [...]})', async () => {
    const res = await api('/api/user/auth/google/', { body: {} });
    expectStatus(res, 400);
    expect(res.json).toEqual({
      success: false,
      message: 'Google authentication failed',
      error: { code: ['This field is required.'] },
      code: ['This field is required.'],
    });
  });
});

describe('item 6: validation keys', () => {
  it('mismatched register passwords: the original\'s error.non_field_errors "Password do not match" and the seed\'s confirm_password', async () => {
    const res = await api('/api/user/register/', {
      body: { full_name: 'A', email: freshEmail(), password: 'SecurePass123!', confirm_password: 'Different123!' },
    });
    expectStatus(res, 400);
    expect(res.json.error.non_field_errors).toEqual(['Password do not match']);
    expect(res.json.error.confirm_password).toEqual(['Passwords do not match']);
  });

  it('reset-confirm requires a confirmation under either name (confirm_password or confirm_new_password)', async () => {
    const body = { email: freshEmail(), verification_code: '123456', new_password: 'NewSecure123!' };
    const none = await api('/api/user/password-reset-confirm/', { body });
    expectStatus(none, 400);
    expect(none.json.errors.confirm_password).toEqual(['This field is required.']);
    expect(none.json.errors.confirm_new_password).toEqual(['This field is required.']);
    for (const key of ['confirm_password', 'confirm_new_password']) {
      const mismatch = await api('/api/user/password-reset-confirm/', { body: { ...body, [key]: 'Other12345!' } });
      expect(mismatch.json.errors.confirm_password).toEqual(['Passwords do not match.']);
      const given = await api('/api/user/password-reset-confirm/', { body: { ...body, [key]: body.new_password } });
      expectStatus(given, 400);
      expect(given.json.errors, given.text).toEqual({
        verification_code: ['Invalid or expired verification code. Please request a new one.'],
      });
    }
  });

  it('a short reset password says "Ensure this field has at least 8 characters." as the original', async () => {
    const res = await api('/api/user/password-reset-confirm/', {
      body: { email: freshEmail(), verification_code: '123456', new_password: 'Ab1!', confirm_password: 'Ab1!' },
    });
    expectStatus(res, 400);
    expect(res.json.errors.new_password).toEqual(['Ensure this field has at least 8 characters.']);
  });
});

describe('item 7 and 14: 405, 401 and 415 bodies', () => {
  it("the workspace family's 405 envelope carries DRF's detail", async () => {
    const res = await api('/api/user/login/', { method: 'GET' });
    expectStatus(res, 405);
    expect(res.json).toEqual({ success: false, message: 'Method "GET" not allowed.', detail: 'Method "GET" not allowed.' });
    expect(res.headers.get('allow')).toContain('POST');
  });

  it('a bad token\'s 401 carries simplejwt\'s messages with "Token is invalid", in both families', async () => {
    const messages = [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' }];
    for (const path of ['/api/users/me/', '/api/user/profile/', '/api/workspace/workspaces/']) {
      const res = await api(path, { token: 'garbage' });
      expectStatus(res, 401);
      expect(res.json, path).toEqual({ detail: 'Given token not valid for any token type', code: 'token_not_valid', messages });
    }
  });

  it('`Authorization: Token abc` (a foreign scheme) is "no credentials", as DRF treats it (it was a bad token)', async () => {
    for (const [path, header] of [
      ['/api/users/me/', 'Token abc'],
      ['/api/user/profile/', 'Token abc'],
      ['/api/users/me/', 'Basic dXNlcjpwYXNz'],
    ]) {
      const res = await api(path, { headers: { authorization: header } });
      expectStatus(res, 401);
      expect(res.json).toEqual({ detail: 'Authentication credentials were not provided.' });
    }
  });

  it("an unsupported body media type is a 415: DRF's text for Tamiti, the envelope for workspaces", async () => {
    const xml = { body: '<login/>', headers: { 'content-type': 'application/xml' } };
    const tamiti = await api('/api/users/login/', xml);
    expectStatus(tamiti, 415);
    expect(tamiti.json).toEqual({ detail: 'Unsupported media type "application/xml" in request.' });
    const workspace = await api('/api/user/login/', xml);
    expectStatus(workspace, 415);
    expect(workspace.json).toEqual({ success: false, message: 'Unsupported media type "application/xml" in request.' });
    const form = await api('/api/users/login/', {
      body: 'username=nobody&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectStatus(form, 400);
  });
});

describe('item 9: admin login failures', () => {
  it('keep our non-revealing answer (deliberate difference: the original named errors.email / errors.password)', async () => {
    const { email } = await wsUser();
    const wrong = await api('/api/workspace/admin/login/', { body: { email, password: 'Wrong-pass-1!' } });
    const unknown = await api('/api/workspace/admin/login/', { body: { email: freshEmail(), password: 'Wrong-pass-1!' } });
    for (const res of [wrong, unknown]) {
      expectStatus(res, 400);
      expect(res.json).toEqual({
        success: false,
        message: 'Login failed',
        errors: { non_field_errors: ['Invalid email or password'] },
      });
    }
  });
});

describe('item 10: the refresh cookie works across the aliases', () => {
  it('is scoped to Path=/api/: log in at /api/users/login/, refresh at /api/auth/token/refresh/, and the reverse', async () => {
    const u = await makeUser();
    const login = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    expect(login.headers.get('set-cookie')).toMatch(/Path=\/api\/(;|$)/);
    const viaAuth = await api('/api/auth/token/refresh/', {
      method: 'POST',
      headers: { cookie: `refresh_token=${cookieFrom(login.headers, 'refresh_token')}` },
    });
    expectStatus(viaAuth, 200);
    expect(viaAuth.headers.get('set-cookie')).toMatch(/Path=\/api\/(;|$)/);
    const back = await api('/api/users/token/refresh/', {
      method: 'POST',
      headers: { cookie: `refresh_token=${cookieFrom(viaAuth.headers, 'refresh_token')}` },
    });
    expectStatus(back, 200);
    const authLogin = await api('/api/auth/login/', { body: { username: u.username, password: u.password } });
    const viaUsers = await api('/api/users/token/refresh/', {
      method: 'POST',
      headers: { cookie: `refresh_token=${cookieFrom(authLogin.headers, 'refresh_token')}` },
    });
    expectStatus(viaUsers, 200);
    const out = await api('/api/auth/logout/', { method: 'POST' });
    expect(out.headers.get('set-cookie')).toMatch(/refresh_token=;.*Path=\/api\//);
  });

  it('a body token without a cookie is accepted: a documented addition (the original answered 400 "No refresh token in cookies")', async () => {
    const u = await makeUser();
    const login = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    const res = await api('/api/users/token/refresh/', { body: { refresh: cookieFrom(login.headers, 'refresh_token') } });
    expectStatus(res, 200);
    const none = await api('/api/users/token/refresh/', { method: 'POST' });
    expectStatus(none, 400);
    expect(none.json).toEqual({ error: 'No refresh token in cookies' });
    const doc = (await api('/api/schema/')).json;
    const schema = doc.components.schemas.TokenRefreshRequest;
    expect(schema.properties.refresh.description).toMatch(/addition/);
  });
});

describe("item 12: string fields accept numbers as DRF's CharField does", () => {
  it('Tamiti: "password": 12345678 registers and signs in; booleans and objects stay refused', async () => {
    const username = `num${Date.now().toString(36)}`;
    const reg = await api('/api/users/register/', {
      body: { username, email: freshEmail(), password: 12345678, phone: 256700123 },
    });
    expectStatus(reg, 201);
    expect(reg.json.phone).toBe('256700123');
    expectStatus(await api('/api/users/login/', { body: { username, password: '12345678' } }), 200);
    expectStatus(await api('/api/users/login/', { body: { username, password: 12345678 } }), 200);
    for (const password of [true, { a: 1 }, [1, 2]]) {
      const res = await api('/api/users/register/', { body: { username: `${username}x`, email: freshEmail(), password } });
      expectStatus(res, 400);
      expect(res.json.password).toEqual(['Not a valid string.']);
    }
  });

  it('workspaces: a number is read as text (full_name 12345 registers); booleans stay refused', async () => {
    const ok = await api('/api/user/register/', {
      body: { full_name: 12345, email: freshEmail(), password: 'SecurePass123!', confirm_password: 'SecurePass123!' },
    });
    expectStatus(ok, 201);
    expect(ok.json.user.full_name).toBe('12345');
    const numeric = await api('/api/user/register/', {
      body: { full_name: 'N', email: freshEmail(), password: 12345678, confirm_password: 12345678 },
    });
    expectStatus(numeric, 400);
    expect(numeric.json.error.password).toContain('Password must contain at least one uppercase letter');
    const bool = await api('/api/user/register/', {
      body: { full_name: true, email: freshEmail(), password: 'SecurePass123!', confirm_password: 'SecurePass123!' },
    });
    expectStatus(bool, 400);
    expect(bool.json.error.full_name).toEqual(['Not a valid string.']);
  });
});
