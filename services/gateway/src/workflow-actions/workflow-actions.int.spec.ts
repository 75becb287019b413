import { randomUUID } from 'node:crypto';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { ContactProjection } from '../contacts/contact.projection.js';
import { ContactReadModel } from '../contacts/contact-read-model.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { MessageReadModel } from '../messages/message-read-model.js';
import { MessageWatchHub } from '../messages/message-watch-hub.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { MessagesApplication } from '../messages/messages.application.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { WorkflowActionsApplication } from './workflow-actions.application.js';

/**
 * The workflow action over the real gateway database: a step's triple is its idempotency key, so
 * the same step twice (one after the other, or racing) is one SendRequested, and the same step
 * with another body is refused with nothing recorded.
 */

// Wednesday 2026-12-02 17:00Z: 11:00 in Chicago, 10:00 in Denver.
const NOW = new Date('2026-12-02T17:00:00.000Z');
let database: TestDatabase;
let app: WorkflowActionsApplication;
let contacts: ContactProjection;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const messages = new MessageReadModel(database.dataSource);
  contacts = new ContactProjection(new Inbox(database.dataSource), 'gateway.contact-read-models');
  app = new WorkflowActionsApplication(
    new MessagesApplication(
      new EventStore(database.dataSource),
      messages,
      new TenantDirectory(database.dataSource),
      new IdempotencyStore(database.dataSource),
      new MessageWatchHub('postgres://unused', messages, { warn: () => undefined }),
      { now: () => NOW },
      new ConsentReadModel(database.dataSource),
      new GroupedTransactions(database.dataSource),
      undefined,
      undefined,
      new ContactReadModel(database.dataSource),
    ),
  );
});

afterAll(async () => {
  await database.drop();
});

async function newTenant(): Promise<AuthenticatedTenant> {
  const { tenant } = await createTestTenant(database.dataSource);
  const { tenantId } = tenant;
  await contacts.handle({
    id: randomUUID(),
    type: 'messaging.ContactUpserted.v1',
    source: '/textplane/messaging',
    subject: `contact-${tenantId}-crm:7`,
    time: NOW.toISOString(),
    tenantId,
    correlationId: randomUUID(),
    data: {
      tenantId,
      contactId: 'crm:7',
      version: 1,
      contact: {
        phone: '+13052345678',
        firstName: 'Ann',
        timeZone: 'America/Denver',
        tags: [],
        customFields: {},
      },
      created: true,
      upsertedAt: NOW.toISOString(),
    },
    topic: 'messaging.contacts.events.v1',
    partition: 0,
    offset: '1',
  });
  return tenant;
}

async function recordedRequests(tenant: AuthenticatedTenant): Promise<Record<string, unknown>[]> {
  const rows = await database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE type = 'gateway.SendRequested.v1' AND data->>'tenantId' = $1`,
    [tenant.tenantId],
  );
  return rows.map((row) => row.data);
}

const step = {
  workflowId: 'wf_onboarding',
  runId: 'run:42',
  stepId: 'step.1',
  contactId: 'crm:7',
  message: { body: 'Welcome {{ contact.first_name }}' },
};

describe('a workflow step', () => {
  it('sent twice is one SendRequested, the second answer a replay of the first', async () => {
    const tenant = await newTenant();
    const first = await app.sendStep(tenant, step);
    const second = await app.sendStep(tenant, structuredClone(step));
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ message: first.message, replayed: true });
    expect(first.message).toMatchObject({
      to: '+13052345678',
      contactId: 'crm:7',
      body: 'Welcome Ann',
      purpose: 'marketing',
      status: 'queued',
    });
    expect(await recordedRequests(tenant)).toEqual([
      expect.objectContaining({ messageId: first.message.id, body: 'Welcome Ann' }),
    ]);
    // Another step of the same run is another text.
    const next = await app.sendStep(tenant, { ...step, stepId: 'step.2' });
    expect(next.message.id).not.toBe(first.message.id);
    expect(await recordedRequests(tenant)).toHaveLength(2);
  });

  it('sent again with another body is 422 workflow_step_reused, and nothing more is recorded', async () => {
    const tenant = await newTenant();
    await app.sendStep(tenant, step);
    await expect(
      app.sendStep(tenant, { ...step, message: { body: 'Something else' } }),
    ).rejects.toMatchObject({ kind: 'unprocessable', code: 'workflow_step_reused' });
    await expect(
      app.sendStep(tenant, {
        ...step,
        timeWindow: { start: '09:00', end: '17:00', timeZone: 'tenant' },
      }),
    ).rejects.toMatchObject({ code: 'workflow_step_reused' });
    expect(await recordedRequests(tenant)).toHaveLength(1);
  });

  it('sent by two requests at once is one message', async () => {
    const tenant = await newTenant();
    const answers = await Promise.all([
      app.sendStep(tenant, step),
      app.sendStep(tenant, step),
      app.sendStep(tenant, step),
    ]);
    expect(new Set(answers.map((a) => a.message.id)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await recordedRequests(tenant)).toHaveLength(1);
  });

  it('refuses bad input naming the field, recording nothing', async () => {
    const tenant = await newTenant();
    await expect(app.sendStep(tenant, { ...step, runId: 'run 42' })).rejects.toMatchObject({
      code: 'invalid_request',
      violations: [expect.objectContaining({ field: 'runId' })],
    });
    await expect(app.sendStep(tenant, { ...step, contactId: 'crm:404' })).rejects.toMatchObject({
      code: 'contact_not_found',
    });
    await expect(
      app.sendStep(tenant, {
        ...step,
        timeWindow: { start: '09:00', end: '17:00', timeZone: 'Europe/Atlantis' },
      }),
    ).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'timeWindow.timeZone' })],
    });
    expect(await recordedRequests(tenant)).toEqual([]);
  });

  it('outside its window is scheduled at the next opening in the contact zone', async () => {
    const tenant = await newTenant();
    // 10:00 in Denver: before the 12:00 opening, after it in no other zone's sense.
    const { message } = await app.sendStep(tenant, {
      ...step,
      timeWindow: { start: '12:00', end: '18:00', timeZone: 'recipient' },
    });
    expect(message).toMatchObject({
      status: 'scheduled',
      reason: 'time_window',
      reasons: ['time_window'],
      sendAt: '2026-12-02T19:00:00.000Z',
    });
    // The window travels with the request, its zone resolved; messaging's gate holds the message.
    const [recorded] = await recordedRequests(tenant);
    expect(recorded).toMatchObject({
      timeWindow: {
        days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
        start: '12:00',
        end: '18:00',
        timeZone: 'America/Denver',
      },
    });
    expect(recorded).not.toHaveProperty('sendAt');
    // Inside its window (10:00 Denver in 09:00–17:00), a step goes out now.
    const open = await app.sendStep(tenant, {
      ...step,
      stepId: 'step.2',
      timeWindow: { start: '09:00', end: '17:00', timeZone: 'recipient' },
    });
    expect(open.message).toMatchObject({ status: 'queued', reason: null, sendAt: null });
  });
});
