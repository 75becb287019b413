import { randomInt, randomUUID } from 'node:crypto';
import { type EventDataByType, type EventType, validateEventData } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { TenantNumbers } from '../tenants/tenant-numbers.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';
import {
  MESSAGING_REGISTRATIONS_GROUP,
  SenderRegistrationProjection,
  senderRegistrationsOf,
} from './sender-registration.projection.js';

/**
 * A number removed from its campaign (registration's NumberUnassignment* facts) through
 * messaging's projection and the sender-registration gate: held while the removal is under way,
 * blocked sender_not_registered once it is done, sending again when it failed.
 */

let harness: MessagingHarness;
let dispatcher: Dispatcher;
let registrations: EventHandlers;

/** 14:00 on a Thursday in New York: no quiet hours hold a text back. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  harness.clock.current = afternoon;
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
      harness.database.dataSource.manager,
      dispatchGates({ enforceSenderRegistration: true }),
    ),
  });
  const projection = new SenderRegistrationProjection({
    wake: (m, event, key) => harness.queue.wake(m, event, key, harness.clock.now()),
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

const newYorkNumber = (): string =>
  `+1212${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;

const at = (minute: number): string =>
  new Date(Date.parse('2026-11-20T12:00:00.000Z') + minute * 60_000).toISOString();

/** A registration fact as the consumer hands it over, checked against its contract first. */
function fact<K extends EventType>(type: K, subject: string, data: EventDataByType[K]) {
  const valid = validateEventData(type, data);
  if (!valid.valid) throw new Error(valid.reason);
  return consumed(type, subject, data);
}

async function project(...events: ConsumedEvent[]): Promise<void> {
  for (const event of events) await registrations.handle(event);
}

/** A tenant whose `number` is provisioned on its approved campaign, and its removal's facts. */
async function assignedSender() {
  const tenantId = randomUUID();
  const number = newYorkNumber();
  await seedTenant(harness, { tenantId, number });
  const brandId = randomUUID();
  const campaignId = randomUUID();
  const campaignStream = `campaign-${campaignId}`;
  const numberStream = `number-assignment-${tenantId}-${number}`;
  const subject = { tenantId, phoneNumber: number, campaignId };
  await project(
    fact('registration.CampaignSubmissionStarted.v1', campaignStream, {
      campaignId,
      tenantId,
      requestId: randomUUID(),
      carrierBrandId: 'BRAND1',
      campaign: {
        brandId,
        usecase: 'ACCOUNT_NOTIFICATION',
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
      startedAt: at(1),
    }),
    fact('registration.NumberAssignmentStarted.v1', numberStream, {
      ...subject,
      carrierCampaignId: 'CAMP1',
      requestId: randomUUID(),
      startedAt: at(2),
    }),
    fact('registration.NumberAssigned.v1', numberStream, {
      ...subject,
      carrierStatus: 'ASSIGNED',
      assignedAt: at(3),
    }),
    fact('registration.CampaignNumberProvisioned.v1', campaignStream, {
      ...subject,
      provisionedAt: at(3),
    }),
    fact('registration.CampaignApproved.v1', campaignStream, {
      campaignId,
      tenantId,
      brandId,
      usecase: 'ACCOUNT_NOTIFICATION',
      carrierStatus: 'MNO_PROVISIONED',
      phoneNumbers: [number],
      approvedAt: at(3),
    }),
  );
  return {
    tenantId,
    number,
    campaignId,
    removalStarted: () =>
      fact('registration.NumberUnassignmentStarted.v1', numberStream, {
        ...subject,
        requestId: randomUUID(),
        startedAt: at(10),
      }),
    removalSubmitted: () =>
      fact('registration.NumberUnassignmentSubmitted.v1', numberStream, {
        ...subject,
        carrierStatus: 'PENDING_UNASSIGNMENT',
        submittedAt: at(11),
      }),
    removed: () =>
      fact('registration.NumberUnassigned.v1', numberStream, {
        ...subject,
        carrierStatus: 'PENDING_UNASSIGNMENT',
        unassignedAt: at(12),
      }),
    removalFailed: () =>
      fact('registration.NumberUnassignmentFailed.v1', numberStream, {
        ...subject,
        carrierStatus: 'FAILED_UNASSIGNMENT',
        reasons: [
          { code: 'unspecified', carrierReason: 'Number is locked', suggestedFix: 'Retry' },
        ],
        failedAt: at(12),
      }),
    /** The campaign's provisioning of the number, replayed late from its own stream. */
    staleProvisioned: () =>
      fact('registration.CampaignNumberProvisioned.v1', campaignStream, {
        ...subject,
        provisionedAt: at(4),
      }),
  };
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

const statusOf = async (messageId: string) => (await harness.messages.load(messageId)).state.status;

async function blockedOf(messageId: string): Promise<Record<string, unknown> | undefined> {
  const rows = await harness.database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageBlocked.v1'`,
    [`message-${messageId}`],
  );
  return rows[0]?.data;
}

describe('a number removed from its campaign', () => {
  it('sends while assigned, holds while the removal is under way, is blocked once removed', async () => {
    const s = await assignedSender();
    const before = await send(s.tenantId, s.number);
    expect(harness.carrier.callsTo(before.to)).toHaveLength(1);

    await project(s.removalStarted(), s.removalSubmitted());
    const during = await send(s.tenantId, s.number);
    expect(await statusOf(during.messageId)).toBe('queued');
    expect(harness.carrier.callsTo(during.to)).toHaveLength(0);

    await project(s.removed());
    await dispatcher.releaseDue(100);
    expect(await statusOf(during.messageId)).toBe('blocked');
    expect(await blockedOf(during.messageId)).toMatchObject({ reason: 'sender_not_registered' });
    const after = await send(s.tenantId, s.number);
    expect(await statusOf(after.messageId)).toBe('blocked');
    expect(await blockedOf(after.messageId)).toMatchObject({ reason: 'sender_not_registered' });
    expect(harness.carrier.callsTo(during.to)).toHaveLength(0);
    expect(harness.carrier.callsTo(after.to)).toHaveLength(0);
  });

  it("a failed removal releases the held texts: the number is its campaign's again", async () => {
    const s = await assignedSender();
    await project(s.removalStarted());
    const held = await send(s.tenantId, s.number);
    expect(await statusOf(held.messageId)).toBe('queued');
    await project(s.removalFailed());
    await dispatcher.releaseDue(100);
    expect(harness.carrier.callsTo(held.to)).toHaveLength(1);
  });

  it("an older fact of the campaign's stream, read after the removal, does not provision it again", async () => {
    const s = await assignedSender();
    await project(s.removalStarted(), s.removed(), s.staleProvisioned());
    const lookup = await senderRegistrationsOf(harness.database.dataSource.manager, s.tenantId, [
      s.number,
    ]);
    expect(lookup.get(s.number)?.assignment).toBe('removed');
    const after = await send(s.tenantId, s.number);
    expect(await blockedOf(after.messageId)).toMatchObject({
      reason: 'sender_not_registered',
      detail: `the sender ${s.number} was removed from campaign ${s.campaignId}`,
    });
  });
});
