/**
 * The request scope: what a handler or a service needs of the request, without the Hono context.
 * Built once per request by `requestContext()` (middleware/request.ts); handlers receive it from
 * the route kit, services take it (or just its `db`) as their first argument.
 */
import type { Db } from '../db';
import type { Connection } from '../db/session';
import type { Bindings } from '../env';
import type { OutboundEvent } from './events';

export type Role = 'Admin' | 'Staff' | 'Customer';

/** The caller, as the access token describes them (checked against D1 in the request's first round trip). */
export interface Actor {
  id: number;
  uuid: string;
  role: Role;
}

export interface Scope {
  /** drizzle over the request's D1 session (see db/session.ts). */
  db: Db;
  /** The connection under `db`: round-trip count, guard, bookmark. */
  conn: Connection;
  env: Bindings;
  /** The authenticated caller, once the auth middleware ran; undefined on public routes. */
  actor: Actor | undefined;
  requestId: string;
  /** The request URL (absolute), for pagination links. */
  url: string;
  /** Events published on the NOTIFICATIONS queue once the response succeeded. */
  events: OutboundEvent[];
  /** Keeps work alive after the response (executionCtx.waitUntil). */
  waitUntil(promise: Promise<unknown>): void;
}

/** A scope whose caller is authenticated. */
export interface AuthedScope extends Scope {
  actor: Actor;
}

/** Queues events to be published after the request's writes succeeded. */
export function publish(s: Pick<Scope, 'events'>, ...events: OutboundEvent[]) {
  s.events.push(...events);
}
