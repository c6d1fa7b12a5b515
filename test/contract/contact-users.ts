/**
 * Users whose public fields carry an email address, as the workspace family and legacy Tamiti
 * accounts have them: username = email, first name = email, and a phone number. Set directly in the
 * database so that the tests do not depend on how new accounts are named today.
 */
import { env } from 'cloudflare:test';
import { makeUser, type TestUser } from '../helpers';

export interface EmailLikeUser extends TestUser {
  phone: string;
}

let n = 0;

/** A user (Staff unless told) whose username and first name are their email, with a unique phone. */
export async function emailLikeUser(role: 'Admin' | 'Staff' | 'Customer' = 'Staff'): Promise<EmailLikeUser> {
  const user = await makeUser({ role, prefix: 'mailer' });
  const phone = `+2567${String(Date.now() % 10_000_000).padStart(7, '0')}${n++}`;
  await env.DB.prepare("UPDATE users SET username = email, first_name = email, last_name = '', phone = ? WHERE id = ?")
    .bind(phone, user.id)
    .run();
  return { ...user, username: user.email, phone };
}

/** The contact data of `user` found in a response text (case-insensitive), for assertion messages. */
export function contactLeaks(text: string, user: { email: string; phone?: string }): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  if (lower.includes(user.email.toLowerCase())) found.push(user.email);
  if (user.phone && text.includes(user.phone)) found.push(user.phone);
  return found;
}
