/**
 * Identity operations shared by both API families: creating users, checking credentials,
 * profile shapes and avatar rules. One users table serves both families, so an account made
 * through one signs in through the other.
 */
import { eq, sql } from 'drizzle-orm';
import { idByUuid, type Stmt } from '../../core/resource';
import type { Db } from '../../core/resource';
import { hashPassword, verifyPassword } from '../../core/passwords';
import { nowIso } from '../../db/columns';
import { userPreferences, users } from '../../db/schema/users';

export type UserRow = typeof users.$inferSelect;
export type Role = UserRow['role'];

/**
 * Statements other modules add to every user creation, in the same batch (e.g. the accounts
 * module's StaffProfile/CustomerProfile). Each receives the new user's uuid and role.
 */
export const userCreationHooks: ((db: Db, uuid: string, role: Role) => Stmt[])[] = [];

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

export async function findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`).limit(1);
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

export async function findById(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

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

/** Creates a user with preferences (and the profile rows other modules hook in), atomically. Customer unless told. */
export async function createUser(db: Db, input: NewUser): Promise<UserRow> {
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
  const prefs = db.insert(userPreferences).values({ user_id: idByUuid(users, uuid) });
  await db.batch([
    db.insert(users).values(values),
    prefs,
    ...userCreationHooks.flatMap((hook) => hook(db, uuid, role)),
  ] as unknown as [Stmt, ...Stmt[]]);
  const [row] = await db.select().from(users).where(eq(users.uuid, uuid)).limit(1);
  return row;
}

/** Checks credentials; returns the user only when the password matches. */
export async function checkPassword(user: UserRow | undefined, password: string): Promise<boolean> {
  return verifyPassword(password, user?.password);
}

export async function touchLogin(db: Db, id: number) {
  const now = nowIso();
  await db.update(users).set({ last_login: now, last_seen: now }).where(eq(users.id, id));
}
