import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, expectStatus, fakeGoogle as fakeGoogleWith, waitForMail } from '../helpers';

let n = 0;
const newEmail = () => `ws${Date.now().toString(36)}${n++}@example.com`;
const PASSWORD = 'SecurePass123!';

async function register(email = newEmail(), password = PASSWORD) {
  const res = await api('/api/user/register/', { body: { full_name: 'John Doe', email, password, confirm_password: password } });
  expectStatus(res, 201);
  return { email, res };
}

describe('POST /api/user/register/', () => {
  it('answers as the seed shows: envelope, user with DiceBear avatar, token pair', async () => {
    const email = newEmail();
    const { res } = await register(email);
    expect(res.json).toMatchObject({
      success: true,
      message: 'Registration was successful',
      user: {
        user_email: email,
        full_name: 'John Doe',
        avatar_url: `https://api.dicebear.com/9.x/personas/svg?seed=${encodeURIComponent(email)}`,
      },
    });
    expect(res.json.user.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.token.access_token).toBeTypeOf('string');
    expect(res.json.token.refresh_token).toBeTypeOf('string');
    const profile = await api('/api/user/profile/', { token: res.json.token.access_token });
    expectStatus(profile, 200);
  });

  it('reports each of the five password rules under error.password', async () => {
    const cases: [string, string][] = [
      ['Aa1!', 'Password must be at least 8 characters long'],
      ['lowercase1!', 'Password must contain at least one uppercase letter'],
      ['UPPERCASE1!', 'Password must contain at least one lowercase letter'],
      ['NoDigits!!', 'Password must contain at least one digit'],
      ['NoSpecial12', 'Password must contain at least one special character (!@#$%^&*()_+-=[]{}|;:,.<>?)'],
    ];
    for (const [password, message] of cases) {
      const res = await api('/api/user/register/', {
        body: { full_name: 'A', email: newEmail(), password, confirm_password: password },
      });
      expectStatus(res, 400);
      expect(res.json.success).toBe(false);
      expect(res.json.message).toBe('Registration Failed');
      expect(res.json.error.password).toContain(message);
    }
  });

  it('refuses a duplicate email, mismatched confirmation and missing fields', async () => {
    const { email } = await register();
    const dup = await api('/api/user/register/', {
      body: { full_name: 'B', email, password: PASSWORD, confirm_password: 'Other123!x' },
    });
    expectStatus(dup, 400);
    expect(dup.json.error).toEqual({
      email: ['Email already exists'],
      confirm_password: ['Passwords do not match'],
      non_field_errors: ['Password do not match'],
    });
    const missing = await api('/api/user/register/', { body: {} });
    expectStatus(missing, 400);
    expect(missing.json).toMatchObject({ success: false, message: 'Registration Failed' });
    expect(missing.json.error.full_name).toEqual(['This field is required.']);
    expect(missing.json.error.email).toEqual(['This field is required.']);
  });

  it('a user registered here signs in through the Tamiti family too (one users table), as a Customer', async () => {
    const { email } = await register();
    const res = await api('/api/users/login/', { body: { email, password: PASSWORD } });
    expectStatus(res, 200);
    const me = await api('/api/users/me/', { token: res.json.access });
    expect(me.json.role).toBe('Customer');
    expectStatus(await api('/api/field/leads/', { token: res.json.access }), 403);
  });
});

describe('POST /api/user/login/ and GET /api/user/profile/', () => {
  it('signs in and returns the envelope; profile is a bare object', async () => {
    const { email } = await register();
    const res = await api('/api/user/login/', { body: { email, password: PASSWORD } });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ success: true, message: 'Login was successful', user: { user_email: email } });
    const profile = await api('/api/user/profile/', { token: res.json.token.access_token });
    expectStatus(profile, 200);
    expect(Object.keys(profile.json).sort()).toEqual(['avatar_url', 'date_joined', 'email', 'full_name', 'id', 'last_login']);
    expect(profile.json.last_login).toBeTruthy();
  });

  it("wrong password is the seed's 400 with non_field_errors", async () => {
    const { email } = await register();
    const res = await api('/api/user/login/', { body: { email, password: 'Wrong123!!' } });
    expectStatus(res, 400);
    expect(res.json).toEqual({
      success: false,
      message: 'Login failed',
      errors: { non_field_errors: ['Invalid email or password'] },
    });
  });

  it('profile without a token is 401', async () => {
    const res = await api('/api/user/profile/');
    expectStatus(res, 401);
    expect(res.json.detail).toBe('Authentication credentials were not provided.');
  });
});

describe('password reset by 6-digit code', () => {
  const codeFrom = (text: string) => /code is: (\d{6})/.exec(text)![1];

  async function requestCode(email: string, path = '/api/user/forget-password/', count = 1) {
    const res = await api(path, { body: { email } });
    expectStatus(res, 200);
    const mails = (await waitForMail(email, count)).filter((m) => m.subject === 'XBooking - Password Reset Verification Code');
    return { res, code: codeFrom(mails[0].text) };
  }

  const confirm = (email: string, code: string, password = 'NewSecure123!') =>
    api('/api/user/password-reset-confirm/', {
      body: { email, verification_code: code, new_password: password, confirm_new_password: password },
    });

  it('sends a code through the queue; the code resets the password once', async () => {
    const { email } = await register();
    const { res, code } = await requestCode(email);
    expect(res.json).toEqual({
      success: true,
      message: 'Verification code sent successfully',
      data: { email, code_expires_in: '10 minutes' },
    });
    const ok = await confirm(email, code);
    expectStatus(ok, 200);
    expect(ok.json).toEqual({
      success: true,
      message: 'Password reset successful',
      data: { email, message: 'Your password has been updated successfully' },
    });
    expectStatus(await api('/api/user/login/', { body: { email, password: 'NewSecure123!' } }), 200);
    const reuse = await confirm(email, code, 'Another123!');
    expectStatus(reuse, 400);
    expect(reuse.json.errors.verification_code).toEqual(['Invalid or expired verification code. Please request a new one.']);
  });

  it('answers the same for an unknown email, and sends nothing', async () => {
    const res = await api('/api/user/forget-password/', { body: { email: 'nobody-here@example.com' } });
    expectStatus(res, 200);
    expect(res.json.message).toBe('Verification code sent successfully');
  });

  it('dies after 5 wrong tries', async () => {
    const { email } = await register();
    const { code } = await requestCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expectStatus(await confirm(email, wrong), 400);
    expectStatus(await confirm(email, code), 400);
  });

  it('expires after 10 minutes', async () => {
    const { email } = await register();
    const { code } = await requestCode(email);
    await env.DB.prepare('UPDATE password_reset_codes SET expires_at = expires_at - 601').run();
    expectStatus(await confirm(email, code), 400);
  });

  it('a resend (once the live code has 2 minutes or less left) replaces the previous code', async () => {
    const { email } = await register();
    const first = await requestCode(email);
    await env.DB.prepare('UPDATE password_reset_codes SET issued_at = issued_at - 480, expires_at = expires_at - 480').run();
    const resend = await api('/api/user/resend-password-reset/', { body: { email } });
    expectStatus(resend, 200);
    expect(resend.json.message).toBe('Verification code resent successfully');
    expect(resend.json.data.resent_at).toBeTruthy();
    const mails = (await waitForMail(email, 2)).filter((m) => m.subject.includes('Verification Code'));
    const second = codeFrom(mails[0].text);
    if (second !== first.code) expectStatus(await confirm(email, first.code), 400);
    expectStatus(await confirm(email, second), 200);
  });

  it('validates the confirmation body', async () => {
    const res = await api('/api/user/password-reset-confirm/', {
      body: { email: 'x@example.com', verification_code: '12ab', new_password: 'weak', confirm_new_password: 'other' },
    });
    expectStatus(res, 400);
    expect(res.json.message).toBe('Invalid data provided');
    expect(res.json.errors.verification_code).toEqual(['Verification code must be exactly 6 digits.']);
    // The original's field message for a short password (issue 20, item 6).
    expect(res.json.errors.new_password).toEqual(['Ensure this field has at least 8 characters.']);
    expect(res.json.errors.confirm_new_password).toEqual(['Passwords do not match.']);
  });
});

describe('POST /api/user/token/refresh/', () => {
  it('rotates the pair; a replay fails and revokes the family', async () => {
    const { res } = await register();
    const refresh = res.json.token.refresh_token;
    const first = await api('/api/user/token/refresh/', { body: { refresh_token: refresh } });
    expectStatus(first, 200);
    expect(first.json.message).toBe('Token refreshed successfully');
    const next = first.json.token.refresh_token;
    expect(next).not.toBe(refresh);
    const replay = await api('/api/user/token/refresh/', { body: { refresh_token: refresh } });
    expectStatus(replay, 400);
    expect(replay.json.message).toBe('Token refresh failed');
    expectStatus(await api('/api/user/token/refresh/', { body: { refresh_token: next } }), 400);
  });
});

describe('POST /api/user/auth/google/', () => {
  afterEach(() => vi.restoreAllMocks());

  const fakeGoogle = (claims: Record<string, unknown>) => fakeGoogleWith(claims, { code: 'good-code' });

  it("creates the account from the verified id_token, with Google's picture", async () => {
    const email = newEmail();
    await fakeGoogle({
      email,
      email_verified: true,
      name: 'Gee User',
      picture: 'https://lh3.googleusercontent.com/a/pic',
      sub: 'g-1',
    });
    const res = await api('/api/user/auth/google/', { body: { code: 'good-code' } });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({
      success: true,
      message: 'Login successful',
      user: { user_email: email, full_name: 'Gee User', avatar_url: 'https://lh3.googleusercontent.com/a/pic' },
    });
    expect(res.json.token.access).toBeTypeOf('string');
    expect(res.json.token.refresh).toBeTypeOf('string');
    const again = await api('/api/user/auth/google/', { body: { code: 'good-code' } });
    expect(again.json.user.user_id).toBe(res.json.user.user_id);
  });

  it('an invalid code is a 400', async () => {
    await fakeGoogle({ email: newEmail(), sub: 'g-2' });
    const res = await api('/api/user/auth/google/', { body: { code: 'bad-code' } });
    expectStatus(res, 400);
    expect(res.json.success).toBe(false);
    expect(res.json.message).toBe('Google authentication failed');
  });

  it('a missing code is a 400 field error', async () => {
    const res = await api('/api/user/auth/google/', { body: {} });
    expectStatus(res, 400);
    expect(res.json.error).toEqual({ code: ['This field is required.'] });
    expect(res.json.code).toEqual(['This field is required.']);
  });
});
