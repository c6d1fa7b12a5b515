import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { accountResource } from './accounts';
import { mountApprove } from './approve';
import { goalMilestoneResource } from './goal-milestones';
import { goalResource } from './goals';
import { invoiceResource } from './invoices';
import { partyResource } from './parties';
import { paymentResource } from './payments';
import { mountGoalProgress } from './progress';
import { requisitionResource } from './requisitions';
import { transactionResource } from './transactions';

/** The finance module's routes (each resource mounts its list views, `unpaid/` and the like, before its `{id}`). */
export function financeModule() {
  const app = createRouter();
  mountResource(app, partyResource);
  mountResource(app, accountResource);
  mountResource(app, invoiceResource);
  mountResource(app, paymentResource);
  mountResource(app, transactionResource);
  mountApprove(app);
  mountResource(app, requisitionResource);
  mountGoalProgress(app);
  mountResource(app, goalResource);
  mountResource(app, goalMilestoneResource);
  return app;
}
