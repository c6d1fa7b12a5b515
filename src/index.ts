/**
 * The Worker: HTTP (both APIs under /api), the NOTIFICATIONS queue consumer, the Cron Trigger
 * (bookings: expired holds and reminders), and the Durable Object classes.
 */
// What every API request needs, whichever module it reaches, is evaluated at start-up rather than on an
// isolate's first request: zod and @hono/zod-openapi, and the route kit with its router (core/router:
// the request context, auth, errors, validation), and the paths of zod, drizzle and the token check
// every first request takes (core/warm-up.ts). Cloudflare starts a Worker while the TLS handshake of its first request
// completes, so start-up work is largely hidden where first-request work is not. Each product area's
// own routes and schemas stay lazy (src/app.ts). Measured in the README.
import '@hono/zod-openapi';
import './core/router';
import { buildApp } from './app';
import type { OutboundEvent } from './core/events';
import { bodyLimitOf, keepUploads } from './core/files';
import { warmUp } from './core/warm-up';
import type { Bindings } from './env';

export { ChatRoom } from './modules/chat/chat-room.do';

const app = buildApp();

// zod's parse paths, drizzle's statement builders and the token check, which a first request would
// compile, are run now, while the Worker starts (core/warm-up.ts). A failure there is never a reason
// not to start.
warmUp().catch(() => undefined);

/**
 * Form-encoded and multipart bodies (which the Tamiti contract accepts) are turned into JSON
 * before routing, so every route validates one representation. Repeated keys become lists. A file
 * part becomes `{name, size, type}` in the JSON and the file itself is kept for the request
 * (`uploadsOf`, src/core/files.ts), for the routes that store uploads.
 */
async function normaliseBody(request: Request): Promise<Request> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return request;
  // Too large to read (25 MB for a route that stores files, 1 MB for any other): left as it is, for
  // the app's body limit to answer 413.
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > bodyLimitOf(request.method, new URL(request.url).pathname)) return request;
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    return request;
  }
  const body: Record<string, unknown> = {};
  const files = new Map<string, File[]>();
  for (const key of new Set(form.keys())) {
    // workers-types declares `getAll(): string[]`; with files parsed (compatibility date >= 2021-11-03) parts are Files.
    const values = form.getAll(key).map((v: string | File) => {
      if (typeof v === 'string') return v;
      files.set(key, [...(files.get(key) ?? []), v]);
      return { name: v.name, size: v.size, type: v.type };
    });
    body[key] = values.length > 1 ? values : values[0];
  }
  const json = new TextEncoder().encode(JSON.stringify(body));
  const headers = new Headers(request.headers);
  headers.set('content-type', 'application/json');
  // The JSON's own length: the 1 MB body limit then applies to the fields, not to the file parts.
  headers.set('content-length', String(json.byteLength));
  const normalised = new Request(request.url, { method: request.method, headers, body: json });
  keepUploads(normalised, files);
  return normalised;
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(await normaliseBody(request), env, ctx);
  },
  async queue(batch: MessageBatch<OutboundEvent>, env: Bindings) {
    const { handleQueue } = await import('./modules/notifications/notifications.queue');
    await handleQueue(batch, env);
  },
  async scheduled(controller: ScheduledController, env: Bindings, _ctx: ExecutionContext) {
    // Loaded on the first run only: start-up evaluates just what HTTP needs.
    const { runBookingCron } = await import('./modules/workspace/bookings/reminders');
    await runBookingCron(env, controller.scheduledTime || Date.now());
  },
} satisfies ExportedHandler<Bindings, OutboundEvent>;
