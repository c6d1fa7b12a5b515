/**
 * The document-level documentation: the introduction (the two families, the bookings extension,
 * authentication), a description per tag, and error examples in each family's shape. Applied to the
 * generated document by `buildDocument` (docs.ts); everything here is an addition to what the routes
 * declare, except for a route that documents none (then its error responses gain an example).
 */

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON
type Node = any;

export const INTRODUCTION = `One Cloudflare Worker serving two APIs under \`/api\`.

## The two families
- **Tamiti Studio** (\`/api/users/\`, \`/api/auth/\`, \`/api/accounts/\`, \`/api/field/\`, \`/api/finance/\`, \`/api/projects/\`,
  \`/api/tasks/\`, \`/api/chat/\`, \`/api/assistants/\`, \`/api/notifications/\`, \`/api/dashboard/\`, \`/api/content/\`,
  \`/api/social/\`): business operations with Django REST Framework conventions. Integer ids; lists are pages
  \`{count, next, previous, results}\` with \`?page=\` and \`?page_size=\` (default 10, at most 100); errors are
  \`{"detail": "..."}\` or field errors \`{"field": ["message"], "non_field_errors": ["..."]}\`.
  Roles: Admin, Staff and Customer; Customers reach only their own profile, chat, notifications and assistants (403 elsewhere).
- **Workspaces** (\`/api/user/\`, \`/api/workspace/\`): workspaces, branches, bookable spaces with rates, admin onboarding
  and members with roles. UUID ids; every answer is an envelope \`{"success": true|false, "message": "...", ...}\`
  with the payload under \`data\` and under its own key (\`{"data": branch, "branch": branch}\`), failures
  \`{"success": false, "message": "...", "errors": {"field": ["message"]}}\`.
- **Bookings** (tags \`workspace-bookings\` and \`workspace-public\`) extend the Workspaces family: availability of a
  space, booking it for an interval (409 when the interval is taken), check-in and cancellation, and public discovery of
  spaces (no token).

A client written against either original works unchanged: same paths (always with the trailing slash; a path without it
redirects, 301 for GET/HEAD, 308 otherwise), methods, field names, envelopes, status codes and messages. Where the original was
buggy the difference is stated in the operation's description.

## Authentication
- **Bearer token**: \`Authorization: Bearer <access>\`. Sign in with \`POST /api/users/login/\` (or \`/api/auth/login/\`,
  \`/api/user/login/\`, \`/api/workspace/admin/login/\`); access tokens live 30 minutes. A password reset, a role change or a
  deactivation ends every token issued before it at once (401). The \`jwtAuth\` scheme marks the operations that need it;
  operations whose security includes \`{}\` read a token when one is sent.
- **Refresh cookie**: sign-in sets the HttpOnly \`refresh_token\` cookie (7 days, path \`/api/\`). \`POST /api/users/token/refresh/\`
  answers a new access token and rotates the cookie; a replayed refresh token revokes its whole family. Clients that cannot keep
  cookies send \`{"refresh": "..."}\` instead.
- **WebSockets** (chat rooms, \`GET /api/chat/channels/{id}/ws/\`, \`/api/chat/direct-threads/{id}/ws/\`): browsers cannot set
  headers on a WebSocket, so the token comes as \`?token=<access>\` or as a subprotocol offer
  (\`new WebSocket(url, ['bearer', access])\`). The room closes the socket with code 4401 when the token expires.
- **Read your own writes**: every response carries \`x-d1-bookmark\` (the position of the database session it saw). Reads may
  be served by a nearby read replica; send the last bookmark you received back as the \`x-d1-bookmark\` request header and the read
  sees at least everything up to it (for example, a list right after a create).

## Limits and errors
Identity endpoints allow 10 tries a minute per client IP (logins also per account): past that, 429 with \`Retry-After\`
(seconds). Request bodies are limited to 1 MB (413); a body type no route reads is 415; a wrong method is 405 with \`Allow\`.
Every response carries \`X-Request-Id\`; an unexpected failure is a generic 500 naming it (the details go to the logs only).`;

/** One description per tag. */
export const TAGS: Record<string, string> = {
  users:
    'Tamiti identity under `/api/users/`: registration with an emailed verify link, sign-in, refresh-cookie rotation, the current user, password reset by emailed link, and the Admin-only role and active-state change.',
  auth: 'The same identity routes as `users`, under `/api/auth/` (the original served both prefixes; they share rate limits).',
  accounts:
    'Org structure and people: branches, departments, designations, staff roles, staff and customer profiles, the users list and virtual assistants. Staff and Admin; only Admin deletes org-structure records.',
  field: 'Field sales: zones, leads (with a computed score and conversion), visits and lead actions.',
  finance:
    'Parties, accounts, invoices, payments, transactions, requisitions (Admin approves), goals and their milestones. Amounts are decimal strings; only Admin deletes finance records.',
  projects: 'Projects with their members, milestones and comments.',
  tasks: 'Tasks, their assignment and the done/undone toggle; assignees are notified.',
  chat: 'Channels and direct threads over REST (messages, membership, read markers, unread counts) and live over WebSockets (one Durable Object per room; replay with `?since=`).',
  assistants:
    'Virtual assistants: commands, default responses and the chat endpoint (Workers AI when the `AI` binding is configured, else the default response).',
  notifications:
    "The caller's notifications (read/unread), and the Admin's view of dead-lettered queue messages (metadata only, never their bodies).",
  dashboard: 'Figures computed from the other modules: summary and KPIs.',
  content: 'Media categories and media assets.',
  files:
    'Uploaded files, served from R2 through the signed, expiring URLs that responses give (no Authorization header needed, so they work in an `<img>` tag).',
  social: 'Social platform profiles, posts, their comments and metrics.',
  user: 'Workspaces identity under `/api/user/` (envelope family): registration, sign-in by email or Google, profile, token refresh and password reset by emailed code.',
  workspace:
    'Workspaces, their branches and bookable spaces with rates, and members with roles (admin, branch manager, member). Outsiders get the same 404 as for a row that does not exist.',
  'workspace admin': 'Admin onboarding: an admin registers, signs in and sets up a workspace with its first branch in one flow.',
  'workspace-bookings':
    'The bookings extension of the Workspaces family: availability of a space, bookings for an interval (never overlapping), check-in and cancellation.',
  'workspace-public':
    'Public discovery of the bookings extension, no token needed: listed spaces with their details, availability and reviews.',
  dev: 'Development only (served when ENVIRONMENT is `development` or `test`, absent in production): the mailbox of the console email transport and the Google sign-in stand-in.',
};

const WORKSPACE_PREFIXES = ['/api/user/', '/api/workspace/'];
const isEnvelope = (path: string) => WORKSPACE_PREFIXES.some((p) => path.startsWith(p));

const DRF_EXAMPLES: Record<string, unknown> = {
  400: { email: ['Enter a valid email address.'], name: ['This field is required.'] },
  401: { detail: 'Authentication credentials were not provided.' },
  403: { detail: 'You do not have permission to perform this action.' },
  404: { detail: 'Not found.' },
  429: { detail: 'Request was throttled. Expected available in 60 seconds.' },
};

const ENVELOPE_EXAMPLES: Record<string, unknown> = {
  400: { success: false, message: 'Invalid data provided', errors: { name: ['This field is required.'] } },
  401: { detail: 'Authentication credentials were not provided.' },
  403: {
    success: false,
    message: 'Only workspace admin can delete spaces',
    errors: { non_field_errors: ['Only workspace admin can delete spaces'] },
  },
  404: { success: false, message: 'Space not found', errors: { non_field_errors: ['Space not found'] } },
};

/** What an error response's schema accepts, roughly: the `{detail}` shape, DRF field errors or the envelope. */
function shapeOf(doc: Node, schema: Node): 'detail' | 'fields' | 'envelope' | undefined {
  const resolved = schema?.$ref ? doc.components?.schemas?.[String(schema.$ref).split('/').pop()!] : schema;
  if (!resolved || typeof resolved !== 'object') return undefined;
  const props = resolved.properties ?? {};
  if (props.success) return 'envelope';
  if (props.detail && Object.keys(props).length === 1) return 'detail';
  if (resolved.type === 'object' && !resolved.properties && resolved.additionalProperties !== undefined) return 'fields';
  return undefined;
}

/** Adds an example to each error response that has none, in the family's shape, when the schema fits it. */
function addErrorExamples(doc: Node) {
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {}))
    for (const op of Object.values<Node>(item)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      for (const [status, res] of Object.entries<Node>(op.responses)) {
        const media = res?.content?.['application/json'];
        if (!media || media.example !== undefined || media.examples !== undefined) continue;
        const example = (isEnvelope(path) ? ENVELOPE_EXAMPLES : DRF_EXAMPLES)[status];
        if (example === undefined) continue;
        const shape = shapeOf(doc, media.schema);
        const exampleShape =
          'success' in (example as object) ? 'envelope' : 'detail' in (example as object) ? 'detail' : 'fields';
        if (shape === exampleShape || (shape === 'fields' && exampleShape !== 'envelope')) media.example = example;
      }
    }
}

/** Applies the introduction, the tag descriptions and the error examples to a generated document. */
export function documentDocs(doc: Node): Node {
  doc.info = { ...doc.info, description: INTRODUCTION };
  const used = new Set<string>();
  for (const item of Object.values<Node>(doc.paths ?? {}))
    for (const op of Object.values<Node>(item)) for (const tag of op?.tags ?? []) used.add(tag);
  doc.tags = [...used].sort().map((name) => ({ name, description: TAGS[name] ?? '' }));
  // Redoc's side menu: the two families, each with its tags.
  const workspaceTags = ['user', 'workspace', 'workspace admin', 'workspace-bookings', 'workspace-public'];
  doc['x-tagGroups'] = [
    { name: 'Tamiti Studio', tags: [...used].sort().filter((t) => !workspaceTags.includes(t) && t !== 'dev') },
    { name: 'Workspaces', tags: workspaceTags.filter((t) => used.has(t)) },
    ...(used.has('dev') ? [{ name: 'Development', tags: ['dev'] }] : []),
  ];
  const fieldErrors = doc.components?.schemas?.ValidationError;
  if (fieldErrors && fieldErrors.example === undefined) fieldErrors.example = DRF_EXAMPLES[400];
  addErrorExamples(doc);
  return doc;
}
