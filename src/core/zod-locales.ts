/**
 * zod's index of its ~40 locales (410 KB of the bundle: a fifth of it), reduced to the one the API
 * speaks. zod imports the index as `../locales/index.js` for its `locales` namespace export, which
 * nothing here reads; its English messages come from `en.js` directly. wrangler.toml's `[alias]`
 * substitutes this file when bundling (wrangler dev, deploy, the bench); the test pool bundles with
 * Vite and keeps zod's own index, which changes nothing but size. Checked by
 * test/platform/bundle.test.ts.
 */
export { default as en } from 'zod/v4/locales/en.js';
