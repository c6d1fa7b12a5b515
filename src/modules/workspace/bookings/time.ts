/**
 * Booking times: ISO 8601 input that must carry its UTC offset (`Z` or `±HH:MM`), kept as the UTC
 * instant plus the offset it was written in (monthly pricing counts calendar months in the
 * booker's own offset). Stored and served as `Date.toISOString()` text, which sorts as time.
 */
import { z } from '@hono/zod-openapi';

/** A parsed input time: the UTC text, its epoch milliseconds and the offset it was written with. */
export interface Instant {
  utc: string;
  ms: number;
  offsetMinutes: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

export const INSTANT_FORMAT =
  'Datetime must be ISO 8601 with a UTC offset, e.g. 2030-01-15T09:00:00+03:00 or 2030-01-15T06:00:00Z.';

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Parses `YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)`; null when malformed or not a real calendar time. */
export function parseInstant(text: string): Instant | null {
  const m = ISO_WITH_OFFSET.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? 0);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8].toUpperCase() !== 'Z') {
    const [oh, om] = m[8].slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[8][0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * MINUTE;
  return { utc: new Date(ms).toISOString(), ms, offsetMinutes };
}

/** The instant `ms` as UTC text (the stored and served form). */
export const isoAt = (ms: number) => new Date(ms).toISOString();

/** A request field holding an ISO 8601 time with offset; parses to an `Instant`. */
export const instant = () =>
  z
    .string()
    .transform((value, ctx) => {
      const parsed = parseInstant(value);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: INSTANT_FORMAT });
        return z.NEVER;
      }
      return parsed;
    })
    .openapi({ type: 'string', format: 'date-time', example: '2030-01-15T09:00:00+03:00' });

/**
 * `start` plus `months` calendar months, counted on the wall clock of `offsetMinutes` (the day of
 * month is kept, or clamped to the month's last day: Jan 31 + 1 month = Feb 28/29).
 */
export function addMonths(startMs: number, offsetMinutes: number, months: number): number {
  const local = new Date(startMs + offsetMinutes * MINUTE);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth() + months;
  const targetYear = y + Math.floor(mo / 12);
  const targetMonth = ((mo % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysIn(targetYear, targetMonth + 1));
  const shifted = Date.UTC(
    targetYear,
    targetMonth,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return shifted - offsetMinutes * MINUTE;
}
