import { randomUUID } from 'node:crypto';
import type { MessagePurpose } from '@textplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  seedTenant,
} from '../../../test/messaging-harness.js';
import { TenantProfiles } from '../../tenants/tenant-profiles.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const LINE = 'Reply STOP to opt out.';

let harness: MessagingHarness;
const profiles = new TenantProfiles();
const reminding = { tenantId: randomUUID(), number: '+15555550170' };
const silent = { tenantId: randomUUID(), number: '+15555550171' };
const start = new Date('2026-03-01T15:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, reminding);
  await seedTenant(harness, silent);
  await harness.tenants.handle(settingsSet(reminding.tenantId, 30));
});

afterAll(async () => {
  await harness.database.drop();
});

function settingsSet(tenantId: string, everyDays: number | null) {
  return consumed('gateway.TenantSettingsSet.v1', `tenant-${tenantId}`, {
    tenantId,
    settings: everyDays === null ? {} : { optOutReminder: { everyDays } },
    setAt: new Date().toISOString(),
  });
}

function sendRequested(
  tenant: { tenantId: string; number: string },
  to: string,
  purpose: MessagePurpose = 'conversational',
) {
  const messageId = randomUUID();
  return consumed('gateway.SendRequested.v1', `send-request-${messageId}`, {
    messageId,
    tenantId: tenant.tenantId,
    to,
    from: tenant.number,
    body: 'Your appointment is at 3pm.',
    mediaUrls: [],
    purpose,
    encoding: 'GSM-7',
    segments: 1,
    requestedAt: harness.clock.now().toISOString(),
  });
}

/** The body messaging queued for the request. */
async function queuedBody(request: ReturnType<typeof sendRequested>): Promise<string> {
  const { messageId } = request.data as { messageId: string };
  const { state } = await harness.messages.load(messageId);
  if (!('message' in state)) throw new Error(`${messageId} was not queued`);
  return state.message.body;
}

async function send(
  tenant: { tenantId: string; number: string },
  to: string,
  purpose?: MessagePurpose,
): Promise<string> {
  const request = sendRequested(tenant, to, purpose);
  await harness.sendRequests.handle(request);
  return queuedBody(request);
}

describe('the periodic opt-out reminder (real Postgres, injected clock)', () => {
  it('reaches messaging through the tenant profile replica, and can be turned off again', async () => {
    const { manager } = harness.database.dataSource;
    expect((await profiles.require(manager, reminding.tenantId)).optOutReminderEveryDays).toBe(30);
    expect((await profiles.require(manager, silent.tenantId)).optOutReminderEveryDays).toBeNull();

    const toggled = { tenantId: randomUUID(), number: '+15555550172' };
    await seedTenant(harness, toggled);
    await harness.tenants.handle(settingsSet(toggled.tenantId, 7));
    expect((await profiles.require(manager, toggled.tenantId)).optOutReminderEveryDays).toBe(7);
    await harness.tenants.handle(settingsSet(toggled.tenantId, null));
    expect((await profiles.require(manager, toggled.tenantId)).optOutReminderEveryDays).toBeNull();
  });

  it('adds the line to a conversational text for a number last reminded over N days ago, not to one right after', async () => {
    const phone = '+13055550170';
    harness.clock.current = start;
    // Marketing carries the line every time: that is the contact's last opt-out line.
    expect(await send(reminding, phone, 'marketing')).toContain(LINE);

    harness.clock.current = new Date(start.getTime() + 29 * DAY_MS);
    expect(await send(reminding, phone)).not.toContain(LINE);

    harness.clock.current = new Date(start.getTime() + 31 * DAY_MS);
    // (The brand is added too while no text has reached the contact: none was submitted here.)
    expect(await send(reminding, phone)).toMatch(/3pm\.\nReply STOP to opt out\.$/);
    harness.clock.current = new Date(start.getTime() + 31 * DAY_MS + 1000);
    expect(await send(reminding, phone, 'transactional')).toMatch(/3pm\.$/);
  });

  it('a number never sent one gets it on the first text, and the next in the same batch does not', async () => {
    const phone = '+13055550171';
    harness.clock.current = new Date(start.getTime() + 100 * DAY_MS);
    const batch = [sendRequested(reminding, phone), sendRequested(reminding, phone)];
    await harness.sendRequests.handleBatch(batch);
    const [first, second] = await Promise.all(batch.map(queuedBody));
    expect(first).toContain(LINE);
    expect(second).not.toContain(LINE);
  });

  it('is off by default: a tenant without the setting adds no line to non-marketing texts', async () => {
    harness.clock.current = new Date(start.getTime() + 200 * DAY_MS);
    expect(await send(silent, '+13055550172')).not.toContain(LINE);
    expect(await send(silent, '+13055550172', 'marketing')).toContain(LINE);
  });
});
