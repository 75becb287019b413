import { randomUUID } from 'node:crypto';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { ListeningMessageChangeConfirmations } from './message-change-confirmations.js';
import { MessageReadModel } from './message-read-model.js';
import { MessageWatchHub } from './message-watch-hub.js';
import { MessageProjection } from './message.projection.js';
import type { AuthenticatedTenant, MessageResource } from './message.resource.js';
import { MessagesApplication } from './messages.application.js';

/**
 * Scheduling, cancel, reschedule and the list through the real gateway application over Postgres:
 * requests recorded in the gateway's event store, messaging's answers (played here as messaging
 * would publish them) applied by the real projection, and the request's wait hearing them by
 * LISTEN/NOTIFY.
 */

const NOW = new Date('2026-11-25T17:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();

let database: TestDatabase;
let store: EventStore;
let projection: MessageProjection;
let confirmations: ListeningMessageChangeConfirmations;
/** Waits up to 10 s for messaging's answer. */
let app: MessagesApplication;
/** Waits not at all: what a client sees when the answer is late. */
let impatient: MessagesApplication;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const options = database.dataSource.options as {
    host?: string;
    port?: number;
    username?: string;
    database?: string;
  };
  const url = `postgres://${options.username ?? 'postgres'}@${options.host ?? '127.0.0.1'}:${options.port ?? 5432}/${options.database ?? ''}`;
  store = new EventStore(database.dataSource);
  const readModel = new MessageReadModel(database.dataSource);
  projection = new MessageProjection(
    new Inbox(database.dataSource),
    'gateway.read-models',
    readModel,
  );
  confirmations = new ListeningMessageChangeConfirmations(url, { warn: () => undefined });
  await confirmations.start();
  const appWaiting = (timeoutMs: number) =>
    new MessagesApplication(
      store,
      readModel,
      new TenantDirectory(database.dataSource),
      new IdempotencyStore(database.dataSource),
      new MessageWatchHub('postgres://unused', readModel, { warn: () => undefined }),
      { now: () => NOW },
      new ConsentReadModel(database.dataSource),
      new GroupedTransactions(database.dataSource),
      undefined,
      { confirmations, timeoutMs },
    );
  app = appWaiting(10_000);
  impatient = appWaiting(0);
});

afterAll(async () => {
  await confirmations.stop();
  await database.drop();
});

async function newTenant(): Promise<{ tenant: AuthenticatedTenant; sender: string }> {
  return createTestTenant(database.dataSource);
}

let offset = 0;
/** Messaging's answer, as the gateway consumes it from messaging's topic. */
async function messagingPublishes(
  message: MessageResource,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  await projection.handle({
    id: randomUUID(),
    type,
    source: '/textplane/messaging',
    subject: `message-${message.id}`,
    time: new Date().toISOString(),
    tenantId: 'unused',
    correlationId: message.id,
    data: { messageId: message.id, ...data },
    topic: 'messaging.messages.events.v1',
    partition: 0,
    offset: String((offset += 1)),
  });
}

/** The gateway's requests about a message, in order (its send's stream). */
async function requestsAbout(messageId: string): Promise<Array<{ type: string; data: unknown }>> {
  const events = await store.readStream(`send-request-${messageId}`);
  return events.map(({ type, data }) => ({ type, data }));
}

/** Resolves with the request's data once the gateway has recorded a request of this type. */
async function recorded(messageId: string, type: string): Promise<Record<string, string>> {
  for (;;) {
    const found = (await requestsAbout(messageId)).find((event) => event.type === type);
    if (found) return found.data as Record<string, string>;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw error;
  return error;
}

async function scheduled(tenant: AuthenticatedTenant, sendAt = at(HOUR)): Promise<MessageResource> {
  return app.send(tenant, { to: '+15552345678', body: 'See you at 9', sendAt }, undefined);
}

describe('send with sendAt', () => {
  it('is scheduled (reason scheduled, its sendAt) and messaging is asked for that time', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant, '2026-11-25T13:00:00-05:00');
    expect(message).toMatchObject({
      status: 'scheduled',
      reason: 'scheduled',
      sendAt: at(HOUR),
      waitingFor: null,
    });
    expect(await requestsAbout(message.id)).toMatchObject([
      { type: 'gateway.SendRequested.v1', data: { sendAt: at(HOUR) } },
    ]);
  });

  it('sends now for a sendAt up to 60 s past: queued, waiting for its turn', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant, at(-60_000));
    expect(message).toMatchObject({ status: 'queued', sendAt: null, waitingFor: null });
    const [request] = await requestsAbout(message.id);
    expect(request?.data).not.toHaveProperty('sendAt');
  });

  it.each([
    ['61 s past', at(-61_000)],
    ['more than 400 days ahead', at(400 * 24 * HOUR + 1)],
  ])('refuses a sendAt %s with 422 naming sendAt, recording nothing', async (_, sendAt) => {
    const { tenant } = await newTenant();
    const error = await refusal(scheduled(tenant, sendAt));
    expect(error).toMatchObject({ kind: 'unprocessable', violations: [{ field: 'sendAt' }] });
    const page = await app.list(tenant, { limit: 10 });
    expect(page.items).toEqual([]);
  });
});

describe('cancel', () => {
  it('waits for messaging, answers canceled; a retry replays it; another cancel is 409', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant);
    const answer = app.cancel(tenant, message.id, 'cancel-1');
    await recorded(message.id, 'gateway.MessageCancelRequested.v1');
    await messagingPublishes(message, 'messaging.MessageCanceled.v1', {
      tenantId: tenant.tenantId,
      previousStatus: 'scheduled',
      canceledAt: at(1000),
    });
    expect(await answer).toMatchObject({
      status: 'done',
      replayed: false,
      message: { id: message.id, status: 'canceled', sendAt: null, reason: null },
    });
    expect(await app.cancel(tenant, message.id, 'cancel-1')).toMatchObject({
      status: 'done',
      replayed: true,
      message: { status: 'canceled' },
    });
    const again = await refusal(app.cancel(tenant, message.id, undefined));
    expect(again).toMatchObject({ kind: 'conflict', code: 'message_not_cancelable' });
    expect((await requestsAbout(message.id)).map((e) => e.type)).toEqual([
      'gateway.SendRequested.v1',
      'gateway.MessageCancelRequested.v1',
    ]);
  });

  it('is 409 when messaging refuses it (the message started sending meanwhile)', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant);
    const answer = refusal(app.cancel(tenant, message.id, undefined));
    const request = await recorded(message.id, 'gateway.MessageCancelRequested.v1');
    await messagingPublishes(message, 'messaging.MessageCancelRejected.v1', {
      tenantId: tenant.tenantId,
      status: 'sending',
      requestedAt: request['requestedAt'],
      rejectedAt: at(1000),
    });
    expect(await answer).toMatchObject({ kind: 'conflict', code: 'message_not_cancelable' });
  });

  it('refuses a delivered message with 409 at once, recording nothing', async () => {
    const { tenant } = await newTenant();
    const message = await app.send(tenant, { to: '+15552345678', body: 'Hi' }, undefined);
    for (const [type, data] of [
      ['messaging.MessageSent.v1', { carrierMessageId: 'c-1', sentAt: at(1000) }],
      ['messaging.MessageDelivered.v1', { carrierMessageId: 'c-1', deliveredAt: at(2000) }],
    ] as const) {
      await messagingPublishes(message, type, { tenantId: tenant.tenantId, ...data });
    }
    const error = await refusal(app.cancel(tenant, message.id, undefined));
    expect(error).toMatchObject({ kind: 'conflict', code: 'message_not_cancelable' });
    expect(error.detail).toContain('delivered');
    expect(await requestsAbout(message.id)).toHaveLength(1);
  });

  it('answers pending with the message as it is when the answer is late', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant);
    expect(await impatient.cancel(tenant, message.id, undefined)).toMatchObject({
      status: 'pending',
      message: { id: message.id, status: 'scheduled' },
    });
  });

  it('is 404 for an unknown id, a malformed one and another tenant’s message', async () => {
    const { tenant } = await newTenant();
    const { tenant: other } = await newTenant();
    const message = await scheduled(other);
    for (const id of [randomUUID(), 'not-a-uuid', message.id]) {
      expect(await refusal(app.cancel(tenant, id, undefined))).toMatchObject({
        kind: 'not_found',
      });
    }
    expect(await requestsAbout(message.id)).toHaveLength(1);
  });
});

describe('reschedule', () => {
  it('moves the sendAt once messaging has', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant);
    const answer = app.reschedule(tenant, message.id, { sendAt: at(2 * HOUR) }, undefined);
    const request = await recorded(message.id, 'gateway.MessageRescheduleRequested.v1');
    expect(request['sendAt']).toBe(at(2 * HOUR));
    await messagingPublishes(message, 'messaging.MessageRescheduled.v1', {
      tenantId: tenant.tenantId,
      sendAt: at(2 * HOUR),
      previousSendAt: at(HOUR),
      rescheduledAt: at(1000),
    });
    expect(await answer).toMatchObject({
      status: 'done',
      message: { status: 'scheduled', reason: 'scheduled', sendAt: at(2 * HOUR) },
    });
  });

  it('is 409 once messaging says it no longer waits for its sendAt', async () => {
    const { tenant } = await newTenant();
    const message = await scheduled(tenant);
    const answer = refusal(app.reschedule(tenant, message.id, { sendAt: at(2 * HOUR) }, 'r-1'));
    const request = await recorded(message.id, 'gateway.MessageRescheduleRequested.v1');
    await messagingPublishes(message, 'messaging.MessageRescheduleRejected.v1', {
      tenantId: tenant.tenantId,
      status: 'queued',
      requestedAt: request['requestedAt'],
      rejectedAt: at(1000),
    });
    expect(await answer).toMatchObject({ kind: 'conflict', code: 'message_not_reschedulable' });
  });

  it('refuses, recording nothing: a message not scheduled by the client (409), a bad sendAt (422, 400)', async () => {
    const { tenant } = await newTenant();
    const now = await app.send(tenant, { to: '+15552345678', body: 'Hi' }, undefined);
    expect(
      await refusal(app.reschedule(tenant, now.id, { sendAt: at(HOUR) }, undefined)),
    ).toMatchObject({ kind: 'conflict', code: 'message_not_reschedulable' });
    const later = await scheduled(tenant);
    expect(
      await refusal(app.reschedule(tenant, later.id, { sendAt: at(-2 * 60_000) }, undefined)),
    ).toMatchObject({ kind: 'unprocessable', violations: [{ field: 'sendAt' }] });
    expect(
      await refusal(app.reschedule(tenant, later.id, { sendAt: 'tomorrow' }, undefined)),
    ).toMatchObject({ kind: 'invalid_request', violations: [{ field: 'sendAt' }] });
    expect(await requestsAbout(now.id)).toHaveLength(1);
    expect(await requestsAbout(later.id)).toHaveLength(1);
  });
});

describe('list', () => {
  it('filters by status, to, from and createdAfter, newest first, in pages', async () => {
    const { tenant, sender } = await newTenant();
    const first = await app.send(tenant, { to: '+15552345678', body: 'one' }, undefined);
    const second = await scheduled(tenant);
    const third = await app.send(tenant, { to: '+15553456789', body: 'three' }, undefined);
    const ids = (page: { items: MessageResource[] }) => page.items.map((m) => m.id);

    const all = await app.list(tenant, { limit: 2 });
    expect(ids(all)).toEqual([third.id, second.id]);
    expect(all.nextCursor).not.toBeNull();
    const rest = await app.list(tenant, { limit: 2, cursor: all.nextCursor ?? '' });
    expect(ids(rest)).toEqual([first.id]);
    expect(rest.nextCursor).toBeNull();

    expect(ids(await app.list(tenant, { status: 'scheduled', limit: 10 }))).toEqual([second.id]);
    expect(ids(await app.list(tenant, { to: '+15553456789', limit: 10 }))).toEqual([third.id]);
    expect(await app.list(tenant, { from: sender, limit: 10 })).toMatchObject({
      items: [{ id: third.id }, { id: second.id }, { id: first.id }],
    });
    expect(ids(await app.list(tenant, { from: '+15550000000', limit: 10 }))).toEqual([]);
    expect(
      ids(await app.list(tenant, { createdAfter: second.createdAt, limit: 10 })).includes(first.id),
    ).toBe(false);
    // Contacts are not in the read model yet: no message is known to belong to one.
    expect(ids(await app.list(tenant, { contactId: 'crm-42', limit: 10 }))).toEqual([]);
    const { tenant: other } = await newTenant();
    expect(ids(await app.list(other, { limit: 10 }))).toEqual([]);
  });

  it.each([
    ['status', { status: 'lost' }],
    ['contactId', { contactId: 'has space' }],
    ['to', { to: '5551234' }],
    ['from', { from: '+1 555' }],
    ['createdAfter', { createdAfter: '2026-11-25' }],
    ['createdAfter', { createdAfter: '2026-02-30T00:00:00Z' }],
    ['cursor', { cursor: 'bogus' }],
    ['limit', { limit: 0 }],
    ['limit', { limit: 101 }],
  ])('refuses a bad %s with 400 naming it', async (field, query) => {
    const { tenant } = await newTenant();
    expect(await refusal(app.list(tenant, { limit: 10, ...query }))).toMatchObject({
      kind: 'invalid_request',
      violations: [expect.objectContaining({ field })],
    });
  });
});
