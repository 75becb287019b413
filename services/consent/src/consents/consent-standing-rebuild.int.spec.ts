import { randomUUID } from 'node:crypto';
import { classifyReply, type ReplyIntent } from '@textplane/compliance';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { ConsentStandingReplica } from '@textplane/replicas';
import { type EventHandlers, onceThroughInbox, systemClock } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentStore } from '../infrastructure/consent-store.js';
import { consentMigrations } from '../migrations/index.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';
import { ConsentRequestHandler } from './consent-requests/consent-request.handler.js';
import type { ConsentEvent } from './consent.events.js';
import { InboundReplyHandler } from './inbound-replies/inbound-reply.handler.js';

/**
 * Consent's standing read model is a projection only, applied in the transaction that appends
 * the ledger's events: after a run of the real handlers (API requests, STOP and START, a doubtful
 * reply opening a review and its resolution), the table dropped and rebuilt from the stored
 * ledger events is the same, row for row.
 */

let database: TestDatabase;
let tenantEvents: EventHandlers;
let requestEvents: EventHandlers;
let inboundEvents: EventHandlers;
const quiet = { info: () => undefined, warn: () => undefined };
const DOUBTFUL = 'please stop texting me so much';

function classify(body: string): ReplyIntent {
  return body === DOUBTFUL
    ? { kind: 'possible_revocation', confidence: 0.5, cue: 'stop texting' }
    : classifyReply(body);
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: consentMigrations });
  const inbox = new Inbox(database.dataSource);
  const consents = new ConsentStore(new EventStore(database.dataSource));
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

const tenantId = randomUUID();
const sender = '+15555550180';
let sentAt = Date.parse('2026-11-26T12:00:00.000Z');
const next = (): string => new Date((sentAt += 1000)).toISOString();

function consumed(type: string, subject: string, data: object): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject,
    time: next(),
    tenantId,
    correlationId: randomUUID(),
    data,
    topic: 'test',
    partition: 0,
    offset: '0',
  };
}

const request = (type: string, phone: string, data: object) =>
  requestEvents.handle(
    consumed(type, `consent-request-${randomUUID()}`, {
      requestId: randomUUID(),
      tenantId,
      phone,
      ...data,
      requestedAt: next(),
    }),
  );

function reply(from: string, body: string): Promise<void> {
  const messageId = randomUUID();
  return inboundEvents.handle(
    consumed('messaging.InboundMessageReceived.v1', `message-${messageId}`, {
      messageId,
      tenantId,
      direction: 'inbound',
      from,
      to: sender,
      body,
      mediaUrls: [],
      encoding: 'GSM-7',
      segments: 1,
      carrierMessageId: randomUUID(),
      receivedAt: next(),
    }),
  );
}

const grant = (phone: string) =>
  request('gateway.ConsentGrantRequested.v1', phone, {
    purpose: 'marketing',
    channel: 'all',
    evidence: {
      source: 'web_form',
      text: 'Yes, send me offers by text.',
      capturedAt: '2026-11-20T10:00:00.000Z',
      checkboxDefaultUnchecked: true,
    },
  });

async function snapshot(): Promise<unknown[]> {
  return database.dataSource.query(`SELECT * FROM consent_standings ORDER BY tenant_id, phone`);
}

describe("consent's standing read model, rebuilt from the ledger (real Postgres)", () => {
  it('is the same row for row after a run as after dropping it and replaying the store', async () => {
    await tenantEvents.handle(
      consumed('gateway.TenantCreated.v1', `tenant-${tenantId}`, {
        tenantId,
        name: 'Acme Dental LLC',
        brandName: 'Acme Dental',
        timeZone: 'America/Chicago',
        defaultSender: sender,
        senderNumbers: [sender],
        createdAt: next(),
      }),
    );
    const [stopped, restarted, dnd, reviewed] = [
      '+15555550181',
      '+15555550182',
      '+15555550183',
      '+15555550184',
    ];
    await grant(stopped);
    await reply(stopped, 'STOP');
    await grant(restarted);
    await reply(restarted, 'STOP');
    await reply(restarted, 'START');
    await request('gateway.DndChangeRequested.v1', dnd, { channel: 'sms', dnd: true });
    await grant(reviewed);
    await reply(reviewed, DOUBTFUL);
    const opened = await database.dataSource.query<Array<{ data: { reviewId: string } }>>(
      `SELECT data FROM events WHERE type = 'consent.RevocationReviewOpened.v1'`,
    );
    const reviewId = opened[0]?.data.reviewId;
    expect(reviewId).toBeDefined();
    await request('gateway.RevocationReviewResolutionRequested.v1', reviewed, {
      reviewId,
      decision: 'revoke',
    });

    const live = await snapshot();
    expect(live).toHaveLength(4);

    await database.dataSource.query(`TRUNCATE consent_standings`);
    const stored = await database.dataSource.query<ConsentEvent[]>(
      `SELECT type, data FROM events WHERE stream_type = 'consent' ORDER BY global_position`,
    );
    const standings = new ConsentStandingReplica({ keeps: 'standing-and-opted-out' });
    await database.dataSource.transaction((manager) =>
      standings.project(
        manager,
        stored.filter((event) => standings.follows(event)),
      ),
    );

    expect(await snapshot()).toEqual(live);
  });
});
