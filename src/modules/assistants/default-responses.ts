/**
 * CRUD /api/assistants/default-responses/ (extra): what an assistant says when no command matches
 * and no model answers. The first one (lowest id) is used; `condition` is informational.
 */
import { z } from '@hono/zod-openapi';
import { pk, str } from '../../core/fields';
import { paginated } from '../../core/pagination';
import type { ResourceDef } from '../../core/resource';
import { defaultResponses } from '../../db/schema/assistants';
import { adminWrites, assistantRefChecks } from './refs';

const fields = {
  role: pk().openapi({ description: 'The assistant (virtual StaffRole id).' }),
  condition: str({ max: 255, blank: true }).optional(),
  fallback_text: str(),
};

export const DefaultResponse = z
  .object({
    id: z.number().int(),
    role: z.number().int(),
    condition: z.string(),
    fallback_text: z.string(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('DefaultResponse');
const DefaultResponseRequest = z.object(fields).openapi('DefaultResponseRequest');
const PatchedDefaultResponse = z.object(fields).partial().openapi('PatchedDefaultResponse');

export const defaultResponseResource: ResourceDef<typeof defaultResponses> = {
  path: '/assistants/default-responses/',
  operationId: 'assistants_default_responses',
  tag: 'assistants',
  model: 'DefaultResponse',
  table: defaultResponses,
  schemas: {
    read: DefaultResponse,
    write: DefaultResponseRequest,
    patch: PatchedDefaultResponse,
    page: paginated(DefaultResponse, 'PaginatedDefaultResponseList'),
  },
  readOnly: ['id', 'created_at', 'updated_at'],
  audience: 'any',
  can: adminWrites,
  filters: { role: { column: defaultResponses.role, type: 'int' } },
  defaultOrdering: ['id'],
  checks: assistantRefChecks,
};
