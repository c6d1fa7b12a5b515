/**
 * Guests a booker brings. Each gets a check-in code, `G-` followed by 10 uppercase letters or
 * digits (about 52 bits, drawn without modulo bias), emailed to them through the queue once the
 * booking is confirmed. Only the code's SHA-256 is stored; the code itself is never logged nor
 * served (the booking shows each guest's check-in state, not their code).
 */
import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { eventId, type OutboundEvent } from '../../../core/events';
import { sha256Hex } from '../../../core/passwords';
import type { Db } from '../../../db';
import { runStmt } from './raw';

/** The most guests one booking may list (besides the space's capacity − 1). */
export const MAX_GUESTS = 200;

export const GuestInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254),
  })
  .openapi('WsBookingGuestRequest');
export type GuestInputT = z.infer<typeof GuestInput>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const CODE_RE = /^G-[A-Z0-9]{10}$/;

/** A fresh check-in code. */
export function newCode(): string {
  let out = '';
  while (out.length < 10) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      // 252 = 7 × 36: bytes above it would favour the first letters.
      if (byte < 252 && out.length < 10) out += ALPHABET[byte % 36];
    }
  }
  return `G-${out}`;
}

/** What is stored of a code. */
export const codeHash = (code: string) => sha256Hex(code);

/** A guest about to be written: its row id, and the code (and hash) once the booking is confirmed. */
export interface NewGuest extends GuestInputT {
  id: string;
  code: string | null;
  hash: string | null;
}

/** Ids for the guests, and codes when the booking is confirmed now (a hold gets its codes on confirmation). */
export async function prepareGuests(guests: { id?: string; name: string; email: string }[], withCodes: boolean) {
  return Promise.all(
    guests.map(async (g): Promise<NewGuest> => {
      const code = withCodes ? newCode() : null;
      return { id: g.id ?? crypto.randomUUID(), name: g.name, email: g.email, code, hash: code ? await codeHash(code) : null };
    }),
  );
}

/**
 * Inserts the guests of a booking written earlier in the same batch, only when that booking row
 * exists (so a booking refused as a conflict leaves no guest behind): one statement whatever the
 * number of guests (the list travels as one JSON parameter).
 */
export function insertGuestsStmt(db: Db, bookingId: string, guests: NewGuest[], now: string) {
  const list = JSON.stringify(guests.map((g) => ({ id: g.id, name: g.name, email: g.email, h: g.hash })));
  return runStmt(
    db,
    sql`
    INSERT INTO booking_guests (id, booking_id, name, email, code_hash, created_at, updated_at)
    SELECT json_extract(j.value, '$.id'), ${bookingId}, json_extract(j.value, '$.name'), json_extract(j.value, '$.email'),
      json_extract(j.value, '$.h'), ${now}, ${now}
    FROM json_each(${list}) j
    WHERE EXISTS (SELECT 1 FROM bookings WHERE id = ${bookingId})
    ORDER BY j.key`,
  );
}

/**
 * Gives the guests of a hold their codes in the batch that confirms it: only while they have none,
 * and only when this very confirmation (`confirmedAt`) went through.
 */
export function setGuestCodesStmt(db: Db, bookingId: string, guests: NewGuest[], confirmedAt: string) {
  const list = JSON.stringify(guests.map((g) => ({ id: g.id, h: g.hash })));
  return runStmt(
    db,
    sql`
    UPDATE booking_guests
    SET code_hash = (SELECT json_extract(j.value, '$.h') FROM json_each(${list}) j WHERE json_extract(j.value, '$.id') = booking_guests.id),
      updated_at = ${confirmedAt}
    WHERE booking_id = ${bookingId} AND code_hash IS NULL
      AND EXISTS (SELECT 1 FROM bookings WHERE id = ${bookingId} AND status = 'confirmed' AND confirmed_at = ${confirmedAt})`,
  );
}

export interface Visit {
  bookingId: string;
  space: string;
  branch: string;
  workspace: string;
  start: string;
  end: string;
  host: string;
}

/** The email that brings a guest their code (the code is in the text only, never in a log). */
export function guestCodeEmails(visit: Visit, guests: NewGuest[]): OutboundEvent[] {
  return guests
    .filter((g) => g.code)
    .map((g) => ({
      type: 'email' as const,
      id: eventId(),
      to: g.email,
      subject: `Your check-in code for ${visit.space}`,
      text: [
        `Hello ${g.name},`,
        '',
        `${visit.host} invited you to ${visit.space} (${visit.branch}, ${visit.workspace}).`,
        `From: ${visit.start}`,
        `To:   ${visit.end}`,
        '',
        `Your check-in code: ${g.code}`,
        'Show it at reception: check-in opens one hour before the start.',
      ].join('\n'),
    }));
}

/** Tells confirmed guests that the booking they were invited to is cancelled. */
export function guestCancellationEmails(visit: Visit, guests: { email: string; name: string; code_hash: string | null }[]) {
  return guests
    .filter((g) => g.code_hash)
    .map(
      (g): OutboundEvent => ({
        type: 'email',
        id: eventId(),
        to: g.email,
        subject: `Cancelled: ${visit.space}`,
        text: [
          `Hello ${g.name},`,
          '',
          `The booking of ${visit.space} (${visit.branch}, ${visit.workspace}) from ${visit.start} to ${visit.end} you were invited to is cancelled.`,
          'Your check-in code no longer works.',
        ].join('\n'),
      }),
    );
}
