/**
 * Identity operations shared by both API families: creating users, checking credentials,
 * profile shapes and avatar rules. One users table serves both families, so an account made
 * through one signs in through the other. Look-ups are statements (`...Stmt`) so a route can put
 * them in its own batch; `createUser` writes the user, its preferences, its profile and whatever
 * the caller adds (a refresh token) in one batch and returns the row written.
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import { constraintViolation, type FieldErrors } from '../../core/errors';
import { hashPassword, verifyPassword } from '../../core/passwords';
import { type Db, idByUuid, type Stmt } from '../../db';
import { nowIso } from '../../db/columns';
import { userPreferences, users } from '../../db/schema/users';
import type { Scope } from '../../core/scope';
import { profileForNewUser } from '../accounts/profiles-hook';
import { insertRefresh, newRefresh, signPair, type TokenPair } from './tokens';

export type UserRow = typeof users.$inferSelect;
export type Role = UserRow['role'];

/** The DiceBear avatar of the seed: personas, seeded with the URL-encoded lower-cased email. */
export const dicebearAvatar = (email: string) =>
  `https://api.dicebear.com/9.x/personas/svg?seed=${encodeURIComponent(email.toLowerCase())}`;

/** Lower-cases the domain part of an email (Django's normalize_email). */
export function normalizeEmail(email: string) {
  const at = email.lastIndexOf('@');
  return at < 0
    ? email.trim()
    : `${email.slice(0, at).trim()}@${email
        .slice(at + 1)
        .trim()
        .toLowerCase()}`;
}

/** The user with this email (case-insensitive), as a statement for a batch. */
export const findByEmailStmt = (db: Db, email: string) =>
  db.select().from(users).where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`).limit(1);

export async function findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await findByEmailStmt(db, email);
  return row;
}

/**
 * The user a login identifier names: an email match wins over a username match, so a username
 * can never capture another account's email login (usernames may not look like emails either).
 */
export async function findByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const lower = login.trim().toLowerCase();
  const byEmail = sql`lower(${users.email}) = ${lower}`;
  const [row] = await db
    .select()
    .from(users)
    .where(sql`${byEmail} OR ${users.username} = ${login}`)
    .orderBy(sql`${byEmail} desc`)
    .limit(1);
  return row;
}

/** The user with this id, as a statement for a batch. */
export const findByIdStmt = (db: Db, id: number) => db.select().from(users).where(eq(users.id, id)).limit(1);

export async function findById(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await findByIdStmt(db, id);
  return row;
}

/** The preferences of a user, as a statement for a batch. */
export const preferencesStmt = (db: Db, userId: number) =>
  db.select().from(userPreferences).where(eq(userPreferences.user_id, userId)).limit(1);

/** The id of another user holding a unique value (`username`, `phone`), as a statement for a batch. */
export const holderStmt = (db: Db, column: 'username' | 'phone', value: string) =>
  db.select({ id: users.id }).from(users).where(eq(users[column], value)).limit(1);

/** Whether a username is, or looks like, an email address (it may not: it would shadow email logins). */
export const looksLikeEmail = (username: string) => username.includes('@');

/** The message for a username that looks like an email. */
export const EMAIL_LIKE_USERNAME = 'Enter a valid username. A username may not be or look like an email address.';

/**
 * A username for accounts created without one (workspace family, Google): the email's local part
 * plus a random suffix, never the email itself (usernames are shown to other users).
 */
export function usernameFor(email: string) {
  const local =
    email
      .slice(0, Math.max(0, email.lastIndexOf('@')))
      .toLowerCase()
      .replace(/[^\w.+-]/g, '')
      .slice(0, 100) || 'user';
  return `${local}-${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`;
}

/**
 * The role of a user registered through /api/users/register/: REGISTRATION_DEFAULT_ROLE "Staff"
 * gives Staff (local development, tests); anything else, production's default included, gives
 * Customer: no internal access until an Admin grants a role or the email of a trusted domain
 * (STAFF_EMAIL_DOMAINS) is verified.
 */
export const registrationRole = (env: { REGISTRATION_DEFAULT_ROLE?: string }): Role =>
  env.REGISTRATION_DEFAULT_ROLE === 'Staff' ? 'Staff' : 'Customer';

/** Whether an address belongs to one of STAFF_EMAIL_DOMAINS (exact, case-insensitive domain match). */
export function isTrustedStaffEmail(env: { STAFF_EMAIL_DOMAINS?: string }, email: string) {
  const domain = email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  const trusted = (env.STAFF_EMAIL_DOMAINS ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  return email.includes('@') && trusted.includes(domain);
}

export interface NewUser {
  email: string;
  password: string | null;
  username?: string;
  phone?: string | null;
  full_name?: string;
  role?: Role;
  avatar_url?: string | null;
  google_id?: string | null;
}

/**
 * Creates a user in one batch (one round trip, one transaction): the user row, its preferences,
 * the profile of its role (accounts/profiles-hook.ts) and the statements `also` adds for the new
 * user (e.g. its first refresh token), given a subquery for its id. Customer unless told.
 */
export async function createUser(db: Db, input: NewUser, also: (id: SQL<number>) => Stmt[] = () => []): Promise<UserRow> {
  const uuid = crypto.randomUUID();
  const role = input.role ?? 'Customer';
  const values = {
    uuid,
    username: input.username ?? usernameFor(input.email),
    email: normalizeEmail(input.email),
    phone: input.phone || null,
    password: input.password ? await hashPassword(input.password) : '',
    full_name: input.full_name ?? '',
    role,
    avatar_url: input.avatar_url ?? null,
    google_id: input.google_id ?? null,
    last_seen: nowIso(),
  };
  const id = idByUuid(users, uuid);
  const [[row]] = await db.batch([
    db.insert(users).values(values).returning(),
    db.insert(userPreferences).values({ user_id: id }),
    ...profileForNewUser(db, id, role),
    ...also(id),
  ]);
  return row;
}

/** DRF's messages for a taken unique value of `users`. */
const TAKEN: Record<'username' | 'email' | 'phone', FieldErrors> = {
  username: { username: ['A user with that username already exists.'] },
  email: { email: ['user with this email already exists.'] },
  phone: { phone: ['user with this phone already exists.'] },
};

/**
 * The field errors of a write that lost a race on one of `users`' unique indexes (a concurrent
 * registration or profile change took the value after the check); undefined for any other error.
 */
export function takenFields(err: unknown): FieldErrors | undefined {
  const v = constraintViolation(err);
  if (v?.kind !== 'unique') return undefined;
  // The email index is on lower(email): SQLite names the index, not the column.
  if (v.text.includes('users_email_lower_unique')) return TAKEN.email;
  if (v.columns.includes('username')) return TAKEN.username;
  if (v.columns.includes('phone')) return TAKEN.phone;
  return undefined;
}

/** Checks credentials; returns the user only when the password matches. */
export async function checkPassword(user: UserRow | undefined, password: string): Promise<boolean> {
  return verifyPassword(password, user?.password);
}

/** The statement recording a sign-in (last_login, last_seen), for the sign-in's batch. */
export function touchLogin(db: Db, id: number | SQL<number>) {
  const now = nowIso();
  return db.update(users).set({ last_login: now, last_seen: now }).where(eq(users.id, id));
}

/**
 * Starts a session for a user whose credentials were checked: one batch (one round trip) stores a
 * new refresh-token family and records the sign-in; answers the signed token pair.
 */
export async function startSession(s: Pick<Scope, 'db' | 'env'>, user: UserRow): Promise<TokenPair> {
  const session = newRefresh(user.id);
  await s.db.batch([insertRefresh(s.db, session), touchLogin(s.db, user.id)]);
  return signPair(s.env.JWT_SECRET, user, session);
}
