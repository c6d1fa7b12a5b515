import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { accountResource } from './accounts';
import { mountApprove } from './approve';
import { goalMilestoneResource } from './goal-milestones';
import { goalResource } from './goals';
import { invoiceResource, mountUnpaidInvoices } from './invoices';
import { partyResource } from './parties';
import { mountPaymentRoutes, paymentResource } from './payments';
import { mountGoalProgress } from './progress';
import { mountRequisitionActions, requisitionResource } from './requisitions';
import { transactionResource } from './transactions';

/** The finance module's routes. List actions are mounted before their resource, so `unpaid/` is not read as an `{id}`. */
export function financeModule() {
  const app = createRouter();
  mountResource(app, partyResource);
  mountResource(app, accountResource);
  mountUnpaidInvoices(app);
  mountResource(app, invoiceResource);
  mountPaymentRoutes(app);
  mountResource(app, paymentResource);
  mountResource(app, transactionResource);
  mountRequisitionActions(app);
  mountApprove(app);
  mountResource(app, requisitionResource);
  mountGoalProgress(app);
  mountResource(app, goalResource);
  mountResource(app, goalMilestoneResource);
  return app;
}
