/**
 * `.dev.vars` handling for `npm run dev` (scripts/prepare-dev.mjs), kept pure so the test suite can
 * check it: parse KEY=value lines, and add the keys of .dev.vars.example that a developer's
 * .dev.vars lacks (a checkout older than a new setting), never changing a value already there.
 */

/** The KEY=value pairs of a .dev.vars-style text (comments and blank lines skipped; quotes kept as written). */
export function parseDevVars(text) {
  const vars = new Map();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (m && !line.trim().startsWith('#')) vars.set(m[1], m[2].trim());
  }
  return vars;
}

/**
 * The new .dev.vars text: `existing` unchanged, then every key of `example` it lacks, with the
 * example's value (or `generated[key]()` for keys such as JWT_SECRET that must be random).
 * Returns the text and the names of the keys added.
 */
export function mergeDevVars(existing, example, generated = {}) {
  const have = parseDevVars(existing);
  const added = [];
  const lines = [];
  for (const [key, value] of parseDevVars(example)) {
    if (have.has(key)) continue;
    added.push(key);
    lines.push(`${key}=${generated[key] ? generated[key]() : value}`);
  }
  if (!added.length) return { text: existing, added };
  const head = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
  const note = existing === '' ? '' : '# Added by npm run dev from .dev.vars.example (missing in this file):\n';
  return { text: `${head}${note}${lines.join('\n')}\n`, added };
}
