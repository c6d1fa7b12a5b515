/**
 * Files in R2 (the `FILES` binding): what an upload may be, how it is stored, and the signed URLs
 * that serve it back (`GET /api/files/{key}?exp=&sig=`, src/modules/files/).
 *
 * - An upload's type is decided from its first bytes, never from the name or the declared type;
 *   each field allows a list of types (`IMAGES`, `DOCUMENTS`, `MEDIA`) and a maximum size.
 * - Objects are stored under a key nobody can guess (`<prefix>-<48 hex>`: 192 random bits), with
 *   the sniffed content type and the sanitised original name as metadata. Rows keep the key.
 * - URLs are signed with HMAC-SHA-256 (FILES_SIGNING_KEY, else JWT_SECRET, under a `files:` label
 *   so a file signature can never stand for anything else) and expire (1 hour by default).
 */
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv, Bindings } from '../env';
import { ConfigError } from '../env';
import { ApiError, ws } from './errors';
import { hmacKey } from './hmac';

/** Default maximum size of an upload (10 MB). */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Default validity of a signed URL. */
export const DEFAULT_URL_TTL_SECONDS = 60 * 60;
/** Validity of the long-lived URLs of public photos (served with immutable caching). */
export const PUBLIC_URL_TTL_SECONDS = 365 * 24 * 60 * 60;

export const IMAGES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export const DOCUMENTS = [...IMAGES, 'application/pdf'] as const;
/** Media assets and attachments. SVG and HTML are never accepted: they can carry script. */
export const MEDIA = [
  ...DOCUMENTS,
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'application/zip',
] as const;

/** What one file field accepts. */
export interface FileRule {
  /** Allowed content types, as `sniffType` names them. */
  types: readonly string[];
  /** Maximum size in bytes (default 10 MB). */
  maxBytes?: number;
  /** Key prefix of the field's objects (`media`, `invoice` ...): lowercase letters only. */
  prefix: string;
}

const ascii = (bytes: Uint8Array, from: number, text: string) =>
  bytes.length >= from + text.length && [...text].every((ch, i) => bytes[from + i] === ch.charCodeAt(0));
const starts = (bytes: Uint8Array, ...values: number[]) => values.every((v, i) => bytes[i] === v);

/** The content type of a file from its first bytes (at least 12 are needed); null when unknown. */
export function sniffType(bytes: Uint8Array): string | null {
  if (starts(bytes, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'image/gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return 'audio/wav';
  if (ascii(bytes, 0, '%PDF-')) return 'application/pdf';
  if (ascii(bytes, 4, 'ftyp')) return 'video/mp4';
  if (starts(bytes, 0x1a, 0x45, 0xdf, 0xa3)) return 'video/webm';
  if (ascii(bytes, 0, 'ID3') || (bytes[0] === 0xff && bytes.length > 1 && (bytes[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(bytes, 0, 'OggS')) return 'audio/ogg';
  if (starts(bytes, 0x50, 0x4b, 0x03, 0x04)) return 'application/zip';
  return null;
}

const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'application/zip': 'zip',
};

/**
 * A file name safe to show and to put in a header: no path, no control or markup characters, at
 * most 100 characters (the extension kept); `file.<ext>` when nothing is left.
 */
export function sanitiseName(name: string, type?: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').normalize('NFC');
  let clean = base
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[ .]+|[ .]+$/g, '');
  if (clean.length > 100) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, 100 - ext.length) + ext;
  }
  return clean || `file.${(type && EXTENSION[type]) ?? 'bin'}`;
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A new object key: the field's prefix and 192 random bits (`media-3f9c…`). */
export function newKey(prefix: string): string {
  if (!/^[a-z]{1,20}$/.test(prefix)) throw new Error(`bad file key prefix ${prefix}`);
  return `${prefix}-${hex(crypto.getRandomValues(new Uint8Array(24)))}`;
}

/** Keys this Worker makes (the serving route refuses anything else before touching R2). */
export const KEY_PATTERN = /^[a-z]{1,20}-[0-9a-f]{48}$/;

/** A file that failed its field's rule: 400 (type, empty) or 413 (size). */
export class UploadError extends Error {
  constructor(
    readonly field: string,
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }

  /** The error in the family's shape: DRF field errors, or the workspace envelope. */
  toApiError(family: 'drf' | 'envelope', failure = 'Invalid data provided'): ApiError {
    const errors = { [this.field]: [this.message] };
    return family === 'drf'
      ? new ApiError(this.status as ContentfulStatusCode, errors)
      : ws.fail(this.status, this.status === 413 ? 'File too large' : failure, errors);
  }
}

/** An upload that passed its field's rule, ready to store. */
export interface CheckedUpload {
  bytes: Uint8Array;
  type: string;
  name: string;
  size: number;
}

const MB = 1024 * 1024;
const sizeText = (bytes: number) => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`);

/**
 * Checks an uploaded file against its field's rule (size first, then the type sniffed from the
 * first bytes). Throws `UploadError`; nothing is stored.
 */
export async function checkUpload(field: string, file: File, rule: FileRule): Promise<CheckedUpload> {
  const max = rule.maxBytes ?? DEFAULT_MAX_BYTES;
  if (file.size > max) throw new UploadError(field, 413, `File too large: the limit is ${sizeText(max)}.`);
  if (file.size === 0) throw new UploadError(field, 400, 'The submitted file is empty.');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffType(bytes.subarray(0, 16));
  if (!type || !rule.types.includes(type))
    throw new UploadError(field, 400, `Unsupported file type: allowed are ${rule.types.join(', ')}.`);
  return { bytes, type, name: sanitiseName(file.name, type), size: bytes.byteLength };
}

/** A stored object, as a row keeps it (the key) and a response describes it. */
export interface StoredFile {
  key: string;
  type: string;
  name: string;
  size: number;
}

/** The bucket, or a 503 naming the missing binding. */
export function bucket(env: Pick<Bindings, 'FILES'>): R2Bucket {
  if (!env.FILES) throw new ConfigError('FILES', 'is not bound: create the R2 bucket (README, "Files").');
  return env.FILES;
}

/** Stores a checked upload under a new key, with its content type and original name as metadata. */
export async function storeUpload(env: Pick<Bindings, 'FILES'>, upload: CheckedUpload, prefix: string): Promise<StoredFile> {
  const key = newKey(prefix);
  await bucket(env).put(key, upload.bytes, {
    httpMetadata: {
      contentType: upload.type,
      contentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(upload.name)}`,
    },
    customMetadata: { originalName: upload.name },
  });
  return { key, type: upload.type, name: upload.name, size: upload.size };
}

// ---- signed URLs ---------------------------------------------------------------------------------

const encoder = new TextEncoder();

function signingSecret(env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>): string {
  const secret = env.FILES_SIGNING_KEY || env.JWT_SECRET;
  if (!secret || secret.length < 32) throw new ConfigError('FILES_SIGNING_KEY', 'or JWT_SECRET must be at least 32 characters.');
  return secret;
}

const message = (key: string, exp: number) => encoder.encode(`files:${key}:${exp}`);

const toBase64Url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** Options of `signedUrl`. */
export interface SignOptions {
  /** Seconds the URL stays valid (default 1 hour). */
  ttl?: number;
  /** The current time in ms (tests). */
  now?: number;
}

/**
 * The absolute URL serving a stored object, signed and expiring. `origin` is the request's
 * (`new URL(c.req.url).origin`), so the URL works wherever the API is reached.
 */
export async function signedUrl(
  env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>,
  origin: string,
  key: string,
  options: SignOptions = {},
): Promise<string> {
  const exp = Math.floor((options.now ?? Date.now()) / 1000) + (options.ttl ?? DEFAULT_URL_TTL_SECONDS);
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(signingSecret(env)), message(key, exp));
  return `${origin}/api/files/${key}?exp=${exp}&sig=${toBase64Url(sig)}`;
}

/** True when `sig` signs `key` until `exp` and `exp` has not passed (constant-time comparison). */
export async function verifySignature(
  env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>,
  key: string,
  exp: string | undefined,
  sig: string | undefined,
  now = Date.now(),
): Promise<boolean> {
  if (!exp || !sig || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= now) return false;
  const bytes = fromBase64Url(sig);
  if (!bytes) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(signingSecret(env)), bytes, message(key, Number(exp)));
}

// ---- multipart transport ---------------------------------------------------------------------

/** Largest multipart body read (files and fields together); above it the request is a 413. */
export const MAX_MULTIPART_BYTES = 25 * 1024 * 1024;
/** Largest body of every other request (JSON, forms, multipart without files): 1 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The routes that store file parts, as `METHOD /path/` patterns: only their multipart bodies may be
 * up to MAX_MULTIPART_BYTES; any other body keeps the 1 MB limit and is refused before it is read.
 * test/files/body-limits.test.ts keeps this list equal to the operations the document shows with
 * binary fields.
 */
const UPLOAD_ROUTES: readonly RegExp[] = [
  /^POST \/api\/chat\/(channel|direct)-messages\/(create-with-file|[^/]+\/upload_attachment)\/$/,
  /^(POST \/api\/content\/media|(PUT|PATCH) \/api\/content\/media\/[^/]+)\/$/,
  /^(POST \/api\/finance\/(invoices|payments)|(PUT|PATCH) \/api\/finance\/(invoices|payments)\/[^/]+)\/$/,
  /^POST \/api\/workspace\/spaces\/[^/]+\/images\/$/,
  /^(POST \/api\/workspace\/workspaces\/create|(PUT|PATCH) \/api\/workspace\/workspaces\/[^/]+)\/$/,
  /^PATCH \/api\/(users|auth)\/me\/$/,
];

/** The body limit of a request: MAX_MULTIPART_BYTES for a route that stores files, 1 MB for any other. */
export const bodyLimitOf = (method: string, path: string): number =>
  UPLOAD_ROUTES.some((r) => r.test(`${method} ${path}`)) ? MAX_MULTIPART_BYTES : MAX_BODY_BYTES;

/**
 * The file parts of a multipart request, by field, kept beside the JSON the request was turned
 * into (src/index.ts): routes validate one JSON representation, where a file part stays a
 * `{name, size, type}` stand-in, and a route that stores files reads the parts with `uploadsOf`.
 * Keyed weakly by the request object, so nothing outlives the request.
 */
const UPLOADS = new WeakMap<Request, Map<string, File[]>>();

/** Records the file parts of a request that was turned into JSON. */
export function keepUploads(request: Request, files: Map<string, File[]>) {
  if (files.size) UPLOADS.set(request, files);
}

/** The file parts a multipart request carried, by field (empty for any other request). */
export function uploadsOf(request: Request): Map<string, File[]> {
  return UPLOADS.get(request) ?? new Map();
}

// ---- file fields -----------------------------------------------------------------------------

/**
 * The value a file field's row holds, as a response shows it: a stored key becomes a signed
 * absolute URL (signed afresh on every response), a URL a client sent stays as it is, null stays
 * null. Call it only in the serializer that already decided the caller may see the row.
 */
export async function presentFile(
  env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>,
  origin: string,
  value: string | null | undefined,
  options: SignOptions = {},
): Promise<string | null> {
  if (value == null || value === '') return value ?? null;
  return KEY_PATTERN.test(value) ? signedUrl(env, origin, value, options) : value;
}

/** A file part's stand-in in the JSON body (src/index.ts). */
export const isUploadStandIn = (value: unknown): value is { name: string; size: number; type: string } =>
  !!value && typeof value === 'object' && !Array.isArray(value) && 'size' in value && 'name' in value;

/**
 * Checks every file part a request carried for the given fields against their rules (all errors
 * found are thrown together as one `UploadError` per field, the first only), then stores them.
 * Returns the keys by field, for the row, and the list of stored keys, so a caller whose row write
 * fails can remove them (no orphan in the bucket).
 */
export async function storeFieldUploads(
  env: Pick<Bindings, 'FILES'>,
  request: Request,
  rules: Record<string, FileRule>,
): Promise<{ keys: Record<string, string>; stored: string[] }> {
  const parts = uploadsOf(request);
  const checked: [string, CheckedUpload, FileRule][] = [];
  for (const [field, rule] of Object.entries(rules)) {
    const files = parts.get(field);
    if (!files?.length) continue;
    if (files.length > 1) throw new UploadError(field, 400, 'Send one file for this field.');
    checked.push([field, await checkUpload(field, files[0], rule), rule]);
  }
  const settled = await Promise.allSettled(checked.map(([, upload, rule]) => storeUpload(env, upload, rule.prefix)));
  const failed = settled.find((r) => r.status === 'rejected');
  const stored = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (failed) {
    // One put failed: the others are removed, so a refused request leaves nothing behind.
    if (stored.length) await bucket(env).delete(stored.map((f) => f.key));
    throw failed.reason;
  }
  const keys: Record<string, string> = {};
  checked.forEach(([field], i) => {
    keys[field] = stored[i].key;
  });
  return { keys, stored: stored.map((f) => f.key) };
}

// ---- file fields of the kits (resource.ts, route.ts) ------------------------------------------

/** A file field of a kit route: what an upload may be, and how long its URLs live (default 1 hour). */
export interface FileField extends FileRule {
  /** Validity of the field's signed URLs in seconds (public photos: `PUBLIC_URL_TTL_SECONDS`). */
  ttl?: number;
}

/**
 * Takes the stand-ins of the file parts a multipart request carried for `fields` out of the JSON
 * the route validates, so a file field validates as absent there (its schema describes the URL
 * form) and is filled with the stored key once the upload passed its rule. Returns the request to
 * route on instead (its parts still kept, `uploadsOf`), or the same request when there is nothing
 * to take out; a part for any other field stays and fails validation, so no file is silently dropped.
 */
export async function withoutFileParts(request: Request, fields: readonly string[]): Promise<Request> {
  const parts = uploadsOf(request);
  if (!fields.some((f) => parts.has(f))) return request;
  let json: unknown;
  try {
    json = await request.clone().json();
  } catch {
    return request; // the validator answers for a malformed body
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return request;
  const out = { ...(json as Record<string, unknown>) };
  for (const field of fields) {
    const value = out[field];
    if (parts.has(field) && (isUploadStandIn(value) || (Array.isArray(value) && value.every(isUploadStandIn)))) delete out[field];
  }
  const body = new TextEncoder().encode(JSON.stringify(out));
  const headers = new Headers(request.headers);
  headers.set('content-length', String(body.byteLength));
  const next = new Request(request.url, { method: request.method, headers, body });
  keepUploads(next, parts);
  return next;
}

/**
 * `storeFieldUploads` for a route of a family: a part breaking its rule is the family's 400/413
 * (`UploadError.toApiError`), and nothing is stored.
 */
export async function storeUploadsFor(
  env: Pick<Bindings, 'FILES'>,
  request: Request,
  rules: Record<string, FileRule>,
  family: 'drf' | 'envelope',
  failure?: string,
): Promise<{ keys: Record<string, string>; stored: string[] }> {
  try {
    return await storeFieldUploads(env, request, rules);
  } catch (err) {
    if (err instanceof UploadError) throw err.toApiError(family, failure);
    throw err;
  }
}

/** The key a URL of this Worker's file route names (`<origin>/api/files/<key>?...`), else null. */
export function keyOfFileUrl(value: unknown, origin: string): string | null {
  if (typeof value !== 'string' || !value.startsWith(`${origin}/api/files/`)) return null;
  const key = value.slice(`${origin}/api/files/`.length).split(/[?#]/)[0];
  return KEY_PATTERN.test(key) ? key : null;
}

/**
 * A file field's URL value sent back as a response showed it (a client that GETs, edits and PUTs
 * the whole object): our own signed URL of the row's current object means "unchanged" (the key is
 * kept, not the expiring URL); our URL of any other object is refused, since a row may only hold
 * an object uploaded for it (deleting one row must never remove another's file). Returns the field
 * errors, and rewrites `input` in place.
 */
export function ownFileUrls(
  rules: Record<string, FileRule>,
  input: Record<string, unknown>,
  existing: Record<string, unknown> | undefined,
  origin: string,
): Record<string, string[]> | undefined {
  const errors: Record<string, string[]> = {};
  for (const field of Object.keys(rules)) {
    const key = keyOfFileUrl(input[field], origin);
    if (!key) continue;
    if (existing && existing[field] === key) input[field] = key;
    else errors[field] = ['This URL names a file of another record: upload the file instead.'];
  }
  return Object.keys(errors).length ? errors : undefined;
}

/** The stored keys a row holds in its file fields. */
export function keysOf(rules: Record<string, FileRule>, row: Record<string, unknown> | undefined): string[] {
  if (!row) return [];
  return Object.keys(rules).flatMap((f) => {
    const v = row[f];
    return typeof v === 'string' && KEY_PATTERN.test(v) ? [v] : [];
  });
}

/** The keys a write lets go: the old value of each file field it changed (replaced, cleared) or, on delete, every one. */
export function releasedKeys(
  rules: Record<string, FileRule>,
  existing: Record<string, unknown> | undefined,
  values: Record<string, unknown> | undefined,
): string[] {
  if (!existing) return [];
  if (!values) return keysOf(rules, existing);
  return keysOf(rules, existing).filter((key) => {
    const field = Object.keys(rules).find((f) => existing[f] === key) as string;
    return field in values && values[field] !== key;
  });
}

/** The event asking the NOTIFICATIONS consumer to delete objects (retried, dead-lettered with its keys). */
export const fileDeleteEvent = (keys: string[]) => ({ type: 'file_delete' as const, id: crypto.randomUUID(), keys });

/** The consumer's handler of `file_delete` events: deleting a missing object is not an error, so redelivery is safe. */
export async function deleteStoredFiles(env: Pick<Bindings, 'FILES'>, event: { keys: string[] }): Promise<void> {
  const keys = (Array.isArray(event.keys) ? event.keys : []).filter((k) => typeof k === 'string' && KEY_PATTERN.test(k));
  for (let i = 0; i < keys.length; i += 1000) await bucket(env).delete(keys.slice(i, i + 1000));
}

/**
 * Removes the objects a request stored for a write that then failed (no orphan): at once, and if
 * R2 refuses, through the queue (retried); if even that fails, the keys are logged for cleanup.
 */
export async function discardUploads(env: Pick<Bindings, 'FILES' | 'NOTIFICATIONS'>, keys: string[]): Promise<void> {
  if (!keys.length) return;
  try {
    await bucket(env).delete(keys);
  } catch {
    try {
      await env.NOTIFICATIONS.send(fileDeleteEvent(keys));
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'orphan files not removed', keys, error: String(err) }));
    }
  }
}

/**
 * Shows the file fields of serialised rows as signed absolute URLs (`presentFile`), each field
 * with its own validity. Only for rows the caller may see (the serializers that decided so).
 */
export async function presentFileFields<T extends Record<string, unknown>>(
  env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>,
  origin: string,
  fields: Record<string, FileField>,
  rows: T[],
): Promise<T[]> {
  const names = Object.keys(fields).filter((f) => rows.some((r) => f in r));
  if (!names.length) return rows;
  return Promise.all(
    rows.map(async (row) => {
      const out: Record<string, unknown> = { ...row };
      for (const f of names)
        if (f in row) out[f] = await presentFile(env, origin, row[f] as string | null, { ttl: fields[f].ttl });
      return out as T;
    }),
  );
}

/**
 * The documented multipart form of a JSON body whose file fields accept a file part: a plain
 * OpenAPI schema (not zod, so no second validator runs: the body is validated as JSON).
 */
export function multipartSchema(fields: Record<string, FileRule>, jsonName?: string) {
  const properties: Record<string, { type: 'string'; format: 'binary'; description: string }> = {};
  for (const [field, rule] of Object.entries(fields))
    properties[field] = {
      type: 'string',
      format: 'binary',
      description: `A file part (${rule.types.join(', ')}; at most ${sizeText(rule.maxBytes ?? DEFAULT_MAX_BYTES)}, the type read from its first bytes), or a URL string.`,
    };
  return {
    type: 'object' as const,
    description: `The fields of the JSON body${jsonName ? ` (${jsonName})` : ''} as form fields; the file fields may be file parts.`,
    properties,
  };
}

// ---- public files (space photos, workspace logos) ---------------------------------------------

/** Public URLs are signed for whole periods, so a photo's URL stays the same (cacheable) for 30 days. */
export const PUBLIC_URL_PERIOD_SECONDS = 30 * 24 * 60 * 60;

/**
 * The long-lived URL of a public file (a space photo, a workspace logo): valid a year from the
 * start of the current 30-day period, so every response in that period gives the same URL and the
 * serving route answers it with immutable caching (an object's bytes never change under its key).
 */
export function publicFileUrl(
  env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>,
  origin: string,
  key: string,
  now = Date.now(),
): Promise<string> {
  const period = PUBLIC_URL_PERIOD_SECONDS * 1000;
  return signedUrl(env, origin, key, { now: Math.floor(now / period) * period, ttl: PUBLIC_URL_TTL_SECONDS });
}

/** A public file field's value as a response shows it: a stored key becomes its long-lived URL. */
export const presentPublicFile = (
  env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>,
  origin: string,
  value: string | null | undefined,
): Promise<string | null> =>
  value && KEY_PATTERN.test(value) ? publicFileUrl(env, origin, value) : Promise.resolve(value ?? null);

/**
 * Middleware: in the JSON responses of a module, a stored key under one of `fields` (e.g.
 * `logo_url`, wherever a serializer put it) becomes its long-lived public URL, so no serializer
 * has to be async and no bare key ever reaches a client. Only for files that are public anyway.
 */
export function publicFileUrls(fields: readonly string[]): MiddlewareHandler<AppEnv> {
  const pattern = new RegExp(`"(${fields.join('|')})":"([a-z]{1,20}-[0-9a-f]{48})"`, 'g');
  return async function publicFileUrls(c, next) {
    await next();
    if (!/^application\/json/i.test(c.res.headers.get('content-type') ?? '')) return;
    const text = await c.res.clone().text();
    const found = [...new Set([...text.matchAll(pattern)].map((m) => m[2]))];
    if (!found.length) return;
    const origin = new URL(c.req.url).origin;
    const urls = new Map(await Promise.all(found.map(async (key) => [key, await publicFileUrl(c.env, origin, key)] as const)));
    const body = text.replace(pattern, (_m, field: string, key: string) => `"${field}":"${urls.get(key)}"`);
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(body, { status: c.res.status, headers });
  };
}
