import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliver, notificationEvent } from '../helpers/notifications';
import { api, countRows, eventually, expectStatus, makeUser } from '../helpers';

const mailCount = (to: string, subject: string) =>
  countRows('dev_mailbox', 'lower("to") = lower(?) AND subject = ?', to, subject);

describe('NOTIFICATIONS queue consumer', () => {
  it('turns a notification event into one row with actor, verb, url and target', async () => {
    const me = await makeUser();
    const actor = await makeUser();
    const event = notificationEvent(me.id, {
      actor_id: actor.id,
      verb: 'assigned you to a task',
      url: '/tasks/7/',
      target_type: 'task',
      target_id: 7,
    });
    const { result, ids } = await deliver([event]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare('SELECT * FROM notifications WHERE event_id = ?').bind(event.id).first<any>();
    expect(row).toMatchObject({
      recipient_id: me.id,
      actor_id: actor.id,
      verb: 'assigned you to a task',
      url: '/tasks/7/',
      target_type: 'task',
      target_id: '7',
      is_read: 0,
    });
  });

  it('is idempotent: a redelivered event creates nothing twice and sends no second email', async () => {
    const me = await makeUser();
    const event = notificationEvent(me.id, { email: { subject: 'Idempotent subject', text: 'hello' } });
    await deliver([event]);
    await deliver([event], { attempts: 2 });
    await deliver([event, event]);
    expect(await countRows('notifications', 'event_id = ?', event.id)).toBe(1);
    expect(await mailCount(me.email, 'Idempotent subject')).toBe(1);
    const list = await api('/api/notifications/', { token: me.token });
    expect(list.json.count).toBe(1);
  });

  it("emails only when the event carries an email and the recipient's preferences allow it", async () => {
    const wants = await makeUser();
    const optedOut = await makeUser();
    // user_preferences.email_notifications is not writable through the API (the reference has no such field).
    await env.DB.prepare('UPDATE user_preferences SET email_notifications = 0 WHERE user_id = ?').bind(optedOut.id).run();
    const email = { subject: 'Preference subject', text: 'body' };
    await deliver([
      notificationEvent(wants.id, { email }),
      notificationEvent(optedOut.id, { email }),
      notificationEvent(wants.id, { verb: 'no email copy' }),
    ]);
    expect(await mailCount(wants.email, 'Preference subject')).toBe(1);
    expect(await mailCount(optedOut.email, 'Preference subject')).toBe(0);
    expect(await countRows('notifications', 'recipient_id = ?', optedOut.id)).toBe(1);
    expect(
      await countRows('dev_mailbox', 'lower("to") = lower(?) AND subject != ?', wants.email, 'Verify your email address'),
    ).toBe(1);
  });

  it('retries a failing message with growing backoff, acks the rest, and completes on redelivery', async () => {
    const me = await makeUser();
    const other = await makeUser();
    const failing = notificationEvent(me.id, { email: { subject: 'Retry subject', text: 'x' } });
    const fine = notificationEvent(other.id);
    // The http transport without its URL/key throws: the email step fails after the row was stored.
    const broken = { EMAIL_TRANSPORT: 'http', EMAIL_API_URL: undefined, EMAIL_API_KEY: undefined };
    const first = await deliver([failing, fine], { env: broken, attempts: 1 });
    expect(first.result.explicitAcks).toEqual([first.ids[1]]);
    expect(first.result.retryMessages).toEqual([{ msgId: first.ids[0] }]);
    expect(first.delays).toEqual({ [first.ids[0]]: 10 });
    const third = await deliver([failing], { env: broken, attempts: 3 });
    expect(third.result.retryMessages).toEqual([{ msgId: third.ids[0] }]);
    expect(third.delays[third.ids[0]]).toBe(40);
    const late = await deliver([failing], { env: broken, attempts: 9 });
    expect(late.delays[late.ids[0]]).toBe(300);
    expect(await mailCount(me.email, 'Retry subject')).toBe(0);

    const ok = await deliver([failing], { attempts: 4 });
    expect(ok.result.explicitAcks).toEqual(ok.ids);
    expect(await countRows('notifications', 'event_id = ?', failing.id)).toBe(1);
    expect(await mailCount(me.email, 'Retry subject')).toBe(1);
  });

  it('records dead-lettered messages once each and acks them', async () => {
    const me = await makeUser();
    const event = notificationEvent(me.id);
    const { result, ids } = await deliver([event, { type: 'email', id: 'mail-1', to: me.email, subject: 's', text: 't' }], {
      queue: 'notifications-dlq',
    });
    expect(result.explicitAcks).toEqual(ids);
    await deliver([event], { queue: 'notifications-dlq' });
    expect(await countRows('dead_letters', 'event_id = ?', event.id)).toBe(1);
    expect(await countRows('dead_letters', 'event_id = ?', 'mail-1')).toBe(1);
    // A dead letter is not processed: no notification row.
    expect(await countRows('notifications', 'event_id = ?', event.id)).toBe(0);
  });

  it('dead-letters malformed and unknown messages at once instead of retrying them', async () => {
    const me = await makeUser();
    const noRecipient = { type: 'notification', id: crypto.randomUUID(), verb: 'x', actor_id: null };
    const unknown = { type: 'sms', id: crypto.randomUUID(), to: '+256700000000' };
    const { result, ids } = await deliver([noRecipient, unknown, 'not an object']);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(ids);
    const rows = await env.DB.prepare('SELECT event_id, reason, queue FROM dead_letters WHERE event_id IN (?, ?) ORDER BY id')
      .bind(noRecipient.id, unknown.id)
      .all<any>();
    expect(rows.results).toEqual([
      { event_id: noRecipient.id, reason: 'recipient_id must be a positive integer', queue: 'notifications' },
      { event_id: unknown.id, reason: 'unknown event type', queue: 'notifications' },
    ]);
    expect(await countRows('dead_letters', "reason = 'unknown event type' AND event_id IS NULL")).toBe(1);
    expect(await countRows('notifications', 'recipient_id = ?', me.id)).toBe(0);
  });

  it('drops events for deleted users and clears a deleted actor', async () => {
    const me = await makeUser();
    const gone = notificationEvent(987654321);
    const ghostActor = notificationEvent(me.id, { actor_id: 987654321 });
    const { result } = await deliver([gone, ghostActor]);
    expect(result.retryMessages).toEqual([]);
    expect(await countRows('notifications', 'event_id = ?', gone.id)).toBe(0);
    const res = await api('/api/notifications/', { token: me.token });
    expectStatus(res, 200);
    expect(res.json.results).toEqual([expect.objectContaining({ verb: ghostActor.verb, actor: null })]);
  });

  it('consumes events published on the real queue binding', async () => {
    const me = await makeUser();
    const event = notificationEvent(me.id, { verb: 'through the binding' });
    await env.NOTIFICATIONS.send(event);
    const count = await eventually(async () => (await api('/api/notifications/', { token: me.token })).json.count as number, {
      message: 'no notification stored',
    });
    expect(count).toBe(1);
  });
});
