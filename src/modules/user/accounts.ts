/**
 * Registration and sign-in of the workspace family, written once and used by both `/api/user/`
 * (register, login) and `/api/workspace/admin/` (register, login): the routes differ only in their
 * rules, messages and the shape of the user they answer with.
 */
import type { Context } from 'hono';
import { constraintViolation, type FieldErrors, ws } from '../../core/errors';
import type { AppEnv } from '../../env';
import { limitLoginAccount } from '../../middleware/rate-limit';
import { checkPassword, createUser, findByEmail, startSession, type UserRow } from '../users/service';
import { insertRefresh, newRefresh, signPair } from '../users/tokens';

const SPECIALS = '!@#$%^&*()_+-=[]{}|;:,.<>?';

/** Whether a password mixes upper and lower case, a digit and a special character. */
export const isStrong = (password: string) =>
  /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password) && [...password].some((ch) => SPECIALS.includes(ch));

/** The seed's five password rules; every failing rule is reported. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push('Password must be at least 8 characters long');
  if (!/[A-Z]/.test(password)) problems.push('Password must contain at least one uppercase letter');
  if (!/[a-z]/.test(password)) problems.push('Password must contain at least one lowercase letter');
  if (!/\d/.test(password)) problems.push('Password must contain at least one digit');
  if (![...password].some((ch) => SPECIALS.includes(ch)))
    problems.push('Password must contain at least one special character (!@#$%^&*()_+-=[]{}|;:,.<>?)');
  return problems;
}

/** A token pair as the workspace family names it. */
export const pair = (t: { access: string; refresh: string }) => ({ access_token: t.access, refresh_token: t.refresh });

export interface Registration {
  full_name: string;
  email: string;
  password: string;
  confirm_password: string;
}

/** What distinguishes one registration route from the other. */
export interface RegistrationRules {
  /** The 400's message and where its field errors go. */
  failure: string;
  errorKey: 'errors' | 'error';
  /** Field errors of the body, given whether its email is already registered. */
  check(body: Registration, emailTaken: boolean): FieldErrors;
  avatar(email: string): string | null;
}

/**
 * Registers an account (a Customer of Tamiti Studio) and signs it in: two round trips, the email
 * check, then one batch writing the user, its preferences, profile and first refresh token.
 */
export async function registerAccount(c: Context<AppEnv>, body: Registration, rules: RegistrationRules) {
  const { db, env } = c.get('scope');
  const errors = rules.check(body, !!(await findByEmail(db, body.email)));
  if (Object.keys(errors).length) throw ws.fail(400, rules.failure, errors, rules.errorKey);
  const session = newRefresh(0);
  let user: UserRow;
  try {
    user = await createUser(
      db,
      {
        email: body.email,
        password: body.password,
        full_name: body.full_name,
        avatar_url: rules.avatar(body.email),
        // Workspace sign-ups are customers of Tamiti Studio: they sign in there but see no business data.
        role: 'Customer',
      },
      (id) => [insertRefresh(db, { ...session, user_id: id })],
    );
  } catch (err) {
    // A concurrent registration of the same address lost the race on the unique index.
    if (constraintViolation(err)?.kind === 'unique')
      throw ws.fail(400, rules.failure, { email: ['Email already exists'] }, rules.errorKey);
    throw err;
  }
  return { user, tokens: await signPair(env.JWT_SECRET, user, session) };
}

/** What a refused sign-in answers. */
export interface SignInFailures {
  message: string;
  /** The field errors for a deactivated account. */
  inactive: FieldErrors;
}

/**
 * Signs in by email and password: one budget per account across the login routes, one answer for
 * an unknown email and a wrong password (the original told them apart). Two round trips: the
 * account (its hash must be checked first), then one batch storing the refresh token and the
 * sign-in time.
 */
export async function signIn(c: Context<AppEnv>, email: string, password: string, failures: SignInFailures) {
  const s = c.get('scope');
  const user = await findByEmail(s.db, email);
  await limitLoginAccount(c, user, email);
  const ok = await checkPassword(user, password);
  if (!user || !ok) throw ws.fail(400, failures.message, { non_field_errors: ['Invalid email or password'] });
  if (!user.is_active) throw ws.fail(400, failures.message, failures.inactive);
  return { user, tokens: await startSession(s, user) };
}
