/**
 * Structured logs: one JSON object per line, read with `wrangler tail` or the dashboard's Workers
 * Logs ([observability] in wrangler.toml). Lines carry identifiers and measurements only — never
 * tokens, codes, passwords, request or response bodies.
 *
 * The per-request, per-batch and per-room-event lines are on unless `LOG_EVENTS` is "off" (the
 * test configuration sets it, so the suite's output stays readable; test/platform/logs.test.ts
 * turns it back on and checks the fields).
 */
import type { Bindings } from '../env';

/** Whether the routine info lines (request, queue batch, room event) are written. */
export const eventLogsOn = (env: Pick<Bindings, 'LOG_EVENTS'> | undefined) => env?.LOG_EVENTS !== 'off';

/** Writes one info line when event logs are on. */
export function logEvent(env: Pick<Bindings, 'LOG_EVENTS'> | undefined, msg: string, fields: Record<string, unknown>) {
  if (eventLogsOn(env)) console.log(JSON.stringify({ level: 'info', msg, ...fields }));
}
