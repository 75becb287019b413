import { randomInt, randomUUID } from 'node:crypto';
import { EventStore } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { type CreateTenantInput, TenantAdmin } from './tenant-admin.js';
import { TenantDirectory } from './tenant-directory.js';
import { tenantStreamId } from './tenant.events.js';

/** One tenant per sender number, over real Postgres: the claim holds under concurrency. */

const NOW = new Date('2026-11-26T12:00:00.000Z');

let database: TestDatabase;
let store: EventStore;
let admin: TenantAdmin;
let directory: TenantDirectory;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  store = new EventStore(database.dataSource);
  directory = new TenantDirectory(database.dataSource);
  admin = new TenantAdmin(store, directory, { now: () => NOW });
});

afterAll(async () => {
  await database.drop();
});

const newNumber = (): string => `+1888${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

function tenantInput(numbers: string[]): CreateTenantInput {
  const [first] = numbers;
  if (!first) throw new Error('a tenant needs a number');
  return {
    id: randomUUID(),
    name: 'Harbor Books LLC',
    brandName: 'Harbor Books',
    timeZone: 'America/Chicago',
    senderNumbers: numbers,
    defaultSender: first,
  };
}

async function newTenant(...extra: string[]): Promise<{ id: string; sender: string }> {
  const sender = newNumber();
  const { tenant } = await admin.createTenant(tenantInput([sender, ...extra]));
  return { id: tenant.id, sender };
}

async function refusal(run: () => Promise<unknown>): Promise<ApiError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

async function ownersOf(phoneNumber: string): Promise<string[]> {
  const rows = await database.dataSource.query<Array<{ tenant_id: string }>>(
    `SELECT tenant_id FROM sender_numbers WHERE phone_number = $1`,
    [phoneNumber],
  );
  return rows.map((row) => row.tenant_id);
}

async function streamTypes(tenantId: string): Promise<string[]> {
  return (await store.readStream(tenantStreamId(tenantId))).map((e) => e.type);
}

/** Resolves once some backend of this database waits for a lock (the second claim's insert). */
async function someoneWaitsForALock(): Promise<void> {
  for (;;) {
    const rows = await database.dataSource.query<unknown[]>(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a sender number belongs to at most one tenant', () => {
  it('refuses to create a tenant with a number another tenant has: 409, nothing recorded', async () => {
    const first = await newTenant();
    const input = tenantInput([newNumber(), first.sender]);
    const error = await refusal(() => admin.createTenant(input));
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'sender_number_taken',
      violations: [{ field: 'senderNumbers.1', message: 'belongs to another tenant' }],
    });
    expect(await streamTypes(input.id ?? '')).toEqual([]);
    expect(await directory.find(input.id ?? '')).toBeNull();
    expect(await ownersOf(first.sender)).toEqual([first.id]);
  });

  it('refuses to add a number another tenant has: 409, nothing recorded', async () => {
    const first = await newTenant();
    const second = await newTenant();
    const error = await refusal(() => admin.addSenderNumber(second.id, first.sender));
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'sender_number_taken',
      violations: [{ field: 'phoneNumber', message: 'belongs to another tenant' }],
    });
    expect(await streamTypes(second.id)).toEqual(['gateway.TenantCreated.v1']);
    expect((await directory.find(second.id))?.senderNumbers).toEqual([second.sender]);
    expect(await ownersOf(first.sender)).toEqual([first.id]);
  });

  it('adding a number the tenant already has changes nothing', async () => {
    const tenant = await newTenant();
    const record = await admin.addSenderNumber(tenant.id, tenant.sender);
    expect(record.senderNumbers).toEqual([tenant.sender]);
    expect(await streamTypes(tenant.id)).toEqual(['gateway.TenantCreated.v1']);
  });

  it('of two claims in overlapping transactions, the one that commits first wins', async () => {
    const first = await newTenant();
    const second = await newTenant();
    const number = newNumber();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimed: () => void = () => undefined;
    const firstClaimed = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    // The first claim is made and held uncommitted until the second is blocked behind it.
    const firstClaim = database.dataSource.transaction(async (manager) => {
      await admin.createTenant(tenantInput([number]), manager);
      claimed();
      await held;
    });
    await firstClaimed;
    const secondClaim = refusal(() => admin.addSenderNumber(second.id, number));
    await someoneWaitsForALock();
    release();
    await firstClaim;
    expect((await secondClaim).code).toBe('sender_number_taken');
    expect(await ownersOf(number)).toHaveLength(1);
    expect((await directory.find(second.id))?.senderNumbers).toEqual([second.sender]);
    expect(first.id).not.toBe(second.id);
  });

  it('many concurrent claims on one number: exactly one wins', async () => {
    const tenants = await Promise.all(Array.from({ length: 8 }, () => newTenant()));
    const number = newNumber();
    const outcomes = await Promise.allSettled([
      ...tenants.map((t) => admin.addSenderNumber(t.id, number)),
      admin.createTenant(tenantInput([number])),
      admin.createTenant(tenantInput([number])),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const outcome of lost) {
      expect(outcome.reason).toMatchObject({ kind: 'conflict', code: 'sender_number_taken' });
    }
    expect(await ownersOf(number)).toHaveLength(1);
  });
});

describe('DELETE /admin/v1/tenants/{id}/sender-numbers/{number}', () => {
  it('releases the number, which another tenant can then claim', async () => {
    const extra = newNumber();
    const first = await newTenant(extra);
    const second = await newTenant();
    const released = await admin.removeSenderNumber(first.id, extra);
    expect(released.senderNumbers).toEqual([first.sender]);
    expect(await streamTypes(first.id)).toEqual([
      'gateway.TenantCreated.v1',
      'gateway.SenderNumberRemoved.v1',
    ]);
    const claimed = await admin.addSenderNumber(second.id, extra);
    expect([...claimed.senderNumbers].sort()).toEqual([second.sender, extra].sort());
    expect(await ownersOf(extra)).toEqual([second.id]);
    expect((await directory.find(first.id))?.senderNumbers).toEqual([first.sender]);
  });

  it('refuses the default sender (409) and a number the tenant does not have (404)', async () => {
    const tenant = await newTenant();
    expect(await refusal(() => admin.removeSenderNumber(tenant.id, tenant.sender))).toMatchObject({
      kind: 'conflict',
      code: 'default_sender_not_removable',
    });
    const other = await newTenant();
    expect(await refusal(() => admin.removeSenderNumber(tenant.id, other.sender))).toMatchObject({
      kind: 'not_found',
    });
    expect(await ownersOf(other.sender)).toEqual([other.id]);
    expect(await streamTypes(tenant.id)).toEqual(['gateway.TenantCreated.v1']);
  });
});
