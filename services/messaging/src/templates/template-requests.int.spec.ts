import { randomUUID } from 'node:crypto';
import type { EventDataByType, TemplateContent } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumed, SettableClock } from '../../test/messaging-harness.js';
import { CustomValueRequestHandler } from '../custom-values/custom-value-requests.handler.js';
import { messagingMigrations } from '../migrations/index.js';
import { TemplateRequestHandler } from './template-requests.handler.js';

let database: TestDatabase;
let templateRequests: EventHandlers;
let customValueRequests: EventHandlers;
let templates: TemplateRequestHandler;
const clock = new SettableClock(new Date('2026-11-26T12:00:00.000Z'));
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: messagingMigrations });
  const store = new EventStore(database.dataSource);
  const inbox = new Inbox(database.dataSource);
  templates = new TemplateRequestHandler(store, clock);
  const values = new CustomValueRequestHandler(store, clock);
  templateRequests = onceThroughInbox(inbox, 'messaging.template-requests', async (e, m) => {
    await templates.apply(e, m);
  });
  customValueRequests = onceThroughInbox(inbox, 'messaging.custom-value-requests', async (e, m) => {
    await values.apply(e, m);
  });
});

afterAll(async () => {
  await database.drop();
});

const content: TemplateContent = {
  name: 'Welcome',
  body: 'Hi {{ contact.first_name }}',
  purpose: 'marketing',
  mediaUrls: [],
  warnings: [{ code: 'no_opt_out_language', message: 'no opt-out language' }],
};

function templateRequest<
  K extends
    | 'gateway.TemplateCreationRequested.v1'
    | 'gateway.TemplateRevisionRequested.v1'
    | 'gateway.TemplateArchivalRequested.v1',
>(type: K, data: Omit<EventDataByType[K], 'requestId' | 'tenantId' | 'requestedAt'>) {
  const full = {
    ...data,
    requestId: randomUUID(),
    tenantId,
    requestedAt: clock.now().toISOString(),
  } as EventDataByType[K];
  const templateId = (data as { templateId: string }).templateId;
  return consumed(type, `template-requests-${tenantId}-${templateId}`, full);
}

function customValueRequest(key: string, value?: string): ConsumedEvent {
  const base = { requestId: randomUUID(), tenantId, key, requestedAt: clock.now().toISOString() };
  const subject = `custom-value-requests-${tenantId}-${key}`;
  return value === undefined
    ? consumed('gateway.CustomValueDeletionRequested.v1', subject, base)
    : consumed('gateway.CustomValueSetRequested.v1', subject, { ...base, value });
}

async function factsOf(streamId: string) {
  return database.dataSource.query<
    Array<{ type: string; version: number; data: Record<string, unknown> }>
  >(`SELECT type, version, data FROM events WHERE stream_id = $1 ORDER BY version`, [streamId]);
}

describe('template requests (messaging)', () => {
  it('creates, revises and archives a template on its stream, each fact naming its request', async () => {
    const templateId = randomUUID();
    const create = templateRequest('gateway.TemplateCreationRequested.v1', {
      templateId,
      kind: 'template',
      ...content,
    });
    await templateRequests.handle(create);
    await templateRequests.handle(
      templateRequest('gateway.TemplateRevisionRequested.v1', {
        templateId,
        ...content,
        body: 'Hello {{ contact.first_name }}',
      }),
    );
    await templateRequests.handle(
      templateRequest('gateway.TemplateArchivalRequested.v1', { templateId }),
    );
    // Archived: a later revision is refused, nothing else recorded.
    await templateRequests.handle(
      templateRequest('gateway.TemplateRevisionRequested.v1', { templateId, ...content }),
    );

    const facts = await factsOf(`template-${tenantId}-${templateId}`);
    expect(facts.map((f) => [f.type, f.data.version ?? f.data.reason])).toEqual([
      ['messaging.TemplateCreated.v1', 1],
      ['messaging.TemplateRevised.v1', 2],
      ['messaging.TemplateArchived.v1', 2],
      ['messaging.TemplateRequestRejected.v1', 'archived'],
    ]);
    expect(facts[0]?.data).toMatchObject({
      kind: 'template',
      body: content.body,
      warnings: content.warnings,
      requestId: (create.data as { requestId: string }).requestId,
    });
    expect(facts[1]?.data.body).toBe('Hello {{ contact.first_name }}');
  });

  it('applies a redelivered creation once', async () => {
    const templateId = randomUUID();
    const create = templateRequest('gateway.TemplateCreationRequested.v1', {
      templateId,
      kind: 'snippet',
      ...content,
    });
    await templateRequests.handle(create);
    await templateRequests.handle(create);
    expect((await factsOf(`template-${tenantId}-${templateId}`)).length).toBe(1);
    expect((await templates.load(tenantId, templateId)).state).toEqual({
      status: 'active',
      kind: 'snippet',
      version: 1,
    });
  });

  it('refuses a revision of a template that does not exist', async () => {
    const templateId = randomUUID();
    await templateRequests.handle(
      templateRequest('gateway.TemplateRevisionRequested.v1', { templateId, ...content }),
    );
    const facts = await factsOf(`template-${tenantId}-${templateId}`);
    expect(facts.map((f) => [f.type, f.data.reason])).toEqual([
      ['messaging.TemplateRequestRejected.v1', 'not_found'],
    ]);
  });
});

describe('custom value requests (messaging)', () => {
  it('sets, replaces and deletes a value; a second deletion is refused', async () => {
    const key = `k${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await customValueRequests.handle(customValueRequest(key, '20% off'));
    await customValueRequests.handle(customValueRequest(key, '30% off'));
    await customValueRequests.handle(customValueRequest(key));
    await customValueRequests.handle(customValueRequest(key));
    const facts = await factsOf(`custom-value-${tenantId}-${key}`);
    expect(facts.map((f) => [f.type, f.data.value, f.data.created ?? f.data.reason])).toEqual([
      ['messaging.CustomValueSet.v1', '20% off', true],
      ['messaging.CustomValueSet.v1', '30% off', false],
      ['messaging.CustomValueDeleted.v1', undefined, undefined],
      ['messaging.CustomValueRequestRejected.v1', undefined, 'not_found'],
    ]);
  });
});
