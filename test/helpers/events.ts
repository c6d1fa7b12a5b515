/**
 * The one spy on the events the Worker publishes on the NOTIFICATIONS queue (`send` and
 * `sendBatch`): as a binding to pass in (`spyEvents().queue`, e.g. `api(path, { env: { NOTIFICATIONS } })`),
 * or laid over the test environment's own binding (`captureEvents()`).
 */
import { env } from 'cloudflare:test';
import { vi } from 'vitest';
import type { OutboundEvent } from '../../src/core/events';

export type NotificationEvent = Extract<OutboundEvent, { type: 'notification' }>;

export interface EventSpyOptions {
  /** Publish on the real queue too, after recording (the consumer then runs as usual). */
  passThrough?: boolean;
  /** Refuse every publish with this error (nothing is recorded). */
  fail?: Error;
  /** Hold every publish until `release()` (what a handler awaits, its caller waits for). */
  held?: boolean;
}

interface QueueMethods {
  send(body: OutboundEvent): Promise<void>;
  sendBatch(messages: Iterable<{ body: OutboundEvent }>): Promise<void>;
}

/** A NOTIFICATIONS binding that records each event published through it. */
export function spyEvents(opts: EventSpyOptions = {}) {
  const events: OutboundEvent[] = [];
  const real = env.NOTIFICATIONS;
  const realSendBatch = real.sendBatch.bind(real);
  let release = () => {};
  const gate = opts.held ? new Promise<void>((r) => (release = r)) : undefined;
  const publish = async (bodies: OutboundEvent[]) => {
    if (opts.fail) throw opts.fail;
    events.push(...bodies);
    if (opts.passThrough) await realSendBatch(bodies.map((body) => ({ body })));
    await gate;
  };
  const methods: QueueMethods = {
    send: (body) => publish([body]),
    sendBatch: (messages) => publish([...messages].map((m) => m.body)),
  };
  return {
    events,
    methods,
    /** The binding, typed as the Worker's (a partial Queue: only `send` and `sendBatch` exist). */
    queue: methods as unknown as Queue<OutboundEvent>,
    notifications: () => events.filter((e): e is NotificationEvent => e.type === 'notification'),
    release: () => release(),
  };
}

/**
 * Records the events published on the test environment's own NOTIFICATIONS binding instead of
 * sending them (unless `passThrough`). Call it before the requests whose events you want; `restore()`
 * puts the real queue back.
 */
export function captureEvents(opts: EventSpyOptions = {}) {
  const spy = spyEvents(opts);
  // The binding's own types are generic over the message body; the spy records OutboundEvents.
  const queue = env.NOTIFICATIONS as unknown as QueueMethods;
  const spies = [
    vi.spyOn(queue, 'send').mockImplementation(spy.methods.send),
    vi.spyOn(queue, 'sendBatch').mockImplementation(spy.methods.sendBatch),
  ];
  return {
    ...spy,
    restore: () => {
      for (const s of spies) s.mockRestore();
    },
  };
}
