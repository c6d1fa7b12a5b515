/**
 * Test helpers: requests against the Worker (in workerd), users and tokens, and small factories.
 * Tests build their own data; storage is isolated per test file, so never assume ids or empty tables.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { expect, vi } from 'vitest';
import worker from '../src/index';

export const BASE = 'https://api.test';

let ipCounter = 0;
/** A fresh client IP per call, so the auth rate limiter only bites tests that ask for it. */
const nextIp = () => `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;

export interface ApiOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  ip?: string;
  /** Bindings for this call (e.g. a counting D1 binding); defaults to the test environment. */
  env?: typeof env;
}

/** Calls the Worker; JSON-encodes `body`. */
export async function api(path: string, opts: ApiOptions = {}) {
  const headers: Record<string, string> = { 'cf-connecting-ip': opts.ip ?? nextIp(), ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  // The Worker's own fetch export, in this isolate: the same code path as a request from outside.
  // (SELF.fetch of @cloudflare/vitest-pool-workers 0.23 slows down linearly with every call made in a test.)
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body }),
    (opts.env ?? env) as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Asserts a status, printing the body when it differs. */
export function expectStatus(res: { status: number; text: string }, status: number) {
  expect(res.status, `expected ${status}, got ${res.status}: ${res.text}`).toBe(status);
}

let userCounter = 0;
export interface TestUser {
  id: number;
  uuid: string;
  username: string;
  email: string;
  password: string;
  token: string;
}

/** Registers a Tamiti user and signs in; `role` is set directly in the database when given. */
export async function makeUser(opts: { role?: 'Admin' | 'Staff' | 'Customer'; prefix?: string } = {}): Promise<TestUser> {
  const n = `${Date.now().toString(36)}${userCounter++}`;
  const username = `${opts.prefix ?? 'user'}_${n}`;
  const email = `${username}@example.com`;
  const password = 'Str0ng!Passw0rd';
  const reg = await api('/api/users/register/', { body: { username, email, password } });
  expectStatus(reg, 201);
  const row = await env.DB.prepare('SELECT id, uuid FROM users WHERE username = ?')
    .bind(username)
    .first<{ id: number; uuid: string }>();
  if (opts.role) await env.DB.prepare('UPDATE users SET role = ? WHERE id = ?').bind(opts.role, row!.id).run();
  const login = await api('/api/users/login/', { body: { username, password } });
  expectStatus(login, 200);
  return { id: row!.id, uuid: row!.uuid, username, email, password, token: login.json.access };
}

/** Polls the dev mailbox until mail for `to` arrives (the queue consumer delivers it). */
export async function waitForMail(to: string, count = 1, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/api/dev/mailbox/?to=${encodeURIComponent(to)}`);
    if (res.json?.count >= count) return res.json.results as { to: string; subject: string; text: string; created_at: string }[];
    if (Date.now() > deadline) throw new Error(`no mail for ${to} after ${timeoutMs} ms: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads a cookie value from a response's Set-Cookie header. */
export function cookieFrom(headers: Headers, name: string): string | undefined {
  const raw = headers.get('set-cookie') ?? '';
  const m = new RegExp(`${name}=([^;]*)`).exec(raw);
  return m?.[1];
}

/**
 * A D1 binding that counts round trips (one per statement run alone, one per batch), sessions
 * included, over the test database: `const db = countingD1(); await api(path, { env: { ...env, DB: db } }); db.trips`.
 */
export function countingD1(real: D1Database = env.DB) {
  const counter = { trips: 0, statements: 0 };
  const realOf = new WeakMap<object, D1PreparedStatement>();
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapper = {
      bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values)),
      first: (col?: string) => {
        counter.trips++;
        counter.statements++;
        return col === undefined ? stmt.first() : stmt.first(col);
      },
      all: () => {
        counter.trips++;
        counter.statements++;
        return stmt.all();
      },
      run: () => {
        counter.trips++;
        counter.statements++;
        return stmt.run();
      },
      raw: (options?: { columnNames?: boolean }) => {
        counter.trips++;
        counter.statements++;
        return options?.columnNames ? stmt.raw({ columnNames: true }) : stmt.raw();
      },
    };
    realOf.set(wrapper, stmt);
    return wrapper as unknown as D1PreparedStatement;
  };
  const wrapSession = (session: D1DatabaseSession | D1Database) => ({
    prepare: (query: string) => wrapStatement(session.prepare(query)),
    batch: (stmts: D1PreparedStatement[]) => {
      counter.trips++;
      counter.statements += stmts.length;
      return session.batch(stmts.map((s) => realOf.get(s) ?? s));
    },
    getBookmark: () => ('getBookmark' in session ? session.getBookmark() : null),
  });
  const db = {
    ...wrapSession(real),
    exec: (query: string) => real.exec(query),
    withSession: (constraint?: string) => wrapSession(real.withSession(constraint)),
    get trips() {
      return counter.trips;
    },
    get statements() {
      return counter.statements;
    },
    reset() {
      counter.trips = 0;
      counter.statements = 0;
    },
  };
  return db as unknown as D1Database & { readonly trips: number; readonly statements: number; reset(): void };
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
