/**
 * Test helpers: requests against the Worker (in workerd), users and tokens, and small factories.
 * Tests build their own data; storage is isolated per test file, so never assume ids or empty tables.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
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
    env as never,
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
