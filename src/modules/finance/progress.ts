import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { mount, route } from '../../core/route';
import { idParam } from '../../core/router';
import { goals } from '../../db/schema/finance';
import type { AppEnv } from '../../env';
import { cents } from './books';

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

/** `GET /api/finance/goals/{id}/progress/` → `{current, target, percentage}` as JSON numbers, in one round trip. */
export function mountGoalProgress(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'get',
      path: '/api/finance/goals/{id}/progress/',
      operationId: 'finance_goals_progress_retrieve',
      summary: "A goal's progress",
      description:
        '`{current, target, percentage}` of the goal as JSON numbers (percentage 0 when the target is 0). Staff and Admin; one round trip.',
      tags: ['finance'],
      audience: 'staff',
      params: idParam('Goal'),
      response: GoalProgress,
      handler: async ({ db, params }) => {
        const [goal] = await db
          .select({ current: goals.current_amount, target: goals.target_amount })
          .from(goals)
          .where(eq(goals.id, parseId(params.id, 'Goal')))
          .limit(1);
        if (!goal) throw drf.notFound('No Goal matches the given query.');
        return progressOf(goal.current, goal.target);
      },
    }),
  );
}
