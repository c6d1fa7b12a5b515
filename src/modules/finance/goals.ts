import { asc } from 'drizzle-orm';
import { Goal, Goal_READ_ONLY, GoalRequest, PaginatedGoalList, PatchedGoal } from '../../contract/tamiti/finance/goals.gen';
import type { ResourceDef, Row } from '../../core/resource';
import { childrenStmt, groupBy } from '../../db';
import { goalMilestones, goals } from '../../db/schema/finance';
import { users } from '../../db/schema/users';
import { SERVER_OWNED, adminDeletes, requireAmount } from './access';

/**
 * `/api/finance/goals/`: savings or revenue targets. `current_amount` is not client-writable: it is
 * Σ of the goal's incoming payments, kept by the payments' batches (books.ts). `milestones` are the
 * goal's milestones (managed at `/api/finance/goal-milestones/`), loaded in the goals' own round trip.
 */
export const goalResource: ResourceDef<typeof goals> = {
  path: '/finance/goals/',
  operationId: 'finance_goals',
  tag: 'finance',
  model: 'Goal',
  table: goals,
  schemas: { read: Goal, write: GoalRequest, patch: PatchedGoal, page: PaginatedGoalList },
  readOnly: [...Goal_READ_ONLY, ...SERVER_OWNED, 'current_amount'],
  search: [goals.title],
  filters: { owner: { column: goals.owner, type: 'int' } },
  ordering: {
    title: goals.title,
    target_amount: goals.target_amount,
    current_amount: goals.current_amount,
    due_date: goals.due_date,
    owner: goals.owner,
    created_at: goals.created_at,
    updated_at: goals.updated_at,
  },
  foreignKeys: { owner: users },
  can: adminDeletes,
  prepare: (_k, values) => {
    requireAmount(values, 'target_amount', { allowZero: true });
    return values;
  },
  expansion: {
    load: (k, ids) => [
      childrenStmt(k.db, goalMilestones, goalMilestones.goal, ids, undefined, [
        asc(goalMilestones.amount),
        asc(goalMilestones.id),
      ]),
    ],
    attach: (_k, rows, [milestones]) => {
      const byGoal = groupBy(milestones as Row[], 'goal');
      return rows.map((r) => ({ ...r, milestones: byGoal.get(r.id) ?? [] }));
    },
  },
};
