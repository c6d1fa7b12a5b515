/**
 * Issue 16 (first requests): a resource's request bodies may be built on first use
 * (`bodiesOnFirstUse`, core/resource.ts), so the list's read app (`listOnly`) never builds them;
 * the whole area builds them once, when it mounts its write routes, and they are the same objects
 * on every later read. The invoices and the assistants declare theirs so.
 */
import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { bodiesOnFirstUse, listOnly, mountResource, type ResourceDef } from '../../src/core/resource';
import { createRouter } from '../../src/core/router';
import { invoices } from '../../src/db/schema/finance';
import { assistantResource } from '../../src/modules/assistants/assistants';
import { invoiceResource } from '../../src/modules/finance/invoices';

/** A resource over the invoices table whose bodies count their builds. */
function counted() {
  let builds = 0;
  const read = z.object({ id: z.number().int() }).openapi('CountedRead');
  const def: ResourceDef<typeof invoices> = {
    path: '/counted/',
    operationId: 'counted',
    tag: 'test',
    model: 'Counted',
    table: invoices,
    schemas: bodiesOnFirstUse({ read }, () => {
      builds++;
      return {
        write: z.object({ description: z.string() }).openapi('CountedWrite'),
        patch: z.object({ description: z.string().optional() }).openapi('PatchedCountedWrite'),
      };
    }),
  };
  return { def, builds: () => builds };
}

describe('request bodies built on first use', () => {
  it('a read app (listOnly) mounts the list without building them', () => {
    const { def, builds } = counted();
    const app = mountResource(createRouter(), listOnly(def));
    expect(app.routes.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/counted/');
    expect(builds()).toBe(0);
  });

  it('the whole resource builds them once, for its write routes, and keeps them', () => {
    const { def, builds } = counted();
    const app = mountResource(createRouter(), def);
    expect(app.routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /api/counted/', 'PUT /api/counted/:id/', 'PATCH /api/counted/:id/']),
    );
    expect(builds()).toBe(1);
    expect(def.schemas.write).toBe(def.schemas.write);
    expect(Object.keys(def.schemas).sort()).toEqual(['patch', 'read', 'write']);
    expect(builds()).toBe(1);
  });

  it('the invoices and the assistants declare their bodies so (built apart from the module)', () => {
    for (const def of [invoiceResource, assistantResource]) {
      const write = Object.getOwnPropertyDescriptor(def.schemas, 'write');
      expect(typeof write?.get, def.operationId).toBe('function');
      expect(def.schemas.write.shape, def.operationId).toHaveProperty('description');
    }
  });
});
