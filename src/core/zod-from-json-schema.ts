/**
 * zod's `z.fromJSONSchema` (`zod/v4/classic/from-json-schema.js`), replaced when bundling by this
 * module (wrangler.toml's `[alias]`; the test pool keeps zod's own). Nothing in the API or its
 * libraries converts JSON Schema to zod, and zod's module costs every start-up about 2 ms: it copies
 * every export of zod's schemas and checks into an object when it is evaluated. Checked by
 * test/platform/bundle-alias.test.ts.
 */
export function fromJSONSchema(): never {
  throw new Error("z.fromJSONSchema is not bundled in this Worker (wrangler.toml's [alias]).");
}
