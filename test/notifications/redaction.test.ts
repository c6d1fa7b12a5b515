/**
 * Secrets never reach a log or a dead letter (issue 14, finding 5): dead letters keep a message's
 * metadata (type, id, recipient id or address hash, subject, attempts, reason), never a mail's
 * text, reset code or address; the console transport logs recipient and subject only.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliver, notificationEvent } from '../helpers/notifications';
import { api, countRows, expectStatus, makeUser } from '../helpers';

afterEach(() => vi.restoreAllMocks());

const CODE = '493817';
const LINK_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-link-token.sig';
const resetMail = (to: string) => ({
  type: 'email' as const,
  id: crypto.randomUUID(),
  to,
  subject: 'XBooking - Password Reset Verification Code',
  text: `Your password reset verification code is: ${CODE}\nOr open https://app.test/reset?token=${LINK_TOKEN}`,
});

/** Every console line written during `fn`. */
async function logLines(fn: () => Promise<unknown>) {
  const calls: string[] = [];
  for (const level of ['log', 'info', 'warn', 'error'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void calls.push(args.map(String).join(' ')));
  await fn();
  vi.restoreAllMocks();
  return calls;
}

const deadLetterBody = async (eventId: string) =>
  JSON.parse(
    (await env.DB.prepare('SELECT body FROM dead_letters WHERE event_id = ?').bind(eventId).first<{ body: string }>())!.body,
  );

describe('dead letters keep metadata, never the text', () => {
  it('a dead-lettered reset mail is stored and logged without its text, code, link or address', async () => {
    const mail = resetMail('victim@example.com');
    const lines = await logLines(() => deliver([mail], { queue: 'notifications-dlq', attempts: 2 }));
    const body = await deadLetterBody(mail.id);
    expect(body).toEqual({
      type: 'email',
      id: mail.id,
      to_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      subject: mail.subject,
      attempts: 2,
    });
    const stored = JSON.stringify(await env.DB.prepare('SELECT * FROM dead_letters WHERE event_id = ?').bind(mail.id).first());
    for (const secret of [CODE, LINK_TOKEN, 'victim@example.com']) {
      expect(stored).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
    expect(lines.join('\n')).toContain('dead-lettered event');
  });

  it("a notification's email copy loses its text; recipient, verb and subject stay", async () => {
    const me = await makeUser();
    const event = notificationEvent(me.id, { verb: 'reset your password', email: { subject: 'Copy', text: `code ${CODE}` } });
    await deliver([event], { queue: 'notifications-dlq' });
    const body = await deadLetterBody(event.id);
    expect(body).toMatchObject({ type: 'notification', recipient_id: me.id, verb: 'reset your password', email_subject: 'Copy' });
    expect(JSON.stringify(body)).not.toContain(CODE);
  });

  it('unknown message types keep only type and id (their fields could be anything)', async () => {
    const odd = { type: 'sms', id: crypto.randomUUID(), to: '+256700000000', text: `code ${CODE}` };
    await deliver([odd]);
    expect(await deadLetterBody(odd.id)).toEqual({ type: 'sms', id: odd.id, attempts: 1 });
  });

  it('the Admin dead-letters API serves no mail text', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const mail = resetMail(admin.email);
    await deliver([mail], { queue: 'notifications-dlq' });
    const res = await api(`/api/notifications/dead-letters/?event_id=${mail.id}`, { token: admin.token });
    expectStatus(res, 200);
    expect(res.json.results).toHaveLength(1);
    expect(res.text).not.toContain(CODE);
    expect(res.text).not.toContain(admin.email);
  });
});

describe('logs never carry a mail text', () => {
  it('a failing delivery is logged with type, id, attempts and error only', async () => {
    const mail = resetMail('someone@example.com');
    const lines = await logLines(() =>
      deliver([mail], {
        env: { EMAIL_TRANSPORT: 'http', EMAIL_API_URL: 'https://mail.example.test/send', EMAIL_API_KEY: undefined },
      }),
    );
    const failure = lines.find((l) => l.includes('event failed, will retry'));
    expect(failure, lines.join('\n')).toMatch(/"type":"email".*"attempts":1.*EMAIL_API_KEY/);
    expect(lines.join('\n')).not.toContain(CODE);
  });

  it('the console transport keeps mail only where the dev mailbox is served (not in staging or production)', async () => {
    const mail = resetMail('staging@example.com');
    await logLines(() => deliver([mail], { env: { ENVIRONMENT: 'staging' } }));
    expect(await countRows('dev_mailbox', 'message_id = ?', mail.id)).toBe(0);
    const refused = await logLines(() => deliver([resetMail('prod@example.com')], { env: { ENVIRONMENT: 'production' } }));
    expect(refused.join('\n')).toMatch(/EMAIL_TRANSPORT is .*console.*, which only runs in development/);
    const dev = resetMail('dev@example.com');
    await logLines(() => deliver([dev]));
    expect(await countRows('dev_mailbox', 'message_id = ?', dev.id)).toBe(1);
  });

  it('the console transport logs recipient and subject, never the code', async () => {
    const mail = resetMail('dev@example.com');
    const lines = await logLines(() => deliver([mail]));
    expect(lines.join('\n')).toContain('email (console transport)');
    expect(lines.join('\n')).not.toContain(CODE);
    expect(lines.join('\n')).not.toContain(LINK_TOKEN);
  });
});
