/**
 * Workspace-family reset codes under concurrency (issue 14, finding 2) and the cool-down of the
 * original (issue 20, item 4): the attempt cap, single use and "one code per cool-down" are each
 * one atomic D1 statement; unknown addresses get the same answers.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, expectStatus, freshEmail, waitForMail, wsUser } from '../helpers';

/** These tests send parallel requests and wait for queued mail: generous on a loaded machine. */
const SLOW = 30_000;

const SUBJECT = 'XBooking - Password Reset Verification Code';
const codeFrom = (text: string) => /code is: (\d{6})/.exec(text)![1];
const COOLDOWN =
  /^A verification code was already sent to this email\. Please wait (\d+) minutes and (\d+) seconds before requesting a new one\.$/;

async function codesFor(email: string, count = 1) {
  return (await waitForMail(email, count)).filter((m) => m.subject === SUBJECT).map((m) => codeFrom(m.text));
}

const confirm = (email: string, code: string, password = 'NewSecure123!') =>
  api('/api/user/password-reset-confirm/', {
    body: { email, verification_code: code, new_password: password, confirm_new_password: password },
  });

/** Moves the address's code row back in time by `seconds` (the clock of the cool-down and expiry). */
async function age(seconds: number) {
  await env.DB.prepare(
    'UPDATE password_reset_codes SET issued_at = issued_at - ?1, expires_at = expires_at - ?1, window_started_at = window_started_at - ?1',
  )
    .bind(seconds)
    .run();
}

describe('reset-code attempt cap under concurrency', { timeout: SLOW }, () => {
  it('20 wrong codes sent at once, then the right one: the password is NOT reset (KV counted fewer tries)', async () => {
    const { email, password } = await wsUser();
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const [code] = await codesFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const results = await Promise.all(Array.from({ length: 20 }, () => confirm(email, wrong)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(400));
    const right = await confirm(email, code);
    expectStatus(right, 400);
    expect(right.json.errors.verification_code).toEqual(['Invalid or expired verification code. Please request a new one.']);
    const row = await env.DB.prepare('SELECT attempts, used_at FROM password_reset_codes').all<any>();
    expect(
      row.results.some((r) => r.attempts === 5 && r.used_at === null),
      JSON.stringify(row.results),
    ).toBe(true);
    expectStatus(await api('/api/user/login/', { body: { email, password } }), 200);
  });

  it('the right code on the 5th try still works; the same code sent 10 times at once resets once', async () => {
    const { email } = await wsUser();
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const [code] = await codesFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expectStatus(await confirm(email, wrong), 400);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => confirm(email, code, `NewSecure12${i}!`)));
    expect(results.filter((r) => r.status === 200).length, results.map((r) => r.text).join('\n')).toBe(1);
    const winner = results.findIndex((r) => r.status === 200);
    expectStatus(await api('/api/user/login/', { body: { email, password: `NewSecure12${winner}!` } }), 200);
  });

  it('N parallel forget-password requests hand out one code', async () => {
    const { email } = await wsUser();
    const results = await Promise.all(Array.from({ length: 8 }, () => api('/api/user/forget-password/', { body: { email } })));
    expect(results.filter((r) => r.status === 200).length, results.map((r) => r.text).join('\n')).toBe(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expectStatus(r, 400);
      expect(r.json.errors.non_field_errors[0]).toMatch(COOLDOWN);
    }
    await codesFor(email);
    await new Promise((r) => setTimeout(r, 300));
    expect(await codesFor(email)).toHaveLength(1);
  });
});

describe('cool-down and daily cap (the original: 400 "already sent", with the wait)', { timeout: SLOW }, () => {
  it("a second forget-password within 10 minutes is the original's 400 with minutes and seconds", async () => {
    const { email } = await wsUser();
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const again = await api('/api/user/forget-password/', { body: { email } });
    expectStatus(again, 400);
    expect(again.json).toEqual({
      success: false,
      message: 'Invalid data provided',
      errors: { non_field_errors: [expect.stringMatching(COOLDOWN)] },
    });
    const [, m, s] = COOLDOWN.exec(again.json.errors.non_field_errors[0])!;
    expect(Number(m) * 60 + Number(s)).toBeGreaterThan(590);
    await age(601);
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
  });

  it('an unknown email answers exactly as a known one, cool-down included (it reveals nothing)', async () => {
    const known = (await wsUser()).email;
    const unknown = freshEmail();
    const answers = [];
    for (const email of [known, unknown]) {
      const first = await api('/api/user/forget-password/', { body: { email } });
      const second = await api('/api/user/forget-password/', { body: { email } });
      const resend = await api('/api/user/resend-password-reset/', { body: { email } });
      // The wait is counted in seconds: the two addresses may be a second apart.
      answers.push(
        [first, second, resend].map((r) => ({
          status: r.status,
          body: r.text
            .replaceAll(email, '<email>')
            .replace(/"resent_at":"[^"]+"/, '')
            .replace(/\d+ minutes and \d+ seconds/, 'M minutes and S seconds'),
        })),
      );
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0].map((a) => a.status)).toEqual([200, 400, 400]);
    expect(await codesFor(known)).toHaveLength(1);
  });

  it('resend is refused until the live code has 2 minutes or less left, then replaces it', async () => {
    const { email } = await wsUser();
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const [first] = await codesFor(email);
    const early = await api('/api/user/resend-password-reset/', { body: { email } });
    expectStatus(early, 400);
    const [, m] = COOLDOWN.exec(early.json.errors.non_field_errors[0])!;
    expect(Number(m)).toBe(7);
    await age(8 * 60);
    const resend = await api('/api/user/resend-password-reset/', { body: { email } });
    expectStatus(resend, 200);
    expect(resend.json.message).toBe('Verification code resent successfully');
    expect(resend.json.data.resent_at).toBeTruthy();
    const codes = await codesFor(email, 2);
    expect(codes).toHaveLength(2);
    if (codes[0] !== first) expectStatus(await confirm(email, first), 400);
    expectStatus(await confirm(email, codes[0]), 200);
  });

  it('at most 5 codes per address in 24 hours: the 6th is a 429 with Retry-After, the same for unknown addresses', async () => {
    for (const email of [(await wsUser()).email, freshEmail()]) {
      for (let i = 0; i < 5; i++) {
        expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
        await env.DB.prepare('UPDATE password_reset_codes SET expires_at = 0').run();
      }
      const sixth = await api('/api/user/forget-password/', { body: { email } });
      expectStatus(sixth, 429);
      expect(sixth.json.success).toBe(false);
      expect(sixth.json.errors.non_field_errors[0]).toMatch(/^Too many verification codes were requested for this email/);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(23 * 3600);
      await age(24 * 3600 + 1);
      expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    }
  });

  it('a code expires after 10 minutes', async () => {
    const { email } = await wsUser();
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const [code] = await codesFor(email);
    await age(601);
    expectStatus(await confirm(email, code), 400);
  });

  it('codes are stored hashed, under a hash of the address', async () => {
    const { email } = await wsUser();
    expectStatus(await api('/api/user/forget-password/', { body: { email } }), 200);
    const [code] = await codesFor(email);
    const dump = JSON.stringify((await env.DB.prepare('SELECT * FROM password_reset_codes').all()).results);
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(email);
  });
});
