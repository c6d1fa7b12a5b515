/**
 * D1 round trips of every identity operation (issue 16): /api/users/ and its /api/auth/ aliases,
 * the workspace family's /api/user/, and the development routes of /api/dev/. A GET is one round
 * trip, authorization included; a write at most two (the checks that must precede it, or the
 * account whose password hash must be checked first; then one batch with the write, the session and
 * the read-back). Password hashing (PBKDF2) is CPU, not a round trip. Exceptions carry their reason.
 */
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  api,
  type ApiOptions,
  Budget,
  cookieFrom,
  countingD1,
  expectStatus,
  fakeGoogle,
  makeUser,
  type TestUser,
  waitForMail,
} from '../helpers';

const budget = new Budget();
const PASSWORD = 'Str0ng!Passw0rd';
const WS_PASSWORD = 'SecurePass123!';
let n = 0;
const fresh = (prefix: string) => `${prefix}_rt${Date.now().toString(36)}${n++}`;

let admin: TestUser;
let staff: TestUser;

beforeAll(async () => {
  [admin, staff] = await Promise.all([makeUser({ role: 'Admin' }), makeUser()]);
  // makeUser sets the role in the database after signing in: sign in again for an Admin token.
  const login = await api('/api/users/login/', { body: { username: admin.username, password: admin.password } });
  admin.token = login.json.access;
}, 60_000);

afterAll(() => budget.print('identity'));

/** An operation that never reaches D1 (the development Google stand-in signs with its own key). */
async function withoutD1(operation: string, path: string, opts: ApiOptions & { status: number; reason: string }) {
  const DB = countingD1();
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const res = await api(path, { ...opts, env: { ...env, DB } });
  expect(res.status, `${operation} ${method} ${path}: ${res.text}`).toBe(opts.status);
  expect(DB.trips, `${operation}: no D1 round trip`).toBe(0);
  budget.rows.push({ operation, request: `${method} ${path}`, trips: 0, budget: method === 'GET' ? 1 : 2, reason: opts.reason });
  return res;
}

/** The verify-email link mailed to an address at registration. */
async function verifyLink(email: string) {
  const [mail] = (await waitForMail(email)).filter((m) => m.subject === 'Verify your email address');
  const url = new URL(/https?:\/\/\S+verify-email\/\?uid=[^&\s]+&token=\S+/.exec(mail.text)![0]);
  return `?${url.searchParams.toString()}`;
}

describe('Tamiti identity: D1 round trips per operation (/api/users/ and /api/auth/)', () => {
  for (const prefix of ['users', 'auth'] as const) {
    it(`/api/${prefix}/: register and sign in cost two round trips, refresh and logout one`, async () => {
      const username = fresh(prefix);
      const email = `${username}@example.com`;
      await budget.call(`${prefix}_register_create`, `/api/${prefix}/register/`, {
        body: { username, email, password: PASSWORD },
        status: 201,
      });
      // A taken username, email and phone: every field reported, in the checks' round trip.
      const taken = await budget.call(`${prefix}_register_create`, `/api/${prefix}/register/`, {
        body: { username, email, password: PASSWORD },
        status: 400,
      });
      expect(Object.keys(taken.json).sort(), taken.text).toEqual(['email', 'username']);
      expect(taken.trips, `a refused registration stops after its checks: ${taken.text}`).toBe(1);

      await budget.call(`${prefix}_login_create`, `/api/${prefix}/login/`, { body: { username, password: PASSWORD } });
      await budget.call(`${prefix}_login_create`, `/api/${prefix}/login/`, {
        body: { email, password: 'wrong-password' },
        status: 400,
      });

      const signIn = async () => {
        const res = await api(`/api/${prefix}/login/`, { body: { username, password: PASSWORD } });
        const cookie = cookieFrom(res.headers, 'refresh_token');
        expect(cookie, `the refresh cookie is set: ${res.text}`).toBeTruthy();
        return cookie!;
      };
      const refresh = await signIn();
      const rotated = await budget.call(`${prefix}_token_refresh_create`, `/api/${prefix}/token/refresh/`, {
        headers: { cookie: `refresh_token=${refresh}` },
        method: 'POST',
      });
      expect(rotated.trips, `a rotation is one round trip: ${rotated.text}`).toBe(1);
      // A replay revokes the family: the claim's batch, then the revocation.
      await budget.call(`${prefix}_token_refresh_create`, `/api/${prefix}/token/refresh/`, {
        body: { refresh },
        status: 401,
      });
      await budget.call(`${prefix}_logout_create`, `/api/${prefix}/logout/`, { body: { refresh: await signIn() } });
    });

    it(`/api/${prefix}/: me is one round trip, a profile change two`, async () => {
      const me = await budget.call(`${prefix}_me_retrieve`, `/api/${prefix}/me/`, { token: staff.token });
      expect(me.json.preferences, me.text).toBeTruthy();
      const name = fresh('renamed');
      const changed = await budget.call(`${prefix}_me_partial_update`, `/api/${prefix}/me/`, {
        token: staff.token,
        method: 'PATCH',
        body: { username: name, bio: 'hello', preferences: { dark_mode: false } },
      });
      expect(changed.json, changed.text).toMatchObject({ username: name, bio: 'hello', preferences: { dark_mode: false } });
      staff.username = name;
      // No unique field sent: no checks, one round trip.
      const bio = await budget.call(`${prefix}_me_partial_update`, `/api/${prefix}/me/`, {
        token: staff.token,
        method: 'PATCH',
        body: { bio: 'again' },
      });
      expect(bio.trips, bio.text).toBe(1);
      await budget.call(`${prefix}_me_partial_update`, `/api/${prefix}/me/`, {
        token: staff.token,
        method: 'PATCH',
        body: { email: admin.email },
        status: 400,
      });
    });

    it(`/api/${prefix}/: the emailed links`, async () => {
      const u = await makeUser();
      const link = await verifyLink(u.email);
      await budget.call(`${prefix}_verify_email_retrieve`, `/api/${prefix}/verify-email/${link}`, {
        max: 2,
        reason:
          "a GET that writes: the link's fingerprint (a SHA-256 of the address, computed in the Worker) is checked against the user row before is_verified is set",
      });
      await budget.call(`${prefix}_password_reset_request_create`, `/api/${prefix}/password-reset-request/`, {
        body: { email: u.email },
      });
      const [mail] = (await waitForMail(u.email, 2)).filter((m) => m.subject === 'Password reset');
      const uid = /uid: (\S+)/.exec(mail.text)![1];
      const token = /token: (\S+)/.exec(mail.text)![1];
      await budget.call(`${prefix}_password_reset_confirm_create`, `/api/${prefix}/password-reset-confirm/`, {
        body: { uid, token, new_password: 'An0ther!Passw0rd' },
      });
      await budget.call(`${prefix}_password_reset_confirm_create`, `/api/${prefix}/password-reset-confirm/`, {
        body: { uid, token, new_password: 'Y3t!An0therPass' },
        status: 400,
      });
    });
  }

  it("an Admin's access change is two round trips", async () => {
    const target = await makeUser();
    await budget.call('users_access_partial_update', `/api/users/${target.id}/access/`, {
      token: admin.token,
      method: 'PATCH',
      body: { role: 'Customer', is_active: false },
    });
    await budget.call('users_access_partial_update', '/api/users/999999/access/', {
      token: admin.token,
      method: 'PATCH',
      body: { role: 'Staff' },
      status: 404,
    });
  });

  it('covers every documented operation under /api/users/ and /api/auth/', async () => {
    expect(await budget.uncovered('/api/users/')).toEqual([]);
    expect(await budget.uncovered('/api/auth/')).toEqual([]);
  });
});

describe('workspace identity: D1 round trips per operation (/api/user/)', () => {
  afterAll(() => vi.restoreAllMocks());

  it('register and sign in cost two round trips, refresh one, profile one', async () => {
    const email = `${fresh('ws')}@example.com`;
    await budget.call('user_register_create', '/api/user/register/', {
      body: { full_name: 'R T', email, password: WS_PASSWORD, confirm_password: WS_PASSWORD },
      status: 201,
    });
    const login = await budget.call('user_login_create', '/api/user/login/', { body: { email, password: WS_PASSWORD } });
    await budget.call('user_profile_retrieve', '/api/user/profile/', { token: login.json.token.access_token });
    const rotated = await budget.call('user_token_refresh_create', '/api/user/token/refresh/', {
      body: { refresh_token: login.json.token.refresh_token },
    });
    expect(rotated.trips, rotated.text).toBe(1);
  });

  it('the reset code: each step at most two round trips', async () => {
    const email = `${fresh('wsreset')}@example.com`;
    expectStatus(
      await api('/api/user/register/', {
        body: { full_name: 'R S', email, password: WS_PASSWORD, confirm_password: WS_PASSWORD },
      }),
      201,
    );
    await budget.call('user_forget_password_create', '/api/user/forget-password/', { body: { email } });
    // Within the cool-down: the original's 400, in the same budget.
    await budget.call('user_resend_password_reset_create', '/api/user/resend-password-reset/', {
      body: { email },
      status: 400,
    });
    const [mail] = await waitForMail(email);
    const code = /code is: (\d{6})/.exec(mail.text)?.[1];
    expect(code, mail.text.replace(/\d{6}/, '<code>')).toBeTruthy();
    await budget.call('user_password_reset_confirm_create', '/api/user/password-reset-confirm/', {
      body: {
        email,
        verification_code: code === '000000' ? '111111' : '000000',
        new_password: 'N3w!Password',
        confirm_password: 'N3w!Password',
      },
      status: 400,
    });
    // The code used, the password set, every token revoked and the user's chat rooms read: one batch.
    await budget.call('user_password_reset_confirm_create', '/api/user/password-reset-confirm/', {
      body: { email, verification_code: code, new_password: 'N3w!Password', confirm_password: 'N3w!Password' },
    });
  });

  it('Google sign-in costs two round trips, for a new account and a known one', async () => {
    const email = `${fresh('gg')}@example.com`;
    await fakeGoogle({ email, email_verified: true, name: 'G G', sub: `g-${email}` });
    const created = await budget.call('user_auth_google_create', '/api/user/auth/google/', { body: { code: 'c' } });
    const known = await budget.call('user_auth_google_create', '/api/user/auth/google/', { body: { code: 'c' } });
    expect(known.json.user.user_id, known.text).toBe(created.json.user.user_id);
    vi.restoreAllMocks();
  });

  it('covers every documented operation under /api/user/', async () => {
    expect(await budget.uncovered('/api/user/')).toEqual([]);
  });
});

describe('development routes: D1 round trips (/api/dev/, served in tests)', () => {
  it('the mailbox is one round trip; the Google stand-in reaches no database', async () => {
    await budget.call('dev_mailbox_list', `/api/dev/mailbox/?to=${encodeURIComponent(staff.email)}`);
    const reason = 'no D1: the stand-in signs and verifies with its own key';
    const authorize = await withoutD1(
      'dev_google_authorize',
      '/api/dev/google/authorize/?redirect_uri=http://localhost/cb&state=s&login_hint=dev@example.com',
      { status: 302, reason },
    );
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    await withoutD1('dev_google_token_create', '/api/dev/google/token/', {
      body: { code, client_id: 'cid' },
      status: 200,
      reason,
    });
    await withoutD1('dev_google_certs_retrieve', '/api/dev/google/certs/', { status: 200, reason });
    expect(await budget.uncovered('/api/dev/')).toEqual([]);
  });
});
