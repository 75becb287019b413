import { randomUUID } from 'node:crypto';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierMessageIndex } from '../infrastructure/carrier-message-index.js';
import type {
  Carrier,
  CarrierSubmission,
  CarrierSubmissionResult,
} from '../infrastructure/carriers/carrier.js';
import { systemClock } from '../infrastructure/clock.js';
import { MessageStore } from '../infrastructure/message-store.js';
import { messagingMigrations } from '../migrations/index.js';
import { TenantNumbers } from '../tenants/tenant-numbers.js';
import { RecordCarrierReportHandler } from './record-carrier-report/record-carrier-report.handler.js';
import { SubmitToCarrierHandler } from './submit-to-carrier/submit-to-carrier.handler.js';

/** A carrier that accepts with a fixed id and counts the calls; set per test. */
class ScriptedCarrier implements Carrier {
  calls: CarrierSubmission[] = [];
  answer: (submission: CarrierSubmission) => CarrierSubmissionResult = () => ({
    outcome: 'accepted',
    carrierMessageId: randomUUID(),
  });

  submit(submission: CarrierSubmission): Promise<CarrierSubmissionResult> {
    this.calls.push(submission);
    return Promise.resolve(this.answer(submission));
  }
}

let database: TestDatabase;
let messages: MessageStore;
let carrier: ScriptedCarrier;
let submit: SubmitToCarrierHandler;
let receipts: EventHandlers;
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: messagingMigrations });
  const store = new EventStore(database.dataSource);
  const inbox = new Inbox(database.dataSource);
  const index = new CarrierMessageIndex();
  messages = new MessageStore(store);
  carrier = new ScriptedCarrier();
  submit = new SubmitToCarrierHandler(
    store,
    messages,
    index,
    carrier,
    systemClock,
    { attempts: 3, backoffMs: { initial: 1, max: 2 } },
    () => Promise.resolve(),
  );
  const reports = new RecordCarrierReportHandler(messages, index, new TenantNumbers(), {
    warn: () => undefined,
  });
  receipts = onceThroughInbox(inbox, 'messaging.carrier-webhooks', (event, manager) =>
    reports.apply(event, manager),
  );
});

afterAll(async () => {
  await database.drop();
});

function consumed(type: string, subject: string, data: Record<string, unknown>): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject,
    time: new Date().toISOString(),
    tenantId,
    correlationId: subject,
    data,
    topic: 'test',
    partition: 0,
    offset: '0',
  };
}

async function queue(messageId: string): Promise<ConsumedEvent> {
  const request = {
    messageId,
    tenantId,
    to: '+15555550123',
    from: '+15555550100',
    body: 'Hello',
    mediaUrls: [],
    purpose: 'transactional' as const,
    encoding: 'GSM-7' as const,
    segments: 1,
    requestedAt: new Date().toISOString(),
  };
  const { events } = await messages.handle(
    messageId,
    { type: 'QueueMessage', request, now: new Date() },
    { tenantId, correlationId: messageId },
  );
  const queued = events[0];
  if (!queued) throw new Error('not queued');
  return consumed(
    queued.type,
    `message-${messageId}`,
    queued.data as unknown as Record<string, unknown>,
  );
}

function finalized(carrierMessageId: string, status: string): ConsumedEvent {
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.finalized',
    occurredAt: new Date().toISOString(),
    payload: { id: carrierMessageId, to: [{ phone_number: '+15555550123', status }], errors: [] },
    receivedAt: new Date().toISOString(),
  });
}

async function statusOf(messageId: string): Promise<string> {
  return (await messages.load(messageId)).state.status;
}

describe('carrier submission and receipts (real Postgres)', () => {
  it('applies a receipt that arrived before the carrier acceptance was recorded', async () => {
    const messageId = randomUUID();
    const carrierMessageId = randomUUID();
    carrier.answer = () => ({ outcome: 'accepted', carrierMessageId });
    const queued = await queue(messageId);

    // The carrier's webhook overtakes our recording of its answer: the receipt is parked...
    await receipts.handle(finalized(carrierMessageId, 'delivered'));
    expect(await statusOf(messageId)).toBe('queued');
    // ...and applied as soon as the acceptance is recorded.
    await submit.handle(queued);
    expect(await statusOf(messageId)).toBe('delivered');
  });

  it('never calls the carrier again for a message it accepted, however often the event comes', async () => {
    const messageId = randomUUID();
    carrier.answer = () => ({ outcome: 'accepted', carrierMessageId: randomUUID() });
    const queued = await queue(messageId);
    const before = carrier.calls.length;
    await submit.handle(queued);
    await submit.handle(queued);
    await submit.handleBatch([queued, queued]);
    expect(carrier.calls.length - before).toBe(1);
    expect(carrier.calls.at(-1)?.messageId).toBe(messageId);
  });

  it('fails a message the carrier refuses, with its code, and one it cannot reach after the attempts', async () => {
    const refused = randomUUID();
    carrier.answer = () => ({ outcome: 'rejected', errorCode: '40310', errorDetail: 'Invalid to' });
    await submit.handleBatch([await queue(refused)]);
    expect(await statusOf(refused)).toBe('failed');

    const unreachable = randomUUID();
    carrier.answer = () => ({
      outcome: 'unavailable',
      errorDetail: 'HTTP 503',
      retryAfterMs: null,
    });
    const before = carrier.calls.length;
    await submit.handle(await queue(unreachable));
    expect(carrier.calls.length - before).toBe(3);
    expect(await statusOf(unreachable)).toBe('failed');
  });
});
