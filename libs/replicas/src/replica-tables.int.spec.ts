import { fileURLToPath } from 'node:url';
import type { ConsentLedgerEvent } from '@textplane/compliance';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { DataSource, MigrationInterface } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConsentStandingReplica,
  type ConsentStandingsKept,
  consentStandingsTable,
} from './consent-standings/consent-standing-replica.js';
import {
  effectiveStanding,
  evolveConsentStandingRecord,
  noConsentStandingRecord,
} from './consent-standings/consent-standing-record.js';
import {
  type TenantFact,
  TenantProfileReplica,
  type TenantProfilesKept,
  tenantProfilesTable,
} from './tenant-profiles/tenant-profile-replica.js';

type Migrations = Array<new () => MigrationInterface>;
type Service = 'gateway' | 'messaging' | 'consent';

/**
 * The services' migrations are what production runs, so the tables this lib declares are held to
 * them. A library may not depend on a service (module boundaries), so each service's migration
 * list is loaded by a path computed here, out of the project graph's sight, for this test only.
 */
async function serviceMigrations(service: Service): Promise<Migrations> {
  const path = fileURLToPath(
    new URL(`../../../services/${service}/src/migrations/index.ts`, import.meta.url),
  );
  const loaded: unknown = await import(path);
  const migrations: unknown = (loaded as Record<string, unknown>)[`${service}Migrations`];
  if (!Array.isArray(migrations) || migrations.length === 0) {
    throw new Error(`${path} exports no ${service}Migrations`);
  }
  return migrations as Migrations;
}

/** Columns, indexes and constraints of a table, in a form that does not name its database. */
async function shapeOf(dataSource: DataSource, table: string) {
  const columns = await dataSource.query<unknown[]>(
    `SELECT column_name, data_type, udt_name, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1
      ORDER BY column_name`,
    [table],
  );
  const indexes = await dataSource.query<unknown[]>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = $1 ORDER BY indexname`,
    [table],
  );
  const constraints = await dataSource.query<unknown[]>(
    `SELECT conname, contype, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass ORDER BY conname`,
    [`public.${table}`],
  );
  return { columns, indexes, constraints };
}

const tenantId = '2b1d8f3e-5c47-4a8e-9f0e-6b8a1c2d3e4f';
const phone = '+12125550123';
const granted: ConsentLedgerEvent = {
  type: 'consent.ConsentGranted.v1',
  data: {
    tenantId,
    phone,
    purpose: 'marketing',
    channel: 'sms',
    evidence: {
      source: 'web_form',
      text: 'Yes, text me offers',
      capturedAt: '2026-01-01T09:59:00Z',
    },
    requestId: '0b6f2a52-0f5e-4a53-9a4e-0c1b43b6b0a1',
    grantedAt: '2026-01-01T10:00:00.000Z',
  },
};
const created: TenantFact = {
  type: 'gateway.TenantCreated.v1',
  data: {
    tenantId,
    name: 'Acme',
    brandName: 'Acme Dental',
    timeZone: 'America/New_York',
    defaultSender: '+12125550100',
    senderNumbers: ['+12125550100'],
    compliance: { restrictedContent: 'flag' },
    createdAt: '2026-01-01T10:00:00.000Z',
  },
};

const consentStandingsKeptBy: Record<ConsentStandingsKept, Service> = {
  standing: 'gateway',
  'standing-and-opted-out': 'consent',
  gate: 'messaging',
};
const tenantProfilesKeptBy: Record<TenantProfilesKept, Service> = {
  compliance: 'messaging',
  senders: 'consent',
};

describe('the replica tables this lib declares', () => {
  const migrated = new Map<Service, TestDatabase>();
  const opened: TestDatabase[] = [];

  beforeAll(async () => {
    for (const service of ['gateway', 'messaging', 'consent'] as const) {
      const database = await createTestDatabase({
        migrations: await serviceMigrations(service),
        poolSize: 2,
      });
      opened.push(database);
      migrated.set(service, database);
    }
  });

  afterAll(async () => {
    for (const database of opened) await database.drop();
  });

  async function declared(ddl: string): Promise<TestDatabase> {
    const database = await createTestDatabase({ poolSize: 2 });
    opened.push(database);
    await database.dataSource.query(ddl);
    return database;
  }

  function migratedBy(service: Service): DataSource {
    const database = migrated.get(service);
    if (!database) throw new Error(`${service} was not migrated`);
    return database.dataSource;
  }

  for (const [keeps, service] of Object.entries(consentStandingsKeptBy) as Array<
    [ConsentStandingsKept, Service]
  >) {
    it(`consent_standings keeping '${keeps}' is ${service}'s table, and its replica folds into it`, async () => {
      const { dataSource } = await declared(consentStandingsTable(keeps));
      expect(await shapeOf(dataSource, 'consent_standings')).toEqual(
        await shapeOf(migratedBy(service), 'consent_standings'),
      );

      const replica = new ConsentStandingReplica({ keeps });
      await dataSource.transaction((manager) => replica.apply(granted, manager));
      const standing = await replica.standingOf(dataSource.manager, tenantId, phone);
      expect(standing).toEqual(
        effectiveStanding(evolveConsentStandingRecord(noConsentStandingRecord, granted)),
      );
      expect(standing).not.toEqual(effectiveStanding(noConsentStandingRecord));
    });
  }

  for (const [keeps, service] of Object.entries(tenantProfilesKeptBy) as Array<
    [TenantProfilesKept, Service]
  >) {
    it(`tenant_profiles keeping '${keeps}' is ${service}'s table, and its replica folds into it`, async () => {
      const { dataSource } = await declared(tenantProfilesTable(keeps));
      expect(await shapeOf(dataSource, 'tenant_profiles')).toEqual(
        await shapeOf(migratedBy(service), 'tenant_profiles'),
      );

      const replica = new TenantProfileReplica({ keeps });
      await dataSource.transaction((manager) => replica.apply(created, manager));
      expect(await replica.profileOf(dataSource.manager, tenantId)).toEqual({
        tenantId,
        brandName: 'Acme Dental',
        timeZone: 'America/New_York',
        compliance: { restrictedContent: 'flag' },
        settings: keeps === 'compliance' ? {} : null,
        senders:
          keeps === 'senders'
            ? { defaultSender: '+12125550100', senderNumbers: ['+12125550100'] }
            : null,
        createdAt: keeps === 'senders' ? '2026-01-01T10:00:00.000Z' : null,
        updatedAt: '2026-01-01T10:00:00.000Z',
      });
      if (keeps !== 'compliance') return;
      const settingsSet: TenantFact = {
        type: 'gateway.TenantSettingsSet.v1',
        data: {
          tenantId,
          settings: { optOutReminder: { everyDays: 30 } },
          setAt: '2026-01-02T10:00:00.000Z',
        },
      };
      await dataSource.transaction((manager) => replica.apply(settingsSet, manager));
      expect((await replica.profileOf(dataSource.manager, tenantId))?.settings).toEqual({
        optOutReminder: { everyDays: 30 },
      });
    });
  }
});
