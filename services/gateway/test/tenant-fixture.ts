import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuthenticatedTenant } from '../src/messages/message.resource.js';
import { projectTenantEvents } from '../src/tenants/tenant.projection.js';

/**
 * The integration specs' tenant: Harbor Books in Chicago with one sender number, projected into
 * the gateway's read models the way the tenant projection does (its TenantCreated), and the CRM
 * contacts a spec needs as the contacts projection would hold them.
 */

/** A toll-free-looking sender number no other test tenant is likely to own. */
export function newSenderNumber(): string {
  return `+1888${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

export interface TestTenantOptions {
  /** Default: a new uuid. */
  tenantId?: string;
  /** The default (and only) sender number; default: newSenderNumber(). */
  sender?: string;
  /** Default: 'Harbor Books'. */
  brandName?: string;
}

export interface TestTenant {
  tenant: AuthenticatedTenant;
  sender: string;
}

export async function createTestTenant(
  dataSource: DataSource,
  options: TestTenantOptions = {},
): Promise<TestTenant> {
  const tenantId = options.tenantId ?? randomUUID();
  const sender = options.sender ?? newSenderNumber();
  await dataSource.transaction((manager) =>
    projectTenantEvents(manager, [
      {
        type: 'gateway.TenantCreated.v1',
        data: {
          tenantId,
          name: 'Harbor Books LLC',
          brandName: options.brandName ?? 'Harbor Books',
          timeZone: 'America/Chicago',
          defaultSender: sender,
          senderNumbers: [sender],
          createdAt: '2026-11-01T00:00:00.000Z',
        },
      },
    ]),
  );
  return { tenant: { tenantId, keyId: randomUUID() }, sender };
}

/** Contacts named Ann (no tags, no custom fields), version 1, in the `contacts` read model. */
export async function insertTestContacts(
  dataSource: DataSource,
  tenantId: string,
  contacts: ReadonlyArray<readonly [contactId: string, phone: string]>,
  updatedAt: Date,
): Promise<void> {
  for (const [id, phone] of contacts) {
    await dataSource.query(
      `INSERT INTO contacts (tenant_id, contact_id, version, phone, first_name, tags, custom_fields, updated_at)
       VALUES ($1, $2, 1, $3, 'Ann', '{}', '{}'::jsonb, $4)`,
      [tenantId, id, phone, updatedAt],
    );
  }
}
