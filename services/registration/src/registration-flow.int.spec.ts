import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type BrandDetails,
  type TollFreeVerificationDetails,
  validateEventData,
} from '@textplane/contracts';
import { EventStore, Inbox, type StoredEvent } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox, systemClock } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The simulator in-process, by path, so the test needs no build of it. A service never imports a
// tool in its code; for this test only, until the lead wires a spawned simulator instead.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only, see above
import { type RunningCarrierSim, startCarrierSim } from '../../../tools/carrier-sim/src/server.js';
import { brandBody, campaignBody, tollFreeBody } from '../test/fixtures.js';
import { brandStreamId } from './brands/brand.events.js';
import { campaignStreamId } from './campaigns/campaign.events.js';
import {
  CarrierSubmissionHandler,
  CarrierUnavailableError,
} from './carrier-submission/carrier-submission.handler.js';
import { CarrierUpdateHandler } from './carrier-updates/carrier-update.handler.js';
import { RegistrationPoller } from './carrier-updates/registration-poller.js';
import type { RegistrationCarrier } from './infrastructure/carriers/registration-carrier.js';
import { TelnyxRegistrationCarrier } from './infrastructure/carriers/telnyx/telnyx-registration-carrier.js';
import { RegistrationStore } from './infrastructure/registration-store.js';
import { registrationMigrations } from './migrations/index.js';
import { numberAssignmentStreamId } from './number-assignments/number-assignment.events.js';
import { RegistrationRequestHandler } from './registration-requests/registration-request.handler.js';
import { TenantNumbers } from './tenants/tenant-numbers.js';
import { tollFreeVerificationStreamId } from './toll-free-verifications/toll-free-verification.events.js';

/**
 * Brand -> campaign -> number assignment against real Postgres and the carrier simulator
 * (its review delay 0): each consumer's handler is fed what its topic would carry (the
 * gateway's requests, registration's own started facts, the sim's signed webhooks as the
 * gateway records them), so the whole path runs without Kafka and without waiting on a clock.
 */

let database: TestDatabase;
let store: EventStore;
let sim: RunningCarrierSim;
let receiver: Server;
let tenantEvents: EventHandlers;
let requestEvents: EventHandlers;
let submissions: CarrierSubmissionHandler;
let updates: CarrierUpdateHandler;
let poller: RegistrationPoller;
let carrier: TelnyxRegistrationCarrier;
let registrations: RegistrationStore;
const quiet = { info: () => undefined, warn: () => undefined };

/** Webhooks the simulator posted, in order, and who waits for the next one. */
const webhooks: Array<{ event_type: string; payload: Record<string, unknown> }> = [];
let onWebhook: (() => void) | null = null;

function nextWebhook(
  eventType: string,
): Promise<{ event_type: string; payload: Record<string, unknown> }> {
  return new Promise((resolve) => {
    const look = () => {
      const index = webhooks.findIndex((w) => w.event_type === eventType);
      if (index >= 0) {
        onWebhook = null;
        resolve(webhooks.splice(index, 1)[0]!);
      } else {
        onWebhook = look;
      }
    };
    look();
  });
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data: { event_type: string; payload: Record<string, unknown> };
      };
      webhooks.push(body.data);
      res.writeHead(200).end();
      onWebhook?.();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/telnyx`;
  sim = await startCarrierSim({ port: 0, webhookUrl, trustReviewDelayMs: 0, acceptAnyFrom: true });

  database = await createTestDatabase({ migrations: registrationMigrations });
  store = new EventStore(database.dataSource);
  const inbox = new Inbox(database.dataSource);
  registrations = new RegistrationStore(store);
  const tenants = new TenantNumbers();
  carrier = new TelnyxRegistrationCarrier({
    apiKey: 'test-key',
    baseUrl: `${sim.url}/v2`,
    timeoutMs: 5_000,
    maxRetries: 0,
  });
  const requests = new RegistrationRequestHandler(registrations, tenants, systemClock);
  submissions = new CarrierSubmissionHandler(registrations, carrier, systemClock);
  updates = new CarrierUpdateHandler(
    registrations,
    carrier,
    database.dataSource,
    systemClock,
    quiet,
  );
  poller = new RegistrationPoller(registrations, updates, database.dataSource, systemClock, quiet, {
    staleAfterMs: 0,
    batch: 100,
  });
  tenantEvents = onceThroughInbox(inbox, 'registration.tenants', (e, m) => tenants.apply(e, m));
  requestEvents = onceThroughInbox(inbox, 'registration.requests', (e, m) => requests.apply(e, m));
});

afterAll(async () => {
  await database?.drop();
  await sim?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

function consumed(type: string, data: object, tenantId: string): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject: 'test',
    time: new Date().toISOString(),
    tenantId,
    correlationId: randomUUID(),
    data,
    topic: 'test',
    partition: 0,
    offset: '0',
  };
}

/** A stored fact as the carrier-submission consumer receives it from the topic. */
function asConsumed(event: StoredEvent, tenantId: string): ConsumedEvent {
  return consumed(event.type, event.data as object, tenantId);
}

/** A sim webhook as the gateway records it (gateway.CarrierWebhookReceived.v1). */
function recorded(
  webhook: { event_type: string; payload: Record<string, unknown> },
  tenantId: string,
) {
  return consumed(
    'gateway.CarrierWebhookReceived.v1',
    {
      webhookId: randomUUID(),
      carrier: 'telnyx',
      eventType: webhook.event_type,
      occurredAt: new Date().toISOString(),
      payload: webhook.payload,
      receivedAt: new Date().toISOString(),
    },
    tenantId,
  );
}

async function types(streamId: string): Promise<string[]> {
  return (await store.readStream(streamId)).map((e) => e.type.replace('registration.', ''));
}

async function last(streamId: string, type: string): Promise<StoredEvent> {
  const found = (await store.readStream(streamId)).filter((e) => e.type === type).at(-1);
  if (!found) throw new Error(`no ${type} on ${streamId}`);
  return found;
}

async function newTenant(): Promise<{ tenantId: string; number: string }> {
  const tenantId = randomUUID();
  const number = `+1512555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  await tenantEvents.handle(
    consumed(
      'gateway.TenantCreated.v1',
      {
        tenantId,
        name: 'Acme Dental',
        brandName: 'Acme Dental',
        timeZone: 'America/Chicago',
        defaultSender: number,
        senderNumbers: [number],
        createdAt: new Date().toISOString(),
      },
      tenantId,
    ),
  );
  return { tenantId, number };
}

/** A tenant whose number is assigned to its approved campaign through the simulator. */
async function assignedNumber(): Promise<{ tenantId: string; number: string; campaignId: string }> {
  const { tenantId, number } = await newTenant();
  const brandId = randomUUID();
  const campaignId = randomUUID();
  const now = () => new Date().toISOString();
  await requestEvents.handle(
    consumed(
      'gateway.BrandRegistrationRequested.v1',
      { requestId: randomUUID(), tenantId, brandId, brand: brandBody, requestedAt: now() },
      tenantId,
    ),
  );
  const brandWebhook = nextWebhook('10dlc.brand.update');
  await submissions.handle(
    asConsumed(
      await last(brandStreamId(brandId), 'registration.BrandRegistrationStarted.v1'),
      tenantId,
    ),
  );
  await updates.handle(recorded(await brandWebhook, tenantId));
  await requestEvents.handle(
    consumed(
      'gateway.CampaignSubmissionRequested.v1',
      {
        requestId: randomUUID(),
        tenantId,
        campaignId,
        campaign: { ...campaignBody, brandId },
        requestedAt: now(),
      },
      tenantId,
    ),
  );
  const campaignWebhook = nextWebhook('10dlc.campaign.update');
  await submissions.handle(
    asConsumed(
      await last(campaignStreamId(campaignId), 'registration.CampaignSubmissionStarted.v1'),
      tenantId,
    ),
  );
  await updates.handle(recorded(await campaignWebhook, tenantId));
  await requestEvents.handle(
    consumed(
      'gateway.NumberAssignmentRequested.v1',
      { requestId: randomUUID(), tenantId, campaignId, phoneNumber: number, requestedAt: now() },
      tenantId,
    ),
  );
  const assignmentStream = numberAssignmentStreamId(tenantId, number);
  const numberWebhook = nextWebhook('10dlc.phone_number.update');
  await submissions.handle(
    asConsumed(await last(assignmentStream, 'registration.NumberAssignmentStarted.v1'), tenantId),
  );
  await updates.handle(recorded(await numberWebhook, tenantId));
  expect((await types(assignmentStream)).at(-1)).toBe('NumberAssigned.v1');
  return { tenantId, number, campaignId };
}

describe('registration end to end against the simulator', () => {
  it('brand -> vetting -> campaign -> number assignment -> CampaignApproved, every fact valid', async () => {
    const { tenantId, number } = await newTenant();
    const brandId = randomUUID();
    const campaignId = randomUUID();

    await requestEvents.handle(
      consumed(
        'gateway.BrandRegistrationRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          brandId,
          brand: brandBody,
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const brandStarted = await last(
      brandStreamId(brandId),
      'registration.BrandRegistrationStarted.v1',
    );
    const brandWebhook = nextWebhook('10dlc.brand.update');
    await submissions.handle(asConsumed(brandStarted, tenantId));
    // Redelivered, the started fact makes no second carrier call.
    await submissions.handle(asConsumed(brandStarted, tenantId));
    await updates.handle(recorded(await brandWebhook, tenantId));
    expect(await types(brandStreamId(brandId))).toEqual([
      'BrandRegistrationStarted.v1',
      'BrandRegistered.v1',
      'BrandStatusChanged.v1',
      'BrandVetted.v1',
    ]);
    expect(
      (await last(brandStreamId(brandId), 'registration.BrandStatusChanged.v1')).data,
    ).toMatchObject({
      status: 'approved',
      carrierStatus: 'VERIFIED',
    });
    expect((await last(brandStreamId(brandId), 'registration.BrandVetted.v1')).data).toMatchObject({
      vettingScore: 75,
      vettingProvider: 'AEGIS',
    });

    await requestEvents.handle(
      consumed(
        'gateway.CampaignSubmissionRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          campaignId,
          campaign: { ...campaignBody, brandId },
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const campaignWebhook = nextWebhook('10dlc.campaign.update');
    await submissions.handle(
      asConsumed(
        await last(campaignStreamId(campaignId), 'registration.CampaignSubmissionStarted.v1'),
        tenantId,
      ),
    );
    await updates.handle(recorded(await campaignWebhook, tenantId));
    expect(
      (await last(campaignStreamId(campaignId), 'registration.CampaignStatusChanged.v1')).data,
    ).toMatchObject({
      status: 'pending',
      carrierStatus: 'MNO_PROVISIONED',
      carrierAccepted: true,
    });

    await requestEvents.handle(
      consumed(
        'gateway.NumberAssignmentRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          campaignId,
          phoneNumber: number,
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const assignmentStream = numberAssignmentStreamId(tenantId, number);
    const numberWebhook = nextWebhook('10dlc.phone_number.update');
    await submissions.handle(
      asConsumed(await last(assignmentStream, 'registration.NumberAssignmentStarted.v1'), tenantId),
    );
    await updates.handle(recorded(await numberWebhook, tenantId));
    expect(await types(assignmentStream)).toEqual([
      'NumberAssignmentStarted.v1',
      'NumberAssignmentSubmitted.v1',
      'NumberAssigned.v1',
    ]);
    await submissions.handle(
      asConsumed(await last(assignmentStream, 'registration.NumberAssigned.v1'), tenantId),
    );

    expect(await types(campaignStreamId(campaignId))).toEqual([
      'CampaignSubmissionStarted.v1',
      'CampaignSubmitted.v1',
      'CampaignStatusChanged.v1',
      'CampaignNumberProvisioned.v1',
      'CampaignStatusChanged.v1',
      'CampaignApproved.v1',
    ]);
    expect(
      (await last(campaignStreamId(campaignId), 'registration.CampaignApproved.v1')).data,
    ).toMatchObject({
      campaignId,
      tenantId,
      brandId,
      usecase: 'ACCOUNT_NOTIFICATION',
      phoneNumbers: [number],
    });

    for (const streamId of [
      brandStreamId(brandId),
      campaignStreamId(campaignId),
      assignmentStream,
    ]) {
      for (const event of await store.readStream(streamId)) {
        expect(validateEventData(event.type, event.data), event.type).toEqual({ valid: true });
      }
    }
  });

  it("assigned -> removed: the delete call, the carrier's webhook, NumberUnassigned; bad removals refused, nothing sent", async () => {
    const { tenantId, number, campaignId } = await assignedNumber();
    const assignmentStream = numberAssignmentStreamId(tenantId, number);
    const removal = (overrides: Partial<{ campaignId: string; requestId: string }> = {}) =>
      consumed(
        'gateway.NumberUnassignmentRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          campaignId,
          phoneNumber: number,
          requestedAt: new Date().toISOString(),
          ...overrides,
        },
        tenantId,
      );

    // Another campaign's number: refused, the carrier untouched.
    await requestEvents.handle(removal({ campaignId: randomUUID() }));
    expect(
      (await last(assignmentStream, 'registration.RegistrationRequestRejected.v1')).data,
    ).toMatchObject({
      resource: 'number_assignment',
      resourceId: number,
      errors: [
        {
          field: 'phoneNumber',
          message: `the number is assigned to campaign ${campaignId}, not this one`,
        },
      ],
    });
    expect((await carrier.assignmentStatus(number)).outcome).toBe('done');

    await requestEvents.handle(removal());
    const started = await last(assignmentStream, 'registration.NumberUnassignmentStarted.v1');
    const removedWebhook = nextWebhook('10dlc.phone_number.update');
    await submissions.handle(asConsumed(started, tenantId));
    // Redelivered, the started fact makes no second carrier call.
    await submissions.handle(asConsumed(started, tenantId));
    const webhook = await removedWebhook;
    expect(webhook.payload).toMatchObject({ phoneNumber: number, type: 'DELETION' });
    await updates.handle(recorded(webhook, tenantId));
    expect(await types(assignmentStream)).toEqual([
      'NumberAssignmentStarted.v1',
      'NumberAssignmentSubmitted.v1',
      'NumberAssigned.v1',
      'RegistrationRequestRejected.v1',
      'NumberUnassignmentStarted.v1',
      'NumberUnassignmentSubmitted.v1',
      'NumberUnassigned.v1',
    ]);
    expect((await last(assignmentStream, 'registration.NumberUnassigned.v1')).data).toMatchObject({
      tenantId,
      phoneNumber: number,
      campaignId,
      carrierStatus: 'PENDING_UNASSIGNMENT',
    });
    expect(await carrier.assignmentStatus(number)).toEqual({ outcome: 'done', value: null });
    // Nothing left to poll for the number.
    expect(
      (await registrations.unsettled(database.dataSource.manager, new Date(), 100)).some(
        (r) => r.carrierId === number,
      ),
    ).toBe(false);

    // Removed already: a second removal is refused.
    await requestEvents.handle(removal());
    expect(
      (await last(assignmentStream, 'registration.RegistrationRequestRejected.v1')).data,
    ).toMatchObject({
      errors: [{ field: 'phoneNumber', message: 'the number is not assigned to this campaign' }],
    });
    for (const event of await store.readStream(assignmentStream)) {
      expect(validateEventData(event.type, event.data), event.type).toEqual({ valid: true });
    }
  });

  it('an all-zero EIN is rejected with its reason and a fix, found by the poller without a webhook', async () => {
    const { tenantId } = await newTenant();
    const brandId = randomUUID();
    await requestEvents.handle(
      consumed(
        'gateway.BrandRegistrationRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          brandId,
          brand: { ...brandBody, ein: '00-0000000' },
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const lost = nextWebhook('10dlc.brand.update');
    await submissions.handle(
      asConsumed(
        await last(brandStreamId(brandId), 'registration.BrandRegistrationStarted.v1'),
        tenantId,
      ),
    );
    await lost; // the review is decided; its webhook is dropped here, the poller finds it
    expect(await poller.pollOnce()).toBeGreaterThan(0);
    expect(
      (await last(brandStreamId(brandId), 'registration.BrandStatusChanged.v1')).data,
    ).toMatchObject({
      status: 'rejected',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons: [
        {
          code: 'ein_mismatch',
          field: 'ein',
          carrierReason: 'EIN 00-0000000 is not a valid EIN (all zeros)',
        },
      ],
    });
  });

  it('a carrier outage records nothing and is retried; the retry registers the brand once', async () => {
    const { tenantId } = await newTenant();
    const brandId = randomUUID();
    let calls = 0;
    const flaky: RegistrationCarrier = {
      createBrand: async (id, brand) => {
        calls += 1;
        return calls === 1
          ? { outcome: 'unavailable', errorDetail: 'connection refused' }
          : carrier.createBrand(id, brand);
      },
      brandStatus: (id) => carrier.brandStatus(id),
      submitCampaign: (...a) => carrier.submitCampaign(...a),
      campaignStatus: (id) => carrier.campaignStatus(id),
      assignNumber: (...a) => carrier.assignNumber(...a),
      assignmentStatus: (phone) => carrier.assignmentStatus(phone),
      unassignNumber: (...a) => carrier.unassignNumber(...a),
      submitTollFreeVerification: (...a) => carrier.submitTollFreeVerification(...a),
      tollFreeVerificationStatus: (id) => carrier.tollFreeVerificationStatus(id),
      sendBrandOtp: (...a) => carrier.sendBrandOtp(...a),
      verifyBrandOtp: (...a) => carrier.verifyBrandOtp(...a),
      orderBrandVetting: (...a) => carrier.orderBrandVetting(...a),
    };
    const retrying = new CarrierSubmissionHandler(registrations, flaky, systemClock);
    await requestEvents.handle(
      consumed(
        'gateway.BrandRegistrationRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          brandId,
          brand: brandBody,
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const started = asConsumed(
      await last(brandStreamId(brandId), 'registration.BrandRegistrationStarted.v1'),
      tenantId,
    );
    await expect(retrying.handle(started)).rejects.toBeInstanceOf(CarrierUnavailableError);
    expect(await types(brandStreamId(brandId))).toEqual(['BrandRegistrationStarted.v1']);
    await retrying.handle(started);
    await retrying.handle(started);
    expect(calls).toBe(2);
    expect(await types(brandStreamId(brandId))).toEqual([
      'BrandRegistrationStarted.v1',
      'BrandRegistered.v1',
    ]);
  });

  it('a number the tenant does not own is refused, and nothing is sent to the carrier', async () => {
    const { tenantId } = await newTenant();
    const campaignId = randomUUID();
    await requestEvents.handle(
      consumed(
        'gateway.NumberAssignmentRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          campaignId,
          phoneNumber: '+15125559999',
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const [event] = await store.readStream(numberAssignmentStreamId(tenantId, '+15125559999'));
    expect(event?.type).toBe('registration.RegistrationRequestRejected.v1');
    expect(event?.data).toMatchObject({
      resource: 'number_assignment',
      errors: [{ field: 'campaignId' }],
    });
  });
});

/** The next webhook of a type about one resource (other tests' webhooks are left alone). */
function nextWebhookAbout(
  eventType: string,
  about: (payload: Record<string, unknown>) => boolean,
): Promise<{ event_type: string; payload: Record<string, unknown> }> {
  return new Promise((resolve) => {
    const look = () => {
      const index = webhooks.findIndex((w) => w.event_type === eventType && about(w.payload));
      if (index >= 0) {
        onWebhook = null;
        resolve(webhooks.splice(index, 1)[0]!);
      } else {
        onWebhook = look;
      }
    };
    look();
  });
}

async function tenantWith(numbers: string[]): Promise<string> {
  const tenantId = randomUUID();
  await tenantEvents.handle(
    consumed(
      'gateway.TenantCreated.v1',
      {
        tenantId,
        name: 'Acme Dental',
        brandName: 'Acme Dental',
        timeZone: 'America/Chicago',
        defaultSender: numbers[0],
        senderNumbers: numbers,
        createdAt: new Date().toISOString(),
      },
      tenantId,
    ),
  );
  return tenantId;
}

const randomTollFree = () =>
  `+1888555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;

async function expectAllValid(streamId: string): Promise<void> {
  for (const event of await store.readStream(streamId)) {
    expect(validateEventData(event.type, event.data), event.type).toEqual({ valid: true });
  }
}

describe('toll-free verification against the simulator', () => {
  async function request(tenantId: string, verification: TollFreeVerificationDetails) {
    const verificationId = randomUUID();
    await requestEvents.handle(
      consumed(
        'gateway.TollFreeVerificationRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          verificationId,
          verification,
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    return verificationId;
  }

  it('request -> submitted -> Verified by webhook -> each number verified; the number is then taken', async () => {
    const number = randomTollFree();
    const tenantId = await tenantWith([number]);
    const verificationId = await request(tenantId, { ...tollFreeBody, phoneNumbers: [number] });
    const streamId = tollFreeVerificationStreamId(verificationId);
    const started = await last(streamId, 'registration.TollFreeVerificationStarted.v1');
    await submissions.handle(asConsumed(started, tenantId));
    const submitted = await last(streamId, 'registration.TollFreeVerificationSubmitted.v1');
    expect(submitted.data).toMatchObject({
      status: 'pending',
      carrierStatus: 'Waiting For Telnyx',
      phoneNumbers: [number],
    });
    const carrierId = (submitted.data as { carrierVerificationId: string }).carrierVerificationId;
    const webhook = nextWebhookAbout(
      'messaging_tollfree.verification.update',
      (p) => p['id'] === carrierId,
    );
    // Redelivered, the started fact makes no second carrier call.
    await submissions.handle(asConsumed(started, tenantId));
    await updates.handle(recorded(await webhook, tenantId));
    expect(await types(streamId)).toEqual([
      'TollFreeVerificationStarted.v1',
      'TollFreeVerificationSubmitted.v1',
      'TollFreeVerificationStatusChanged.v1',
      'TollFreeNumberVerified.v1',
    ]);
    expect((await last(streamId, 'registration.TollFreeNumberVerified.v1')).data).toMatchObject({
      tenantId,
      phoneNumber: number,
      verificationId,
      carrierStatus: 'Verified',
    });
    await expectAllValid(streamId);

    const second = await request(tenantId, { ...tollFreeBody, phoneNumbers: [number] });
    const [refused] = await store.readStream(tollFreeVerificationStreamId(second));
    expect(refused?.type).toBe('registration.RegistrationRequestRejected.v1');
    expect(refused?.data).toMatchObject({
      resource: 'toll_free_verification',
      errors: [
        {
          field: 'phoneNumbers[0]',
          message: `${number} is in another verification that is pending or approved`,
        },
      ],
    });
  });

  it('a request for a tenant not known here yet fails (retried), and records nothing until it is', async () => {
    const number = randomTollFree();
    const tenantId = randomUUID();
    const verificationId = randomUUID();
    const requested = consumed(
      'gateway.TollFreeVerificationRequested.v1',
      {
        requestId: randomUUID(),
        tenantId,
        verificationId,
        verification: { ...tollFreeBody, phoneNumbers: [number] },
        requestedAt: new Date().toISOString(),
      },
      tenantId,
    );
    // The gateway's tenants topic and its requests topic are not ordered with each other.
    await expect(requestEvents.handle(requested)).rejects.toThrow(/not known here yet/);
    const streamId = tollFreeVerificationStreamId(verificationId);
    expect(await store.readStream(streamId)).toEqual([]);

    await tenantEvents.handle(
      consumed(
        'gateway.TenantCreated.v1',
        {
          tenantId,
          name: 'Acme Dental',
          brandName: 'Acme Dental',
          timeZone: 'America/Chicago',
          defaultSender: number,
          senderNumbers: [number],
          createdAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    await requestEvents.handle(requested);
    expect(await types(streamId)).toEqual(['TollFreeVerificationStarted.v1']);
  });

  it('an opt-in workflow without images is rejected with its reason and fix, found by the poller', async () => {
    const number = randomTollFree();
    const tenantId = await tenantWith([number]);
    const verificationId = await request(tenantId, {
      ...tollFreeBody,
      phoneNumbers: [number],
      optInWorkflowImageURLs: [],
    });
    const streamId = tollFreeVerificationStreamId(verificationId);
    await submissions.handle(
      asConsumed(await last(streamId, 'registration.TollFreeVerificationStarted.v1'), tenantId),
    );
    const carrierId = (
      (await last(streamId, 'registration.TollFreeVerificationSubmitted.v1')).data as {
        carrierVerificationId: string;
      }
    ).carrierVerificationId;
    await nextWebhookAbout('messaging_tollfree.verification.update', (p) => p['id'] === carrierId);
    expect(await poller.pollOnce()).toBeGreaterThan(0);
    expect(
      (await last(streamId, 'registration.TollFreeVerificationStatusChanged.v1')).data,
    ).toMatchObject({
      status: 'rejected',
      carrierStatus: 'Rejected',
      reasons: [
        {
          code: 'opt_in_image_missing',
          field: 'optInWorkflowImageURLs',
          suggestedFix: expect.stringContaining('screenshots') as unknown,
        },
      ],
    });
    expect(await types(streamId)).not.toContain('TollFreeNumberVerified.v1');
    // Rejected, the number is free for a corrected request.
    const again = await request(tenantId, { ...tollFreeBody, phoneNumbers: [number] });
    expect(await types(tollFreeVerificationStreamId(again))).toEqual([
      'TollFreeVerificationStarted.v1',
    ]);
  });

  it("a number that is not the tenant's, or a long code, is refused and nothing reaches the carrier", async () => {
    const tenantId = await tenantWith([randomTollFree()]);
    for (const [phoneNumbers, field] of [
      [['+18005550000'], 'phoneNumbers[0]'],
      [['+15125550142'], 'phoneNumbers[0]'],
    ] as const) {
      const verificationId = await request(tenantId, {
        ...tollFreeBody,
        phoneNumbers: [...phoneNumbers],
      });
      const events = await store.readStream(tollFreeVerificationStreamId(verificationId));
      expect(events.map((e) => e.type)).toEqual(['registration.RegistrationRequestRejected.v1']);
      expect(events[0]?.data).toMatchObject({ errors: [{ field }] });
    }
  });
});

describe('sole proprietor OTP and vetting against the simulator', () => {
  const soleProprietor: BrandDetails = {
    entityType: 'SOLE_PROPRIETOR',
    displayName: 'Ana Diaz Tutoring',
    firstName: 'Ana',
    lastName: 'Diaz',
    phone: '+15125550100',
    mobilePhone: '+15125550177',
    street: '100 Congress Ave',
    city: 'Austin',
    state: 'TX',
    postalCode: '78701',
    country: 'US',
    email: 'ana@example.com',
    vertical: 'EDUCATION',
  };

  async function registeredBrand(tenantId: string, brand: BrandDetails) {
    const brandId = randomUUID();
    await requestEvents.handle(
      consumed(
        'gateway.BrandRegistrationRequested.v1',
        {
          requestId: randomUUID(),
          tenantId,
          brandId,
          brand,
          requestedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    const started = await last(brandStreamId(brandId), 'registration.BrandRegistrationStarted.v1');
    await submissions.handle(asConsumed(started, tenantId));
    const carrierBrandId = (
      (await last(brandStreamId(brandId), 'registration.BrandRegistered.v1')).data as {
        carrierBrandId: string;
      }
    ).carrierBrandId;
    await updates.handle(
      recorded(
        await nextWebhookAbout('10dlc.brand.update', (p) => p['brandId'] === carrierBrandId),
        tenantId,
      ),
    );
    return { brandId, carrierBrandId };
  }

  async function gatewayRequest(type: string, tenantId: string, data: object) {
    const requestId = randomUUID();
    await requestEvents.handle(
      consumed(
        type,
        { requestId, tenantId, ...data, requestedAt: new Date().toISOString() },
        tenantId,
      ),
    );
    return requestId;
  }

  it('pending with otp_required -> OTP sent -> wrong PIN refused -> right PIN verified -> approved', async () => {
    const tenantId = await tenantWith([randomTollFree()]);
    const { brandId, carrierBrandId } = await registeredBrand(tenantId, soleProprietor);
    const stream = brandStreamId(brandId);
    expect((await last(stream, 'registration.BrandStatusChanged.v1')).data).toMatchObject({
      status: 'pending',
      carrierStatus: 'SELF_DECLARED',
      reasons: [{ code: 'otp_required' }],
    });

    await gatewayRequest('gateway.BrandOtpRequested.v1', tenantId, { brandId });
    const sendStarted = await last(stream, 'registration.BrandOtpSendStarted.v1');
    await submissions.handle(asConsumed(sendStarted, tenantId));
    await submissions.handle(asConsumed(sendStarted, tenantId));
    expect((await last(stream, 'registration.BrandOtpSent.v1')).data).toMatchObject({
      referenceId: expect.stringMatching(/^OTP/u) as unknown,
    });
    const otp = (await (await fetch(`${sim.url}/sim/trust/otp/${carrierBrandId}`)).json()) as {
      otpPin: string;
      pinSms: string;
    };
    expect(otp.pinSms).toBe(`Ana Diaz Tutoring: your verification code is ${otp.otpPin}`);

    const wrong = otp.otpPin === '000000' ? '111111' : '000000';
    await gatewayRequest('gateway.BrandOtpVerificationRequested.v1', tenantId, {
      brandId,
      otpPin: wrong,
    });
    await submissions.handle(
      asConsumed(await last(stream, 'registration.BrandOtpVerificationStarted.v1'), tenantId),
    );
    expect((await last(stream, 'registration.BrandOtpFailed.v1')).data).toMatchObject({
      step: 'verification',
      reasons: [{ code: 'otp_invalid', field: 'otpPin' }],
    });

    const refresher = new CarrierSubmissionHandler(registrations, carrier, systemClock, updates);
    await gatewayRequest('gateway.BrandOtpVerificationRequested.v1', tenantId, {
      brandId,
      otpPin: otp.otpPin,
    });
    await refresher.handle(
      asConsumed(await last(stream, 'registration.BrandOtpVerificationStarted.v1'), tenantId),
    );
    await refresher.handle(
      asConsumed(await last(stream, 'registration.BrandOtpVerified.v1'), tenantId),
    );
    expect((await last(stream, 'registration.BrandStatusChanged.v1')).data).toMatchObject({
      status: 'approved',
      previousStatus: 'pending',
      carrierStatus: 'VERIFIED',
    });
    await nextWebhookAbout('10dlc.brand.update', (p) => p['brandId'] === carrierBrandId);
    await expectAllValid(stream);
  });

  it('an OTP for a brand that is no sole proprietor is refused before any carrier call', async () => {
    const tenantId = await tenantWith([randomTollFree()]);
    const { brandId } = await registeredBrand(tenantId, brandBody);
    const requestId = await gatewayRequest('gateway.BrandOtpRequested.v1', tenantId, { brandId });
    expect(
      (await last(brandStreamId(brandId), 'registration.RegistrationRequestRejected.v1')).data,
    ).toMatchObject({
      requestId,
      resource: 'brand_otp',
      errors: [{ field: 'brandId', message: 'only a sole proprietor brand verifies by OTP' }],
    });
  });

  it('a vetting order is placed once, and its score arrives as BrandVetted', async () => {
    const tenantId = await tenantWith([randomTollFree()]);
    const { brandId, carrierBrandId } = await registeredBrand(tenantId, brandBody);
    const stream = brandStreamId(brandId);
    await gatewayRequest('gateway.BrandVettingRequested.v1', tenantId, { brandId });
    const started = await last(stream, 'registration.BrandVettingStarted.v1');
    expect(started.data).toMatchObject({ evpId: 'AEGIS', vettingClass: 'STANDARD' });
    const scored = nextWebhookAbout(
      '10dlc.brand.update',
      (p) => p['brandId'] === carrierBrandId && p['eventType'] === 'EVP_VETTING_COMPLETED',
    );
    await submissions.handle(asConsumed(started, tenantId));
    await submissions.handle(asConsumed(started, tenantId));
    expect((await last(stream, 'registration.BrandVettingOrdered.v1')).data).toMatchObject({
      vettingId: expect.any(String) as unknown,
    });
    await updates.handle(recorded(await scored, tenantId));
    expect((await last(stream, 'registration.BrandVetted.v1')).data).toMatchObject({
      vettingScore: 82,
      vettingProvider: 'AEGIS',
    });
    const vettings = (await (
      await fetch(`${sim.url}/v2/10dlc/brand/${carrierBrandId}/externalVetting`, {
        headers: { authorization: 'Bearer test-key' },
      })
    ).json()) as unknown[];
    expect(vettings).toHaveLength(2);
    await expectAllValid(stream);
  });
});
