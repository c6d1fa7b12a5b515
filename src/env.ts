import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { OutboundEvent } from './core/events';
import type { Actor, Scope } from './core/scope';

/** Secrets and optional bindings that `wrangler types` cannot see in wrangler.toml. */
export interface Secrets {
  /** HS256 signing key for access/refresh tokens (wrangler secret; .dev.vars locally). At least 32 characters. */
  JWT_SECRET: string;
  /** API key of the HTTP email transport (EMAIL_TRANSPORT = "http"; wrangler secret). */
  EMAIL_API_KEY?: string;
  GOOGLE_CLIENT_SECRET?: string;
  /** HMAC key of signed file URLs (wrangler secret, at least 32 characters); JWT_SECRET when unset. */
  FILES_SIGNING_KEY?: string;
  /** Workers AI, optional: assistants fall back to their default response without it. */
  AI?: { run(model: string, input: unknown): Promise<unknown> };
  /** "off" silences the per-request, per-queue-batch and per-room-event log lines (core/log.ts; the tests set it). */
  LOG_EVENTS?: string;
  /** Migrations handed to the test setup (tests only). */
  TEST_MIGRATIONS?: unknown;
}

export type Bindings = Env & Secrets;

/**
 * A setting the deployment lacks (or has in a form that cannot work). Thrown where the setting is
 * needed; `onError` answers 503 naming the setting and writes one error log line, and the queue
 * consumer retries the message (then dead-letters it) instead of dropping it.
 */
export class ConfigError extends Error {
  constructor(
    /** The setting's name, e.g. `JWT_SECRET`. */
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * True only where development conveniences may run (the dev mailbox): `ENVIRONMENT` is
 * "development" (`npm run dev`, through .dev.vars) or "test" (vitest.config.ts).
 */
export const isDevelopment = (env: Pick<Bindings, 'ENVIRONMENT'>) =>
  env.ENVIRONMENT === 'development' || env.ENVIRONMENT === 'test';

/** Production unless told otherwise: an unset ENVIRONMENT is treated as production. */
export const isProduction = (env: Pick<Bindings, 'ENVIRONMENT'>) => (env.ENVIRONMENT || 'production') === 'production';

/** The authenticated caller (see core/scope.ts). */
export type AuthUser = Actor;

export interface Variables {
  /** Everything a handler needs of the request (core/scope.ts). */
  scope: Scope;
  requestId: string;
  /** The scope's drizzle handle (kept for code that reads it from the context). */
  db: DrizzleD1Database<Record<string, never>>;
  /** The scope's event buffer: published on the NOTIFICATIONS queue once the response is ready. */
  events: OutboundEvent[];
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
