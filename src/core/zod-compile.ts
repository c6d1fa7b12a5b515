/**
 * zod's `z.compile` (`zod/v4/core/compile.js`, 29 KB of the minified bundle: a code generator whose
 * output runs through `new Function`, which Workers forbid), replaced when bundling by this module
 * with the same exports (wrangler.toml's `[alias]`; the test pool keeps zod's own). Nothing in the
 * API or its libraries calls it. Where zod's `compile` cannot generate code it returns the schema
 * unchanged (or, asked to be strict, refuses), which in a Worker is every time: this one does the
 * same. The two lower-level entries, for parsers generated elsewhere, refuse.
 * test/platform/bundle-alias.test.ts checks that the exports match zod's.
 */

/** zod's marker for a failed compiled parse (the same registered symbol as zod's). */
export const INVALID = Symbol.for('zod.compile.invalid');

/** As zod's: a schema with async refinements or transforms. */
export class ZodCompileAsyncError extends Error {
  constructor(message = 'z.compile does not support async refinements, transforms, or checks') {
    super(message);
    this.name = 'ZodCompileAsyncError';
  }
}

/** As zod's: a schema the compiled path cannot model. */
export class ZodCompileUnsupportedError extends Error {
  constructor(
    feature: string,
    readonly islandable = true,
  ) {
    super(`z.compile does not support ${feature}; this schema must use the runtime parser`);
    this.name = 'ZodCompileUnsupportedError';
  }
}

const notBundled = (name: string) =>
  new ZodCompileUnsupportedError(`${name} in this Worker (zod's compiler is not bundled: wrangler.toml [alias])`, false);

/**
 * The schema itself: it keeps zod's runtime parser, as zod's `compile` leaves it without `new Function`;
 * `{ strict: true }` refuses, as zod's does when it cannot compile.
 */
export function compile<T>(schema: T, options?: { strict?: boolean }): T {
  if (options?.strict) throw notBundled('compile');
  return schema;
}

/** Refuses: zod's compiler is not bundled. */
export function withParser(): never {
  throw notBundled('withParser');
}

/** Refuses: zod's compiler is not bundled. */
export function compileFn(): never {
  throw notBundled('compileFn');
}
