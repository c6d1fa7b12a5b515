/**
 * Users of both families, one type: Tamiti users registered through /api/users/ (`makeUser`) and
 * workspace-family accounts registered through /api/user/ (`wsUser`), each signed in, plus users
 * whose public fields carry their contact details (`emailLikeUser`) and a faked Google sign-in.
 */
import { env } from 'cloudflare:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { vi } from 'vitest';
import { api, expectStatus, type Overrides } from './http';

/** A signed-in user of either family. */
export interface TestUser {
  id: number;
  uuid: string;
  username: string;
  email: string;
  /** Workspace-family accounts' name; empty for Tamiti users. */
  full_name: string;
  password: string;
  /** The access token. */
  token: string;
  /** Set by `emailLikeUser`. */
  phone?: string;
}

/** The password of the workspace-family accounts the tests register. */
export const PASSWORD = 'SecurePass123!';

let counter = 0;
/** A unique suffix for names that must be unique (workspace names and emails are global). */
export const uniq = (prefix = 'x') => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/** A fresh address on a given domain. */
export const freshEmail = (domain = 'example.com') => `id${Date.now().toString(36)}${counter++}@${domain}`;

/** One user row. */
export const userRow = (where: string, ...params: unknown[]) =>
  env.DB.prepare(`SELECT * FROM users WHERE ${where}`)
    .bind(...params)
    .first<any>();

/**
 * Registers a Tamiti user and signs in; `role` is set directly in the database when given, `env`
 * lays bindings over the test environment for the registration (e.g. production's settings).
 */
export async function makeUser(
  opts: { role?: 'Admin' | 'Staff' | 'Customer'; prefix?: string; email?: string; env?: Overrides } = {},
): Promise<TestUser> {
  const username = `${opts.prefix ?? 'user'}_${Date.now().toString(36)}${counter++}`;
  const email = opts.email ?? `${username}@example.com`;
  const password = 'Str0ng!Passw0rd';
  expectStatus(await api('/api/users/register/', { body: { username, email, password }, env: opts.env }), 201);
  const row = await userRow('username = ?', username);
  if (opts.role) await env.DB.prepare('UPDATE users SET role = ? WHERE id = ?').bind(opts.role, row.id).run();
  const login = await api('/api/users/login/', { body: { username, password } });
  expectStatus(login, 200);
  return { id: row.id, uuid: row.uuid, username, email, full_name: '', password, token: login.json.access };
}

/** Registers a workspace-family account through the seed's /api/user/register/ (signed in by it). */
export async function wsUser(
  name = 'member',
  opts: { domain?: string; email?: string; password?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? `${uniq(name)}@${opts.domain ?? 'example.com'}`;
  const password = opts.password ?? PASSWORD;
  const full_name = `${name} ${counter}`;
  const res = await api('/api/user/register/', { body: { full_name, email, password, confirm_password: password } });
  expectStatus(res, 201);
  const row = await userRow('uuid = ?', res.json.user.user_id);
  return {
    id: row.id,
    uuid: res.json.user.user_id,
    username: row.username,
    email,
    full_name,
    password,
    token: res.json.token.access_token,
  };
}

let phones = 0;

/**
 * A Tamiti user (Staff unless told) whose username and first name are their email, with a unique
 * phone: public fields carrying contact details, as the workspace family and legacy Tamiti accounts
 * have them. Set directly in the database so that the tests do not depend on how new accounts are named.
 */
export async function emailLikeUser(role: 'Admin' | 'Staff' | 'Customer' = 'Staff'): Promise<TestUser & { phone: string }> {
  const user = await makeUser({ role, prefix: 'mailer' });
  const phone = `+2567${String(Date.now() % 10_000_000).padStart(7, '0')}${phones++}`;
  await env.DB.prepare("UPDATE users SET username = email, first_name = email, last_name = '', phone = ? WHERE id = ?")
    .bind(phone, user.id)
    .run();
  return { ...user, username: user.email, phone };
}

/** The contact data of `user` found in a response text (case-insensitive), for assertion messages. */
export function contactLeaks(text: string, user: { email: string; phone?: string }): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  if (lower.includes(user.email.toLowerCase())) found.push(user.email);
  if (user.phone && text.includes(user.phone)) found.push(user.phone);
  return found;
}

/**
 * Google's token endpoint and signing keys, faked for sign-in tests: a code (`code`, or any code
 * when none is given) gets an id_token carrying `claims`, signed by a fresh key that the faked JWKS
 * publishes; another code gets Google's `invalid_grant`; `mode` makes one upstream fail. Undo with
 * `vi.restoreAllMocks()`.
 */
export async function fakeGoogle(
  claims: Record<string, unknown>,
  { code, mode = 'ok' }: { code?: string; mode?: 'ok' | 'token-down' | 'token-500' | 'jwks-down' } = {},
) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const idToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('https://accounts.google.com')
    .setAudience(env.GOOGLE_CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === env.GOOGLE_TOKEN_URL) {
      if (mode === 'token-down') throw new TypeError('Network connection lost.');
      if (mode === 'token-500') return new Response('upstream error', { status: 503 });
      if (code !== undefined && new URLSearchParams(String(init?.body)).get('code') !== code)
        return Response.json({ error: 'invalid_grant' }, { status: 400 });
      return Response.json({ id_token: idToken, access_token: 'x' });
    }
    if (url === env.GOOGLE_JWKS_URL) {
      if (mode === 'jwks-down') throw new TypeError('Network connection lost.');
      return Response.json({ keys: [jwk] });
    }
    return new Response('unexpected', { status: 500 });
  });
}
