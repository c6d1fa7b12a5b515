import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { leadActionResource } from './actions';
import { mountConvertToLead } from './convert-to-lead';
import { mountHotLeads } from './hot-leads';
import { leadResource } from './leads';
import { visitResource } from './visits';
import { zoneResource } from './zones';

/** The field module's routes. */
export function fieldModule() {
  const app = createRouter();
  mountResource(app, leadActionResource);
  mountHotLeads(app); // before leads/{id}/, which would otherwise take "hot" for an id
  mountResource(app, leadResource);
  mountResource(app, visitResource);
  mountConvertToLead(app);
  mountResource(app, zoneResource);
  return app;
}
