/**
 * The README's typed-client example, compiled by `npm run typecheck` against client/api.d.ts
 * (generated from the OpenAPI document by `npm run gen:client`): when the API changes in a way
 * that breaks it, the build fails.
 */
import createClient from 'openapi-fetch';
import type { paths } from './api';

export async function hotLeads(access: string) {
  const api = createClient<paths>({ baseUrl: 'http://localhost:8787' });
  const { data, error } = await api.GET('/api/field/leads/', {
    params: { query: { search: 'Demo', page_size: 5 } },
    headers: { authorization: `Bearer ${access}` },
  });
  if (data) for (const lead of data.results) console.log(lead.business_name, lead.stage);
  else console.error(error);

  const login = await api.POST('/api/users/login/', { body: { email: 'admin@tamiti.test', password: 'DemoPass123!' } });
  return login.data?.access;
}
