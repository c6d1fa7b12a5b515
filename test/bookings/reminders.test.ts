/**
 * The Cron Trigger (issue 17), driven through the Worker's own `scheduled` export in workerd: it
 * expires stale holds and sends each confirmed booking one reminder (notification + email, through
 * the queue) a configurable time before its start, even when runs repeat or overlap.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { hold, HOUR, insertBooking, lapse, makeOrg, makeSpace, type Org, rowOf } from '../helpers/bookings';
import { eventually, spyEvents } from '../helpers';

let org: Org;
let space: string;
beforeAll(async () => {
  org = await makeOrg();
  space = await makeSpace(org.branchId, { space_type: 'coworking', capacity: 50 });
});

/** The NOTIFICATIONS queue, recording what is sent and passing it on (unless told to fail). */
function spyQueue(fail = false) {
  const spy = spyEvents(fail ? { fail: new Error('queue unavailable') } : { passThrough: true });
  return {
    ...spy,
    remindersFor: (id: string) => spy.notifications().filter((e) => e.verb === 'booking reminder' && e.target_id === id),
  };
}

/** One run of the Worker's scheduled handler, as the Cron Trigger calls it. */
async function runCron(bindings: Partial<typeof env> = {}) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' });
  await worker.scheduled(controller, { ...env, ...bindings } as never, ctx);
  await waitOnExecutionContext(ctx);
}

const startingIn = (ms: number, status = 'confirmed') =>
  insertBooking(space, org.workspaceId, org.member.id, Date.now() + ms, Date.now() + ms + HOUR, status);

describe('the scheduled handler', () => {
  it('run twice, sends one reminder per booking starting within the lead time (email and notification, through the queue)', async () => {
    const due = await startingIn(30 * 60_000);
    const later = await startingIn(3 * HOUR);
    const started = await startingIn(-10 * 60_000);
    const cancelled = await startingIn(20 * 60_000, 'cancelled');
    const spy = spyQueue();
    await runCron({ NOTIFICATIONS: spy.queue });
    await runCron({ NOTIFICATIONS: spy.queue });
    expect(spy.remindersFor(due), JSON.stringify(spy.events)).toHaveLength(1);
    for (const id of [later, started, cancelled]) expect(spy.remindersFor(id), JSON.stringify(spy.events)).toHaveLength(0);
    expect((await rowOf(due))?.reminder_sent_at).toMatch(/Z$/);
    expect((await rowOf(later))?.reminder_sent_at).toBeNull();
    const note = await eventually(() =>
      env.DB.prepare("SELECT * FROM notifications WHERE verb = 'booking reminder' AND target_id = ?").bind(due).first<any>(),
    );
    expect(note).toMatchObject({ recipient_id: org.member.id, target_type: 'booking' });
    const mail = await eventually(() =>
      env.DB.prepare(`SELECT subject, text FROM dev_mailbox WHERE lower("to") = lower(?) AND text LIKE ?`)
        .bind(org.member.email, `%${due}%`)
        .first<{ subject: string; text: string }>(),
    );
    expect(mail.subject).toMatch(/^Reminder: /);
    await new Promise((r) => setTimeout(r, 500));
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM notifications WHERE verb = 'booking reminder' AND target_id = ?1) AS notes,
              (SELECT count(*) FROM dev_mailbox WHERE text LIKE '%' || ?1 || '%') AS mails`,
    )
      .bind(due)
      .first();
    expect(counts).toEqual({ notes: 1, mails: 1 });
  });

  it('8 overlapping runs claim each reminder once', async () => {
    const due = await Promise.all([10, 20, 40, 50].map((m) => startingIn(m * 60_000)));
    const spy = spyQueue();
    await Promise.all(Array.from({ length: 8 }, () => runCron({ NOTIFICATIONS: spy.queue })));
    for (const id of due) expect(spy.remindersFor(id), JSON.stringify(spy.events)).toHaveLength(1);
  });

  it('expires holds past their expires_at, and only those', async () => {
    const t = Date.now() + 5 * 24 * HOUR;
    const stale = (await hold(org.member, space, t, t + HOUR)).json.booking.id;
    const live = (await hold(org.member2, space, t, t + HOUR)).json.booking.id;
    await lapse(stale);
    await runCron({ NOTIFICATIONS: spyQueue().queue });
    expect((await rowOf(stale))?.status).toBe('expired');
    expect((await rowOf(live))?.status).toBe('pending');
  });

  it('gives its claims back when the queue refuses the reminders, so the next run sends them', async () => {
    const due = await startingIn(25 * 60_000);
    const broken = spyQueue(true);
    await expect(runCron({ NOTIFICATIONS: broken.queue })).rejects.toThrow('queue unavailable');
    expect((await rowOf(due))?.reminder_sent_at).toBeNull();
    const spy = spyQueue();
    await runCron({ NOTIFICATIONS: spy.queue });
    expect(spy.remindersFor(due)).toHaveLength(1);
  });

  it('BOOKING_REMINDER_MINUTES sets the lead time', async () => {
    const inThreeHours = await startingIn(3 * HOUR);
    const inFiveHours = await startingIn(5 * HOUR);
    const spy = spyQueue();
    await runCron({ NOTIFICATIONS: spy.queue, BOOKING_REMINDER_MINUTES: '240' } as never);
    expect(spy.remindersFor(inThreeHours)).toHaveLength(1);
    expect(spy.remindersFor(inFiveHours)).toHaveLength(0);
  });
});
