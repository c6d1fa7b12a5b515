/**
 * The Tamiti family's emailed links. Each has its own token type, so one cannot stand in for the
 * other: a verify-email link (3 days, bound to the address) only verifies, a password-reset link
 * (1 hour, bound to the password hash) only resets, once: its jti is consumed in D1 in the same
 * batch as the password write.
 */
import { and, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../core/scope';
import type { Db } from '../../db';
import { PASSWORD_RESET_TTL_SECONDS, signToken, type TokenClaims, VERIFY_EMAIL_TTL_SECONDS, verifyToken } from '../../core/jwt';
import { sha256Hex } from '../../core/passwords';
import { usedLinkTokens, users } from '../../db/schema/users';
import { findById, type UserRow } from './service';

export type LinkPurpose = 'verify_email' | 'password_reset';

/** URL-safe base64 of the numeric id (Django's urlsafe_base64_encode), as the original's links. */
export const uidOf = (id: number) => btoa(String(id)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

function idFromUid(uid: string): number | null {
  try {
    const text = atob(uid.replace(/-/g, '+').replace(/_/g, '/'));
    return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** Fingerprints: a link dies when the password (reset) or the address (verify) changes. */
const passwordPrint = async (user: UserRow) => (await sha256Hex(user.password || `none:${user.uuid}`)).slice(0, 16);
const emailPrint = async (user: UserRow) => (await sha256Hex(user.email.trim().toLowerCase())).slice(0, 16);

/** Signs a link token of the given purpose for a user. */
export async function linkToken(s: Pick<Scope, 'env'>, user: UserRow, purpose: LinkPurpose) {
  const signed =
    purpose === 'verify_email'
      ? await signToken(s.env.JWT_SECRET, purpose, { user_id: user.id, emh: await emailPrint(user) }, VERIFY_EMAIL_TTL_SECONDS)
      : await signToken(
          s.env.JWT_SECRET,
          purpose,
          { user_id: user.id, pwh: await passwordPrint(user) },
          PASSWORD_RESET_TTL_SECONDS,
        );
  return signed.token;
}

export type LinkCheck = { user: UserRow; claims: TokenClaims } | 'bad-uid' | 'no-user' | 'bad-token';

/**
 * Checks a link's uid and token for one purpose (signature, type, expiry, user, fingerprint): one
 * round trip reads the user, whose address or password hash the token's fingerprint must match.
 */
export async function checkLink(
  s: Pick<Scope, 'db' | 'env'>,
  uid: string,
  token: string,
  purpose: LinkPurpose,
): Promise<LinkCheck> {
  const id = idFromUid(uid);
  if (id === null) return 'bad-uid';
  const user = await findById(s.db, id);
  if (!user) return 'no-user';
  const claims = await verifyToken(s.env.JWT_SECRET, token, purpose);
  if (!claims || claims.user_id !== String(user.id)) return 'bad-token';
  const print = purpose === 'verify_email' ? claims.emh === (await emailPrint(user)) : claims.pwh === (await passwordPrint(user));
  return print ? { user, claims } : 'bad-token';
}

/**
 * Statements that use a one-time link, for the batch of the change it authorises: the first
 * inserts the jti (nothing when it was used already), and `used` is true in the statements that
 * follow only if this request's insert won, so two requests with one link change nothing twice.
 */
export function useLink(db: Db, claims: TokenClaims, purpose: LinkPurpose, userId: number) {
  const nonce = crypto.randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const claim = db
    .insert(usedLinkTokens)
    .values({ jti: claims.jti, user_id: userId, purpose, expires_at: claims.exp, used_at: now, nonce })
    .onConflictDoNothing();
  const used: SQL = sql`exists (select 1 from ${usedLinkTokens} where ${usedLinkTokens.jti} = ${claims.jti} and ${usedLinkTokens.nonce} = ${nonce})`;
  // Links past their expiry can never be presented again: their rows are dropped on the way.
  const prune = db.delete(usedLinkTokens).where(lt(usedLinkTokens.expires_at, now));
  return { claim, used, prune };
}

/** The user row a link authorises changing, when this request won the link (see useLink). */
export const userIfLinkUsed = (userId: number, used: SQL) => and(eq(users.id, userId), used);
