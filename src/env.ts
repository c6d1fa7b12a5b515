import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { OutboundEvent } from './core/events';
import type { Actor, Scope } from './core/scope';

/** Secrets and optional bindings that `wrangler types` cannot see in wrangler.toml. */
export interface Secrets {
  /** HS256 signing key for access/refresh tokens (wrangler secret; .dev.vars locally). */
  JWT_SECRET: string;
  /** API key of the HTTP email transport (EMAIL_TRANSPORT = "http"). */
  EMAIL_API_KEY?: string;
  EMAIL_API_URL?: string;
  GOOGLE_CLIENT_SECRET?: string;
  /** Workers AI, optional: assistants fall back to their default response without it. */
  AI?: { run(model: string, input: unknown): Promise<unknown> };
  /** Migrations handed to the test setup (tests only). */
  TEST_MIGRATIONS?: unknown;
}

export type Bindings = Env & Secrets;

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
