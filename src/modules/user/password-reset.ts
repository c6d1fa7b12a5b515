/**
 * Password reset by a 6-digit code kept hashed in D1 (10-minute life, 5 tries, single use, a
 * cool-down and at most 5 codes a day per address: see users/reset-codes.ts):
 * `/api/user/forget-password/`, `/api/user/resend-password-reset/`, `/api/user/password-reset-confirm/`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { ws } from '../../core/errors';
import { eventId } from '../../core/events';
import { string } from '../../core/fields';
import { hashPassword } from '../../core/passwords';
import { json, mount, route } from '../../core/route';
import { publish } from '../../core/scope';
import { nowIso } from '../../db/columns';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { authRateLimit } from '../../middleware/rate-limit';
import { emailTransport } from '../notifications/email';
import { afterResponse } from '../users/background';
import { hoursAndMinutes, issueResetCode, minutesAndSeconds, tryResetCode } from '../users/reset-codes';
import { findByEmail } from '../users/service';
import { endLiveSessions, liveRoomsStmt } from '../users/sessions';
import { revokeAllForUser } from '../users/tokens';
import { passwordProblems } from './accounts';
import { Email, Failure, omitFailures, tags, userFailures } from './auth';

const EmailBody = z.object({ email: Email }).openapi('PasswordResetEmailRequest');
const ConfirmBody = z
  .object({
    email: Email,
    verification_code: string(),
    new_password: string().max(255),
    confirm_new_password: string().optional().openapi({ description: "The seed's name; this or confirm_password is required." }),
    confirm_password: string().optional().openapi({ description: "The original's name for confirm_new_password." }),
  })
  .openapi('PasswordResetConfirmCodeRequest');
type Confirm = z.infer<typeof ConfirmBody>;

const mailFailures = {
  429: json(Failure, 'At most 5 codes per address in 24 hours (Retry-After)'),
  503: json(Failure, 'No email transport is configured'),
};

/** `forget-password/` or `resend-password-reset/`: the same code, two messages. */
const sendCode = (resend: boolean) =>
  route({
    method: 'post',
    path: resend ? '/api/user/resend-password-reset/' : '/api/user/forget-password/',
    operationId: resend ? 'user_resend_password_reset_create' : 'user_forget_password_create',
    summary: resend ? 'Resend the password-reset code' : 'Request a password-reset code',
    description: `${resend ? 'Sends a new 6-digit code, replacing the previous one, once that one has 2 minutes or less left.' : 'Emails a 6-digit code (10 minutes, 5 tries, single use) when an account has this email.'} The answer is the same, in the same time, for unknown emails (the lookup and the mail happen after the response). A second request within the cool-down is the original's 400 with the wait in minutes and seconds; at most 5 codes per address in 24 hours (429).`,
    tags,
    auth: 'public',
    middleware: [authRateLimit('password-reset')],
    body: EmailBody,
    response: z.object({ data: z.object({ email: z.string(), code_expires_in: z.string(), resent_at: z.string().optional() }) }),
    responseDescription: 'A code is emailed when the account exists; the answer is the same either way',
    envelope: {
      message: resend ? 'Verification code resent successfully' : 'Verification code sent successfully',
      failure: 'Invalid data provided',
    },
    responses: { ...userFailures, ...mailFailures },
    omitFailures,
    async handler({ s, c, db, body: { email } }) {
      emailTransport(s.env);
      // The cool-down and the daily cap are kept per address, known or not, so they reveal nothing.
      const issued = await issueResetCode(db, s.env.JWT_SECRET, email, resend ? 'resend' : 'forget');
      if (!issued.ok && issued.reason === 'cooldown')
        throw ws.fail(400, 'Invalid data provided', {
          non_field_errors: [
            `A verification code was already sent to this email. Please wait ${minutesAndSeconds(issued.waitSeconds)} before requesting a new one.`,
          ],
        });
      if (!issued.ok) {
        const err = ws.fail(429, 'Too many verification codes requested', {
          non_field_errors: [
            `Too many verification codes were requested for this email. Please try again in ${hoursAndMinutes(issued.waitSeconds)}.`,
          ],
        });
        err.headers['Retry-After'] = String(issued.waitSeconds);
        throw err;
      }
      // Answer first, look the account up afterwards: known and unknown emails take the same time.
      afterResponse(c, 'password reset code', async () => {
        const user = await findByEmail(db, email);
        if (!user?.is_active) return [];
        return [
          {
            type: 'email',
            id: eventId(),
            to: user.email,
            subject: 'XBooking - Password Reset Verification Code',
            text: `Hello ${user.full_name || user.email},\n\nYour password reset verification code is: ${issued.code}\n\nIt expires in 10 minutes and can be used once. If you did not ask for it, ignore this email.`,
          },
        ];
      });
      return { data: { email, code_expires_in: '10 minutes', ...(resend ? { resent_at: nowIso() } : {}) } };
    },
  });

/** The body's field errors: code format, the original's length check then the seed's rules, a confirmation. */
function confirmProblems(body: Confirm) {
  const errors: Record<string, string[]> = {};
  if (!/^\d{6}$/.test(body.verification_code)) errors.verification_code = ['Verification code must be exactly 6 digits.'];
  if (body.new_password.length < 8) errors.new_password = ['Ensure this field has at least 8 characters.'];
  else {
    const problems = passwordProblems(body.new_password);
    if (problems.length) errors.new_password = problems;
  }
  // A confirmation is required under either name; problems are reported under both.
  const confirm = body.confirm_new_password ?? body.confirm_password;
  if (confirm === undefined) {
    errors.confirm_new_password = ['This field is required.'];
    errors.confirm_password = ['This field is required.'];
  } else if (confirm !== body.new_password) {
    errors.confirm_new_password = ['Passwords do not match.'];
    errors.confirm_password = ['Passwords do not match.'];
  }
  return errors;
}

const confirm = route({
  method: 'post',
  path: '/api/user/password-reset-confirm/',
  operationId: 'user_password_reset_confirm_create',
  summary: 'Reset the password with a code',
  description:
    'Checks the emailed code (5 tries, counted atomically; single use) and sets `new_password`, confirmed as `confirm_password` (the original) or `confirm_new_password` (the seed). Every access token issued before the reset stops working at once.',
  tags,
  auth: 'public',
  middleware: [authRateLimit('password-reset')],
  body: ConfirmBody,
  response: z.object({ data: z.object({ email: z.string(), message: z.string() }) }),
  responseDescription: 'Password changed',
  envelope: { message: 'Password reset successful', failure: 'Invalid data provided' },
  responses: userFailures,
  omitFailures,
  async handler({ s, c, db, body }) {
    const errors = confirmProblems(body);
    if (Object.keys(errors).length) throw ws.fail(400, 'Invalid data provided', errors);
    const user = await findByEmail(db, body.email);
    const id = user?.is_active ? user.id : 0;
    const code = await tryResetCode(db, s.env.JWT_SECRET, body.email, body.verification_code);
    // One batch: the try is counted (5 at most), the code used when it matches, and only then the
    // password set, older access tokens (token_version) and every refresh token revoked.
    const [, changed, , rooms] = await db.batch([
      code.attempt,
      db
        .update(users)
        .set({
          password: await hashPassword(body.new_password),
          force_password_change: false,
          token_version: sql`${users.token_version} + 1`,
        })
        .where(sql`${users.id} = ${id} and ${code.used}`)
        .returning({ id: users.id }),
      revokeAllForUser(db, id, code.used),
      liveRoomsStmt(db, id),
    ]);
    if (!user || !changed.length)
      throw ws.fail(400, 'Invalid data provided', {
        verification_code: ['Invalid or expired verification code. Please request a new one.'],
      });
    endLiveSessions(c, id, rooms);
    publish(s, {
      type: 'email',
      id: eventId(),
      to: user.email,
      subject: 'XBooking - Password Changed Successfully',
      text: `Hello ${user.full_name || user.email},\n\nYour password was changed. If this was not you, reset it again at once.`,
    });
    return { data: { email: user.email, message: 'Your password has been updated successfully' } };
  },
});

export function mountPasswordReset(app: OpenAPIHono<AppEnv>) {
  mount(app, sendCode(false));
  mount(app, sendCode(true));
  mount(app, confirm);
}
