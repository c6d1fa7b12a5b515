/**
 * Email transports. `console` (development default) logs the mail and keeps it in the dev mailbox
 * table; `http` posts it to EMAIL_API_URL with EMAIL_API_KEY (a JSON mail API). Delivery is
 * idempotent per message id: the mailbox row (or the API's idempotency key) prevents duplicates.
 */
import { drizzle } from 'drizzle-orm/d1';
import { devMailbox } from '../../db/schema/users';
import type { Bindings } from '../../env';

export interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
}

export async function deliverEmail(env: Bindings, mail: Mail): Promise<void> {
  const transport = env.EMAIL_TRANSPORT ?? 'console';
  if (transport === 'http') {
    if (!env.EMAIL_API_URL || !env.EMAIL_API_KEY)
      throw new Error('EMAIL_API_URL and EMAIL_API_KEY are required for the http transport');
    const res = await fetch(env.EMAIL_API_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.EMAIL_API_KEY}`, 'idempotency-key': mail.id },
      body: JSON.stringify({ from: env.EMAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text }),
    });
    if (!res.ok) throw new Error(`email API answered ${res.status}`);
    return;
  }
  // The console transport never prints the body: it carries reset codes and links.
  console.log(JSON.stringify({ level: 'info', msg: 'email (console transport)', to: mail.to, subject: mail.subject }));
  await drizzle(env.DB)
    .insert(devMailbox)
    .values({ message_id: mail.id, to: mail.to, subject: mail.subject, text: mail.text })
    .onConflictDoNothing();
}
