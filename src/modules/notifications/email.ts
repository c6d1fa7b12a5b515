/**
 * Email transports. `http` (production) posts each mail to EMAIL_API_URL with EMAIL_API_KEY (a JSON
 * mail API, idempotency key = message id). `console` is for development and tests: it logs
 * recipient and subject (never the text: it carries reset codes and links) and, where the dev
 * mailbox is served (development, test), keeps the mail there; in production it refuses.
 * A transport that cannot work throws a ConfigError naming the setting: routes whose purpose is a
 * mail answer 503 before doing anything, and queued mail is retried, then dead-lettered, never dropped.
 */
import { drizzle } from 'drizzle-orm/d1';
import { devMailbox } from '../../db/schema/users';
import { type Bindings, ConfigError, isDevelopment, isProduction } from '../../env';

export interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
}

type EmailEnv = Pick<Bindings, 'EMAIL_TRANSPORT' | 'EMAIL_API_URL' | 'EMAIL_API_KEY' | 'ENVIRONMENT'>;

/** Throws a ConfigError naming the missing or unusable email setting; returns the transport otherwise. */
export function emailTransport(env: EmailEnv): 'http' | 'console' {
  const transport = env.EMAIL_TRANSPORT;
  if (transport === 'http') {
    if (!env.EMAIL_API_URL) throw new ConfigError('EMAIL_API_URL', 'is not set (required by EMAIL_TRANSPORT "http")');
    if (!/^https?:\/\//.test(env.EMAIL_API_URL)) throw new ConfigError('EMAIL_API_URL', 'is not an http(s) URL');
    if (!env.EMAIL_API_KEY)
      throw new ConfigError(
        'EMAIL_API_KEY',
        'is not set (required by EMAIL_TRANSPORT "http"; wrangler secret put EMAIL_API_KEY)',
      );
    return 'http';
  }
  if (transport === 'console') {
    if (isProduction(env))
      throw new ConfigError('EMAIL_TRANSPORT', 'is "console", which only runs in development; configure the "http" transport');
    return 'console';
  }
  throw new ConfigError('EMAIL_TRANSPORT', transport ? `"${transport}" is not a transport ("http" or "console")` : 'is not set');
}

export async function deliverEmail(env: Bindings, mail: Mail): Promise<void> {
  if (emailTransport(env) === 'http') {
    const res = await fetch(env.EMAIL_API_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.EMAIL_API_KEY}`, 'idempotency-key': mail.id },
      body: JSON.stringify({ from: env.EMAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text }),
    });
    if (!res.ok) throw new Error(`email API answered ${res.status}`);
    return;
  }
  // The console transport never prints the body: it carries reset codes and links. Only the
  // development mailbox keeps it, and only where that mailbox is served.
  console.log(JSON.stringify({ level: 'info', msg: 'email (console transport)', to: mail.to, subject: mail.subject }));
  if (!isDevelopment(env)) return;
  await drizzle(env.DB)
    .insert(devMailbox)
    .values({ message_id: mail.id, to: mail.to, subject: mail.subject, text: mail.text })
    .onConflictDoNothing();
}
