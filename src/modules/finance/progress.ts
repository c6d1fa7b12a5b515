import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { getVisible, kitOf, parseId } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { idParam } from './access';
import { cents } from './books';
import { goalResource } from './goals';

export const GoalProgress = z
  .object({
    current: z.number().openapi({ description: 'The goal’s current amount.' }),
    target: z.number().openapi({ description: 'The goal’s target amount.' }),
    percentage: z
      .number()
      .openapi({ description: 'current / target × 100, rounded to 2 places (0 when the target is 0); not capped.' }),
  })
  .openapi('GoalProgress');

/** current / target as a percentage with two decimals, from integer cents. */
export function progressOf(current: string, target: string) {
  const c = cents(current);
  const t = cents(target);
  return { current: c / 100, target: t / 100, percentage: t === 0 ? 0 : Math.round((c * 10000) / t) / 100 };
}

/** `GET /api/finance/goals/{id}/progress/` → `{current, target, percentage}` as JSON numbers. */
export function mountGoalProgress(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'get',
    path: '/api/finance/goals/{id}/progress/',
    operationId: 'finance_goals_progress_retrieve',
    tags: ['finance'],
    security: bearer,
    middleware: [requireAuth()] as const,
    request: { params: idParam('Goal') },
    responses: { 200: jsonResponse(GoalProgress, ''), ...drfErrors },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c);
    const goal = await getVisible(goalResource, k, parseId(c.req.param('id'), 'Goal'));
    return c.json(progressOf(goal.current_amount as string, goal.target_amount as string), 200);
  });
}
