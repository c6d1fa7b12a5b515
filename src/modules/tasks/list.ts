/**
 * GET /api/tasks/: the tasks the caller may see, one page at a time, in one round trip (count, page,
 * the page's related fields and the `?project=` check). Its own module: a first list builds the
 * read schemas only, not the write bodies (src/app.ts serves GETs of the list from it; ./tasks.ts
 * mounts it again with the rest of /api/tasks/).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, count, eq, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { pageParams, pageRequest, paginate } from '../../core/pagination';
import { type Filter, filterWhere } from '../../core/resource';
import { mount, route } from '../../core/route';
import { runBatch } from '../../db';
import { projects } from '../../db/schema/projects';
import { tasks } from '../../db/schema/tasks';
import type { AppEnv } from '../../env';
import { projectVisibleTo, taskVisibleTo } from '../projects/access';
import { PaginatedTaskReadList } from './schemas';
import { presentTasks, TASK_ORDER, type TaskRow, taskExpansion } from './service';

const taskFilters: Record<string, Filter> = {
  project: { column: tasks.project, type: 'int', description: 'Tasks of this project (id).' },
  status: { column: tasks.status, description: 'todo, in_progress or done.' },
  priority: { column: tasks.priority, description: 'low, medium, high or critical.' },
  due_date_after: { column: tasks.due_date, op: 'date_gte', type: 'date', description: 'Due on or after this day (UTC).' },
  due_date_before: { column: tasks.due_date, op: 'date_lte', type: 'date', description: 'Due on or before this day (UTC).' },
};

const listQuery = z.object({
  ...pageParams,
  ...Object.fromEntries(
    Object.entries(taskFilters).map(([name, f]) => [
      name,
      z
        .string()
        .optional()
        .openapi({
          type: f.type === 'int' ? 'integer' : 'string',
          format: f.type === 'date' ? 'date' : undefined,
          description: f.description,
        }),
    ]),
  ),
});

export const taskListRoute = route({
  method: 'get',
  path: '/api/tasks/',
  operationId: 'tasks_list',
  summary: 'List tasks',
  description:
    "The tasks the caller may see (of projects they see, assigned to them, or their own tasks without a project), one page at a time, in a fixed order. Filters: `?project=` (a project the caller cannot see is a 400, as django-filter's choice filter), `?status=`, `?priority=`, `?due_date_after=`, `?due_date_before=` (whole UTC days). Paginated: `?page=` and `?page_size=` (default 10, at most 100). Any signed-in user.",
  tags: ['tasks'],
  audience: 'staff',
  query: listQuery,
  response: PaginatedTaskReadList,
  // One round trip: count, page, the page's related fields and the `?project=` check.
  handler: async ({ s, db, actor, query }) => {
    const q = query as Record<string, string | undefined>;
    const page = pageRequest(q);
    const where = and(taskVisibleTo(actor.id), filterWhere(taskFilters, q));
    const pageRows = db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(...TASK_ORDER)
      .limit(page.pageSize)
      .offset(page.offset);
    const ids = sql`(${db
      .select({ id: tasks.id })
      .from(tasks)
      .where(where)
      .orderBy(...TASK_ORDER)
      .limit(page.pageSize)
      .offset(page.offset)})`;
    const projectCheck = q.project
      ? [
          db
            .select({ id: projects.id })
            .from(projects)
            .where(and(eq(projects.id, Number(q.project)), projectVisibleTo(actor.id)))
            .limit(1),
        ]
      : [];
    const [[{ total }], rows, ...rest] = (await runBatch(db, [
      db.select({ total: count() }).from(tasks).where(where),
      pageRows,
      ...taskExpansion(db, ids),
      ...projectCheck,
    ])) as [[{ total: number }], TaskRow[], ...unknown[][]];
    // django-filter's ModelChoiceFilter: an unknown (here: invisible) project is a 400.
    if (q.project && !rest[3].length)
      throw drf.field('project', 'Select a valid choice. That choice is not one of the available choices.');
    return paginate(s.url, page, total, presentTasks(actor, rows, rest.slice(0, 3)));
  },
});

/** Mounts the list alone (the area's read app). */
export function mountTaskList(app: OpenAPIHono<AppEnv>) {
  mount(app, taskListRoute);
}
