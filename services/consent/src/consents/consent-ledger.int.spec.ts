import { randomUUID } from 'node:crypto';
import { classifyReply, type ReplyIntent } from '@textplane/compliance';
import { validateEventData, type TenantComplianceProfile } from '@textplane/contracts';
import { EventStore, Inbox, type StoredEvent } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { ConsentStandingReplica } from '@textplane/replicas';
import { type EventHandlers, onceThroughInbox, systemClock } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentStore } from '../infrastructure/consent-store.js';
import { consentMigrations } from '../migrations/index.js';
import { TenantProfiles, UnknownTenantError } from '../tenants/tenant-profiles.js';
import { ConsentRequestHandler } from './consent-requests/consent-request.handler.js';
import { autoReplyId, reviewIdOf } from './consent.decider.js';
import { consentStreamId } from './consent.events.js';
import { InboundReplyHandler } from './inbound-replies/inbound-reply.handler.js';

let database: TestDatabase;
let store: EventStore;
let tenantEvents: EventHandlers;
let requestEvents: EventHandlers;
let inboundEvents: EventHandlers;
const quiet = { info: () => undefined, warn: () => undefined };

/** The real classifier, except for bodies a test wants read as a doubtful revocation. */
const doubtful = new Set<string>();
function classify(body: string): ReplyIntent {
  return doubtful.has(body)
    ? { kind: 'possible_revocation', confidence: 0.5, cue: body }
    : classifyReply(body);
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: consentMigrations });
  store = new EventStore(database.dataSource);
  const inbox = new Inbox(database.dataSource);
  const consents = new ConsentStore(store);
  const tenants = new TenantProfiles();
  const requests = new ConsentRequestHandler(consents, tenants, systemClock, quiet);
  const replies = new InboundReplyHandler(consents, tenants, classify, systemClock, quiet);
  tenantEvents = onceThroughInbox(inbox, 'consent.tenants', (e, m) => tenants.apply(e, m));
  requestEvents = onceThroughInbox(inbox, 'consent.requests', (e, m) => requests.apply(e, m));
  inboundEvents = onceThroughInbox(inbox, 'consent.inbound-replies', (e, m) => replies.apply(e, m));
});

afterAll(async () => {
  await database.drop();
});

function consumed(type: string, subject: string, data: object, tenantId: string): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject,
    time: new Date().toISOString(),
    tenantId,
    correlationId: randomUUID(),
    data,
    topic: 'test',
    partition: 0,
    offset: '0',
  };
}

interface Tenant {
  tenantId: string;
  number: string;
}

function tenantCreated(compliance?: TenantComplianceProfile): {
  tenant: Tenant;
  event: ConsumedEvent;
} {
  const tenantId = randomUUID();
  const number = randomPhone();
  const event = consumed(
    'gateway.TenantCreated.v1',
    `tenant-${tenantId}`,
    {
      tenantId,
      name: 'Acme Dental LLC',
      brandName: 'Acme Dental',
      timeZone: 'America/Chicago',
      defaultSender: number,
      senderNumbers: [number],
      ...(compliance ? { compliance } : {}),
      createdAt: new Date().toISOString(),
    },
    tenantId,
  );
  return { tenant: { tenantId, number }, event };
}

async function newTenant(compliance?: TenantComplianceProfile): Promise<Tenant> {
  const { tenant, event } = tenantCreated(compliance);
  await tenantEvents.handle(event);
  return tenant;
}

function randomPhone(): string {
  return `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
}

/** Texts made one after the other were sent one after the other: never the same instant. */
let lastSentAt = 0;
function nextSentAt(): string {
  lastSentAt = Math.max(Date.now(), lastSentAt + 1);
  return new Date(lastSentAt).toISOString();
}

function inbound(tenant: Tenant, from: string, body: string, to = tenant.number): ConsumedEvent {
  const messageId = randomUUID();
  return consumed(
    'messaging.InboundMessageReceived.v1',
    `message-${messageId}`,
    {
      messageId,
      tenantId: tenant.tenantId,
      direction: 'inbound',
      from,
      to,
      body,
      mediaUrls: [],
      encoding: 'GSM-7',
      segments: 1,
      carrierMessageId: randomUUID(),
      receivedAt: nextSentAt(),
    },
    tenant.tenantId,
  );
}

async function ledger(tenant: Tenant, phone: string): Promise<StoredEvent[]> {
  const events = await store.readStream(consentStreamId(tenant.tenantId, phone));
  // Everything recorded must be publishable: the relay refuses what fails its schema.
  for (const event of events)
    expect(validateEventData(event.type, event.data)).toEqual({ valid: true });
  return events;
}

function messageIdOf(event: ConsumedEvent): string {
  return (event.data as { messageId: string }).messageId;
}

describe('consent ledger (real Postgres)', () => {
  it('revokes on STOP, asks for one confirmation from the number written to, records a redelivery as nothing and a second STOP without a second confirmation', async () => {
    const tenant = await newTenant();
    const phone = randomPhone();
    const stop = inbound(tenant, phone, 'Stop.');

    await inboundEvents.handle(stop);
    const recorded = await ledger(tenant, phone);
    expect(recorded.map((e) => e.type)).toEqual([
      'consent.ConsentRevoked.v1',
      'consent.AutoReplyRequested.v1',
    ]);
    expect(recorded[0]?.data).toMatchObject({
      scope: 'all',
      channel: 'all',
      method: 'keyword',
      keyword: 'STOP',
      message: { messageId: messageIdOf(stop), body: 'Stop.' },
    });
    expect(recorded[1]?.data).toMatchObject({
      replyId: autoReplyId(messageIdOf(stop), 'opt_out_confirmation'),
      phone,
      from: tenant.number,
      kind: 'opt_out_confirmation',
      inReplyTo: messageIdOf(stop),
    });
    expect((recorded[1]?.data as { body: string }).body).toMatch(/^Acme Dental: .*START/);
    expect(recorded[0]?.metadata).toMatchObject({
      tenantId: tenant.tenantId,
      correlationId: stop.correlationId,
      causationId: stop.id,
    });

    // Kafka delivers the same event again (one by one and in a batch): nothing more.
    await inboundEvents.handle(stop);
    await inboundEvents.handleBatch([stop, stop]);
    expect(await ledger(tenant, phone)).toHaveLength(2);
    // The person sends STOP again: already out and told so, so no second text; the STOP is on
    // the ledger as their latest opt-out (a START sent before it cannot undo it).
    const again = inbound(tenant, phone, 'STOP');
    await inboundEvents.handle(again);
    const after = await ledger(tenant, phone);
    expect(after.map((e) => e.type)).toEqual([
      'consent.ConsentRevoked.v1',
      'consent.AutoReplyRequested.v1',
      'consent.ConsentRevoked.v1',
    ]);
    expect(after[2]?.data).toMatchObject({
      method: 'keyword',
      message: { messageId: messageIdOf(again) },
    });

    const standing = await database.dataSource.manager.transaction((m) =>
      new ConsentStandingReplica({ keeps: 'standing-and-opted-out' }).standingOf(
        m,
        tenant.tenantId,
        phone,
      ),
    );
    expect(standing?.optedOut).toEqual({ sms: true, mms: true });
  });

  it("answers HELP in the tenant's words, even after an opt-out, and restores on START only after STOP", async () => {
    const tenant = await newTenant({
      supportContact: 'help@acme.example',
      messageFrequency: 'Up to 4 msgs/month',
    });
    const phone = randomPhone();

    await inboundEvents.handle(inbound(tenant, phone, 'START'));
    expect(await ledger(tenant, phone)).toHaveLength(0);

    await inboundEvents.handle(inbound(tenant, phone, 'STOP'));
    const help = inbound(tenant, phone, 'help');
    await inboundEvents.handle(help);
    await inboundEvents.handle(inbound(tenant, phone, 'START'));

    const recorded = await ledger(tenant, phone);
    expect(recorded.map((e) => e.type)).toEqual([
      'consent.ConsentRevoked.v1',
      'consent.AutoReplyRequested.v1',
      'consent.HelpRequested.v1',
      'consent.AutoReplyRequested.v1',
      'consent.ConsentRestored.v1',
      'consent.AutoReplyRequested.v1',
    ]);
    expect(recorded[3]?.data).toMatchObject({
      kind: 'help',
      replyId: autoReplyId(messageIdOf(help), 'help'),
      body: 'Acme Dental: For help, contact help@acme.example. Up to 4 msgs/month. Msg & data rates may apply. Reply STOP to opt out.',
    });
    expect(recorded[5]?.data).toMatchObject({ kind: 'opt_in_confirmation' });
  });

  it('retries an inbound reply for a tenant not known yet, and applies it once the tenant is', async () => {
    const { tenant, event: created } = tenantCreated();
    const phone = randomPhone();
    const stop = inbound(tenant, phone, 'STOP');

    await expect(inboundEvents.handle(stop)).rejects.toBeInstanceOf(UnknownTenantError);
    expect(await ledger(tenant, phone)).toHaveLength(0);

    await tenantEvents.handle(created);
    await inboundEvents.handle(stop);
    expect((await ledger(tenant, phone)).map((e) => e.type)).toEqual([
      'consent.ConsentRevoked.v1',
      'consent.AutoReplyRequested.v1',
    ]);
  });

  it('keeps tenant profiles with every sender number, and refuses a number for an unknown tenant', async () => {
    const { tenant, event: created } = tenantCreated({ supportContact: 'help@acme.example' });
    const added = (number: string): ConsumedEvent =>
      consumed(
        'gateway.SenderNumberAdded.v1',
        `tenant-${tenant.tenantId}`,
        { tenantId: tenant.tenantId, phoneNumber: number, addedAt: new Date().toISOString() },
        tenant.tenantId,
      );
    const second = randomPhone();
    await expect(tenantEvents.handle(added(second))).rejects.toBeInstanceOf(UnknownTenantError);

    await tenantEvents.handle(created);
    await tenantEvents.handle(added(second));
    await tenantEvents.handle(added(second));
    const profile = await new TenantProfiles().profileOf(
      database.dataSource.manager,
      tenant.tenantId,
    );
    expect(profile).toMatchObject({
      brandName: 'Acme Dental',
      defaultSender: tenant.number,
      senderNumbers: [tenant.number, second],
      compliance: { supportContact: 'help@acme.example' },
    });
  });

  it('drops a released sender number from the tenant profile', async () => {
    const { tenant, event: created } = tenantCreated();
    const second = randomPhone();
    const at = new Date().toISOString();
    const numberEvent = (type: string, data: object): ConsumedEvent =>
      consumed(type, `tenant-${tenant.tenantId}`, data, tenant.tenantId);
    await tenantEvents.handle(created);
    await tenantEvents.handle(
      numberEvent('gateway.SenderNumberAdded.v1', {
        tenantId: tenant.tenantId,
        phoneNumber: second,
        addedAt: at,
      }),
    );
    await tenantEvents.handle(
      numberEvent('gateway.SenderNumberRemoved.v1', {
        tenantId: tenant.tenantId,
        phoneNumber: second,
        removedAt: at,
      }),
    );
    const profile = await new TenantProfiles().profileOf(
      database.dataSource.manager,
      tenant.tenantId,
    );
    expect(profile?.senderNumbers).toEqual([tenant.number]);
  });

  it('answers HELP with the texts the tenant set after creation, retrying a profile for an unknown tenant', async () => {
    const { tenant, event: created } = tenantCreated({ supportContact: 'help@acme.example' });
    const phone = randomPhone();
    const profileSet = (compliance: TenantComplianceProfile): ConsumedEvent =>
      consumed(
        'gateway.TenantComplianceProfileSet.v1',
        `tenant-${tenant.tenantId}`,
        { tenantId: tenant.tenantId, compliance, setAt: new Date().toISOString() },
        tenant.tenantId,
      );
    const custom = profileSet({
      helpText:
        '{brand}: Questions? Call 800-555-0100. Msg & data rates may apply. Reply STOP to opt out.',
    });
    await expect(tenantEvents.handle(custom)).rejects.toBeInstanceOf(UnknownTenantError);

    await tenantEvents.handle(created);
    await inboundEvents.handle(inbound(tenant, phone, 'HELP'));
    // The redelivery of the failed event, now that the tenant is known.
    await tenantEvents.handle(custom);
    await inboundEvents.handle(inbound(tenant, phone, 'HELP'));
    // The whole profile is replaced: without a helpText, the default (without the old contact).
    await tenantEvents.handle(profileSet({}));
    await inboundEvents.handle(inbound(tenant, phone, 'info'));

    const replies = (await ledger(tenant, phone))
      .filter((e) => e.type === 'consent.AutoReplyRequested.v1')
      .map((e) => (e.data as { body: string }).body);
    expect(replies).toEqual([
      'Acme Dental: For help, contact help@acme.example. Msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.',
      'Acme Dental: Questions? Call 800-555-0100. Msg & data rates may apply. Reply STOP to opt out.',
      `Acme Dental: For help, contact us at ${tenant.number}. Msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.`,
    ]);
  });

  it('records API grants, DND and a review an agent resolves into a revocation', async () => {
    const tenant = await newTenant();
    const phone = randomPhone();
    const request = (type: string, data: object): ConsumedEvent =>
      consumed(
        type,
        `consent-request-${randomUUID()}`,
        {
          requestId: randomUUID(),
          tenantId: tenant.tenantId,
          phone,
          ...data,
          requestedAt: new Date().toISOString(),
        },
        tenant.tenantId,
      );
    const grant = request('gateway.ConsentGrantRequested.v1', {
      purpose: 'marketing',
      channel: 'all',
      evidence: {
        source: 'web_form',
        text: 'Text me offers',
        capturedAt: new Date().toISOString(),
      },
    });
    await requestEvents.handle(grant);
    await requestEvents.handle(grant);
    await requestEvents.handle(
      request('gateway.DndChangeRequested.v1', { channel: 'mms', dnd: true }),
    );

    const body = 'who is this, I never signed up';
    doubtful.add(body);
    const doubt = inbound(tenant, phone, body);
    await inboundEvents.handle(doubt);
    const reviewId = reviewIdOf(messageIdOf(doubt));

    // A decision for a review that is not on this ledger changes nothing.
    await requestEvents.handle(
      request('gateway.RevocationReviewResolutionRequested.v1', {
        reviewId: randomUUID(),
        decision: 'revoke',
      }),
    );
    await requestEvents.handle(
      request('gateway.RevocationReviewResolutionRequested.v1', { reviewId, decision: 'revoke' }),
    );

    const recorded = await ledger(tenant, phone);
    expect(recorded.map((e) => e.type)).toEqual([
      'consent.ConsentGranted.v1',
      'consent.DndSet.v1',
      'consent.RevocationReviewOpened.v1',
      'consent.RevocationReviewResolved.v1',
      'consent.ConsentRevoked.v1',
      'consent.AutoReplyRequested.v1',
    ]);
    expect(recorded[4]?.data).toMatchObject({ method: 'free_text', reviewId, message: { body } });
    expect(recorded[5]?.data).toMatchObject({ from: tenant.number, inReplyTo: messageIdOf(doubt) });
  });
});
