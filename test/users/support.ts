/**
 * Identity test helpers: calls with another environment (production settings, a missing secret),
 * calls whose after-response work is left pending, and small readers of the identity tables.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { api, BASE, expectStatus, type ApiOptions } from '../helpers';

let ipCounter = 0;
const nextIp = () => `172.16.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;

export type Overrides = Record<string, unknown>;

/** Production's settings, as the committed wrangler.toml sets them (with a usable secret). */
export const PRODUCTION: Overrides = {
  ENVIRONMENT: 'production',
  EMAIL_TRANSPORT: 'http',
  EMAIL_API_URL: 'https://mail.example.test/send',
  EMAIL_API_KEY: 'mail-api-key',
  CORS_ORIGINS: '',
  REGISTRATION_DEFAULT_ROLE: 'Customer',
  STAFF_EMAIL_DOMAINS: '',
};

/**
 * Calls the Worker with `overrides` on top of the test environment. With `pending: true` the
 * response is returned before the request's `waitUntil` work ran; `done()` finishes it.
 */
export async function apiWith(overrides: Overrides, path: string, opts: ApiOptions & { pending?: boolean } = {}) {
  const headers: Record<string, string> = { 'cf-connecting-ip': opts.ip ?? nextIp(), ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body }),
    { ...env, ...overrides } as never,
    ctx,
  );
  const done = () => waitOnExecutionContext(ctx);
  if (!opts.pending) await done();
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text, done };
}

let n = 0;
/** A fresh address on a given domain. */
export const freshEmail = (domain = 'example.com') => `id${Date.now().toString(36)}${n++}@${domain}`;

/** Registers a workspace-family user; returns the email, password and token pair. */
export async function registerWorkspaceUser(email = freshEmail(), password = 'SecurePass123!') {
  const res = await api('/api/user/register/', { body: { full_name: 'Test User', email, password, confirm_password: password } });
  expectStatus(res, 201);
  return { email, password, access: res.json.token.access_token as string, refresh: res.json.token.refresh_token as string };
}

/** One user row. */
export const userRow = (where: string, ...params: unknown[]) =>
  env.DB.prepare(`SELECT * FROM users WHERE ${where}`)
    .bind(...params)
    .first<any>();

/** Mail of the dev mailbox for an address (the console transport's store), newest first. */
export async function mailFor(to: string) {
  const rows = await env.DB.prepare('SELECT subject, text FROM dev_mailbox WHERE lower("to") = lower(?) ORDER BY id DESC')
    .bind(to)
    .all<{ subject: string; text: string }>();
  return rows.results;
}
