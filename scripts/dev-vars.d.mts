/** Types of scripts/dev-vars.mjs (imported by the config tests). */
export function parseDevVars(text: string): Map<string, string>;
export function mergeDevVars(
  existing: string,
  example: string,
  generated?: Record<string, () => string>,
): { text: string; added: string[] };
