import { randomUUID } from 'node:crypto';
import type { EventDataByType, EventType } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type Clock, type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import { ConsentView } from '../src/consents/consent-view.js';
import { QueueAutoReplyHandler } from '../src/consents/queue-auto-reply.handler.js';
import { CarrierMessageIndex } from '../src/infrastructure/carrier-message-index.js';
import type {
  Carrier,
  CarrierLookupResult,
  CarrierSubmission,
  CarrierSubmissionResult,
} from '../src/infrastructure/carriers/carrier.js';
import { MessageStore } from '../src/infrastructure/message-store.js';
import type { OutboundRequest } from '../src/messages/message.commands.js';
import { QueueMessageHandler } from '../src/messages/queue-message/queue-message.handler.js';
import {
  type ReconcilePolicy,
  ReceiptReconciler,
} from '../src/messages/reconcile-receipts/receipt-reconciler.js';
import { RecordCarrierReportHandler } from '../src/messages/record-carrier-report/record-carrier-report.handler.js';
import { ChangeScheduleHandler } from '../src/messages/change-schedule/change-schedule.handler.js';
import { DispatchGates } from '../src/messages/dispatch/dispatch-gates.js';
import { DispatchQueue } from '../src/messages/dispatch/dispatch-queue.js';
import { Dispatcher } from '../src/messages/dispatch/dispatcher.js';
import { SubmitToCarrierHandler } from '../src/messages/submit-to-carrier/submit-to-carrier.handler.js';
import { messagingMigrations } from '../src/migrations/index.js';
import { TenantNumbers } from '../src/tenants/tenant-numbers.js';
import { TenantProfiles } from '../src/tenants/tenant-profiles.js';

/** A carrier that accepts with a fresh id and records the calls; its answer is set per test. */
export class ScriptedCarrier implements Carrier {
  calls: CarrierSubmission[] = [];
  answer: (
    submission: CarrierSubmission,
  ) => CarrierSubmissionResult | Promise<CarrierSubmissionResult> = () => ({
    outcome: 'accepted',
    carrierMessageId: randomUUID(),
  });

  lookups: string[] = [];
  /** What the carrier says when asked about a message; by default it has never heard of it. */
  lookupAnswer: (carrierMessageId: string) => CarrierLookupResult = () => ({
    outcome: 'unknown',
    detail: 'not found',
  });

  async submit(submission: CarrierSubmission): Promise<CarrierSubmissionResult> {
    this.calls.push(submission);
    return this.answer(submission);
  }

  lookup(carrierMessageId: string): Promise<CarrierLookupResult> {
    this.lookups.push(carrierMessageId);
    return Promise.resolve(this.lookupAnswer(carrierMessageId));
  }

  callsTo(phone: string): CarrierSubmission[] {
    return this.calls.filter((call) => call.to === phone);
  }
}

export class SettableClock implements Clock {
  constructor(public current: Date = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
}

export const reconcilePolicy: ReconcilePolicy = {
  afterMs: 600_000,
  batch: 50,
  maxChecks: 3,
  backoffMs: { initial: 60_000, max: 240_000 },
};

/** Messaging's handlers wired over a real, freshly migrated Postgres database. */
export interface MessagingHarness {
  database: TestDatabase;
  messages: MessageStore;
  carrier: ScriptedCarrier;
  clock: SettableClock;
  /** The dispatcher (gates, dispatch queue, carrier submission). */
  submit: Dispatcher;
  queue: DispatchQueue;
  /** Receipt reconciliation over the same store and carrier, with `reconcilePolicy`. */
  reconciler: () => ReceiptReconciler;
  /** The handlers of the consumer groups, through the inbox as in the service. */
  tenants: EventHandlers;
  sendRequests: EventHandlers;
  carrierWebhooks: EventHandlers;
  consents: EventHandlers;
}

export async function createMessagingHarness(): Promise<MessagingHarness> {
  const database = await createTestDatabase({ migrations: messagingMigrations });
  const store = new EventStore(database.dataSource);
  const inbox = new Inbox(database.dataSource);
  const index = new CarrierMessageIndex();
  const messages = new MessageStore(store);
  const carrier = new ScriptedCarrier();
  const clock = new SettableClock();
  const numbers = new TenantNumbers();
  const profiles = new TenantProfiles();
  const view = new ConsentView();
  const queue = new DispatchQueue(database.dataSource);
  const submit = createDispatcher({
    store,
    messages,
    carrier,
    clock,
    queue,
    gates: new DispatchGates(messages, view, profiles, numbers, database.dataSource.manager),
  });
  const reports = new RecordCarrierReportHandler(messages, index, numbers, view, {
    warn: () => undefined,
  });
  const queueMessages = new QueueMessageHandler(messages, profiles, clock);
  const schedules = new ChangeScheduleHandler(messages, queue, clock);
  const reconciler = () =>
    new ReceiptReconciler(
      database.dataSource,
      store,
      messages,
      carrier,
      submit,
      clock,
      reconcilePolicy,
      { warn: () => undefined },
    );
  const autoReplies = new QueueAutoReplyHandler(messages, clock);
  return {
    database,
    messages,
    carrier,
    clock,
    submit,
    queue,
    reconciler,
    tenants: onceThroughInbox(inbox, 'messaging.tenants', async (e, m) => {
      await numbers.apply(e, m);
      await profiles.apply(e, m);
    }),
    // Wired as MessagingService wires them, batch preparation included.
    sendRequests: onceThroughInbox(
      inbox,
      'messaging.send-requests',
      async (e, m) => {
        await queueMessages.apply(e, m);
        await schedules.apply(e, m);
      },
      { prepare: (events, m) => queueMessages.prepare(events, m) },
    ),
    carrierWebhooks: onceThroughInbox(
      inbox,
      'messaging.carrier-webhooks',
      (e, m) => reports.apply(e, m),
      { prepare: (events, m) => reports.prepare(events, m) },
    ),
    consents: onceThroughInbox(inbox, 'messaging.consents', async (e, m) => {
      await view.apply(e, m);
      await autoReplies.apply(e, m);
    }),
  };
}

/** A dispatcher as the service wires it, over the given store and gates (tests vary them). */
export function createDispatcher(parts: {
  store: EventStore;
  messages: MessageStore;
  carrier: Carrier;
  clock: Clock;
  queue: DispatchQueue;
  gates: DispatchGates;
}): Dispatcher {
  const { store, messages, carrier, clock, queue, gates } = parts;
  return new Dispatcher(
    store,
    messages,
    gates,
    queue,
    new SubmitToCarrierHandler(
      store,
      messages,
      new CarrierMessageIndex(),
      carrier,
      gates,
      queue,
      clock,
      { attempts: 3, backoffMs: { initial: 1, max: 2 } },
      () => Promise.resolve(),
    ),
    clock,
  );
}

/** An event as the consumer hands it over. */
export function consumed<K extends EventType>(
  type: K,
  subject: string,
  data: EventDataByType[K],
): ConsumedEvent {
  const tenantId = (data as { tenantId?: string }).tenantId;
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject,
    time: new Date().toISOString(),
    ...(tenantId ? { tenantId } : {}),
    correlationId: subject,
    data: data,
    topic: 'test',
    partition: 0,
    offset: '0',
  };
}

export async function seedTenant(
  harness: MessagingHarness,
  tenant: {
    tenantId: string;
    number: string;
    timeZone?: string;
    restrictedContent?: 'flag' | 'block';
  },
): Promise<void> {
  await harness.tenants.handle(
    consumed('gateway.TenantCreated.v1', `tenant-${tenant.tenantId}`, {
      tenantId: tenant.tenantId,
      name: 'Acme Inc',
      brandName: 'Acme',
      timeZone: tenant.timeZone ?? 'America/New_York',
      defaultSender: tenant.number,
      senderNumbers: [tenant.number],
      ...(tenant.restrictedContent
        ? { compliance: { restrictedContent: tenant.restrictedContent } }
        : {}),
      createdAt: new Date().toISOString(),
    }),
  );
}

/** Queues a message directly on its stream and returns the MessageQueued event as consumed. */
export async function queueMessage(
  harness: MessagingHarness,
  request: Omit<OutboundRequest, 'messageId'> & { messageId?: string },
): Promise<ConsumedEvent> {
  const messageId = request.messageId ?? randomUUID();
  const { events } = await harness.messages.handle(
    messageId,
    {
      type: 'QueueMessage',
      request: { ...request, messageId },
      additions: null,
      now: harness.clock.now(),
    },
    { tenantId: request.tenantId, correlationId: messageId },
  );
  const queued = events[0];
  if (queued?.type !== 'messaging.MessageQueued.v1') throw new Error('not queued');
  return consumed(queued.type, `message-${messageId}`, queued.data);
}
