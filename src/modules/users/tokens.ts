/**
 * Access and refresh tokens. Refresh tokens rotate on every use: each one is a row in
 * `refresh_tokens`, marked used atomically; presenting a used token again revokes its whole
 * family (every token descended from the same login), and logout revokes the family too.
 * Access tokens carry the user's role and token version (`tv`), read from the user row.
 */
import { and, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { ACCESS_TTL_SECONDS, REFRESH_TTL_SECONDS, signToken, verifyToken } from '../../core/jwt';
import { refreshTokens, users } from '../../db/schema/users';
import type { AppEnv } from '../../env';

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

const now = () => Math.floor(Date.now() / 1000);

/** Signs an access token (with the user's role and token version). */
export async function accessToken(c: Context<AppEnv>, user: TokenUser) {
  const claims = { user_id: user.id, uid: user.uuid, role: user.role, tv: user.token_version };
  return (await signToken(c.env.JWT_SECRET, 'access', claims, ACCESS_TTL_SECONDS)).token;
}

async function newRefresh(c: Context<AppEnv>, user: Pick<TokenUser, 'id' | 'uuid'>, family: string) {
  const signed = await signToken(
    c.env.JWT_SECRET,
    'refresh',
    { user_id: user.id, uid: user.uuid, fam: family },
    REFRESH_TTL_SECONDS,
  );
  return { signed, row: { jti: signed.jti, family, user_id: user.id, expires_at: signed.exp } };
}

/** Issues a new token pair (a new refresh family: one per sign-in). */
export async function issueTokens(c: Context<AppEnv>, user: TokenUser): Promise<TokenPair> {
  const [access, refresh] = await Promise.all([accessToken(c, user), newRefresh(c, user, crypto.randomUUID())]);
  await c.get('db').insert(refreshTokens).values(refresh.row);
  return { access, refresh: refresh.signed.token };
}

export type RotateResult = { ok: true; tokens: TokenPair; userId: number } | { ok: false; reason: 'invalid' | 'reused' };

/**
 * Exchanges a refresh token for a new pair; a replayed token revokes its family. The claim and
 * the user's current role, token version and state are read in one batch; a deactivated user's
 * refresh token is refused.
 */
export async function rotateRefresh(c: Context<AppEnv>, token: string): Promise<RotateResult> {
  const claims = await verifyToken(c.env.JWT_SECRET, token, 'refresh');
  if (!claims?.fam) return { ok: false, reason: 'invalid' };
  const db = c.get('db');
  const [claimed, owner] = await db.batch([
    db
      .update(refreshTokens)
      .set({ used_at: now() })
      .where(
        and(
          eq(refreshTokens.jti, claims.jti),
          isNull(refreshTokens.used_at),
          isNull(refreshTokens.revoked_at),
          gt(refreshTokens.expires_at, now()),
        ),
      )
      .returning({ user_id: refreshTokens.user_id, family: refreshTokens.family }),
    db
      .select({
        id: users.id,
        uuid: users.uuid,
        role: users.role,
        token_version: users.token_version,
        is_active: users.is_active,
      })
      .from(users)
      .where(
        sql`${users.id} = (select ${refreshTokens.user_id} from ${refreshTokens} where ${refreshTokens.jti} = ${claims.jti})`,
      )
      .limit(1),
  ]);
  if (!claimed.length) {
    const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.jti, claims.jti)).limit(1);
    if (row?.used_at) {
      await revokeFamily(c, row.family);
      return { ok: false, reason: 'reused' };
    }
    return { ok: false, reason: 'invalid' };
  }
  const user = owner[0];
  if (!user?.is_active) {
    await revokeFamily(c, claimed[0].family);
    return { ok: false, reason: 'invalid' };
  }
  const [access, refresh] = await Promise.all([accessToken(c, user), newRefresh(c, user, claimed[0].family)]);
  await db.insert(refreshTokens).values(refresh.row);
  return { ok: true, tokens: { access, refresh: refresh.signed.token }, userId: user.id };
}

/** Revokes every token of a family. */
export async function revokeFamily(c: Context<AppEnv>, family: string) {
  await c
    .get('db')
    .update(refreshTokens)
    .set({ revoked_at: now() })
    .where(and(eq(refreshTokens.family, family), isNull(refreshTokens.revoked_at)));
}

/** Revokes the family of a refresh token (logout); silently ignores invalid tokens. */
export async function revokeRefresh(c: Context<AppEnv>, token: string) {
  const claims = await verifyToken(c.env.JWT_SECRET, token, 'refresh');
  if (claims?.fam) await revokeFamily(c, claims.fam);
}

/**
 * The statement revoking every refresh token of a user (after a password reset or a deactivation),
 * to run in the batch of the change; `when` makes it conditional on another row of that batch.
 */
export function revokeAllForUser(db: AppEnv['Variables']['db'], userId: number, when?: SQL) {
  return db
    .update(refreshTokens)
    .set({ revoked_at: sql`coalesce(${refreshTokens.revoked_at}, ${now()})` })
    .where(when ? and(eq(refreshTokens.user_id, userId), when) : eq(refreshTokens.user_id, userId));
}
