/**
 * A branch's opening rules (`workspace_branches.operating_hours`), applied to hourly bookings.
 *
 * Format (the workspace module's documented shape, with a few tolerated spellings):
 * ```json
 * { "timezone": "Africa/Nairobi",               // IANA name or fixed offset "+03:00"; default UTC
 *   "monday":   {"open": "08:00", "close": "18:00"},
 *   "tuesday":  ["08:00", "18:00"],
 *   "saturday": "09:00-13:00",
 *   "sunday":   null }                           // also "closed" or {"closed": true}
 * ```
 * Weekday keys are English names or their three-letter forms, any case. Times are the branch's
 * local wall clock; "24:00" closes at midnight. Once any weekday is listed, a weekday that is
 * missing is closed; with no weekday listed (or no rules at all) bookings are unrestricted. An
 * hourly booking must start and end inside the opening window of the local day it starts on.
 * An entry that cannot be read (or a window whose close is not after its open) does not restrict
 * its day, so a typo in the branch's data never makes a whole day unbookable.
 */

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** One day's rule: a window in minutes since local midnight, closed, or unrestricted. */
type DayRule = { open: number; close: number } | 'closed' | 'any';

const HHMM = /^(\d{1,2}):(\d{2})$/;
function minutesOf(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = HHMM.exec(v.trim());
  if (!m) return null;
  const total = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && total <= 24 * 60 ? total : null;
}

function dayRule(entry: unknown): DayRule {
  if (entry === null || entry === false) return 'closed';
  if (typeof entry === 'string' && /^\s*closed\s*$/i.test(entry)) return 'closed';
  let open: unknown;
  let close: unknown;
  if (Array.isArray(entry)) [open, close] = entry;
  else if (typeof entry === 'string') [open, close] = entry.split('-');
  else if (entry && typeof entry === 'object') {
    const e = entry as Record<string, unknown>;
    if (e.closed === true || e.is_closed === true || e.is_open === false || e.open === false) return 'closed';
    open = e.open ?? e.start ?? e.from;
    close = e.close ?? e.end ?? e.to;
  }
  const o = minutesOf(open);
  const c = minutesOf(close);
  return o !== null && c !== null && c > o ? { open: o, close: c } : 'any';
}

function keyOf(key: string): Weekday | undefined {
  const k = key.trim().toLowerCase();
  return WEEKDAYS.find((d) => d === k || d.slice(0, 3) === k);
}

interface LocalTime {
  date: string;
  weekday: Weekday;
  minutes: number;
}

const OFFSET = /^(?:UTC)?([+-])(\d{2}):?(\d{2})$/i;

/** A function giving the local date, weekday and minute of an instant in the rules' zone. */
function zoneClock(timezone: unknown): (ms: number) => LocalTime {
  const fixed = (offsetMinutes: number) => (ms: number) => {
    const d = new Date(ms + offsetMinutes * 60_000);
    return {
      date: d.toISOString().slice(0, 10),
      weekday: WEEKDAYS[d.getUTCDay()],
      minutes: d.getUTCHours() * 60 + d.getUTCMinutes(),
    };
  };
  if (typeof timezone !== 'string' || /^\s*(utc|z|gmt)?\s*$/i.test(timezone)) return fixed(0);
  const m = OFFSET.exec(timezone.trim());
  if (m) return fixed((m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])));
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone.trim(),
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'long',
    });
  } catch {
    return fixed(0);
  }
  return (ms: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      weekday: parts.weekday.toLowerCase() as Weekday,
      minutes: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
    };
  };
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The rules' weekday table and zone; null when they restrict nothing (no rules, or no weekday listed). */
function parseRules(rules: unknown): { days: Map<Weekday, DayRule>; timezone: unknown } | null {
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) return null;
  const days = new Map<Weekday, DayRule>();
  for (const [key, value] of Object.entries(rules as Record<string, unknown>)) {
    const day = keyOf(key);
    if (day) days.set(day, dayRule(value));
  }
  if (days.size === 0) return null;
  return { days, timezone: (rules as Record<string, unknown>).timezone ?? (rules as Record<string, unknown>).tz };
}

/**
 * Why [startMs, endMs) falls outside the opening rules, or null when it is inside (or there are
 * no rules).
 */
export function outsideOperatingHours(rules: unknown, startMs: number, endMs: number): string | null {
  const parsed = parseRules(rules);
  if (!parsed) return null;
  const { days, timezone } = parsed;
  const clock = zoneClock(timezone);
  const start = clock(startMs);
  const end = clock(endMs);
  const rule = days.get(start.weekday) ?? 'closed';
  const zone = typeof timezone === 'string' && timezone.trim() ? timezone.trim() : 'UTC';
  if (rule === 'any') return null;
  if (rule === 'closed') return `The branch is closed on ${start.weekday} (${zone}).`;
  const endMinutes =
    end.date === start.date ? end.minutes : end.minutes === 0 && endMs - startMs <= 86_400_000 ? 24 * 60 : Infinity;
  if (start.minutes < rule.open || endMinutes > rule.close) {
    return `Hourly bookings must fall within the branch's opening hours: ${start.weekday} ${hhmm(rule.open)}-${hhmm(rule.close)} (${zone}).`;
  }
  return null;
}

/**
 * The instant at which the wall clock of the rules' zone reads `minutes` after midnight of the local
 * date `y-m-d` (UTC offset looked up twice, so a daylight-saving change on that day is honoured).
 */
function localInstant(clock: (ms: number) => LocalTime, y: number, m: number, d: number, minutes: number): number {
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const offsetAt = (ms: number) => {
    const t = clock(ms);
    const [ly, lm, ld] = t.date.split('-').map(Number);
    return (Date.UTC(ly, lm - 1, ld) + t.minutes * 60_000 - Math.floor(ms / 60_000) * 60_000) / 60_000;
  };
  const first = wall - offsetAt(wall) * 60_000;
  const second = wall - offsetAt(first) * 60_000;
  return second;
}

/**
 * The branch's opening intervals within [fromMs, toMs) as epoch-millisecond pairs, in time order:
 * the whole window when there are no rules, a weekday's window on each local day (an unreadable
 * entry opens the whole day, as for bookings), nothing on closed days.
 */
export function openIntervals(rules: unknown, fromMs: number, toMs: number): [number, number][] {
  if (toMs <= fromMs) return [];
  const parsed = parseRules(rules);
  if (!parsed) return [[fromMs, toMs]];
  const clock = zoneClock(parsed.timezone);
  const out: [number, number][] = [];
  const [fy, fm, fd] = clock(fromMs).date.split('-').map(Number);
  const lastDate = clock(toMs).date;
  for (let i = -1; ; i++) {
    const day = new Date(Date.UTC(fy, fm - 1, fd + i));
    const date = day.toISOString().slice(0, 10);
    if (date > lastDate) break;
    const rule = parsed.days.get(WEEKDAYS[day.getUTCDay()]) ?? 'closed';
    if (rule === 'closed') continue;
    const [open, close] = rule === 'any' ? [0, 24 * 60] : [rule.open, rule.close];
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const start = Math.max(fromMs, localInstant(clock, y, m, d, open));
    const end = Math.min(toMs, localInstant(clock, y, m, d, close));
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && last[1] >= start) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
