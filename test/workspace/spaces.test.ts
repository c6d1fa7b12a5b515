import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBranch, createSpace, expectFailure, world, type World } from '../helpers/workspace';
import { api, expectStatus, uniq } from '../helpers';

let w: World;
let managedBranch: string;
beforeAll(async () => {
  w = await world();
  // The staff member manages this branch (and only this one).
  managedBranch = await createBranch(w.admin.token, w.workspaceId, { manager_id: w.staff.uuid });
});

const create = (token: string, body: Record<string, unknown>) =>
  api('/api/workspace/spaces/create/', {
    token,
    body: { name: uniq('Room'), space_type: 'meeting_room', capacity: 4, hourly_rate: 10, ...body },
  });

describe('POST /api/workspace/spaces/create/ (branch_id in the body, as the seed)', () => {
  it("creates the seed's example, whose private_office type was added to the original's enum", async () => {
    const res = await api('/api/workspace/spaces/create/', {
      token: w.admin.token,
      body: {
        branch_id: w.branchId,
        name: 'Private Office',
        space_type: 'private_office',
        capacity: 4,
        hourly_rate: 50.0,
        daily_rate: 350.0,
        monthly_rate: 5000.0,
        amenities: ['WiFi', 'Parking', 'Coffee'],
      },
    });
    expectStatus(res, 201);
    expect(res.json.message).toBe('Space created successfully');
    expect(res.json.space).toEqual(res.json.data);
    expect(res.json.data).toMatchObject({
      branch_id: w.branchId,
      workspace_id: w.workspaceId,
      name: 'Private Office',
      space_type: 'private_office',
      capacity: 4,
      hourly_rate: '50.00',
      price_per_hour: '50.00',
      daily_rate: '350.00',
      monthly_rate: '5000.00',
      amenities: ['WiFi', 'Parking', 'Coffee'],
      is_available: true,
    });
    expect(res.json.data.id).toBe(res.json.data.space_id);
  });

  it('accepts every space type of the original', async () => {
    for (const type of ['meeting_room', 'office', 'coworking', 'event_space', 'desk', 'lounge']) {
      expectStatus(await create(w.admin.token, { branch_id: w.branchId, space_type: type }), 201);
    }
  });

  it('keeps rates exact: integer cents inside, two-decimal strings outside', async () => {
    const res = await create(w.admin.token, {
      branch_id: w.branchId,
      hourly_rate: '19.99',
      daily_rate: 0.1,
      monthly_rate: '12345678.9',
    });
    expectStatus(res, 201);
    expect(res.json.data).toMatchObject({ hourly_rate: '19.99', daily_rate: '0.10', monthly_rate: '12345678.90' });
    const row = await env.DB.prepare('SELECT price_per_hour, daily_rate, monthly_rate FROM workspace_spaces WHERE id = ?')
      .bind(res.json.data.id)
      .first();
    expect(row).toEqual({ price_per_hour: 1999, daily_rate: 10, monthly_rate: 1234567890 });
  });

  it('takes the rate under its original name price_per_hour too', async () => {
    const res = await api('/api/workspace/spaces/create/', {
      token: w.admin.token,
      body: { branch_id: w.branchId, name: uniq('Orig'), space_type: 'desk', capacity: 1, price_per_hour: '7.5' },
    });
    expectStatus(res, 201);
    expect(res.json.data).toMatchObject({ hourly_rate: '7.50', price_per_hour: '7.50', daily_rate: null, monthly_rate: null });
  });

  it('lets a workspace manager create spaces in any branch', async () => {
    expectStatus(await create(w.manager.token, { branch_id: w.branchId }), 201);
  });

  it("lets a branch's manager create spaces in that branch only", async () => {
    expectStatus(await create(w.staff.token, { branch_id: managedBranch }), 201);
    expectFailure(
      await create(w.staff.token, { branch_id: w.branchId }),
      403,
      'Only workspace admin or branch manager can create spaces',
    );
  });

  it('refuses users and is a 404 for outsiders', async () => {
    expectFailure(
      await create(w.member.token, { branch_id: w.branchId }),
      403,
      'Only workspace admin or branch manager can create spaces',
    );
    expectFailure(await create(w.outsider.token, { branch_id: w.branchId }), 404, 'Branch not found');
  });

  it('requires branch_id, name, space_type, capacity and an hourly rate (no price: the original names price_per_hour, the seed hourly_rate; we name both)', async () => {
    const res = await api('/api/workspace/spaces/create/', { token: w.admin.token, body: {} });
    expect(expectFailure(res, 400, 'Space creation failed').errors).toEqual({
      branch_id: ['This field is required.'],
      name: ['This field is required.'],
      space_type: ['This field is required.'],
      capacity: ['This field is required.'],
    });
    const noRate = await api('/api/workspace/spaces/create/', {
      token: w.admin.token,
      body: { branch_id: w.branchId, name: uniq('R'), space_type: 'desk', capacity: 1 },
    });
    expect(expectFailure(noRate, 400, 'Space creation failed').errors).toEqual({
      price_per_hour: ['This field is required.'],
      hourly_rate: ['This field is required.'],
    });
  });

  it('validates type, capacity, rates and amenities', async () => {
    const res = await create(w.admin.token, {
      branch_id: w.branchId,
      space_type: 'castle',
      capacity: 0,
      hourly_rate: -1,
      daily_rate: 12.345,
      monthly_rate: 'lots',
      amenities: 'WiFi',
      image_url: 'not a url',
    });
    const errors = expectFailure(res, 400, 'Space creation failed').errors;
    expect(errors.space_type).toEqual(['"castle" is not a valid choice.']);
    expect(errors.capacity).toEqual(['Ensure this value is greater than or equal to 1.']);
    expect(errors.hourly_rate).toEqual(['Ensure this value is greater than or equal to 0.']);
    expect(errors.daily_rate).toEqual(['Ensure that there are no more than 2 decimal places.']);
    expect(errors.monthly_rate).toEqual(['A valid number is required.']);
    expect(errors.amenities).toEqual(['Expected a list of items but got type "str".']);
    expect(errors.image_url).toEqual(['Enter a valid URL.']);
    const capacity = await create(w.admin.token, { branch_id: w.branchId, capacity: 'four' });
    expect(expectFailure(capacity, 400).errors.capacity).toEqual(['A valid integer is required.']);
    const huge = await create(w.admin.token, { branch_id: w.branchId, hourly_rate: '123456789.00' });
    expect(expectFailure(huge, 400).errors.hourly_rate).toEqual([
      'Ensure that there are no more than 8 digits before the decimal point.',
    ]);
  });

  it('refuses two different rates under the two names', async () => {
    const res = await create(w.admin.token, { branch_id: w.branchId, hourly_rate: 10, price_per_hour: 11 });
    expect(expectFailure(res, 400, 'Space creation failed').errors).toEqual({
      price_per_hour: ['Must equal hourly_rate when both are sent.'],
    });
    expectStatus(await create(w.admin.token, { branch_id: w.branchId, hourly_rate: 10, price_per_hour: '10.00' }), 201);
  });

  it('refuses a second space with the same name in the branch', async () => {
    const name = uniq('Same');
    expectStatus(await create(w.admin.token, { branch_id: w.branchId, name }), 201);
    const res = await create(w.admin.token, { branch_id: w.branchId, name });
    expect(expectFailure(res, 400, 'Space creation failed').errors).toEqual({
      non_field_errors: ['The fields branch, name must make a unique set.'],
    });
    expectStatus(await create(w.admin.token, { branch_id: managedBranch, name }), 201);
  });
});

describe('POST /api/workspace/branches/{id}/spaces/create/ (the original path form)', () => {
  it('creates in the branch of the path and checks the same rules', async () => {
    const res = await api(`/api/workspace/branches/${managedBranch}/spaces/create/`, {
      token: w.staff.token,
      body: { name: uniq('Path'), space_type: 'office', capacity: 2, price_per_hour: 3 },
    });
    expectStatus(res, 201);
    expect(res.json.space.branch_id).toBe(managedBranch);
    const denied = await api(`/api/workspace/branches/${w.branchId}/spaces/create/`, {
      token: w.member.token,
      body: { name: uniq('Path'), space_type: 'office', capacity: 2, price_per_hour: 3 },
    });
    expectFailure(denied, 403);
  });
});

describe('GET /api/workspace/spaces/?branch_id=', () => {
  it('requires branch_id (400 envelope)', async () => {
    expect(expectFailure(await api('/api/workspace/spaces/', { token: w.admin.token }), 400).errors).toEqual({
      branch_id: ['This field is required.'],
    });
  });

  it('lists every space of the branch by name, unavailable ones included, for each member', async () => {
    const branch = await createBranch(w.admin.token, w.workspaceId);
    await createSpace(w.admin.token, branch, { name: 'B desk' });
    await createSpace(w.admin.token, branch, { name: 'A room', is_available: false });
    await createSpace(w.admin.token, branch, { name: 'C lounge', space_type: 'lounge' });
    for (const who of [w.admin, w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/spaces/?branch_id=${branch}`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.message).toBe('Spaces retrieved successfully');
      expect(res.json.data.map((s: any) => s.name)).toEqual(['A room', 'B desk', 'C lounge']);
      expect(res.json.spaces).toEqual(res.json.data);
      expect(res.json.count).toBe(3);
    }
    const page = await api(`/api/workspace/spaces/?branch_id=${branch}&page_size=2&page=2`, { token: w.staff.token });
    expect(page.json).toMatchObject({ count: 3, next: null });
    expect(page.json.data.map((s: any) => s.name)).toEqual(['C lounge']);
    const alias = await api(`/api/workspace/branches/${branch}/spaces/`, { token: w.member.token });
    expect(alias.json.spaces.map((s: any) => s.name)).toEqual(['A room', 'B desk', 'C lounge']);
    expectFailure(await api(`/api/workspace/spaces/?branch_id=${branch}`, { token: w.outsider.token }), 404, 'Branch not found');
  });
});

describe('GET/PUT/PATCH/DELETE /api/workspace/spaces/{id}/', () => {
  it('serves a space to every member', async () => {
    for (const who of [w.admin, w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/spaces/${w.spaceId}/`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.data).toMatchObject({ id: w.spaceId, branch_id: w.branchId, workspace_id: w.workspaceId });
    }
  });

  it('lets the admin, a manager and the branch manager edit; refuses others', async () => {
    const inManaged = await createSpace(w.admin.token, managedBranch);
    const a = await api(`/api/workspace/spaces/${inManaged}/`, { method: 'PUT', token: w.admin.token, body: { capacity: 6 } });
    expectStatus(a, 200);
    expect(a.json.message).toBe('Space updated successfully');
    const m = await api(`/api/workspace/spaces/${inManaged}/`, {
      method: 'PATCH',
      token: w.manager.token,
      body: { price_per_hour: '12.50' },
    });
    expect(m.json.data).toMatchObject({ capacity: 6, hourly_rate: '12.50' });
    const s = await api(`/api/workspace/spaces/${inManaged}/`, {
      method: 'PATCH',
      token: w.staff.token,
      body: { amenities: ['Desk lamp'], is_available: false },
    });
    expectStatus(s, 200);
    expect(s.json.space).toMatchObject({ amenities: ['Desk lamp'], is_available: false, hourly_rate: '12.50' });
    expectFailure(
      await api(`/api/workspace/spaces/${w.spaceId}/`, { method: 'PUT', token: w.staff.token, body: { capacity: 2 } }),
      403,
      'Only workspace admin or branch manager can update spaces',
    );
    expectFailure(
      await api(`/api/workspace/spaces/${w.spaceId}/`, { method: 'PUT', token: w.member.token, body: { capacity: 2 } }),
      403,
    );
  });

  it('validates updates', async () => {
    const res = await api(`/api/workspace/spaces/${w.spaceId}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { capacity: -3, hourly_rate: '1.001' },
    });
    const errors = expectFailure(res, 400, 'Update failed').errors;
    expect(errors.capacity).toEqual(['Ensure this value is greater than or equal to 1.']);
    expect(errors.hourly_rate).toEqual(['Ensure that there are no more than 2 decimal places.']);
  });

  it('lets only the admin delete', async () => {
    const space = await createSpace(w.admin.token, managedBranch);
    for (const who of [w.manager, w.staff, w.member]) {
      expectFailure(
        await api(`/api/workspace/spaces/${space}/`, { method: 'DELETE', token: who.token }),
        403,
        'Only workspace admin can delete spaces',
      );
    }
    const res = await api(`/api/workspace/spaces/${space}/`, { method: 'DELETE', token: w.admin.token });
    expect(res.json).toEqual({ success: true, message: 'Space deleted successfully' });
    expectFailure(await api(`/api/workspace/spaces/${space}/`, { token: w.admin.token }), 404, 'Space not found');
  });
});
