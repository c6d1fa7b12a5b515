/**
 * The Tamiti family's emailed links (issue 14, finding 3): a verify-email link cannot reset a
 * password, a reset link lives one hour and works once (even when sent twice at the same time),
 * and a verify link is bound to the address it was sent to.
 */
import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, waitForMail } from '../helpers';

/** These tests send parallel requests and wait for queued mail: generous on a loaded machine. */
const SLOW = 30_000;

const SECRET = new TextEncoder().encode('test-secret-do-not-use-in-production');

async function verifyLink(email: string) {
  const [mail] = (await waitForMail(email)).filter((m) => m.subject === 'Verify your email address');
  const url = new URL(/https?:\/\/\S+verify-email\/\?uid=[^&\s]+&token=\S+/.exec(mail.text)![0]);
  return { uid: url.searchParams.get('uid')!, token: url.searchParams.get('token')!, path: `${url.pathname}${url.search}` };
}

async function resetLink(email: string) {
  expectStatus(await api('/api/users/password-reset-request/', { body: { email } }), 200);
  const mails = (await waitForMail(email, 2)).filter((m) => m.subject === 'Password reset');
  return { uid: /uid: (\S+)/.exec(mails[0].text)![1], token: /token: (\S+)/.exec(mails[0].text)![1] };
}

const payloadOf = (token: string) => JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));

describe('one token type per link', { timeout: SLOW }, () => {
  it('a verify-email token is refused by the reset-confirm route (it used to reset the password)', async () => {
    const u = await makeUser();
    const link = await verifyLink(u.email);
    const res = await api('/api/users/password-reset-confirm/', {
      body: { uid: link.uid, token: link.token, new_password: 'hijacked-password' },
    });
    expectStatus(res, 400);
    expect(res.json).toEqual({ non_field_errors: ['Invalid or expired token'] });
    expectStatus(await api('/api/users/login/', { body: { username: u.username, password: u.password } }), 200);
  });

  it('a reset token does not verify an email', async () => {
    const u = await makeUser();
    const { uid, token } = await resetLink(u.email);
    const res = await api(`/api/users/verify-email/?uid=${uid}&token=${token}`);
    expectStatus(res, 400);
    expect(res.json).toEqual({ detail: 'Invalid or expired token' });
  });

  it('each link carries its own purpose claim; a reset link lives one hour', async () => {
    const u = await makeUser();
    const verify = payloadOf((await verifyLink(u.email)).token);
    const reset = payloadOf((await resetLink(u.email)).token);
    expect(verify.token_type).toBe('verify_email');
    expect(reset.token_type).toBe('password_reset');
    expect(reset.exp - reset.iat).toBe(3600);
    expect(verify.exp - verify.iat).toBe(3 * 24 * 3600);
  });
});

describe('reset links work once', { timeout: SLOW }, () => {
  it('a used reset token is refused', async () => {
    const u = await makeUser();
    const { uid, token } = await resetLink(u.email);
    expectStatus(await api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: 'first-new-pass' } }), 200);
    const again = await api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: 'second-new-pass' } });
    expectStatus(again, 400);
    expect(again.json).toEqual({ non_field_errors: ['Invalid or expired token'] });
  });

  it('the same reset link sent 5 times at once changes the password once', async () => {
    const u = await makeUser();
    const { uid, token } = await resetLink(u.email);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        api('/api/users/password-reset-confirm/', { body: { uid, token, new_password: `parallel-pass-${i}` } }),
      ),
    );
    expect(results.filter((r) => r.status === 200).length, results.map((r) => r.text).join('\n')).toBe(1);
    const used = await env.DB.prepare('SELECT count(*) AS n FROM used_link_tokens WHERE user_id = ?').bind(u.id).first<any>();
    expect(used.n).toBe(1);
  });

  it('a reset token signed for longer than an hour ago is refused once expired', async () => {
    const u = await makeUser();
    const { uid, token } = await resetLink(u.email);
    const claims = payloadOf(token);
    const past = Math.floor(Date.now() / 1000) - 3601;
    const expired = await new SignJWT({ ...claims, iat: past, exp: past + 3600 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(SECRET);
    const res = await api('/api/users/password-reset-confirm/', { body: { uid, token: expired, new_password: 'late-new-pass' } });
    expectStatus(res, 400);
  });
});

describe('verify links are bound to their address', { timeout: SLOW }, () => {
  it('after an email change the old link no longer verifies, and the new address is unverified', async () => {
    const u = await makeUser();
    const link = await verifyLink(u.email);
    const patch = await api('/api/users/me/', { method: 'PATCH', token: u.token, body: { email: `changed-${u.email}` } });
    expectStatus(patch, 200);
    expect(patch.json.is_verified).toBe(false);
    const res = await api(link.path);
    expectStatus(res, 400);
    const me = await api('/api/users/me/', { token: u.token });
    expect(me.json.is_verified).toBe(false);
  });
});
