/** The dev mailbox (the console transport's store), where the queue consumer delivers mail in tests. */
import { env } from 'cloudflare:test';
import { eventually } from './eventually';
import { api } from './http';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  created_at: string;
}

/** Polls the dev mailbox (through the API) until `count` mails for `to` arrived; returns them. */
export async function waitForMail(to: string, count = 1, timeoutMs = 8000): Promise<Mail[]> {
  let last = '';
  return eventually(
    async () => {
      const res = await api(`/api/dev/mailbox/?to=${encodeURIComponent(to)}`);
      last = res.text;
      return res.json?.count >= count && (res.json.results as Mail[]);
    },
    { timeoutMs, message: () => `no mail for ${to}: ${last}` },
  );
}

/** The mail stored for an address so far (read from D1, no waiting), newest first. */
export async function mailFor(to: string) {
  const rows = await env.DB.prepare('SELECT subject, text FROM dev_mailbox WHERE lower("to") = lower(?) ORDER BY id DESC')
    .bind(to)
    .all<{ subject: string; text: string }>();
  return rows.results;
}
