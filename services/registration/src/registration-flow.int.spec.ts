import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateEventData } from '@textplane/contracts';
import { EventStore, Inbox, type StoredEvent } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox, systemClock } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The simulator in-process, by path, so the test needs no build of it. A service never imports a
// tool in its code; for this test only, until the lead wires a spawned simulator instead.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only, see above
import { type RunningCarrierSim, startCarrierSim } from '../../../tools/carrier-sim/src/server.js';
import { brandBody, campaignBody } from '../test/fixtures.js';
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
