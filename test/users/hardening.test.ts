/**
 * The smaller identity findings of issue 14 (finding 11): usernames that look like emails, login
 * order, rate limits across login routes, reset requests that answer before looking anything up,
 * Google's email_verified and upstream failures, avatar schemes, and access tokens that die with
 * a password reset.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  api,
  expectStatus,
  fakeGoogle as fakeGoogleWith,
  freshEmail,
  makeUser,
  spyEvents,
  userRow,
  waitForMail,
  wsUser,
} from '../helpers';

/** These tests send parallel requests and wait for queued mail: generous on a loaded machine. */
const SLOW = 30_000;

afterEach(() => vi.restoreAllMocks());

describe('usernames may not be or look like an email', { timeout: SLOW }, () => {
  it('registration refuses an email-like username (it used to capture that email login)', async () => {
    const victim = await makeUser();
    for (const path of ['/api/users/register/', '/api/auth/register/']) {
      for (const username of [victim.email, 'someone@elsewhere.org', 'a@b']) {
        const res = await api(path, { body: { username, email: freshEmail(), password: 'longenough-1' } });
        expectStatus(res, 400);
        expect(res.json.username).toEqual(['Enter a valid username. A username may not be or look like an email address.']);
      }
    }
  });

  it('a profile update refuses an email-like username', async () => {
    const u = await makeUser();
    const res = await api('/api/users/me/', { method: 'PATCH', token: u.token, body: { username: 'me@example.org' } });
    expectStatus(res, 400);
    expect(res.json.username[0]).toMatch(/may not be or look like an email/);
    expect((await userRow('id = ?', u.id)).username).toBe(u.username);
  });

  it('workspace and Google accounts get the local part plus a random suffix, never the email', async () => {
    const email = freshEmail();
    await wsUser('member', { email });
    const row = await userRow('email = ?', email);
    expect(row.username).not.toContain('@');
    expect(row.username).not.toContain(email);
    expect(row.username).toMatch(new RegExp(`^${email.split('@')[0]}-[0-9a-f]{8}$`));
  });

  it('login matches an email before a username (a legacy username equal to another email cannot capture it)', async () => {
    // The attacker's row comes first (lower id), so a first-row-wins lookup would pick it.
    const attacker = { username: `attacker${Date.now().toString(36)}`, email: freshEmail(), password: 'attacker-pass-1' };
    expectStatus(await api('/api/users/register/', { body: attacker }), 201);
    const victim = await makeUser({ prefix: 'victim' });
    // Rows written before the rule existed may still hold such a username.
    await env.DB.prepare('UPDATE users SET username = ? WHERE username = ?').bind(victim.email, attacker.username).run();
    const asAttacker = await api('/api/users/login/', { body: { username: victim.email, password: attacker.password } });
    expectStatus(asAttacker, 400);
    const asVictim = await api('/api/users/login/', { body: { username: victim.email, password: victim.password } });
    expectStatus(asVictim, 200);
    const me = await api('/api/users/me/', { token: asVictim.json.access });
    expect(me.json.id).toBe(victim.id);
  });
});

describe('login rate limits: per client IP and per account, across all four login routes', { timeout: SLOW }, () => {
  const tries = (email: string, password: string) => [
    { path: '/api/users/login/', body: { email, password } },
    { path: '/api/auth/login/', body: { username: email, password } },
    { path: '/api/user/login/', body: { email, password } },
    { path: '/api/workspace/admin/login/', body: { email, password } },
  ];

  it('10 wrong passwords per minute per account whatever the route and IP; the 11th try is a 429 even with the right one', async () => {
    const { email, password } = await wsUser();
    const routes = tries(email, 'Wrong-password-1!');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = routes[i % routes.length];
      statuses.push((await api(t.path, { body: t.body })).status);
    }
    expect(
      statuses.every((s) => s === 400),
      statuses.join(','),
    ).toBe(true);
    for (const t of tries(email, password)) {
      const res = await api(t.path, { body: t.body });
      expectStatus(res, 429);
      expect(res.headers.get('retry-after')).toBe('60');
    }
  });

  it('one client IP shares one login budget across the route aliases (it had 10 per route)', async () => {
    const ip = '198.51.100.23';
    // The limiter counts in fixed one-minute windows (Workers rate limiting, as Miniflare runs it):
    // twelve tries straddling a window's end would start a fresh budget halfway. Start clear of it.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 100));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const path = i % 2 ? '/api/auth/login/' : '/api/users/login/';
      statuses.push((await api(path, { body: { username: `nobody-${i}`, password: 'whatever1' }, ip })).status);
    }
    expect(
      statuses.slice(0, 10).every((s) => s === 400),
      statuses.join(','),
    ).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('password-reset requests answer before any lookup (same time for known and unknown emails)', { timeout: SLOW }, () => {
  it('the answer does not wait for the account lookup and the mail (it waited only for known emails), and is identical for an unknown email', async () => {
    const tamiti = await makeUser();
    const workspace = await wsUser();
    const cases = [
      { path: '/api/users/password-reset-request/', known: tamiti.email },
      { path: '/api/user/forget-password/', known: workspace.email },
    ];
    for (const { path, known } of cases) {
      const bodies: string[] = [];
      for (const email of [known, freshEmail()]) {
        const queue = spyEvents({ held: true });
        // While the publish is held, a handler that publishes before answering never answers.
        const res = await Promise.race([
          api(path, { env: { NOTIFICATIONS: queue.queue }, body: { email }, pending: true }),
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000)),
        ]);
        expect(res, `${path}: no answer while the mail was being published`).toBeTruthy();
        expectStatus(res!, 200);
        queue.release();
        await res!.done();
        expect(queue.events.length, `${path} ${email}`).toBe(email === known ? 1 : 0);
        bodies.push(res!.text.replaceAll(email, '<email>'));
      }
      expect(bodies[1]).toBe(bodies[0]);
    }
  });
});

describe('Google sign-in', { timeout: SLOW }, () => {
  const fakeGoogle = (claims: Record<string, unknown>, mode: 'ok' | 'token-down' | 'token-500' | 'jwks-down' = 'ok') =>
    fakeGoogleWith(claims, { mode });

  it('requires email_verified === true: missing, false and the string "true" are refused', async () => {
    for (const email_verified of [undefined, false, 'true', 1]) {
      const email = freshEmail();
      await fakeGoogle({ email, sub: 'g-x', ...(email_verified === undefined ? {} : { email_verified }) });
      const res = await api('/api/user/auth/google/', { body: { code: 'any-code' } });
      expectStatus(res, 400);
      expect(res.json).toEqual({
        success: false,
        message: 'Google authentication failed',
        error: 'Google account email is not verified',
      });
      expect(await userRow('email = ?', email)).toBeNull();
      vi.restoreAllMocks();
    }
    const email = freshEmail();
    await fakeGoogle({ email, sub: 'g-y', email_verified: true, picture: 'javascript:alert(1)' });
    const ok = await api('/api/user/auth/google/', { body: { code: 'any-code' } });
    expectStatus(ok, 200);
    expect(ok.json.user.avatar_url).toMatch(/^https:\/\/api\.dicebear\.com\//);
  });

  it('an upstream Google failure is a clear 502 in the envelope (it was "internal error; reference" / a 400)', async () => {
    for (const mode of ['token-down', 'token-500', 'jwks-down'] as const) {
      await fakeGoogle({ email: freshEmail(), sub: 'g-z', email_verified: true }, mode);
      const res = await api('/api/user/auth/google/', { body: { code: 'any-code' } });
      expectStatus(res, 502);
      expect(res.json).toEqual({
        success: false,
        message: 'Google authentication failed',
        error: 'Google could not be reached; please try again later.',
      });
      vi.restoreAllMocks();
    }
  });
});

describe('avatar URLs', { timeout: SLOW }, () => {
  it('accept http and https only (a javascript: URL was stored)', async () => {
    const u = await makeUser();
    for (const avatar of ['javascript:alert(1)', 'data:text/html,<script>1</script>', 'ftp://x.example/a.png']) {
      const res = await api('/api/users/me/', { method: 'PATCH', token: u.token, body: { avatar } });
      expectStatus(res, 400);
      expect(res.json.avatar).toBeTruthy();
    }
    const ok = await api('/api/users/me/', {
      method: 'PATCH',
      token: u.token,
      body: { avatar: 'https://cdn.example.com/a.png' },
    });
    expectStatus(ok, 200);
    expect(ok.json.avatar).toBe('https://cdn.example.com/a.png');
  });
});

describe('access tokens die with a password reset (token version)', { timeout: SLOW }, () => {
  it('Tamiti reset link: the access token issued before the reset is refused at once', async () => {
    const u = await makeUser();
    expectStatus(await api('/api/users/me/', { token: u.token }), 200);
    expectStatus(await api('/api/users/password-reset-request/', { body: { email: u.email } }), 200);
    const [mail] = (await waitForMail(u.email, 2)).filter((m) => m.subject === 'Password reset');
    const uid = /uid: (\S+)/.exec(mail.text)![1];
    const token = /token: (\S+)/.exec(mail.text)![1];
    expectStatus(await api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: 'reset-new-pass' } }), 200);
    const old = await api('/api/users/me/', { token: u.token });
    expectStatus(old, 401);
    expect(old.json.code).toBe('token_not_valid');
    const fresh = await api('/api/users/login/', { body: { username: u.username, password: 'reset-new-pass' } });
    expectStatus(await api('/api/users/me/', { token: fresh.json.access }), 200);
  });

  it('workspace reset code: the access token issued before the reset is refused at once', async () => {
    const { email, token: access } = await wsUser();
    expectStatus(await api('/api/user/profile/', { token: access }), 200);
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const [mail] = (await waitForMail(email)).filter((m) => m.subject.includes('Verification Code'));
    const code = /code is: (\d{6})/.exec(mail.text)![1];
    const ok = await api('/api/user/password-reset-confirm/', {
      body: { email, verification_code: code, new_password: 'NewSecure123!', confirm_password: 'NewSecure123!' },
    });
    expectStatus(ok, 200);
    expectStatus(await api('/api/user/profile/', { token: access }), 401);
  });

  it('access tokens carry role and tv', async () => {
    const u = await makeUser();
    const payload = JSON.parse(atob(u.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expect(payload).toMatchObject({ token_type: 'access', role: 'Staff', tv: 0, user_id: String(u.id) });
  });
});
