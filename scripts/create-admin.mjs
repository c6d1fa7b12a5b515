#!/usr/bin/env node
/**
 * Makes a Tamiti Admin, in the local database (default) or the deployed one (--remote), through
 * `wrangler d1 execute`. Self-registration never grants Admin, so the first Admin comes from here;
 * later ones can be granted by an Admin with PATCH /api/users/{id}/access/.
 *
 *   npm run create-admin -- --email you@example.com [--remote]
 *     promotes the account registered with that email (POST /api/users/register/ first);
 *   ADMIN_PASSWORD='...' npm run create-admin -- --email you@example.com [--username you] [--remote]
 *     creates the account when it does not exist yet (the password is read from the environment,
 *     never from the command line, so it stays out of the shell history and process list).
 *
 * Promotion also re-activates the account and bumps its token version (old access tokens die).
 */
import { execFileSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
function fail(message) {
  console.error(`create-admin: ${message}`);
  process.exit(1);
}

const email = arg('email');
const remote = process.argv.includes('--remote');
if (!email || !/^[^\s@'"\\;]+@[^\s@'"\\;]+\.[^\s@'"\\;]+$/.test(email))
  fail('usage: npm run create-admin -- --email you@example.com [--username name] [--remote]');
const username =
  arg('username') ??
  `${
    email
      .slice(0, email.lastIndexOf('@'))
      .toLowerCase()
      .replace(/[^\w.+-]/g, '') || 'admin'
  }-${randomUUID().slice(0, 8)}`;
if (!/^[\w.+-]{1,150}$/.test(username)) fail('--username may hold letters, digits and . + - _ only (no @), 150 at most');

const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Runs SQL through wrangler against the local or remote database; returns the rows of each statement. */
function d1(sql) {
  const out = execFileSync(
    'npx',
    ['wrangler', 'd1', 'execute', 'DB', remote ? '--remote' : '--local', '--json', '--command', sql],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out).map((r) => r.results ?? []);
}

/** The stored form of src/core/passwords.ts: pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>. */
function hashPassword(password, iterations = 100_000) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return `pbkdf2_sha256$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const where = `lower(email) = lower(${quote(email)})`;
const [promoted] = d1(
  `UPDATE users SET role = 'Admin', is_active = 1, token_version = token_version + 1 WHERE ${where} RETURNING id, username, email`,
);
if (promoted.length) {
  console.log(
    `create-admin: ${promoted[0].email} (id ${promoted[0].id}, ${promoted[0].username}) is now an Admin ${remote ? '(remote)' : '(local)'}`,
  );
  process.exit(0);
}

const password = process.env.ADMIN_PASSWORD;
if (!password)
  fail(
    `no user with the email ${email}. Register it first (POST /api/users/register/), or set ADMIN_PASSWORD to create it here.`,
  );
if (password.length < 8) fail('ADMIN_PASSWORD must have at least 8 characters');
const uuid = randomUUID();
const now = new Date().toISOString();
const domainLower = `${email.slice(0, email.lastIndexOf('@'))}@${email.slice(email.lastIndexOf('@') + 1).toLowerCase()}`;
const [created] = d1(
  `INSERT INTO users (uuid, username, email, password, role, is_verified, is_active, last_seen, date_joined)
   VALUES (${quote(uuid)}, ${quote(username)}, ${quote(domainLower)}, ${quote(hashPassword(password))}, 'Admin', 1, 1, ${quote(now)}, ${quote(now)})
   RETURNING id;
   INSERT INTO user_preferences (user_id) SELECT id FROM users WHERE uuid = ${quote(uuid)};`,
);
if (!created?.length) fail('the account could not be created (is the username taken?)');
console.log(
  `create-admin: created Admin ${domainLower} (id ${created[0].id}, username ${username}) ${remote ? '(remote)' : '(local)'}`,
);
