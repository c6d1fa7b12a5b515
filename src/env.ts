import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { OutboundEvent } from './core/events';

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

/** The authenticated caller, as loaded by the auth middleware. */
export interface AuthUser {
  id: number;
  uuid: string;
  username: string;
  email: string;
  full_name: string;
  role: 'Admin' | 'Staff' | 'Customer';
  is_active: boolean;
}

export interface Variables {
  requestId: string;
  db: DrizzleD1Database<Record<string, never>>;
  user: AuthUser | undefined;
  /** Events published on the NOTIFICATIONS queue once the response is ready. */
  events: OutboundEvent[];
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
