import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { GoalMilestone, GoalMilestone_READ_ONLY, GoalMilestoneRequest } from '../../contract/tamiti/finance/goals.gen';
import { bool, decimal, int } from '../../core/fields';
import type { ResourceDef } from '../../core/resource';
import { goalMilestones, goals } from '../../db/schema/finance';
import { adminDeletes, requireAmount } from './access';
import { claimMilestones, milestoneEvents, recomputeMilestones } from './books';

export const PatchedGoalMilestone = z
  .object({
    id: z.any().openapi({ readOnly: true }).optional(),
    amount: decimal({ maxDigits: 12, places: 2 }).optional(),
    notify: bool().optional(),
    is_reached: bool().optional().openapi({ description: 'Ignored: computed from the goal.' }),
    goal: int().optional(),
  })
  .openapi('PatchedGoalMilestone');

/**
 * `/api/finance/goal-milestones/` (not in the reference: the original offered no way to create
 * milestones). `is_reached` = the goal's current amount ≥ the milestone's amount, recomputed with the
 * goal; when a `notify` milestone becomes reached its goal's owner is notified once.
 */
export const goalMilestoneResource: ResourceDef<typeof goalMilestones> = {
  path: '/finance/goal-milestones/',
  operationId: 'finance_goal_milestones',
  tag: 'finance',
  model: 'GoalMilestone',
  table: goalMilestones,
  schemas: { read: GoalMilestone, write: GoalMilestoneRequest, patch: PatchedGoalMilestone },
  readOnly: [...GoalMilestone_READ_ONLY, 'is_reached'],
  filters: {
    goal: { column: goalMilestones.goal, type: 'int' },
    is_reached: { column: goalMilestones.is_reached, type: 'bool' },
  },
  ordering: { amount: goalMilestones.amount, goal: goalMilestones.goal },
  foreignKeys: { goal: goals },
  can: adminDeletes,
  prepare: (_k, values) => {
    requireAmount(values, 'amount', { allowZero: true });
    return values;
  },
  sideEffects: (k, ev) => {
    if (ev.action === 'destroy') return [];
    const goal = (ev.values.goal ?? ev.existing?.goal) as number;
    return [...recomputeMilestones(k.db, eq(goalMilestones.goal, goal)), ...claimMilestones(k.db, [goal])];
  },
  // The milestones the write's own batch found reached and claimed (its last side effect).
  after: (_k, ev) => (ev.row ? milestoneEvents(ev.effects?.at(-1)) : undefined),
};
