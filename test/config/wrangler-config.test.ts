/**
 * The committed configuration describes production: `npm run deploy` with wrangler.toml as it is
 * serves no development surface (dev mailbox, console mail, localhost CORS, Staff for everyone).
 * Local development gets its values from .dev.vars (written by `npm run dev` from .dev.vars.example).
 */
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import devVarsExample from '../../.dev.vars.example?raw';
import { mergeDevVars, parseDevVars } from '../../scripts/dev-vars.mjs';
import wranglerToml from '../../wrangler.toml?raw';

type Toml = Map<string, Map<string, unknown>>;

/**
 * A parser for the TOML subset wrangler.toml uses: comments, quoted keys (`[alias]`), `[table]`, `[[array.of.tables]]`
 * (each entry its own section `name#i`), and `key = value` with basic strings, numbers, booleans,
 * arrays of those and inline tables (kept as their text). Top-level keys live in section "".
 */
function parseToml(text: string): Toml {
  const sections: Toml = new Map([['', new Map()]]);
  const counts = new Map<string, number>();
  let current = sections.get('')!;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const arrayTable = /^\[\[([^\]]+)\]\]$/.exec(line);
    const table = /^\[([^\]]+)\]$/.exec(line);
    if (arrayTable || table) {
      let name = (arrayTable ?? table)![1].trim();
      if (arrayTable) {
        const i = counts.get(name) ?? 0;
        counts.set(name, i + 1);
        name = `${name}#${i}`;
      }
      current = new Map();
      sections.set(name, current);
      continue;
    }
    const kv = /^("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) throw new Error(`unparsed line: ${raw}`);
    const value = kv[2].trim();
    const key = kv[1].startsWith('"') ? JSON.parse(kv[1]) : kv[1];
    current.set(key, value.startsWith('{') ? value : JSON.parse(value));
  }
  return sections;
}

const DEV_ONLY = /localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\.local\b|\.test\b|^local-|change-me/i;
const SECRET_NAME = /SECRET|PASSWORD|API_KEY|_TOKEN$/i;

/** Every development-only or unsafe value among wrangler.toml's top-level vars. */
function developmentValues(toml: Toml): string[] {
  const vars = toml.get('vars') ?? new Map();
  const problems: string[] = [];
  const want: Record<string, string> = {
    ENVIRONMENT: 'production',
    EMAIL_TRANSPORT: 'http',
    REGISTRATION_DEFAULT_ROLE: 'Customer',
  };
  for (const [key, value] of Object.entries(want))
    if (vars.get(key) !== value) problems.push(`${key} = ${JSON.stringify(vars.get(key))} (production: "${value}")`);
  for (const [key, value] of vars) {
    if (SECRET_NAME.test(key)) problems.push(`${key} is a secret: wrangler secret put ${key}, never a var`);
    if (typeof value === 'string' && DEV_ONLY.test(value)) problems.push(`${key} = "${value}" is a development value`);
  }
  for (const origin of String(vars.get('CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean))
    if (origin === '*' || !origin.startsWith('https://')) problems.push(`CORS_ORIGINS allows ${origin}`);
  for (const name of toml.keys())
    if (name.startsWith('env.')) problems.push(`[${name}]: environments would deploy other values; use .dev.vars`);
  return problems;
}

/** The [vars] the issue found committed (ENVIRONMENT=development, console mail, localhost, Staff). */
const FOUND_IN_ISSUE_14 = `
[vars]
ENVIRONMENT = "development"
EMAIL_TRANSPORT = "console"
EMAIL_FROM = "hello@tamiti.com"
CORS_ORIGINS = "http://localhost:3000,http://localhost:5173"
REGISTRATION_DEFAULT_ROLE = "Staff"
GOOGLE_CLIENT_ID = "local-google-client-id"
GOOGLE_REDIRECT_URI = "http://localhost:8787/api/auth/google/callback"
`;

describe('committed wrangler.toml is production-safe (issue 14, finding 1)', () => {
  const committed = wranglerToml;

  it('the check recognises every development value of the config the review found', () => {
    const problems = developmentValues(parseToml(FOUND_IN_ISSUE_14));
    expect(problems.join('\n')).toMatch(/ENVIRONMENT/);
    expect(problems.join('\n')).toMatch(/EMAIL_TRANSPORT/);
    expect(problems.join('\n')).toMatch(/REGISTRATION_DEFAULT_ROLE/);
    expect(problems.join('\n')).toMatch(/CORS_ORIGINS allows http:\/\/localhost:3000/);
    expect(problems.join('\n')).toMatch(/GOOGLE_REDIRECT_URI/);
    expect(problems.join('\n')).toMatch(/GOOGLE_CLIENT_ID/);
  });

  it('the committed top level has no development-only value, no secret and no localhost origin', () => {
    const toml = parseToml(committed);
    expect(toml.get('')!.get('main'), 'parsed the real file').toBe('src/index.ts');
    expect(developmentValues(toml), developmentValues(toml).join('\n')).toEqual([]);
  });

  it('every binding the Worker needs is declared at top level (DB, KV, queue with its dead-letter queue, limiter)', () => {
    const toml = parseToml(committed);
    expect(toml.get('d1_databases#0')?.get('binding')).toBe('DB');
    expect(toml.get('queues.consumers#0')?.get('dead_letter_queue')).toBe('notifications-dlq');
    expect(toml.get('ratelimits#0')?.get('name')).toBe('AUTH_LIMITER');
  });
});

describe('local development values come from .dev.vars (npm run dev)', () => {
  const example = devVarsExample;

  it('.dev.vars.example holds the permissive development values, and no real secret', () => {
    const vars = parseDevVars(example);
    expect(vars.get('ENVIRONMENT')).toBe('development');
    expect(vars.get('EMAIL_TRANSPORT')).toBe('console');
    expect(vars.get('REGISTRATION_DEFAULT_ROLE')).toBe('Staff');
    expect(vars.get('CORS_ORIGINS')).toMatch(/localhost/);
    expect(vars.get('JWT_SECRET')).toMatch(/change-me/);
  });

  it('a missing .dev.vars is created from the example with a generated JWT_SECRET', () => {
    const { text, added } = mergeDevVars('', example, { JWT_SECRET: () => 'generated-secret' });
    expect(added).toContain('ENVIRONMENT');
    const vars = parseDevVars(text);
    expect(vars.get('JWT_SECRET')).toBe('generated-secret');
    expect(vars.get('ENVIRONMENT')).toBe('development');
  });

  it('an older .dev.vars gains the keys it lacks and keeps every value the developer set', () => {
    const older = 'JWT_SECRET=my-own-secret-of-enough-length-123456\nREGISTRATION_DEFAULT_ROLE=Customer';
    const { text, added } = mergeDevVars(older, example, { JWT_SECRET: () => 'must-not-be-used' });
    expect(added).not.toContain('JWT_SECRET');
    expect(added).toEqual(expect.arrayContaining(['ENVIRONMENT', 'EMAIL_TRANSPORT', 'CORS_ORIGINS']));
    const vars = parseDevVars(text);
    expect(vars.get('JWT_SECRET')).toBe('my-own-secret-of-enough-length-123456');
    expect(vars.get('REGISTRATION_DEFAULT_ROLE')).toBe('Customer');
    expect(text.startsWith(older)).toBe(true);
    expect(mergeDevVars(text, example).added, 'a second run changes nothing').toEqual([]);
  });
});
