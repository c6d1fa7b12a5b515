/**
 * DRF-compatible field builders for zod schemas. Input coercion follows Django REST Framework:
 * integers and booleans accept their string forms, decimals accept numbers or strings, datetimes
 * accept ISO 8601 with an offset and are normalised to UTC. Error messages are produced from the
 * issue codes by `core/validation.ts`, so the schemas stay free of message text.
 */
import { z } from '@hono/zod-openapi';
import { isoMicros } from '../db/columns';
import * as zodCore from 'zod/v4/core';
import { numberToDecimalString } from './money';

const TRUE = new Set(['true', 'True', 'TRUE', '1', 'yes', 'on']);
const FALSE = new Set(['false', 'False', 'FALSE', '0', 'no', 'off']);

function coerceInt(v: unknown) {
  if (typeof v === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(v)) return Math.trunc(Number(v));
  return v;
}
function coerceNumber(v: unknown) {
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return v;
}
function coerceBool(v: unknown) {
  if (typeof v === 'string') return TRUE.has(v) ? true : FALSE.has(v) ? false : v;
  if (v === 1) return true;
  if (v === 0) return false;
  return v;
}

/** Integer (DRF IntegerField). */
const INT_MSG = 'A valid integer is required.';
const NUM_MSG = 'A valid number is required.';
/**
 * The schema's message for a value of the wrong type; missing or null values keep the global map's
 * DRF messages. Since zod 4.5 a schema-level error also names the issues of its checks (min, max):
 * those keep theirs, so `int({ min: 0 })` still answers "Ensure this value is greater than or equal to 0.".
 */
const keepDefault = (msg: string) => (iss: { input?: unknown; code?: string }) =>
  iss.code !== 'invalid_type' || iss.input === undefined || iss.input === null ? undefined : msg;

/**
 * `z.preprocess(coerce, schema)` typed as the schema it wraps. zod types a preprocess as a pipe whose
 * input is `unknown`; the routes' handler types and the generated client read `z.input`, which must
 * stay the wrapped field's type (a number, a boolean), as the documented schema says.
 */
function coerced<S extends z.ZodType>(coerce: (v: unknown) => unknown, schema: S): S {
  return z.preprocess(coerce, schema) as unknown as S;
}

export const int = (opts: { min?: number; max?: number } = {}) => {
  let s = z.number({ error: keepDefault(INT_MSG) }).int({ error: INT_MSG });
  if (opts.min !== undefined) s = s.min(opts.min);
  if (opts.max !== undefined) s = s.max(opts.max);
  return coerced(coerceInt, s);
};

/** Float (DRF FloatField). */
export const float = () => coerced(coerceNumber, z.number({ error: keepDefault(NUM_MSG) }));

/** Boolean (DRF BooleanField). */
export const bool = () => coerced(coerceBool, z.boolean({ error: keepDefault('Must be a valid boolean.') }));

/** Primary-key reference to another row (integer id). */
export const pk = () => int({ min: 1 });

/**
 * A zod string that also takes a JSON number and reads it as its text, as DRF's CharField does
 * (`"password": 12345678` is the string "12345678"); booleans, objects, arrays and null stay
 * refused. It is a real ZodString (its own constructor, so `.regex()`, `.max()`... keep the
 * behaviour and the OpenAPI generator sees `type: string`).
 */
const LenientString = zodCore.$constructor('LenientString', (inst: z.ZodString, def: z.ZodString['_zod']['def']) => {
  z.ZodString.init(inst, def);
  const parse = inst._zod.parse;
  inst._zod.parse = (payload, ctx) => {
    if (typeof payload.value === 'number' && Number.isFinite(payload.value)) payload.value = String(payload.value);
    const result = parse(payload, ctx) as typeof payload;
    // A list is "Not a valid string." only: zod would also run the length checks on its length.
    if (typeof result.value !== 'string') result.value = undefined;
    return result;
  };
});

/** An untrimmed string that accepts numbers (DRF CharField with trim_whitespace=False), e.g. passwords. */
export const string = (): z.ZodString => new LenientString({ type: 'string' });

/** A string; `blank` allows the empty string (DRF allow_blank). Numbers are read as their text. */
export const str = (opts: { max?: number; min?: number; blank?: boolean } = {}) => {
  let s = string().trim();
  if (opts.max !== undefined) s = s.max(opts.max);
  if (opts.min !== undefined) s = s.min(opts.min);
  else if (!opts.blank) s = s.min(1);
  return s;
};

/** Free text (TextField) that may be blank. Numbers are read as their text. */
export const text = () => string();

export const email = (opts: { max?: number } = {}) => {
  const s = z.email();
  return opts.max ? s.max(opts.max) : s;
};

export const url = (opts: { max?: number } = {}) => {
  const s = z.url({ protocol: /^https?$/ });
  return opts.max ? s.max(opts.max) : s;
};

const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)$/;

/**
 * Decimal input (DRF DecimalField, `max_digits`/`decimal_places`): accepts a JSON number or a
 * numeric string, returns the canonical decimal string. Stored exactly via the `money` column.
 */
export const decimal = (opts: { maxDigits?: number; places?: number; min?: number } = {}) => {
  const maxDigits = opts.maxDigits ?? 12;
  const places = opts.places ?? 2;
  return z
    .preprocess((v) => (typeof v === 'number' && Number.isFinite(v) ? numberToDecimalString(v) : v), z.string())
    .superRefine((v, ctx) => {
      const t = v.trim();
      if (!DECIMAL_TEXT.test(t)) {
        ctx.addIssue({ code: 'custom', message: 'A valid number is required.' });
        return;
      }
      const [intPart, frac = ''] = t.replace('-', '').split('.');
      const fracDigits = frac.replace(/0+$/, '');
      const intDigits = intPart.replace(/^0+/, '');
      if (intDigits.length + fracDigits.length > maxDigits)
        ctx.addIssue({ code: 'custom', message: `Ensure that there are no more than ${maxDigits} digits in total.` });
      else if (fracDigits.length > places)
        ctx.addIssue({ code: 'custom', message: `Ensure that there are no more than ${places} decimal places.` });
      else if (intDigits.length > maxDigits - places)
        ctx.addIssue({
          code: 'custom',
          message: `Ensure that there are no more than ${maxDigits - places} digits before the decimal point.`,
        });
      else if (opts.min !== undefined && Number(t) < opts.min)
        ctx.addIssue({ code: 'custom', message: `Ensure this value is greater than or equal to ${opts.min}.` });
    })
    .transform((v) => v.trim())
    .openapi({ type: 'string', format: 'decimal', pattern: `^-?\\d{0,${maxDigits - places}}(?:\\.\\d{0,${places}})?$` });
};

/** Decimal as served: a string with exactly two places. */
export const decimalOut = (opts: { maxDigits?: number; places?: number } = {}) =>
  z.string().openapi({
    format: 'decimal',
    pattern: `^-?\\d{0,${(opts.maxDigits ?? 12) - (opts.places ?? 2)}}(?:\\.\\d{0,${opts.places ?? 2}})?$`,
  });

const ISO_DT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 datetime (offset optional: UTC, the original's TIME_ZONE) as stored and served: UTC
 * with six fractional digits, the client's microseconds kept (offsets are whole minutes, so the
 * fraction survives the conversion). Undefined when the text is not a valid datetime.
 */
export function utcMicros(raw: string): string | undefined {
  const m = ISO_DT.exec(raw.trim());
  if (!m) return undefined;
  const [, day, hm, ss = '00', frac = '', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${day}T${hm}:${ss}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  const digits = frac.padEnd(6, '0').slice(0, 6);
  return isoMicros(ms + Number(digits.slice(0, 3)), Number(digits.slice(3)));
}

/** Datetime input: ISO 8601 (offset optional, UTC assumed as the original's TIME_ZONE), returned as UTC with six fractional digits. */
export const datetime = () =>
  z
    .string()
    .superRefine((v, ctx) => {
      if (utcMicros(v) === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
        });
      }
    })
    .transform((v) => utcMicros(v) as string)
    .openapi({ type: 'string', format: 'date-time' });

/** Date input: YYYY-MM-DD. */
export const date = () =>
  z
    .string()
    .superRefine((v, ctx) => {
      const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
      if (!ok || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
        ctx.addIssue({ code: 'custom', message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' });
    })
    .openapi({ type: 'string', format: 'date' });

/** Served datetime / date. */
export const datetimeOut = () => z.string().openapi({ format: 'date-time' });
export const dateOut = () => z.string().openapi({ format: 'date' });

/** A choice field (DRF ChoiceField); `blank` also accepts "". */
export const choice = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values);

/** Any JSON value (DRF JSONField). */
export const json = () => z.any().openapi({});

/** A list of primary keys (DRF PrimaryKeyRelatedField many=True). */
export const pkList = () => z.array(pk());

/** File upload (DRF FileField/ImageField): a multipart part; served back as an absolute URL. */
export const file = () =>
  z
    .custom<Blob>((v) => typeof Blob !== 'undefined' && v instanceof Blob, {
      message: 'The submitted data was not a file. Check the encoding type on the form.',
    })
    .openapi({ type: 'string', format: 'binary' });
