/**
 * The served OpenAPI document only grows: every path, operation, parameter, schema and example of
 * the committed baseline (test/fixtures/openapi-baseline.json) is still there, unchanged; new ones
 * may be added. A deliberate change to a documented shape updates the baseline in the same commit
 * (`npm run openapi:baseline`, which writes the document served by `wrangler dev`).
 */
import { describe, expect, it } from 'vitest';
import baseline from '../fixtures/openapi-baseline.json';
import { api, expectStatus } from '../helpers';

/** Where `current` lacks or changes something `base` has (arrays: every element of base must be in current). */
function missing(base: unknown, current: unknown, path: string, out: string[]) {
  if (out.length > 50) return;
  if (Array.isArray(base)) {
    if (!Array.isArray(current)) return void out.push(`${path}: expected an array`);
    const seen = current.map((c) => JSON.stringify(c));
    for (const item of base)
      if (!seen.includes(JSON.stringify(item))) {
        if (typeof item === 'object' && item && base.length === current.length) {
          for (let i = 0; i < base.length; i++) missing(base[i], current[i], `${path}[${i}]`, out);
          return;
        }
        out.push(`${path}: lost ${JSON.stringify(item).slice(0, 120)}`);
      }
    return;
  }
  if (base && typeof base === 'object') {
    if (!current || typeof current !== 'object') return void out.push(`${path}: expected an object`);
    for (const [k, v] of Object.entries(base)) {
      if (!(k in current)) out.push(`${path}.${k}: removed`);
      else missing(v, (current as Record<string, unknown>)[k], `${path}.${k}`, out);
    }
    return;
  }
  if (base !== current) out.push(`${path}: ${JSON.stringify(base)} became ${JSON.stringify(current)}`);
}

describe('the OpenAPI document', () => {
  it('keeps everything the baseline documents (changes are additions only)', async () => {
    const res = await api('/api/schema/');
    expectStatus(res, 200);
    const { servers: _servers, ...doc } = res.json;
    const problems: string[] = [];
    missing(baseline, doc, '$', problems);
    expect(problems, problems.join('\n')).toEqual([]);
    // The check compares real content: the baseline documents every operation of both families.
    const operations = Object.values(baseline.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(operations).toBeGreaterThanOrEqual(320);
  });
});
