/**
 * Password-reset codes of the workspace family (6 digits, 10 minutes, 5 tries, single use), one
 * row per email address in D1 (`password_reset_codes`). Every rule is one atomic statement:
 * - issuing: an upsert that replaces the code only when the cool-down is over and the address
 *   got fewer than 5 codes in 24 hours, so N parallel requests hand out one code;
 * - confirming: one UPDATE that counts the try only while fewer than 5 were made, and marks the
 *   code used when it matches; the password write joins its batch, conditional on that mark.
 * Rows are keyed by a keyed hash of the address and exist for unknown addresses too, so cool-down
 * and cap answer the same whether or not an account exists.
 */
import { and, eq, gt, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../core/resource';
import { requireSecret } from '../../core/jwt';
import { sha256Hex } from '../../core/passwords';
import { passwordResetCodes as codes } from '../../db/schema/users';

export const CODE_TTL_SECONDS = 10 * 60;
export const MAX_ATTEMPTS = 5;
/** A resend is allowed once the live code has at most this long left (the original's rule). */
export const RESEND_WHEN_LEFT_SECONDS = 2 * 60;
/** At most this many codes per address in any 24-hour window. */
export const MAX_CODES_PER_WINDOW = 5;
export const WINDOW_SECONDS = 24 * 60 * 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Keyed hash naming an address in the table. */
export const emailKey = (secret: string | undefined, email: string) =>
  sha256Hex(`reset-email:${email.trim().toLowerCase()}:${requireSecret(secret)}`);
const codeHash = (secret: string | undefined, key: string, code: string) =>
  sha256Hex(`reset-code:${key}:${code}:${requireSecret(secret)}`);

/** A random 6-digit code (leading zeros possible). */
function randomCode() {
  // 2^32 is not a multiple of 10^6: redraw the few values that would bias low codes.
  const limit = 2 ** 32 - (2 ** 32 % 1_000_000);
  for (;;) {
    const n = crypto.getRandomValues(new Uint32Array(1))[0];
    if (n < limit) return String(n % 1_000_000).padStart(6, '0');
  }
}

export type IssueResult = { ok: true; code: string } | { ok: false; reason: 'cooldown' | 'cap'; waitSeconds: number };

/**
 * Issues a new code for an address (known or not): `forget` waits until the previous code is no
 * longer usable (10 minutes at most), `resend` until it has 2 minutes or less left.
 */
export async function issueResetCode(
  db: Db,
  secret: string | undefined,
  email: string,
  kind: 'forget' | 'resend',
): Promise<IssueResult> {
  const now = nowSeconds();
  const key = await emailKey(secret, email);
  const code = randomCode();
  const live = sql`(${codes.used_at} is null and ${codes.attempts} < ${MAX_ATTEMPTS} and ${codes.expires_at} > ${now})`;
  const cooledDown: SQL =
    kind === 'forget' ? sql`not ${live}` : sql`(not ${live} or ${codes.expires_at} - ${now} <= ${RESEND_WHEN_LEFT_SECONDS})`;
  const windowOver = sql`${codes.window_started_at} <= ${now - WINDOW_SECONDS}`;
  const [, issued] = await db.batch([
    // Rows whose window and code are both over say nothing any more.
    db.delete(codes).where(and(lt(codes.window_started_at, now - WINDOW_SECONDS), lt(codes.expires_at, now))),
    db
      .insert(codes)
      .values({
        email_hash: key,
        code_hash: await codeHash(secret, key, code),
        issued_at: now,
        expires_at: now + CODE_TTL_SECONDS,
        attempts: 0,
        window_started_at: now,
        sends_in_window: 1,
      })
      .onConflictDoUpdate({
        target: codes.email_hash,
        set: {
          code_hash: sql`excluded.code_hash`,
          issued_at: now,
          expires_at: now + CODE_TTL_SECONDS,
          attempts: 0,
          used_at: null,
          consumed_by: null,
          window_started_at: sql`case when ${windowOver} then ${now} else ${codes.window_started_at} end`,
          sends_in_window: sql`case when ${windowOver} then 1 else ${codes.sends_in_window} + 1 end`,
        },
        setWhere: sql`${cooledDown} and (${windowOver} or ${codes.sends_in_window} < ${MAX_CODES_PER_WINDOW})`,
      })
      .returning({ issued_at: codes.issued_at }),
  ]);
  if (issued.length) return { ok: true, code };

  const [row] = await db.select().from(codes).where(eq(codes.email_hash, key)).limit(1);
  if (!row) return { ok: false, reason: 'cooldown', waitSeconds: 1 };
  const usable = row.used_at === null && row.attempts < MAX_ATTEMPTS && row.expires_at > now;
  const cooldownLeft = usable ? row.expires_at - now - (kind === 'resend' ? RESEND_WHEN_LEFT_SECONDS : 0) : 0;
  if (cooldownLeft > 0) return { ok: false, reason: 'cooldown', waitSeconds: cooldownLeft };
  return { ok: false, reason: 'cap', waitSeconds: Math.max(1, row.window_started_at + WINDOW_SECONDS - now) };
}

/**
 * The statement that tries a code: counts the try only while fewer than 5 were made on a live,
 * unused code, and marks the code used when it matches. `used` is true, in the statements of the
 * same batch that follow, only when this try used the code.
 */
export async function tryResetCode(db: Db, secret: string | undefined, email: string, code: string) {
  const now = nowSeconds();
  const key = await emailKey(secret, email);
  const nonce = crypto.randomUUID();
  const hit = sql`${codes.code_hash} = ${await codeHash(secret, key, code)}`;
  const attempt = db
    .update(codes)
    .set({
      attempts: sql`${codes.attempts} + 1`,
      used_at: sql`case when ${hit} then ${now} end`,
      consumed_by: sql`case when ${hit} then ${nonce} end`,
    })
    .where(and(eq(codes.email_hash, key), isNull(codes.used_at), lt(codes.attempts, MAX_ATTEMPTS), gt(codes.expires_at, now)));
  const used: SQL = sql`exists (select 1 from ${codes} where ${codes.email_hash} = ${key} and ${codes.consumed_by} = ${nonce})`;
  return { attempt, used };
}

/** "M minutes and S seconds", as the original words a wait. */
export function minutesAndSeconds(total: number) {
  const seconds = Math.max(1, Math.ceil(total));
  return `${Math.floor(seconds / 60)} minutes and ${seconds % 60} seconds`;
}

/** "H hours and M minutes", for the daily cap. */
export function hoursAndMinutes(total: number) {
  const minutes = Math.max(1, Math.ceil(total / 60));
  return `${Math.floor(minutes / 60)} hours and ${minutes % 60} minutes`;
}
