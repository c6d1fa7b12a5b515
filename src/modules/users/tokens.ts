/**
 * Access and refresh tokens. Refresh tokens rotate on every use: each one is a row in
 * `refresh_tokens`, marked used atomically; presenting a used token again revokes its whole
 * family (every token descended from the same login), and logout revokes the family too.
 * Access tokens carry the user's role and token version (`tv`), read from the user row.
 *
 * Issuing costs no round trip of its own: `newRefresh` gives the row to insert in the caller's
 * batch (the sign-in's `last_login` update, the registration's user insert) and `signPair` signs
 * the tokens, which needs no database.
 */
import { and, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { ACCESS_TTL_SECONDS, REFRESH_TTL_SECONDS, signToken, verifyToken } from '../../core/jwt';
import { refreshTokens, users } from '../../db/schema/users';

export interface TokenPair {
  access: string;
  refresh: string;
}

interface TokenUser {
  id: number;
  uuid: string;
  role: string;
  token_version: number;
}

/** A refresh-token row about to be written: the user is an id, or a subquery for a user inserted in the same batch. */
export interface RefreshRow {
  jti: string;
  family: string;
  user_id: number | SQL<number>;
  expires_at: number;
}

const now = () => Math.floor(Date.now() / 1000);

/** Signs an access token (with the user's role and token version). */
export async function accessToken(secret: string | undefined, user: TokenUser) {
  const claims = { user_id: user.id, uid: user.uuid, role: user.role, tv: user.token_version };
  return (await signToken(secret, 'access', claims, ACCESS_TTL_SECONDS)).token;
}

/** A new refresh token's row, of a new family (a sign-in) unless one is given (a rotation). */
export function newRefresh(user: number | SQL<number>, family: string = crypto.randomUUID()): RefreshRow {
  return { jti: crypto.randomUUID().replace(/-/g, ''), family, user_id: user, expires_at: now() + REFRESH_TTL_SECONDS };
}

/** The statement storing a refresh token, for the caller's batch. */
export const insertRefresh = (db: Db, row: RefreshRow) => db.insert(refreshTokens).values(row);

/** Signs the access token and the refresh token of a stored row for a user. */
export async function signPair(secret: string | undefined, user: TokenUser, row: RefreshRow): Promise<TokenPair> {
  const [access, refresh] = await Promise.all([
    accessToken(secret, user),
    signToken(secret, 'refresh', { user_id: user.id, uid: user.uuid, fam: row.family, jti: row.jti }, REFRESH_TTL_SECONDS),
  ]);
  return { access, refresh: refresh.token };
}

export type RotateResult = { ok: true; tokens: TokenPair; userId: number } | { ok: false; reason: 'invalid' | 'reused' };

/** Whether a refresh token may still be used (unused, unrevoked, unexpired). */
const usable = (jti: string, at: number) =>
  and(
    eq(refreshTokens.jti, jti),
    isNull(refreshTokens.used_at),
    isNull(refreshTokens.revoked_at),
    gt(refreshTokens.expires_at, at),
  );

/** The user who owns refresh token `jti`, as a subquery. */
const ownerOf = (jti: string) => sql`(select ${refreshTokens.user_id} from ${refreshTokens} where ${refreshTokens.jti} = ${jti})`;

/**
 * Stores the successor `next` of token `jti` only if the token is usable and its owner active. It
 * runs before the claim in the same transaction: both see the token as it was.
 */
const successorStmt = (db: Db, next: RefreshRow, jti: string, at: number) =>
  db.insert(refreshTokens).select(
    db
      .select({
        jti: sql<string>`${next.jti}`.as('jti'),
        family: sql<string>`${next.family}`.as('family'),
        user_id: users.id,
        expires_at: sql<number>`${next.expires_at}`.as('expires_at'),
        used_at: sql<null>`null`.as('used_at'),
        revoked_at: sql<null>`null`.as('revoked_at'),
      })
      .from(users)
      .where(
        and(
          sql`${users.id} = ${ownerOf(jti)}`,
          eq(users.is_active, true),
          sql`exists (select 1 from ${refreshTokens} where ${usable(jti, at)})`,
        ),
      ),
  );

/** Marks token `jti` used if it is usable; returns its owner and family when it was. */
const claimStmt = (db: Db, jti: string, at: number) =>
  db
    .update(refreshTokens)
    .set({ used_at: at })
    .where(usable(jti, at))
    .returning({ user_id: refreshTokens.user_id, family: refreshTokens.family });

/** The token owner's current role, token version and state. */
const ownerStmt = (db: Db, jti: string) =>
  db
    .select({ id: users.id, uuid: users.uuid, role: users.role, token_version: users.token_version, is_active: users.is_active })
    .from(users)
    .where(sql`${users.id} = ${ownerOf(jti)}`)
    .limit(1);

/** The token's family and whether it was used before. */
const tokenStateStmt = (db: Db, jti: string) =>
  db
    .select({ family: refreshTokens.family, used_at: refreshTokens.used_at })
    .from(refreshTokens)
    .where(eq(refreshTokens.jti, jti))
    .limit(1);

/**
 * Exchanges a refresh token for a new pair; a replayed token revokes its family. One batch (one
 * transaction) stores the successor only if the token is usable and its owner active, then marks
 * the token used, and reads the owner's current role and token version and the token's state; a
 * refusal that revokes a family costs a second round trip.
 */
export async function rotateRefresh(db: Db, secret: string | undefined, token: string): Promise<RotateResult> {
  const claims = await verifyToken(secret, token, 'refresh');
  if (!claims?.fam) return { ok: false, reason: 'invalid' };
  const at = now();
  const next = newRefresh(Number(claims.user_id), claims.fam);
  const [, claimed, found, old] = await db.batch([
    successorStmt(db, next, claims.jti, at),
    claimStmt(db, claims.jti, at),
    ownerStmt(db, claims.jti),
    tokenStateStmt(db, claims.jti),
  ]);
  if (!claimed.length) {
    if (old[0]?.used_at) {
      await revokeFamily(db, old[0].family);
      return { ok: false, reason: 'reused' };
    }
    return { ok: false, reason: 'invalid' };
  }
  const user = found[0];
  if (!user?.is_active) {
    await revokeFamily(db, claimed[0].family);
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, tokens: await signPair(secret, user, { ...next, user_id: user.id }), userId: user.id };
}

/** Revokes every token of a family. */
export async function revokeFamily(db: Db, family: string) {
  await db
    .update(refreshTokens)
    .set({ revoked_at: now() })
    .where(and(eq(refreshTokens.family, family), isNull(refreshTokens.revoked_at)));
}

/** Revokes the family of a refresh token (logout); silently ignores invalid tokens. */
export async function revokeRefresh(db: Db, secret: string | undefined, token: string) {
  const claims = await verifyToken(secret, token, 'refresh');
  if (claims?.fam) await revokeFamily(db, claims.fam);
}

/**
 * The statement revoking every refresh token of a user (after a password reset or a deactivation),
 * to run in the batch of the change; `when` makes it conditional on another row of that batch.
 */
export function revokeAllForUser(db: Db, userId: number, when?: SQL) {
  return db
    .update(refreshTokens)
    .set({ revoked_at: sql`coalesce(${refreshTokens.revoked_at}, ${now()})` })
    .where(when ? and(eq(refreshTokens.user_id, userId), when) : eq(refreshTokens.user_id, userId));
}
