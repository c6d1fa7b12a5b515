/**
 * wrangler.toml's `[alias]` replaces zod's index of ~40 locales (410 KB, a fifth of the bundle, all
 * evaluated on a module's first request) with src/core/zod-locales.ts, which exports English only;
 * and zod's compiler and JSON Schema importer, which nothing calls, with modules of the same exports
 * (src/core/zod-compile.ts, src/core/zod-from-json-schema.ts: 44 KB of the minified bundle, and the
 * importer's evaluation at start-up). An alias matches an import path as zod writes it: if zod renames
 * it, the alias silently stops applying, so these tests pin both ends. The test pool bundles with Vite
 * and keeps zod's own modules.
 */
/// <reference types="vite/client" />
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/core/zod-locales';
import zodCore from '../../node_modules/zod/v4/core/index.js?raw';
import zodClassic from '../../node_modules/zod/v4/classic/external.js?raw';
import zodCompile from '../../node_modules/zod/v4/core/compile.js?raw';
import zodFromJsonSchema from '../../node_modules/zod/v4/classic/from-json-schema.js?raw';
import zodOpenApi from '../../node_modules/@hono/zod-openapi/dist/index.mjs?raw';
import zodToOpenApi from '../../node_modules/@asteasolutions/zod-to-openapi/dist/index.mjs?raw';
import zodValidator from '../../node_modules/@hono/zod-validator/dist/index.mjs?raw';
import wranglerToml from '../../wrangler.toml?raw';
import * as compileStub from '../../src/core/zod-compile';
import * as fromJsonSchemaStub from '../../src/core/zod-from-json-schema';

const aliases = () => /^\[alias\]\n((?:.+\n?)*)/m.exec(wranglerToml)?.[1] ?? '';

/** The names a module's source exports by declaration (`export const|class|function NAME`). */
const declaredExports = (source: string) =>
  [...source.matchAll(/^export (?:const|let|class|(?:async )?function\*?) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]).sort();

describe("zod's locale index is bundled as English only", () => {
  it('wrangler.toml aliases the exact path zod imports to the English-only module', () => {
    const alias = aliases();
    expect(alias).toContain('"../locales/index.js" = "./src/core/zod-locales.ts"');
    for (const source of [zodCore, zodClassic]) expect(source).toContain('export * as locales from "../locales/index.js";');
  });

  it("the replacement exports zod's own English locale, the one zod configures", () => {
    expect(Object.keys(z.locales)).toContain('en');
    expect(en).toBe(z.locales.en);
    expect(typeof en().localeError).toBe('function');
  });
});

describe("zod's compiler and JSON Schema importer are not bundled", () => {
  it('wrangler.toml aliases the exact paths zod imports them by', () => {
    const alias = aliases();
    expect(alias).toContain('"./compile.js" = "./src/core/zod-compile.ts"');
    expect(alias).toContain('"./from-json-schema.js" = "./src/core/zod-from-json-schema.ts"');
    expect(zodCore).toContain('export * from "./compile.js";');
    expect(zodClassic).toContain('export { fromJSONSchema } from "./from-json-schema.js";');
  });

  it("the replacements export exactly zod's names", () => {
    expect(declaredExports(zodCompile)).toEqual([
      'INVALID',
      'ZodCompileAsyncError',
      'ZodCompileUnsupportedError',
      'compile',
      'compileFn',
      'withParser',
    ]);
    expect(Object.keys(compileStub).sort()).toEqual(declaredExports(zodCompile));
    expect(declaredExports(zodFromJsonSchema)).toEqual(['fromJSONSchema']);
    expect(Object.keys(fromJsonSchemaStub).sort()).toEqual(declaredExports(zodFromJsonSchema));
  });

  it("compile leaves a schema on zod's runtime parser, as zod's does where new Function is forbidden; the rest refuse", () => {
    const schema = z.object({ name: z.string() });
    expect(compileStub.compile(schema)).toBe(schema);
    expect(() => compileStub.compile(schema, { strict: true })).toThrow(compileStub.ZodCompileUnsupportedError);
    expect(compileStub.INVALID).toBe(z.INVALID);
    expect(() => compileStub.withParser()).toThrow(compileStub.ZodCompileUnsupportedError);
    expect(() => compileStub.compileFn()).toThrow(/not bundled/);
    expect(() => fromJsonSchemaStub.fromJSONSchema()).toThrow(/not bundled/);
  });

  it('neither the API nor the zod libraries it bundles call them', () => {
    const sources = import.meta.glob('../../src/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<
      string,
      string
    >;
    const callers = Object.entries(sources)
      .filter(([path]) => !/\/core\/zod-(compile|from-json-schema)\.ts$/.test(path))
      .filter(([, text]) =>
        /\b(fromJSONSchema|withParser|compileFn)\b|\bz\.compile\(|\bcompile\(\s*[A-Za-z_$][\w$.]*Schema/.test(text),
      )
      .map(([path]) => path);
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    expect(callers).toEqual([]);
    for (const library of [zodOpenApi, zodToOpenApi, zodValidator])
      expect(library).not.toMatch(/\b(fromJSONSchema|withParser|compileFn)\b|\.compile\(/);
  });
});
