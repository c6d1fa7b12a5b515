/**
 * wrangler.toml's `[alias]` replaces zod's index of ~40 locales (410 KB, a fifth of the bundle, all
 * evaluated on a module's first request) with src/core/zod-locales.ts, which exports English only.
 * The alias matches the import path as zod writes it: if zod renames it, the alias silently stops
 * applying, so these tests pin both ends.
 */
/// <reference types="vite/client" />
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/core/zod-locales';
import zodCore from '../../node_modules/zod/v4/core/index.js?raw';
import zodClassic from '../../node_modules/zod/v4/classic/external.js?raw';
import wranglerToml from '../../wrangler.toml?raw';

describe("zod's locale index is bundled as English only", () => {
  it('wrangler.toml aliases the exact path zod imports to the English-only module', () => {
    const alias = /^\[alias\]\n((?:.+\n?)*)/m.exec(wranglerToml)?.[1] ?? '';
    expect(alias).toContain('"../locales/index.js" = "./src/core/zod-locales.ts"');
    for (const source of [zodCore, zodClassic]) expect(source).toContain('export * as locales from "../locales/index.js";');
  });

  it("the replacement exports zod's own English locale, the one zod configures", () => {
    expect(Object.keys(z.locales)).toContain('en');
    expect(en).toBe(z.locales.en);
    expect(typeof en().localeError).toBe('function');
  });
});
