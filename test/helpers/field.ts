/** Field factories over the API: leads, zones and visits. */
import { api, expectStatus } from './http';

let n = 0;
/** A unique marker to find a test's own rows with `?search=`. */
export const mark = (p = 'm') => `${p}${Date.now().toString(36)}${n++}`;

export async function createLead(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/field/leads/', {
    token,
    body: { business_name: mark('biz'), contact_phone: '0700000000', ...body },
  });
  expectStatus(res, 201);
  return res.json;
}

export async function createZone(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/field/zones/', { token, body: { name: mark('zone'), ...body } });
  expectStatus(res, 201);
  return res.json;
}

export async function createVisit(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/field/visits/', {
    token,
    body: { location: 'Kampala', business_name: mark('visit'), contact_phone: '0711111111', ...body },
  });
  expectStatus(res, 201);
  return res.json;
}
