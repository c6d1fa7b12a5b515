/**
 * Requests against the Worker, in this isolate: the Worker's own `fetch` export, the same code path
 * as a request from outside (SELF.fetch of @cloudflare/vitest-pool-workers 0.23 slows down linearly
 * with every call made in a test; WebSocket tests still use SELF, see chat.ts).
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../../src/index';

export const BASE = 'https://api.test';

let ipCounter = 0;
/** A fresh client IP per call, so the auth rate limiter only bites tests that ask for it. */
const nextIp = () => `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;

/** Bindings laid over the test environment for one call (a counting D1, a spied queue, production settings). */
export type Overrides = Partial<Record<keyof Env, unknown>> | Record<string, unknown>;

export interface ApiOptions {
  method?: string;
  token?: string;
  /** JSON-encoded unless a string or bytes (sent as they are; a string with a JSON content type unless `headers` say otherwise). */
  body?: unknown;
  headers?: Record<string, string>;
  ip?: string;
  /** Bindings for this call, over the test environment (e.g. `{ DB: countingD1() }`). */
  env?: Overrides;
  /** Return before the request's `waitUntil` work ran; `done()` finishes it. */
  pending?: boolean;
  /** The Worker to call (default: src/index.ts), e.g. the bench's instrumented wrapper of it. */
  worker?: FetchWorker;
}

/** What `fetchWorker` calls: a Worker's `fetch`. */
export interface FetchWorker {
  fetch(request: Request, env: never, ctx: ExecutionContext): Response | Promise<Response>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  json: any;
  text: string;
  /** Waits for the request's `waitUntil` work (already done unless `pending`). */
  done: () => Promise<void>;
}

/** Runs one request through the Worker's fetch with `overrides` over the test environment. */
export async function fetchWorker(request: Request, opts: { env?: Overrides; pending?: boolean; worker?: FetchWorker } = {}) {
  const ctx = createExecutionContext();
  const res = await (opts.worker ?? worker).fetch(request, { ...env, ...(opts.env ?? {}) } as never, ctx);
  const done = () => waitOnExecutionContext(ctx);
  if (!opts.pending) await done();
  return { res, done };
}

/** Calls the Worker at `path` (or an absolute URL); JSON-encodes `body` unless it is a string or bytes. */
export async function api(path: string, opts: ApiOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'cf-connecting-ip': opts.ip ?? nextIp(), ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof ArrayBuffer || opts.body instanceof Uint8Array) body = opts.body;
  else if (opts.body !== undefined) {
    // A string is sent as it is, still labelled JSON unless told otherwise (the bad-input tests send broken JSON).
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  const { res, done } = await fetchWorker(new Request(url, { method, headers, body }), opts);
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text, done };
}

/** GETs a URL a response gave (absolute), through the Worker; returns the body as bytes. */
export async function fetchUrl(url: string, headers: Record<string, string> = {}) {
  const { res } = await fetchWorker(new Request(url, { headers }));
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Asserts a status, printing the body when it differs. */
export function expectStatus(res: { status: number; text: string }, status: number) {
  expect(res.status, `expected ${status}, got ${res.status}: ${res.text}`).toBe(status);
}

/** Reads a cookie value from a response's Set-Cookie header. */
export function cookieFrom(headers: Headers, name: string): string | undefined {
  const raw = headers.get('set-cookie') ?? '';
  const m = new RegExp(`${name}=([^;]*)`).exec(raw);
  return m?.[1];
}

/** Production's settings, as the committed wrangler.toml sets them (with a usable secret): `api(path, { env: PRODUCTION })`. */
export const PRODUCTION: Overrides = {
  ENVIRONMENT: 'production',
  EMAIL_TRANSPORT: 'http',
  EMAIL_API_URL: 'https://mail.example.test/send',
  EMAIL_API_KEY: 'mail-api-key',
  CORS_ORIGINS: '',
  REGISTRATION_DEFAULT_ROLE: 'Customer',
  STAFF_EMAIL_DOMAINS: '',
};

/** Asserts how many of parallel `results` answered each given status (others are not counted), printing them all. */
export function expectStatusCounts(results: { status: number }[], counts: Record<number, number>) {
  const statuses = results.map((r) => r.status);
  for (const [status, n] of Object.entries(counts))
    expect(
      statuses.filter((s) => s === Number(status)),
      JSON.stringify(statuses),
    ).toHaveLength(n);
}
