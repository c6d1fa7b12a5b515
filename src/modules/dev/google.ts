/**
 * A development-only stand-in for Google's OAuth endpoints, so the whole Google sign-in flow
 * (POST /api/user/auth/google/ with an authorization code) can be tried with no Google account:
 *
 * - `GET /api/dev/google/authorize/?redirect_uri=...&state=...` shows a form (email, name) and
 *   redirects back to `redirect_uri` with `?code=...&state=...`, as Google's consent screen does
 *   (`login_hint=<email>` skips the form);
 * - `POST /api/dev/google/token/` exchanges the code for an `id_token` (issuer accounts.google.com,
 *   audience the `client_id` sent, `email_verified: true`), as Google's token endpoint does;
 * - `GET /api/dev/google/certs/` is the key set the id_token verifies against.
 *
 * `.dev.vars.example` points GOOGLE_TOKEN_URL and GOOGLE_JWKS_URL here, so `npm run dev` uses the
 * stand-in; wrangler.toml's top level (production) points them at Google. Like the dev mailbox, the
 * routes answer only when ENVIRONMENT is "development" or "test" (404 in production). The signing key
 * below is public on purpose: only a Worker told to trust this key set (development) accepts it.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { drf } from '../../core/errors';
import { json, mount, route } from '../../core/route';
import { type AppEnv, isDevelopment } from '../../env';

const KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'TRtRWxydKPLbr4V8bbMkrydBdvhJXm5Q6Tn3Qx_9tGo',
  y: 'De-uvyIwT9_vVmD9xlB9EYVpUCsQNcXhLeXzL-eHeFU',
  d: 'D4K3u3ZQpFTkdkPLBRr5vA28JvjASICSnMs9NwEQwr0',
};
const KID = 'dev-google-stand-in';
const { d: _private, ...PUBLIC_KEY } = KEY;
const ISSUER = 'https://accounts.google.com';
const CODE_AUDIENCE = 'dev-google-code';

const signingKey = () => importJWK(KEY, 'ES256');
const verifyingKey = () => importJWK(PUBLIC_KEY, 'ES256');

/** An authorization code: a short-lived signed claim of the identity chosen on the form. */
async function issueCode(email: string, name: string) {
  return new SignJWT({ email, name })
    .setProtectedHeader({ alg: 'ES256', kid: KID })
    .setIssuer(ISSUER)
    .setAudience(CODE_AUDIENCE)
    .setExpirationTime('5m')
    .sign(await signingKey());
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const form = (query: Record<string, string>) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in with Google (development stand-in)</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:3rem auto">
<h1>Sign in with Google</h1><p>Development stand-in: no Google account needed. Choose who you are.</p>
<form method="get">
${Object.entries(query)
  .filter(([k]) => k !== 'login_hint' && k !== 'name')
  .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
  .join('\n')}
<p><label>Email <input name="login_hint" type="email" required value="dev.user@example.com"></label></p>
<p><label>Name <input name="name" value="Dev User"></label></p>
<button>Continue</button></form></body></html>`;

const onlyInDevelopment = (env: Parameters<typeof isDevelopment>[0]) => {
  if (!isDevelopment(env)) throw drf.notFound('Not found.');
};
/** The stand-in answers like Google, not in either family's shapes: no documented failures of ours. */
const noFailures = [400, 401, 403, 404];

const authorize = route({
  method: 'get',
  path: '/api/dev/google/authorize/',
  operationId: 'dev_google_authorize',
  tags: ['dev'],
  summary: "Google's consent screen (development stand-in)",
  description:
    'Development only (404 in production). Shows a form to choose an email and name, then redirects to `redirect_uri` with `code` and `state`, as Google does; `login_hint=<email>` (and optionally `name`) skips the form. Exchange the code with POST /api/user/auth/google/.',
  auth: 'public',
  query: z.object({
    redirect_uri: z.string().url(),
    state: z.string().optional(),
    client_id: z.string().optional(),
    login_hint: z.string().email().optional(),
    name: z.string().max(100).optional(),
  }),
  responseDescription: 'The sign-in form (HTML)',
  responses: { 302: { description: 'Back to redirect_uri with ?code=...&state=...' } },
  omitFailures: noFailures,
  async handler({ s, c, query }) {
    onlyInDevelopment(s.env);
    if (!query.login_hint)
      return c.html(form(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>));
    const target = new URL(query.redirect_uri);
    target.searchParams.set('code', await issueCode(query.login_hint, query.name || query.login_hint.split('@')[0]));
    if (query.state) target.searchParams.set('state', query.state);
    return c.redirect(target.toString(), 302);
  },
});

const token = route({
  method: 'post',
  path: '/api/dev/google/token/',
  operationId: 'dev_google_token_create',
  tags: ['dev'],
  summary: "Google's token endpoint (development stand-in)",
  description:
    'Development only (404 in production). Takes the form-encoded `code` from the authorize step and `client_id`, and answers an `id_token` signed with the stand-in key (issuer accounts.google.com, audience `client_id`, `email_verified: true`). A bad or expired code is 400 `invalid_grant`, as Google answers.',
  auth: 'public',
  response: z.object({ id_token: z.string(), token_type: z.string(), expires_in: z.number() }),
  responseDescription: 'Tokens',
  responses: { 400: json(z.object({ error: z.string() }), 'invalid_grant') },
  omitFailures: noFailures,
  async handler({ s, c }) {
    onlyInDevelopment(s.env);
    // Google's endpoint takes a form; the Worker hands form bodies to routes as JSON (index.ts).
    const text = await c.req.text();
    const fields = (() => {
      try {
        return new URLSearchParams(JSON.parse(text) as Record<string, string>);
      } catch {
        return new URLSearchParams(text);
      }
    })();
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(fields.get('code') ?? '', await verifyingKey(), {
        issuer: ISSUER,
        audience: CODE_AUDIENCE,
      }));
    } catch {
      // Google's refusal, not a DRF body.
      return c.json({ error: 'invalid_grant' }, 400);
    }
    const email = String(claims.email);
    const idToken = await new SignJWT({ email, email_verified: true, name: String(claims.name ?? email) })
      .setProtectedHeader({ alg: 'ES256', kid: KID })
      .setIssuer(ISSUER)
      .setAudience(fields.get('client_id') ?? '')
      .setSubject(`dev-${email.toLowerCase()}`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await signingKey());
    return { id_token: idToken, token_type: 'Bearer', expires_in: 3600 };
  },
});

const certs = route({
  method: 'get',
  path: '/api/dev/google/certs/',
  operationId: 'dev_google_certs_retrieve',
  tags: ['dev'],
  summary: "Google's key set (development stand-in)",
  description: 'Development only (404 in production). The JWKS the stand-in id_tokens verify against.',
  auth: 'public',
  response: z.object({ keys: z.array(z.record(z.string(), z.string())) }),
  responseDescription: 'The key set',
  omitFailures: noFailures,
  handler({ s }) {
    onlyInDevelopment(s.env);
    return { keys: [{ ...PUBLIC_KEY, kid: KID, alg: 'ES256', use: 'sig' }] };
  },
});

/** The stand-in's routes (mounted with the other /api/dev/ routes). */
export function mountDevGoogle(app: OpenAPIHono<AppEnv>) {
  mount(app, authorize);
  mount(app, token);
  mount(app, certs);
}
