import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
} from '../../test/messaging-harness.js';
import { TenantNumbers } from './tenant-numbers.js';

let harness: MessagingHarness;
const numbers = new TenantNumbers();

beforeAll(async () => {
  harness = await createMessagingHarness();
});

afterAll(async () => {
  await harness.database.drop();
});

const newNumber = (): string => `+1212${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

const created = (tenantId: string, number: string, createdAt: string) =>
  consumed('gateway.TenantCreated.v1', `tenant-${tenantId}`, {
    tenantId,
    name: 'Acme Inc',
    brandName: 'Acme',
    timeZone: 'America/New_York',
    defaultSender: number,
    senderNumbers: [number],
    createdAt,
  });
const added = (tenantId: string, phoneNumber: string, addedAt: string) =>
  consumed('gateway.SenderNumberAdded.v1', `tenant-${tenantId}`, {
    tenantId,
    phoneNumber,
    addedAt,
  });
const removed = (tenantId: string, phoneNumber: string, removedAt: string) =>
  consumed('gateway.SenderNumberRemoved.v1', `tenant-${tenantId}`, {
    tenantId,
    phoneNumber,
    removedAt,
  });

const ownerOf = (phone: string) => numbers.ownerOf(harness.database.dataSource.manager, phone);

describe('a sender number released by its tenant', () => {
  it('no longer routes inbound texts to that tenant', async () => {
    const tenantId = randomUUID();
    const moved = newNumber();
    await harness.tenants.handle(created(tenantId, newNumber(), '2026-11-01T00:00:00.000Z'));
    await harness.tenants.handle(added(tenantId, moved, '2026-11-02T00:00:00.000Z'));
    expect(await ownerOf(moved)).toBe(tenantId);

    await harness.tenants.handle(removed(tenantId, moved, '2026-11-03T00:00:00.000Z'));
    expect(await ownerOf(moved)).toBeNull();
  });

  it('moves to the new tenant whatever order the two tenants’ streams arrive in', async () => {
    const moved = newNumber();
    const [oldOwner, newOwner] = [randomUUID(), randomUUID()];
    const oldEvents = [
      created(oldOwner, newNumber(), '2026-11-01T00:00:00.000Z'),
      added(oldOwner, moved, '2026-11-02T00:00:00.000Z'),
      removed(oldOwner, moved, '2026-11-03T00:00:00.000Z'),
    ];
    const newEvents = [
      created(newOwner, newNumber(), '2026-11-01T00:00:00.000Z'),
      added(newOwner, moved, '2026-11-04T00:00:00.000Z'),
    ];
    // The new owner's claim first, then the whole history of the old owner.
    for (const event of [...newEvents, ...oldEvents]) await harness.tenants.handle(event);
    expect(await ownerOf(moved)).toBe(newOwner);
  });

  it('a release between the old claim and the new one, delivered late, frees nothing', async () => {
    const moved = newNumber();
    const [oldOwner, newOwner] = [randomUUID(), randomUUID()];
    const [oldCreated, oldAdded, oldRemoved] = [
      created(oldOwner, newNumber(), '2026-11-01T00:00:00.000Z'),
      added(oldOwner, moved, '2026-11-02T00:00:00.000Z'),
      removed(oldOwner, moved, '2026-11-03T00:00:00.000Z'),
    ];
    await harness.tenants.handle(oldCreated);
    await harness.tenants.handle(oldAdded);
    await harness.tenants.handle(created(newOwner, newNumber(), '2026-11-01T00:00:00.000Z'));
    await harness.tenants.handle(added(newOwner, moved, '2026-11-04T00:00:00.000Z'));
    await harness.tenants.handle(oldRemoved);
    expect(await ownerOf(moved)).toBe(newOwner);
  });
});
