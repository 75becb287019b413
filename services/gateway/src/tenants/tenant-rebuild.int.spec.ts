import { randomInt, randomUUID } from 'node:crypto';
import { EventStore } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayMigrations } from '../migrations/index.js';
import { TenantAdmin } from './tenant-admin.js';
import { TenantDirectory } from './tenant-directory.js';
import type { TenantEvent } from './tenant.events.js';
import { projectTenantEvents } from './tenant.projection.js';

/**
 * The gateway's tenant read models (tenants, their sender numbers, API key hashes) are a
 * projection only, applied in the transaction that appends the tenant's events: after a run of
 * the real admin use cases, the tables dropped and rebuilt from the stored events are the same,
 * row for row.
 */

const TABLES = {
  tenants: 'id',
  sender_numbers: 'phone_number',
  api_keys: 'key_hash',
} as const;
const newSender = (): string => `+1888${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

let database: TestDatabase;
let admin: TenantAdmin;
let clockAt = Date.parse('2026-11-26T12:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  admin = new TenantAdmin(
    new EventStore(database.dataSource),
    new TenantDirectory(database.dataSource),
    { now: () => new Date((clockAt += 1000)) },
  );
});

afterAll(async () => {
  await database.drop();
});

async function snapshot(): Promise<Record<string, unknown[]>> {
  const entries = await Promise.all(
    Object.entries(TABLES).map(
      async ([table, order]) =>
        [
          table,
          await database.dataSource.query(`SELECT * FROM ${table} ORDER BY ${order}`),
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}

describe('the gateway tenant read models, rebuilt from their events (real Postgres)', () => {
  it('are the same row for row after a run as after dropping them and replaying the store', async () => {
    const [first, moved, second, kept] = [newSender(), newSender(), newSender(), newSender()];
    const harbor = randomUUID();
    const lantern = randomUUID();
    await admin.createTenant({
      id: harbor,
      name: 'Harbor Books LLC',
      brandName: 'Harbor Books',
      timeZone: 'America/Chicago',
      senderNumbers: [first, moved],
      defaultSender: first,
    });
    await admin.createTenant({
      id: lantern,
      name: 'Lantern Dental PC',
      brandName: 'Lantern Dental',
      timeZone: 'America/New_York',
      senderNumbers: [second],
      defaultSender: second,
      compliance: { restrictedContent: 'flag' },
    });
    await admin.setComplianceProfile(harbor, { restrictedContent: 'flag' });
    await admin.issueApiKey(harbor, { label: 'ci' });
    await admin.issueApiKey(lantern, { label: 'front desk' });
    // A number released by one tenant and claimed by the other.
    await admin.removeSenderNumber(harbor, moved);
    await admin.addSenderNumber(lantern, moved);
    await admin.addSenderNumber(harbor, kept);

    const live = await snapshot();
    expect(live['tenants']).toHaveLength(2);
    expect(live['sender_numbers']).toContainEqual(
      expect.objectContaining({ phone_number: moved, tenant_id: lantern }),
    );

    await database.dataSource.query(`TRUNCATE ${Object.keys(TABLES).join(', ')}`);
    const stored = await database.dataSource.query<TenantEvent[]>(
      `SELECT type, data FROM events WHERE stream_type = 'tenant' ORDER BY global_position`,
    );
    await database.dataSource.transaction((manager) => projectTenantEvents(manager, stored));

    expect(await snapshot()).toEqual(live);
  });
});
