import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, cookieFrom, expectStatus, makeUser, waitForMail } from '../helpers';

const SECRET = new TextEncoder().encode('test-secret-do-not-use-in-production');
let n = 0;
const fresh = () => {
  const id = `t${Date.now().toString(36)}${n++}`;
  return { username: id, email: `${id}@Example.COM`, password: 'longenough1' };
};

describe('register (/api/users/register/ and /api/auth/register/)', () => {
  it('creates a user: 201 with username, email (domain lower-cased) and phone, never the password', async () => {
    const u = fresh();
    const res = await api('/api/users/register/', { body: { ...u, phone: '+256700000001' } });
    expectStatus(res, 201);
    expect(res.json).toEqual({
      username: u.username,
      email: u.email.replace('Example.COM', 'example.com'),
      phone: '+256700000001',
    });
    const row = await env.DB.prepare('SELECT role, password, is_verified FROM users WHERE username = ?')
      .bind(u.username)
      .first<any>();
    expect(row.role).toBe('Staff');
    expect(row.is_verified).toBe(0);
    expect(row.password).toMatch(/^pbkdf2_sha256\$100000\$/);
  });

  it('the /api/auth/ alias registers too', async () => {
    const res = await api('/api/auth/register/', { body: fresh() });
    expectStatus(res, 201);
  });

  it('refuses duplicates with field errors', async () => {
    const u = fresh();
    expectStatus(await api('/api/users/register/', { body: { ...u, phone: '+1555' } }), 201);
    const dup = await api('/api/users/register/', { body: { ...u, email: u.email.toUpperCase(), phone: '+1555' } });
    expectStatus(dup, 400);
    expect(dup.json).toEqual({
      username: ['A user with that username already exists.'],
      email: ['user with this email already exists.'],
      phone: ['user with this phone already exists.'],
    });
  });

  it('reports each missing or invalid field', async () => {
    const res = await api('/api/users/register/', { body: { username: 'bad name!', email: 'nope' } });
    expectStatus(res, 400);
    expect(res.json.username[0]).toMatch(/valid username/);
    expect(res.json.email).toEqual(['Enter a valid email address.']);
    expect(res.json.password).toEqual(['This field is required.']);
  });

  it('requires at least 8 characters of password (the original had no rule)', async () => {
    const res = await api('/api/users/register/', { body: { ...fresh(), password: 'short' } });
    expectStatus(res, 400);
    expect(res.json.password).toEqual(['Ensure this field has at least 8 characters.']);
  });

  it('sends a verification email through the queue, and its link verifies the address', async () => {
    const u = fresh();
    expectStatus(await api('/api/users/register/', { body: u }), 201);
    const [mail] = await waitForMail(u.email.toLowerCase());
    expect(mail.subject).toBe('Verify your email address');
    const link = /https?:\/\/\S+verify-email\/\?uid=[^&\s]+&token=\S+/.exec(mail.text)![0];
    const url = new URL(link);
    const ok = await api(`${url.pathname}${url.search}`);
    expectStatus(ok, 200);
    expect(ok.json).toEqual({ detail: 'Email verified successfully' });
    const me = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    const profile = await api('/api/users/me/', { token: me.json.access });
    expect(profile.json.is_verified).toBe(true);
  });

  it('verify-email answers 400 for a bad link, 404 for an unknown user, 400 for a bad token', async () => {
    expectStatus(await api('/api/users/verify-email/'), 400);
    expect((await api('/api/users/verify-email/?uid=!!&token=x')).json).toEqual({ detail: 'Invalid link' });
    const unknown = await api(`/api/users/verify-email/?uid=${btoa('999999').replace(/=+$/, '')}&token=x`);
    expectStatus(unknown, 404);
    const u = await makeUser();
    const bad = await api(`/api/users/verify-email/?uid=${btoa(String(u.id)).replace(/=+$/, '')}&token=abc`);
    expectStatus(bad, 400);
    expect(bad.json).toEqual({ detail: 'Invalid or expired token' });
  });
});

describe('login', () => {
  it('accepts username or email, returns {access} and sets an HttpOnly Secure SameSite refresh cookie', async () => {
    const u = await makeUser();
    for (const body of [
      { username: u.username, password: u.password },
      { email: u.email, password: u.password },
      { username: u.email, password: u.password },
    ]) {
      const res = await api('/api/users/login/', { body });
      expectStatus(res, 200);
      expect(Object.keys(res.json)).toEqual(['access']);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/refresh_token=/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/SameSite=Lax/);
      // One cookie for both aliases (the original set Path=/; scoped to the API, not to one alias).
      expect(cookie).toMatch(/Path=\/api\/(;|$)/);
    }
  });

  it('wrong password, unknown user and inactive user all get the same 400', async () => {
    const u = await makeUser();
    const wrong = await api('/api/users/login/', { body: { username: u.username, password: 'nope-nope' } });
    expectStatus(wrong, 400);
    expect(wrong.json).toEqual({ non_field_errors: ['Invalid credentials'] });
    const unknown = await api('/api/users/login/', { body: { username: 'ghost-user', password: 'whatever1' } });
    expect(unknown.json).toEqual(wrong.json);
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(u.id).run();
    const inactive = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    expect(inactive.json).toEqual(wrong.json);
  });

  it('reports missing fields', async () => {
    const res = await api('/api/users/login/', { body: {} });
    expectStatus(res, 400);
    expect(res.json).toEqual({ username: ['This field is required.'], password: ['This field is required.'] });
  });

  it('accepts a form-encoded body as the reference allows', async () => {
    const u = await makeUser();
    const res = await api('/api/auth/login/', {
      body: new URLSearchParams({ username: u.username, password: u.password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectStatus(res, 200);
    expect(res.json.access).toBeTypeOf('string');
  });

  it('ignores an expired bearer header on public routes (the original answered 401)', async () => {
    const u = await makeUser();
    const res = await api('/api/users/login/', { body: { username: u.username, password: u.password }, token: 'garbage' });
    expectStatus(res, 200);
  });
});

describe('token refresh, rotation, replay and logout', () => {
  async function login() {
    const u = await makeUser();
    const res = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    return { u, refresh: cookieFrom(res.headers, 'refresh_token')! };
  }

  it('reads the cookie, returns a new access token and rotates the cookie', async () => {
    const { refresh } = await login();
    const res = await api('/api/users/token/refresh/', { method: 'POST', headers: { cookie: `refresh_token=${refresh}` } });
    expectStatus(res, 200);
    expect(res.json.access).toBeTypeOf('string');
    const rotated = cookieFrom(res.headers, 'refresh_token');
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(refresh);
    const me = await api('/api/users/me/', { token: res.json.access });
    expectStatus(me, 200);
  });

  it('accepts the refresh token in a `refresh` body field too (a documented addition)', async () => {
    const { refresh } = await login();
    const res = await api('/api/auth/token/refresh/', { body: { refresh } });
    expectStatus(res, 200);
  });

  it('the cookie with an empty, malformed or non-string JSON body still refreshes and logs out (the body is no token, never a 400)', async () => {
    for (const body of ['', '{not json', '{"refresh": 12}', '[]']) {
      const { refresh } = await login();
      const headers = { cookie: `refresh_token=${refresh}`, 'content-type': 'application/json' };
      const res = await api('/api/users/token/refresh/', { method: 'POST', headers, body });
      expect(res.status, `body ${JSON.stringify(body)}: ${res.text}`).toBe(200);
      const out = await api('/api/auth/logout/', { method: 'POST', headers, body });
      expect(out.status, `logout, body ${JSON.stringify(body)}: ${out.text}`).toBe(200);
      expect(out.json, out.text).toEqual({ detail: 'Logged out' });
    }
    const none = await api('/api/users/token/refresh/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"refresh": 12}',
    });
    expect(none.status, none.text).toBe(400);
    expect(none.json, none.text).toEqual({ error: 'No refresh token in cookies' });
  });

  it('a refresh token used twice is refused and revokes its whole family', async () => {
    const { refresh } = await login();
    const first = await api('/api/users/token/refresh/', { body: { refresh } });
    expectStatus(first, 200);
    const next = cookieFrom(first.headers, 'refresh_token')!;
    const replay = await api('/api/users/token/refresh/', { body: { refresh } });
    expectStatus(replay, 401);
    expect(replay.json).toEqual({ error: 'Invalid or expired refresh token' });
    // The descendant issued before the replay is now revoked as well.
    expectStatus(await api('/api/users/token/refresh/', { body: { refresh: next } }), 401);
  });

  it('no token is 400, a garbage token 401', async () => {
    const none = await api('/api/users/token/refresh/', { method: 'POST' });
    expectStatus(none, 400);
    expect(none.json).toEqual({ error: 'No refresh token in cookies' });
    expectStatus(await api('/api/users/token/refresh/', { body: { refresh: 'x.y.z' } }), 401);
  });

  it('logout revokes the family and clears the cookie', async () => {
    const { refresh } = await login();
    const out = await api('/api/users/logout/', { method: 'POST', headers: { cookie: `refresh_token=${refresh}` } });
    expectStatus(out, 200);
    expect(out.headers.get('set-cookie')).toMatch(/refresh_token=;/);
    expectStatus(await api('/api/users/token/refresh/', { body: { refresh } }), 401);
  });

  it('an access token cannot be used as a refresh token', async () => {
    const u = await makeUser();
    expectStatus(await api('/api/users/token/refresh/', { body: { refresh: u.token } }), 401);
  });
});

describe('access tokens', () => {
  const sign = (payload: Record<string, unknown>, secret = SECRET, exp = Math.floor(Date.now() / 1000) + 60) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(secret);

  it('missing token: 401 DRF body', async () => {
    const res = await api('/api/users/me/');
    expectStatus(res, 401);
    expect(res.json).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('expired, tampered, wrong secret, alg none and refresh-as-access are all 401 token_not_valid', async () => {
    const u = await makeUser();
    const claims = { token_type: 'access', user_id: String(u.id), jti: 'x' };
    const expired = await sign(claims, SECRET, Math.floor(Date.now() / 1000) - 10);
    const wrongSecret = await sign(claims, new TextEncoder().encode('another-secret'));
    const [h, p, s] = u.token.split('.');
    const payload = JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/')));
    const forged = btoa(JSON.stringify({ ...payload, user_id: '1' }))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    const tampered = `${h}.${forged}.${s}`;
    const none = `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '')}.${p}.`;
    const refreshAsAccess = await sign({ ...claims, token_type: 'refresh' });
    for (const token of [expired, wrongSecret, tampered, none, refreshAsAccess, 'not-a-jwt']) {
      const res = await api('/api/users/me/', { token });
      expectStatus(res, 401);
      expect(res.json.code).toBe('token_not_valid');
    }
  });

  it('a token of a deactivated user is refused', async () => {
    const u = await makeUser();
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(u.id).run();
    const res = await api('/api/users/me/', { token: u.token });
    expectStatus(res, 401);
  });
});

describe('me', () => {
  it('GET returns the contract User with preferences; PATCH edits own profile but never the role', async () => {
    const u = await makeUser();
    const res = await api('/api/auth/me/', { token: u.token });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ id: u.id, username: u.username, role: 'Staff', streak_days: 0, total_tasks_completed: 0 });
    const patch = await api('/api/users/me/', {
      method: 'PATCH',
      token: u.token,
      body: { bio: 'hello', role: 'Admin', preferences: { dark_mode: false } },
    });
    expectStatus(patch, 200);
    expect(patch.json.bio).toBe('hello');
    expect(patch.json.role).toBe('Staff');
    expect(patch.json.preferences.dark_mode).toBe(false);
  });

  it("PATCH refuses another user's username", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const res = await api('/api/users/me/', { method: 'PATCH', token: a.token, body: { username: b.username } });
    expectStatus(res, 400);
    expect(res.json).toEqual({ username: ['A user with that username already exists.'] });
  });
});

describe('password reset by link', () => {
  it('answers the same for unknown emails (no account enumeration — the original leaked it)', async () => {
    const res = await api('/api/users/password-reset-request/', { body: { email: 'nobody@nowhere.example' } });
    expectStatus(res, 200);
    expect(res.json).toEqual({ detail: 'Password reset email sent' });
  });

  it('emails uid and token; confirm sets the password once and revokes sessions', async () => {
    const u = await makeUser();
    const loginRes = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    const oldRefresh = cookieFrom(loginRes.headers, 'refresh_token')!;
    expectStatus(await api('/api/users/password-reset-request/', { body: { email: u.email } }), 200);
    const mails = await waitForMail(u.email, 2);
    const reset = mails.find((m) => m.subject === 'Password reset')!;
    const uid = /uid: (\S+)/.exec(reset.text)![1];
    const token = /token: (\S+)/.exec(reset.text)![1];
    const short = await api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: 'short' } });
    expectStatus(short, 400);
    const ok = await api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: 'a-brand-new-pass' } });
    expectStatus(ok, 200);
    expect(ok.json).toEqual({ detail: 'Password reset successful' });
    const again = await api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: 'another-new-pass' } });
    expectStatus(again, 400);
    expect(again.json).toEqual({ non_field_errors: ['Invalid or expired token'] });
    expectStatus(await api('/api/users/login/', { body: { username: u.username, password: 'a-brand-new-pass' } }), 200);
    expectStatus(await api('/api/users/token/refresh/', { body: { refresh: oldRefresh } }), 401);
  });

  it('confirm with an undecodable uid is a 400, not a 500 (original bug)', async () => {
    const res = await api('/api/users/password-reset-confirm/', { body: { uid: '%%%', token: 'x', new_password: 'longenough' } });
    expectStatus(res, 400);
    expect(res.json).toEqual({ non_field_errors: ['Invalid user'] });
  });
});

describe('rate limits', () => {
  it('login is limited per client: 429 with Retry-After', async () => {
    const ip = '203.0.113.77';
    // An unknown username of its own: the limiter's per-account budget is shared by every file of the run.
    const username = `nobody-${crypto.randomUUID()}`;
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 14; i++) {
      last = await api('/api/users/login/', { body: { username, password: 'whatever1' }, ip });
      statuses.push(last.status);
    }
    expect(
      statuses.slice(0, 10).every((s) => s === 400),
      statuses.join(','),
    ).toBe(true);
    expect(statuses).toContain(429);
    expect(last!.headers.get('retry-after')).toBe('60');
    expect(last!.json.detail).toMatch(/^Request was throttled/);
  });
});
