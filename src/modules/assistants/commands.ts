/**
 * CRUD /api/assistants/commands/ (extra; the original has no endpoint): an assistant's canned
 * commands, tried in id order before any model. `?role=` lists one assistant's commands.
 */
import { z } from '@hono/zod-openapi';
import { bool, pk, str } from '../../core/fields';
import { paginated } from '../../core/pagination';
import type { ResourceDef } from '../../core/resource';
import { drf } from '../../core/errors';
import { vaCommands } from '../../db/schema/assistants';
import { adminWrites, assistantRefChecks } from './refs';

const MatchType = z.enum(['exact', 'contains']).openapi('MatchTypeEnum', {
  description:
    '* `exact` - trimmed, case-insensitive equality\n* `contains` - the trigger is a substring of the message (case-insensitive)',
});
const ResponseMode = z.enum(['text', 'api']).openapi('ResponseModeEnum', {
  description: '* `text` - reply with `response_text`\n* `api` - reply with the `api_endpoint` string (no call is made)',
});

const fields = {
  role: pk().openapi({ description: 'The assistant (virtual StaffRole id).' }),
  trigger: str({ max: 255 }),
  match_type: MatchType.optional(),
  response_mode: ResponseMode.optional(),
  response_text: z.string().optional(),
  api_endpoint: str({ max: 255, blank: true }).optional(),
  requires_auth: bool().optional(),
};

export const VACommand = z
  .object({
    id: z.number().int(),
    role: z.number().int(),
    trigger: z.string(),
    match_type: MatchType,
    response_mode: ResponseMode,
    response_text: z.string(),
    api_endpoint: z.string(),
    requires_auth: z.boolean(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('VACommand');
const VACommandRequest = z.object(fields).openapi('VACommandRequest');
const PatchedVACommand = z.object(fields).partial().openapi('PatchedVACommand');

export const commandResource: ResourceDef<typeof vaCommands> = {
  path: '/assistants/commands/',
  operationId: 'assistants_commands',
  tag: 'assistants',
  model: 'VACommand',
  table: vaCommands,
  schemas: {
    read: VACommand,
    write: VACommandRequest,
    patch: PatchedVACommand,
    page: paginated(VACommand, 'PaginatedVACommandList'),
  },
  readOnly: ['id', 'created_at', 'updated_at'],
  audience: 'any',
  can: adminWrites,
  search: [vaCommands.trigger],
  filters: { role: { column: vaCommands.role, type: 'int' }, match_type: { column: vaCommands.match_type } },
  defaultOrdering: ['id'],
  checks: assistantRefChecks,
  prepare: (_k, values, existing) => {
    const merged = { ...existing, ...values };
    // A reply must exist for the chosen mode (the original accepted commands that answer "").
    if ((merged.response_mode ?? 'text') === 'text' && !String(merged.response_text ?? '').trim())
      throw drf.field('response_text', 'This field is required when response_mode is "text".');
    if (merged.response_mode === 'api' && !String(merged.api_endpoint ?? '').trim())
      throw drf.field('api_endpoint', 'This field is required when response_mode is "api".');
    return values;
  },
};
