import { randomInt, randomUUID } from 'node:crypto';
import {
  type EventDataByType,
  type EventType,
  Topics,
  validateEventData,
} from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  consumed,
  createDispatcher,
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  seedTenant,
} from '../../test/messaging-harness.js';
import { ConsentView } from '../consents/consent-view.js';
import { DispatchGates } from '../messages/dispatch/dispatch-gates.js';
import type { Dispatcher } from '../messages/dispatch/dispatcher.js';
import { dispatchGates } from '../messages/dispatch/gates.js';
import { messagingMigrations } from '../migrations/index.js';
import { rebuildMessagingReadModels } from '../rebuild/messaging-read-models.rebuild.js';
import { TenantNumbers } from '../tenants/tenant-numbers.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';
import {
  MESSAGING_REGISTRATIONS_GROUP,
  SenderRegistrationProjection,
  senderRegistrationsOf,
  tollFreeVerificationsOf,
} from './sender-registration.projection.js';
import { senderRegistrationGate } from './sender-registration-gate.js';

let harness: MessagingHarness;
/** The dispatcher with the sender-registration gate, as the service runs it by default. */
let dispatcher: Dispatcher;
let registrations: EventHandlers;
/** Every wake the projection asked for, in order: `<event> <key>`. */
const wakes: string[] = [];
/** Every registration fact this file projected, in order (the rebuild reads them again). */
const projected: ConsumedEvent[] = [];

/** 14:00 on a Thursday in New York: no quiet hours hold a text back. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  harness.clock.current = afternoon;
  const manager = harness.database.dataSource.manager;
  dispatcher = createDispatcher({
    store: new EventStore(harness.database.dataSource),
    messages: harness.messages,
    carrier: harness.carrier,
    clock: harness.clock,
    queue: harness.queue,
    gates: new DispatchGates(
      harness.messages,
      new ConsentView(),
      new TenantProfiles(),
      new TenantNumbers(),
      manager,
      dispatchGates({ enforceSenderRegistration: true }),
    ),
  });
  const projection = new SenderRegistrationProjection({
    wake: (m, event, key) => {
      wakes.push(`${event} ${key}`);
      return harness.queue.wake(m, event, key, harness.clock.now());
    },
  });
  registrations = onceThroughInbox(
    new Inbox(harness.database.dataSource),
    MESSAGING_REGISTRATIONS_GROUP,
    (e, m) => projection.apply(e, m),
  );
});

afterAll(async () => {
  await harness.database.drop();
});

beforeEach(() => {
  wakes.length = 0;
});

const newYorkNumber = (): string =>
  `+1212${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;

/** A registration fact as the consumer hands it over, checked against its contract first. */
function fact<K extends EventType>(type: K, subject: string, data: EventDataByType[K]) {
  const valid = validateEventData(type, data);
  if (!valid.valid) throw new Error(valid.reason);
  return consumed(type, subject, data);
}

const at = (minute: number): string =>
  new Date(Date.parse('2026-11-20T12:00:00.000Z') + minute * 60_000).toISOString();

/** One tenant's brand, campaign and numbers, and the facts registration records of them. */
function registrationOf(tenantId: string, usecase = 'ACCOUNT_NOTIFICATION') {
  const brandId = randomUUID();
  const campaignId = randomUUID();
  const brandStream = `brand-${brandId}`;
  const campaignStream = `campaign-${campaignId}`;
  const numberStream = (phone: string) => `number-assignment-${tenantId}-${phone}`;
  const reason = { code: 'unspecified', carrierReason: 'Rejected by MNO', suggestedFix: 'Fix it' };
  return {
    brandId,
    campaignId,
    brandStarted: () =>
      fact('registration.BrandRegistrationStarted.v1', brandStream, {
        brandId,
        tenantId,
        requestId: randomUUID(),
        brand: {
          entityType: 'PRIVATE_PROFIT',
          displayName: 'Acme',
          companyName: 'Acme Inc',
          ein: '123456789',
          phone: '+12125550199',
          street: '1 Main St',
          city: 'New York',
          state: 'NY',
          postalCode: '10001',
          country: 'US',
          email: 'ops@acme.example',
          vertical: 'RETAIL',
        },
        startedAt: at(0),
      }),
    brandVetted: (vettingScore: number, minute: number) =>
      fact('registration.BrandVetted.v1', brandStream, {
        brandId,
        tenantId,
        vettingScore,
        vettingProvider: 'AEGIS',
        vettedAt: at(minute),
      }),
    campaignStarted: () =>
      fact('registration.CampaignSubmissionStarted.v1', campaignStream, {
        campaignId,
        tenantId,
        requestId: randomUUID(),
        carrierBrandId: 'BRAND1',
        campaign: {
          brandId,
          usecase,
          description: 'Account notifications for Acme customers',
          messageFlow: 'Customers opt in on the Acme website checkout form',
          sampleMessages: ['Acme: your order shipped. Reply STOP to opt out.'],
          helpMessage: 'Acme: help at acme.example or +12125550199.',
          optoutMessage: 'Acme: you are unsubscribed.',
          helpKeywords: ['HELP'],
          optinKeywords: ['START'],
          optoutKeywords: ['STOP'],
          embeddedLink: false,
          embeddedPhone: false,
          numberPool: false,
          ageGated: false,
          directLending: false,
        },
        startedAt: at(2),
      }),
    campaignSubmitted: () =>
      fact('registration.CampaignSubmitted.v1', campaignStream, {
        campaignId,
        tenantId,
        brandId,
        carrierCampaignId: 'CAMP1',
        status: 'pending',
        carrierStatus: 'TCR_PENDING',
        submittedAt: at(3),
      }),
    campaignAccepted: () =>
      fact('registration.CampaignStatusChanged.v1', campaignStream, {
        campaignId,
        tenantId,
        status: 'pending',
        previousStatus: 'pending',
        carrierStatus: 'TCR_ACCEPTED',
        carrierAccepted: true,
        reasons: [],
        changedAt: at(4),
      }),
    assignmentStarted: (phone: string, minute = 5) =>
      fact('registration.NumberAssignmentStarted.v1', numberStream(phone), {
        tenantId,
        phoneNumber: phone,
        campaignId,
        carrierCampaignId: 'CAMP1',
        requestId: randomUUID(),
        startedAt: at(minute),
      }),
    assignmentSubmitted: (phone: string) =>
      fact('registration.NumberAssignmentSubmitted.v1', numberStream(phone), {
        tenantId,
        phoneNumber: phone,
        campaignId,
        carrierStatus: 'PENDING',
        submittedAt: at(6),
      }),
    assigned: (phone: string, minute = 7) =>
      fact('registration.NumberAssigned.v1', numberStream(phone), {
        tenantId,
        phoneNumber: phone,
        campaignId,
        carrierStatus: 'ASSIGNED',
        assignedAt: at(minute),
      }),
    assignmentFailed: (phone: string, minute = 7) =>
      fact('registration.NumberAssignmentFailed.v1', numberStream(phone), {
        tenantId,
        phoneNumber: phone,
        campaignId,
        carrierStatus: 'FAILED',
        reasons: [reason],
        failedAt: at(minute),
      }),
    provisioned: (phone: string, minute = 8) =>
      fact('registration.CampaignNumberProvisioned.v1', campaignStream, {
        campaignId,
        tenantId,
        phoneNumber: phone,
        provisionedAt: at(minute),
      }),
    approvedChange: (minute = 8) =>
      fact('registration.CampaignStatusChanged.v1', campaignStream, {
        campaignId,
        tenantId,
        status: 'approved',
        previousStatus: 'pending',
        carrierStatus: 'MNO_PROVISIONED',
        carrierAccepted: true,
        reasons: [],
        changedAt: at(minute),
      }),
    approved: (phoneNumbers: string[], minute = 8) =>
      fact('registration.CampaignApproved.v1', campaignStream, {
        campaignId,
        tenantId,
        brandId,
        usecase,
        carrierStatus: 'MNO_PROVISIONED',
        phoneNumbers,
        approvedAt: at(minute),
      }),
    refused: (status: 'rejected' | 'suspended' | 'expired', minute = 9) =>
      fact('registration.CampaignStatusChanged.v1', campaignStream, {
        campaignId,
        tenantId,
        status,
        previousStatus: 'pending',
        carrierStatus: 'MNO_REJECTED',
        carrierAccepted: false,
        reasons: [reason],
        changedAt: at(minute),
      }),
  };
}

/** One tenant's toll-free verification of `numbers`, and the facts registration records of it. */
function tollFreeVerificationOf(tenantId: string, numbers: string[]) {
  const verificationId = randomUUID();
  const stream = `toll-free-verification-${verificationId}`;
  return {
    verificationId,
    started: () =>
      fact('registration.TollFreeVerificationStarted.v1', stream, {
        verificationId,
        tenantId,
        requestId: randomUUID(),
        verification: {
          businessName: 'Acme Inc',
          corporateWebsite: 'https://acme.example',
          businessAddr1: '1 Main St',
          businessCity: 'New York',
          businessState: 'NY',
          businessZip: '10001',
          businessContactFirstName: 'Ada',
          businessContactLastName: 'Lovelace',
          businessContactEmail: 'ops@acme.example',
          businessContactPhone: '+12125550199',
          messageVolume: '1,000',
          phoneNumbers: numbers,
          useCase: 'Account Notifications',
          useCaseSummary: 'Order and delivery updates for Acme customers',
          productionMessageContent: 'Acme: your order shipped. Reply STOP to opt out.',
          optInWorkflow: 'Customers tick an unticked box at checkout on acme.example',
          optInWorkflowImageURLs: ['https://acme.example/opt-in.png'],
        },
        startedAt: at(0),
      }),
    changed: (status: 'approved' | 'rejected', minute: number) =>
      fact('registration.TollFreeVerificationStatusChanged.v1', stream, {
        verificationId,
        tenantId,
        phoneNumbers: numbers,
        status,
        previousStatus: 'pending',
        carrierStatus: status === 'approved' ? 'Verified' : 'Rejected',
        reasons: [],
        changedAt: at(minute),
      }),
    verified: (phoneNumber: string, minute: number) =>
      fact('registration.TollFreeNumberVerified.v1', stream, {
        tenantId,
        phoneNumber,
        verificationId,
        carrierStatus: 'Verified',
        verifiedAt: at(minute),
      }),
  };
}

const tollFreeNumber = (): string => `+1888${String(randomInt(2_000_000, 9_999_999))}`;

async function project(...events: ConsumedEvent[]): Promise<void> {
  for (const event of events) {
    projected.push(event);
    await registrations.handle(event);
  }
}

const lookup = (tenantId: string, numbers: string[]) =>
  senderRegistrationsOf(harness.database.dataSource.manager, tenantId, numbers);
const verifications = (tenantId: string, numbers: string[]) =>
  tollFreeVerificationsOf(harness.database.dataSource.manager, tenantId, numbers);

async function queueRow(messageId: string) {
  const rows = await harness.database.dataSource.query<
    Array<{
      gate: string;
      release_at: Date | null;
      waiting_for: string | null;
      waiting_key: string | null;
    }>
  >(`SELECT gate, release_at, waiting_for, waiting_key FROM dispatch_queue WHERE message_id = $1`, [
    messageId,
  ]);
  return rows[0] ?? null;
}

async function blockedOf(messageId: string): Promise<Record<string, unknown> | undefined> {
  const rows = await harness.database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageBlocked.v1'`,
    [`message-${messageId}`],
  );
  const data = rows[0]?.data;
  // What the outbox relay would publish: valid against MessageBlocked's contract.
  if (data) expect(validateEventData('messaging.MessageBlocked.v1', data)).toEqual({ valid: true });
  return data;
}

/** A tenant holding `number`, and a message queued from it to a fresh recipient. */
async function tenantWithSender(number = newYorkNumber()) {
  const tenantId = randomUUID();
  await seedTenant(harness, { tenantId, number });
  return { tenantId, number };
}

async function send(tenantId: string, from: string) {
  const queued = await queueMessage(harness, {
    tenantId,
    to: newYorkNumber(),
    from,
    body: 'Your order shipped.',
    mediaUrls: [],
    purpose: 'transactional',
  });
  const { messageId, to } = queued.data as { messageId: string; to: string };
  await dispatcher.handle(queued);
  return { messageId, to };
}

async function parkedOf(messageId: string): Promise<Array<Record<string, unknown>>> {
  const rows = await harness.database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageParked.v1'
     ORDER BY version`,
    [`message-${messageId}`],
  );
  for (const { data } of rows) {
    expect(validateEventData('messaging.MessageParked.v1', data)).toEqual({ valid: true });
  }
  return rows.map((row) => row.data);
}

const statusOf = async (messageId: string) => (await harness.messages.load(messageId)).state.status;

describe("messaging's projection of registration's facts", () => {
  it('holds, per tenant number, its campaign, the campaign’s status and use case, the brand', async () => {
    const tenantId = randomUUID();
    const [first, second, elsewhere] = [newYorkNumber(), newYorkNumber(), newYorkNumber()];
    const r = registrationOf(tenantId, '2FA');
    await project(
      r.brandStarted(),
      r.brandVetted(62, 1),
      r.campaignStarted(),
      r.campaignSubmitted(),
      r.assignmentStarted(first),
      r.assignmentStarted(second),
      r.assignmentSubmitted(second),
    );
    const pending = await lookup(tenantId, [first, second, elsewhere]);
    expect([...pending.keys()].sort()).toEqual([first, second].sort());
    expect(pending.get(second)).toEqual({
      phoneNumber: second,
      campaignId: r.campaignId,
      assignment: 'pending',
      campaign: { status: 'pending', usecase: '2FA', brandId: r.brandId },
      brand: { entityType: 'PRIVATE_PROFIT', vettingScore: 62 },
    });

    await project(
      r.campaignAccepted(),
      r.assigned(first),
      r.provisioned(first),
      r.approvedChange(),
      r.approved([first]),
      r.brandVetted(81, 10),
    );
    const approved = await lookup(tenantId, [first, second]);
    expect(approved.get(first)).toEqual({
      phoneNumber: first,
      campaignId: r.campaignId,
      assignment: 'provisioned',
      campaign: { status: 'approved', usecase: '2FA', brandId: r.brandId },
      brand: { entityType: 'PRIVATE_PROFIT', vettingScore: 81 },
    });
    expect(approved.get(second)?.assignment).toBe('pending');
    // Another tenant's lookup of the same numbers finds nothing.
    expect((await lookup(randomUUID(), [first, second])).size).toBe(0);
  });

  it("keeps a number at its newest fact whichever stream's facts come first", async () => {
    const tenantId = randomUUID();
    const phone = newYorkNumber();
    const r = registrationOf(tenantId);
    // The campaign's stream is ahead of the number's: its provisioning before the assignment's
    // start and submission, which are older and change nothing.
    await project(r.campaignStarted(), r.campaignSubmitted(), r.provisioned(phone));
    await project(r.assignmentStarted(phone), r.assignmentSubmitted(phone));
    expect((await lookup(tenantId, [phone])).get(phone)?.assignment).toBe('provisioned');
    // Its campaign's facts are known, its brand's not yet.
    expect((await lookup(tenantId, [phone])).get(phone)?.brand).toBeNull();
  });

  it('a number whose assignment failed, assigned to another campaign, is that one’s', async () => {
    const tenantId = randomUUID();
    const phone = newYorkNumber();
    const [first, second] = [registrationOf(tenantId), registrationOf(tenantId)];
    await project(first.campaignStarted(), first.assignmentStarted(phone));
    await project(first.assignmentFailed(phone, 6));
    expect((await lookup(tenantId, [phone])).get(phone)?.assignment).toBe('failed');
    await project(second.campaignStarted(), second.assignmentStarted(phone, 10));
    await project(second.assigned(phone, 11), second.provisioned(phone, 12));
    // The first campaign's approval, later, moves no number.
    await project(first.approved([newYorkNumber()], 30));
    const now = (await lookup(tenantId, [phone])).get(phone);
    expect(now?.campaignId).toBe(second.campaignId);
    expect(now?.assignment).toBe('provisioned');
  });

  it('applies a redelivered fact once (inbox): no second write, no second wake', async () => {
    const { tenantId, number } = await tenantWithSender();
    const r = registrationOf(tenantId);
    await project(r.campaignStarted(), r.campaignSubmitted(), r.assignmentStarted(number));
    const approval = r.approved([number]);
    await project(approval);
    expect(wakes).toEqual([`registration.CampaignApproved.v1 ${tenantId}/${number}`]);

    // The campaign is refused later; the approval, delivered again, must not undo that.
    await project(r.refused('suspended', 20));
    wakes.length = 0;
    await project(approval);
    await registrations.handleBatch([approval, approval]);
    expect(wakes).toEqual([]);
    expect((await lookup(tenantId, [number])).get(number)?.campaign?.status).toBe('suspended');
    const inbox = await harness.database.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1 AND event_id = $2`,
      [MESSAGING_REGISTRATIONS_GROUP, approval.id],
    );
    expect(inbox[0]?.n).toBe(1);
  });
});

describe("messaging's projection of toll-free verifications", () => {
  it('holds each number’s latest verification status, and wakes its waits once settled', async () => {
    const tenantId = randomUUID();
    const [first, second] = [tollFreeNumber(), tollFreeNumber()];
    const v = tollFreeVerificationOf(tenantId, [first, second]);
    await project(v.started());
    expect(await verifications(tenantId, [first, second, tollFreeNumber()])).toEqual(
      new Map([
        [first, 'pending'],
        [second, 'pending'],
      ]),
    );
    expect(wakes).toEqual([]);
    await project(v.changed('approved', 5), v.verified(first, 5), v.verified(second, 5));
    expect(await verifications(tenantId, [first, second])).toEqual(
      new Map([
        [first, 'approved'],
        [second, 'approved'],
      ]),
    );
    expect(wakes).toContain(`registration.CampaignApproved.v1 ${tenantId}/${first}`);
    // Another tenant's lookup finds nothing; a newer verification, rejected, replaces it.
    expect((await verifications(randomUUID(), [first])).size).toBe(0);
    const again = tollFreeVerificationOf(tenantId, [first]);
    await project(again.changed('rejected', 9));
    expect((await verifications(tenantId, [first])).get(first)).toBe('rejected');
  });

  it('gates a toll-free sender on it: waits while pending, then verified, sends', async () => {
    const number = tollFreeNumber();
    const { tenantId } = await tenantWithSender(number);
    const enforcing = createDispatcher({
      store: new EventStore(harness.database.dataSource),
      messages: harness.messages,
      carrier: harness.carrier,
      clock: harness.clock,
      queue: harness.queue,
      gates: new DispatchGates(
        harness.messages,
        new ConsentView(),
        new TenantProfiles(),
        new TenantNumbers(),
        harness.database.dataSource.manager,
        [senderRegistrationGate()],
      ),
    });
    const v = tollFreeVerificationOf(tenantId, [number]);
    await project(v.started());
    const queued = await queueMessage(harness, {
      tenantId,
      to: newYorkNumber(),
      from: number,
      body: 'Your order shipped.',
      mediaUrls: [],
      purpose: 'transactional',
    });
    const { messageId, to } = queued.data as { messageId: string; to: string };
    await enforcing.handle(queued);
    expect(await statusOf(messageId)).toBe('queued');
    expect((await queueRow(messageId))?.waiting_key).toBe(`${tenantId}/${number}`);

    await project(v.changed('approved', 5));
    await enforcing.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });
});

describe('the sender-registration gate over the projection', () => {
  it('blocks a message from a US long code on no campaign, before any carrier call', async () => {
    const { tenantId, number } = await tenantWithSender();
    const { messageId, to } = await send(tenantId, number);
    expect(await statusOf(messageId)).toBe('blocked');
    expect(await blockedOf(messageId)).toMatchObject({
      reason: 'sender_not_registered',
      detail: `the sender ${number} is not assigned to a 10DLC campaign`,
    });
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
  });

  it('lets a sender assigned to an approved campaign send', async () => {
    const { tenantId, number } = await tenantWithSender();
    const r = registrationOf(tenantId);
    await project(
      r.campaignStarted(),
      r.assignmentStarted(number),
      r.assigned(number),
      r.provisioned(number),
      r.approved([number]),
    );
    const { messageId, to } = await send(tenantId, number);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
    expect(await statusOf(messageId)).not.toBe('blocked');
  });

  it('holds a pending sender’s message, and releases it as soon as the approval is projected', async () => {
    const { tenantId, number } = await tenantWithSender();
    const r = registrationOf(tenantId);
    await project(r.campaignStarted(), r.campaignSubmitted(), r.assignmentStarted(number));
    const { messageId, to } = await send(tenantId, number);
    expect(await statusOf(messageId)).toBe('queued');
    // Shown as waiting for its registration: one MessageParked, valid against its contract.
    expect(await parkedOf(messageId)).toEqual([
      expect.objectContaining({ messageId, tenantId, waitingFor: 'registration' }),
    ]);
    expect(await queueRow(messageId)).toEqual({
      gate: 'sender-registration',
      release_at: null,
      waiting_for: 'registration.CampaignApproved.v1',
      waiting_key: `${tenantId}/${number}`,
    });
    // Nothing releases it while it waits: an hour later, still queued.
    harness.clock.current = new Date(afternoon.getTime() + 3_600_000);
    await dispatcher.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(0);

    // The number provisioned on a campaign not yet accepted: released, and waits again.
    await project(r.assigned(number), r.provisioned(number));
    expect((await queueRow(messageId))?.release_at).not.toBeNull();
    await dispatcher.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
    expect((await queueRow(messageId))?.waiting_for).toBe('registration.CampaignApproved.v1');
    // Still waiting for the same: not parked again.
    expect(await parkedOf(messageId)).toHaveLength(1);

    // The approval, projected: due at once (in the projection's transaction), then sent.
    await project(r.campaignAccepted(), r.approvedChange(), r.approved([number]));
    expect((await queueRow(messageId))?.release_at).toEqual(harness.clock.now());
    await dispatcher.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
    expect(await statusOf(messageId)).toBe('sending');
    expect(await queueRow(messageId)).toBeNull();
    harness.clock.current = afternoon;
  });

  it('a later number provisioned on an approved campaign releases its messages', async () => {
    const { tenantId, number } = await tenantWithSender();
    const later = newYorkNumber();
    await harness.tenants.handle(
      consumed('gateway.SenderNumberAdded.v1', `tenant-${tenantId}`, {
        tenantId,
        phoneNumber: later,
        addedAt: new Date().toISOString(),
      }),
    );
    const r = registrationOf(tenantId);
    await project(r.campaignStarted(), r.approved([number], 8), r.assignmentStarted(later));
    const { messageId, to } = await send(tenantId, later);
    expect(await statusOf(messageId)).toBe('queued');
    await project(r.provisioned(later, 12));
    expect(wakes).toContain(`registration.CampaignApproved.v1 ${tenantId}/${later}`);
    await dispatcher.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });

  it.each(['rejected', 'suspended', 'expired'] as const)(
    'blocks a waiting message once its campaign is %s',
    async (status) => {
      const { tenantId, number } = await tenantWithSender();
      const r = registrationOf(tenantId);
      await project(r.campaignStarted(), r.campaignSubmitted(), r.assignmentStarted(number));
      const { messageId, to } = await send(tenantId, number);
      expect(await statusOf(messageId)).toBe('queued');

      await project(r.refused(status));
      expect(wakes).toContain(`registration.CampaignApproved.v1 ${tenantId}/${number}`);
      await dispatcher.releaseDue(100);
      expect(await statusOf(messageId)).toBe('blocked');
      expect(await blockedOf(messageId)).toMatchObject({
        reason: 'sender_not_registered',
        detail: `the campaign ${r.campaignId} of sender ${number} is ${status}`,
      });
      expect(harness.carrier.callsTo(to)).toHaveLength(0);
      expect(await queueRow(messageId)).toBeNull();
    },
  );

  it('blocks a waiting message once its number’s assignment failed', async () => {
    const { tenantId, number } = await tenantWithSender();
    const r = registrationOf(tenantId);
    await project(r.campaignStarted(), r.campaignSubmitted(), r.assignmentStarted(number));
    const { messageId } = await send(tenantId, number);
    await project(r.assignmentFailed(number));
    await dispatcher.releaseDue(100);
    expect(await blockedOf(messageId)).toMatchObject({ reason: 'sender_not_registered' });
  });

  it("marketing from a 2FA campaign: flagged by default, blocked under the tenant's block setting", async () => {
    const { tenantId, number } = await tenantWithSender();
    const r = registrationOf(tenantId, '2FA');
    await project(
      r.campaignStarted(),
      r.assignmentStarted(number),
      r.assigned(number),
      r.provisioned(number),
      r.approved([number]),
    );
    const marketing = async () => {
      const to = newYorkNumber();
      await harness.consents.handle(
        consumed('consent.ConsentGranted.v1', `consent-${tenantId}-${to}`, {
          tenantId,
          phone: to,
          purpose: 'marketing',
          channel: 'all',
          requestId: randomUUID(),
          evidence: {
            source: 'web_form',
            text: 'Yes, text me offers from Acme.',
            capturedAt: afternoon.toISOString(),
          },
          grantedAt: afternoon.toISOString(),
        }),
      );
      const queued = await queueMessage(harness, {
        tenantId,
        to,
        from: number,
        body: 'Acme: 20% off this weekend. Reply STOP to opt out.',
        mediaUrls: [],
        purpose: 'marketing',
      });
      await dispatcher.handle(queued);
      return { messageId: (queued.data as { messageId: string }).messageId, to };
    };

    const flagged = await marketing();
    expect(harness.carrier.callsTo(flagged.to)).toHaveLength(1);
    const started = await harness.database.dataSource.query<
      Array<{ data: { complianceFlags?: string[] } }>
    >(
      `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageSubmissionStarted.v1'`,
      [`message-${flagged.messageId}`],
    );
    expect(started[0]?.data.complianceFlags).toEqual(['campaign_use_case_mismatch']);

    await harness.tenants.handle(
      consumed('gateway.TenantSettingsSet.v1', `tenant-${tenantId}`, {
        tenantId,
        settings: { campaignUseCaseMismatch: 'block' },
        setAt: new Date().toISOString(),
      }),
    );
    const blocked = await marketing();
    expect(harness.carrier.callsTo(blocked.to)).toHaveLength(0);
    expect(await blockedOf(blocked.messageId)).toMatchObject({
      reason: 'campaign_use_case_mismatch',
      detail: `a marketing message from ${number}, whose campaign's use case is 2FA`,
    });
  });

  it('lets a non-US sender through on no campaign', async () => {
    const { tenantId } = await tenantWithSender('+14165550100');
    const { to } = await send(tenantId, '+14165550100');
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });

  it('blocks a message from a toll-free number with no verification, before any carrier call', async () => {
    const number = tollFreeNumber();
    const { tenantId } = await tenantWithSender(number);
    const { messageId, to } = await send(tenantId, number);
    expect(await statusOf(messageId)).toBe('blocked');
    expect(await blockedOf(messageId)).toMatchObject({
      reason: 'sender_not_verified',
      detail: `the toll-free sender ${number} has no verification`,
    });
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
  });
});

describe('the sender_registration_* and sender_toll_free_verifications tables, rebuilt', () => {
  const tables = [
    { table: 'sender_registration_numbers', orderBy: 'tenant_id, phone_number' },
    { table: 'sender_registration_campaigns', orderBy: 'campaign_id' },
    { table: 'sender_registration_brands', orderBy: 'brand_id' },
    { table: 'sender_toll_free_verifications', orderBy: 'tenant_id, phone_number' },
  ];
  const rowsOf = (dataSource: DataSource, table: string, orderBy: string) =>
    dataSource.query<Array<Record<string, unknown>>>(`SELECT * FROM ${table} ORDER BY ${orderBy}`);

  it('from every fact this file projected, its streams read in another order, are the same', async () => {
    // Each stream keeps its order (one partition), the streams come last first: what another
    // interleaving of the topic's partitions would bring. Redeliveries included.
    const streams = new Map<string, ConsumedEvent[]>();
    for (const event of projected) {
      streams.set(event.subject, [...(streams.get(event.subject) ?? []), event]);
    }
    const replayed = [...streams.values()].reverse().flat();
    const scratch = await createTestDatabase({ migrations: messagingMigrations });
    try {
      await rebuildMessagingReadModels(scratch.dataSource, {
        store: [],
        topics: {
          [Topics.gatewayTenants]: [],
          [Topics.consentConsents]: [],
          [Topics.registrationRegistrations]: replayed,
        },
      });
      for (const { table, orderBy } of tables) {
        const live = await rowsOf(harness.database.dataSource, table, orderBy);
        expect(live.length, `${table} is empty`).toBeGreaterThan(0);
        expect(await rowsOf(scratch.dataSource, table, orderBy), table).toEqual(live);
      }
    } finally {
      await scratch.drop();
    }
  });
});
