/**
 * Removal of released objects through the NOTIFICATIONS queue (src/core/files.ts,
 * notifications.queue.ts): a failing delete is retried, one that kept failing is dead-lettered with
 * its keys (never lost), redelivery is harmless, and an upload whose write failed is removed even
 * when R2 refuses at first (then through the queue).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { discardUploads, fileDeleteEvent } from '../../src/core/files';
import { exists, jpeg } from '../helpers/files';
import { deliver } from '../helpers/notifications';
import { spyEvents } from '../helpers';

const put = async (key: string) => {
  await env.FILES.put(key, jpeg());
  return key;
};
const key = (n: string) => `life-${n.repeat(48)}`;

/** A bucket whose deletes fail (R2 unavailable), reads pass through. */
const failingBucket = () =>
  new Proxy(env.FILES, {
    get(target, prop) {
      if (prop === 'delete') return async () => Promise.reject(new Error('R2 unavailable'));
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

describe('removal of released files', () => {
  it('deletes the keys of a file_delete event and acks; a redelivery of the same event is harmless', async () => {
    const a = await put(key('a'));
    const b = await put(key('b'));
    const event = fileDeleteEvent([a, b]);
    const first = await deliver([event]);
    expect(first.result.explicitAcks).toEqual(first.ids);
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(false);
    const again = await deliver([event], { attempts: 2 });
    expect(again.result.explicitAcks).toEqual(again.ids);
  });

  it('retries a delete R2 refused (the object stays until a delivery succeeds)', async () => {
    const c = await put(key('c'));
    const event = fileDeleteEvent([c]);
    const failed = await deliver([event], { env: { FILES: failingBucket() } });
    expect(failed.result.retryMessages).toEqual([{ msgId: failed.ids[0] }]);
    expect(await exists(c)).toBe(true);
    const later = await deliver([event], { attempts: 2 });
    expect(later.result.explicitAcks).toEqual(later.ids);
    expect(await exists(c)).toBe(false);
  });

  it('records a delete that exhausted its retries as a dead letter keeping its keys', async () => {
    const event = fileDeleteEvent([key('d')]);
    await deliver([event], { queue: 'notifications-dlq', attempts: 6 });
    const row = await env.DB.prepare('SELECT body FROM dead_letters WHERE event_id = ?').bind(event.id).first<{ body: string }>();
    expect(row, 'dead letter recorded').not.toBeNull();
    expect(JSON.parse(row!.body)).toMatchObject({ type: 'file_delete', id: event.id, keys: [key('d')] });
  });

  it('removes the uploads of a failed write at once, or through the queue when R2 refuses', async () => {
    const e = await put(key('e'));
    await discardUploads(env, [e]);
    expect(await exists(e)).toBe(false);
    const f = await put(key('f'));
    const sent = spyEvents();
    await discardUploads({ FILES: failingBucket(), NOTIFICATIONS: sent.queue }, [f]);
    expect(sent.events).toEqual([{ type: 'file_delete', id: expect.any(String), keys: [f] }]);
  });
});
