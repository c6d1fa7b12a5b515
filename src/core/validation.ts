/**
 * Turns zod issues into DRF field errors with DRF's own messages, nested as DRF nests them
 * (`{"items": {"0": {"name": ["..."]}}}`), so a client written against the original reads them unchanged.
 */
import { z } from '@hono/zod-openapi';
import type { FieldErrors } from './errors';

type Issue = z.core.$ZodIssue;

function typeName(v: unknown) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return 'dict';
}

/** "required" or "may not be null" for an absent or null input, where the issue's kind allows it. */
function missingMessage(issue: Issue, input: unknown): string | undefined {
  if (issue.code !== 'invalid_type' && issue.code !== 'invalid_value' && issue.code !== 'invalid_union') return undefined;
  if (input === undefined) return 'This field is required.';
  if (input === null) return 'This field may not be null.';
  return undefined;
}

/** DRF's message for a value of the wrong type. */
function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>, input: unknown): string {
  switch (issue.expected) {
    case 'number':
    case 'int':
      return (issue as { expected: string }).expected === 'int' || /int/i.test(issue.message)
        ? 'A valid integer is required.'
        : 'A valid number is required.';
    case 'boolean':
      return 'Must be a valid boolean.';
    case 'string':
      return 'Not a valid string.';
    case 'array':
      return `Expected a list of items but got type "${typeName(input)}".`;
    case 'object':
      return `Invalid data. Expected a dictionary, but got ${typeName(input)}.`;
    default:
      return 'Invalid value.';
  }
}

/** DRF's message for a string, list or number out of bounds. */
function boundsMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  if (issue.code === 'too_small') {
    if (issue.origin === 'string')
      return Number(issue.minimum) === 1
        ? 'This field may not be blank.'
        : `Ensure this field has at least ${issue.minimum} characters.`;
    if (issue.origin === 'array')
      return Number(issue.minimum) === 1
        ? 'This list may not be empty.'
        : `Ensure this field has at least ${issue.minimum} elements.`;
    return `Ensure this value is greater than or equal to ${issue.minimum}.`;
  }
  if (issue.origin === 'string') return `Ensure this field has no more than ${issue.maximum} characters.`;
  if (issue.origin === 'array') return `Ensure this field has no more than ${issue.maximum} elements.`;
  return `Ensure this value is less than or equal to ${issue.maximum}.`;
}

/** DRF's message for a value of the right type in the wrong format. */
function formatMessage(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  if (issue.format === 'email') return 'Enter a valid email address.';
  if (issue.format === 'url') return 'Enter a valid URL.';
  if (issue.format === 'uuid') return 'Must be a valid UUID.';
  if (issue.format === 'regex') return 'This value does not match the required pattern.';
  return 'Invalid format.';
}

/**
 * DRF's message for one raw zod issue. Installed as zod's global error map (below), where the
 * issue still carries its input; schema-level messages (fields.ts builders) take precedence.
 */
export function drfMessage(issue: Issue): string {
  const input = (issue as { input?: unknown }).input;
  const missing = missingMessage(issue, input);
  if (missing) return missing;
  switch (issue.code) {
    case 'invalid_type':
      return typeMessage(issue, input);
    case 'too_small':
    case 'too_big':
      return boundsMessage(issue);
    case 'invalid_value':
    case 'invalid_union':
      return `"${String(input)}" is not a valid choice.`;
    case 'invalid_format':
      return formatMessage(issue);
    case 'unrecognized_keys':
      return `Unexpected field(s): ${issue.keys.join(', ')}.`;
    case 'custom':
      return issue.message;
    default:
      return issue.message || 'Invalid value.';
  }
}

// zod hands its error map a raw issue (message and path still optional), which drfMessage reads as an issue.
z.config({ customError: (iss) => drfMessage(iss as Issue) });

/** Builds the DRF error object from zod issues. An issue at the root goes to non_field_errors. */
export function toFieldErrors(issues: readonly Issue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    const message = issue.message;
    if (path.length === 0) {
      const list = (out.non_field_errors as string[] | undefined) ?? [];
      if (!list.includes(message)) list.push(message);
      out.non_field_errors = list;
      continue;
    }
    let node: FieldErrors = out;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node[path[i]];
      if (!next || Array.isArray(next)) node[path[i]] = {};
      node = node[path[i]] as FieldErrors;
    }
    const leaf = path[path.length - 1];
    const list = Array.isArray(node[leaf]) ? (node[leaf] as string[]) : [];
    if (!list.includes(message)) list.push(message);
    node[leaf] = list;
  }
  return out;
}
