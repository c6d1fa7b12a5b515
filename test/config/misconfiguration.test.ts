/**
 * A deployment that lacks a required setting fails loudly and clearly: a 503 naming the setting,
 * one error log line naming it, and mail that cannot be sent is retried, never dropped. The
 * development surfaces stay closed in production.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliver } from '../helpers/notifications';
import { api, expectStatus, freshEmail, mailFor, makeUser, PRODUCTION } from '../helpers';

afterEach(() => vi.restoreAllMocks());

/** The console.error lines written during `fn`. */
async function errorLines(fn: () => Promise<unknown>) {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  await fn();
  const lines = spy.mock.calls.map((args) => args.map(String).join(' '));
  spy.mockRestore();
  return lines;
}

describe('missing JWT_SECRET (issue 14, finding 1)', () => {
  it('login and authenticated calls answer 503 naming JWT_SECRET, with one error log line naming it', async () => {
    const u = await makeUser();
    for (const JWT_SECRET of [undefined, '', 'too-short']) {
      let res: Awaited<ReturnType<typeof api>> | undefined;
      const lines = await errorLines(async () => {
        res = await api('/api/users/me/', { env: { ...PRODUCTION, JWT_SECRET }, token: u.token });
      });
      expectStatus(res!, 503);
      expect(res!.json.detail, res!.text).toMatch(/^Service misconfigured: JWT_SECRET is (not set|shorter than 32 characters)/);
      expect(lines.length, lines.join('\n')).toBe(1);
      expect(lines[0]).toMatch(/"setting":"JWT_SECRET"/);
    }
    const login = await api('/api/users/login/', {
      env: { ...PRODUCTION, JWT_SECRET: undefined },
      body: { username: u.username, password: u.password },
    });
    expectStatus(login, 503);
    expect(login.text).not.toMatch(/pbkdf2|Str0ng/);
    const ws = await api('/api/user/profile/', { env: { ...PRODUCTION, JWT_SECRET: undefined }, token: u.token });
    expectStatus(ws, 503);
    expect(ws.json).toMatchObject({ success: false, message: expect.stringMatching(/JWT_SECRET/) });
  });
});

describe('no email transport (issue 14, finding 1)', () => {
  const unconfigured = [
    [{ ...PRODUCTION, EMAIL_API_URL: '' }, 'EMAIL_API_URL'],
    [{ ...PRODUCTION, EMAIL_API_KEY: undefined }, 'EMAIL_API_KEY'],
    [{ ...PRODUCTION, EMAIL_TRANSPORT: 'console' }, 'EMAIL_TRANSPORT'],
    [{ ...PRODUCTION, EMAIL_TRANSPORT: '' }, 'EMAIL_TRANSPORT'],
  ] as const;

  it('password-reset requests of both families answer 503 naming the missing setting', async () => {
    for (const [overrides, setting] of unconfigured) {
      for (const path of [
        '/api/users/password-reset-request/',
        '/api/auth/password-reset-request/',
        '/api/user/forget-password/',
      ]) {
        let res: Awaited<ReturnType<typeof api>> | undefined;
        const lines = await errorLines(async () => {
          res = await api(path, { env: overrides, body: { email: freshEmail() } });
        });
        expectStatus(res!, 503);
        expect(res!.text).toContain(setting);
        expect(lines.filter((l) => l.includes(setting)).length, lines.join('\n')).toBe(1);
      }
    }
  });

  it('queued mail that cannot be sent is retried with a log line naming the setting, never dropped or sent to the console', async () => {
    const to = freshEmail();
    const mail = { type: 'email', id: crypto.randomUUID(), to, subject: 'Unsendable', text: 'Your code is: 123456' };
    for (const [overrides, setting] of unconfigured) {
      let result: Awaited<ReturnType<typeof deliver>> | undefined;
      const lines = await errorLines(async () => {
        result = await deliver([mail], { env: overrides });
      });
      expect(result!.result.retryMessages).toEqual([{ msgId: result!.ids[0] }]);
      expect(result!.result.explicitAcks).toEqual([]);
      expect(lines.join('\n')).toContain(setting);
      expect(lines.join('\n')).not.toContain('123456');
    }
    expect(await mailFor(to)).toEqual([]);
  });
});

describe('development surfaces are closed in production (issue 14, finding 1)', () => {
  it('the dev mailbox is a 404 in production and served in development and tests', async () => {
    const u = await makeUser();
    const prod = await api(`/api/dev/mailbox/?to=${encodeURIComponent(u.email)}`, { env: PRODUCTION });
    expectStatus(prod, 404);
    expect(prod.text).not.toContain(u.email);
    const unset = await api('/api/dev/mailbox/', { env: { ...PRODUCTION, ENVIRONMENT: undefined } });
    expectStatus(unset, 404);
    expectStatus(await api('/api/dev/mailbox/', { env: { ENVIRONMENT: 'development' } }), 200);
  });

  it('production CORS (empty) allows no browser origin, localhost included', async () => {
    const res = await api('/api/users/login/', {
      env: PRODUCTION,
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('Google sign-in without its client settings answers 503 naming the missing one', async () => {
    const res = await api('/api/user/auth/google/', { env: { ...PRODUCTION, GOOGLE_CLIENT_ID: '' }, body: { code: 'abc' } });
    expectStatus(res, 503);
    expect(res.json).toMatchObject({ success: false, message: expect.stringMatching(/GOOGLE_CLIENT_ID/) });
  });

  it('the test environment itself is not production (vitest.config.ts)', () => {
    expect(env.ENVIRONMENT).toBe('test');
  });
});
