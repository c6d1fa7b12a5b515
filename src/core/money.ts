/**
 * Exact money: integer minor units (cents) inside, decimal strings ("250.00") outside.
 * Never goes through binary floating point for stored values.
 */

const DECIMAL_RE = /^(-?)(\d*)(?:\.(\d*))?$/;

/** Parses a decimal string (at most 2 places) into integer cents. Throws on malformed input. */
export function toCents(value: string | number): number {
  const text = typeof value === 'number' ? numberToDecimalString(value) : value.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal: ${value}`);
  const places = m[3] ?? '';
  if (places.length > 2 && /[1-9]/.test(places.slice(2))) throw new Error(`too many decimal places: ${value}`);
  const cents = Number(m[2] || '0') * 100 + Number(`${places}00`.slice(0, 2));
  return m[1] === '-' && cents !== 0 ? -cents : cents;
}

/** Formats integer cents as a decimal string with two places: 1230 -> "12.30". */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A JS number as written in JSON (e.g. 1000, 12.5) to its shortest exact decimal text. */
export function numberToDecimalString(n: number): string {
  if (!Number.isFinite(n)) throw new Error('not finite');
  // toString gives the shortest round-trip representation; expand exponents.
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/** Cents as a JSON number (for the few hand-built responses that use floats, e.g. goal progress). */
export function centsToNumber(cents: number): number {
  return cents / 100;
}
