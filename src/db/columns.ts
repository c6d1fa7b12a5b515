/**
 * Column helpers shared by every module's tables: exact money, JSON, timestamps and the
 * original's BaseModel fields (created_at, updated_at, deleted_at, is_deleted, uuid).
 */
import { customType, integer, text } from 'drizzle-orm/sqlite-core';
import { fromCents, toCents } from '../core/money';

/**
 * A UTC ISO 8601 datetime with six fractional digits (`2025-03-01T18:57:57.105713Z`), the one
 * format every stored and served datetime has, as the Django originals print them. `micros` are the
 * microseconds within the millisecond (0-999); JavaScript clocks stop at milliseconds, so times
 * taken here end in `000`. One width everywhere keeps text order equal to time order.
 */
export function isoMicros(at: Date | number, micros = 0): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, -1)}${String(Math.trunc(micros)).padStart(3, '0')}Z`;
}

/** Current time as UTC ISO 8601 with six fractional digits (the wire format for datetimes). */
export const nowIso = () => isoMicros(Date.now());
/**
 * Current time as `Date.toISOString()` (three fractional digits): the workspace family's format, as
 * its original prints datetimes (the six-digit format is the Tamiti family's, issue 20 item 16).
 */
export const nowIsoMs = () => new Date().toISOString();
/** Today's UTC date, YYYY-MM-DD. */
export const todayIso = () => new Date().toISOString().slice(0, 10);

/** Money: integer minor units in SQLite, a decimal string ("250.00") in TypeScript. */
export const money = customType<{ data: string; driverData: number }>({
  dataType: () => 'integer',
  toDriver: (value) => toCents(value),
  fromDriver: (value) => fromCents(Number(value)),
});

/** A JSON value stored as text. */
export const jsonCol = <T = unknown>(name: string) => text(name, { mode: 'json' }).$type<T>();

/** A boolean stored as 0/1. */
export const bool = (name: string) => integer(name, { mode: 'boolean' });

/** created_at / updated_at, maintained by the kit; `now` is the family's clock (`nowIsoMs` for workspace tables). */
export const timestamps = (now: () => string = nowIso) => ({
  created_at: text('created_at').notNull().$defaultFn(now),
  updated_at: text('updated_at').notNull().$defaultFn(now).$onUpdateFn(now),
});

/** The original's BaseModel: timestamps, soft-delete fields and a public uuid. */
export const baseModel = () => ({
  ...timestamps(),
  deleted_at: text('deleted_at'),
  is_deleted: bool('is_deleted').notNull().default(false),
  uuid: text('uuid')
    .notNull()
    .unique()
    .$defaultFn(() => crypto.randomUUID()),
});
