import { randomUUID } from 'node:crypto';
import { bulkMessageId } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { type ConsumedEvent, outboxContractCheck } from '@textplane/kafka';
import type { StoredEnvelope } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomValueReadModel } from '../custom-values/custom-value-read-model.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { rebuildGatewayReadModels } from '../rebuild/gateway-read-models.rebuild.js';
import { TemplateReadModel } from '../templates/template-read-model.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant, insertTestContacts } from '../../test/tenant-fixture.js';
import { BulkRecipientReadModel } from './bulk-recipient-read-model.js';
import { BulkSendLifecycle } from './bulk-send-lifecycle.application.js';
import { BulkSendProjection } from './bulk-send.projection.js';
import { BulkSendReadModel } from './bulk-send-read-model.js';
import { BulkSendsApplication } from './bulk-sends.application.js';
import { queueAhead, registeredTenant, UNBOUND } from './bulk-send-throughput.fixture.spec.js';

/**
 * Bulk sends recorded over the real gateway database: created through the idempotency path
 * (events, read models, key in one transaction), nothing on bad input, messaging's run projected,
 * pause/resume/cancel refused where they make no sense, both read models rebuilt row for row.
 */

// Wednesday 2026-12-02 17:00Z: 11:00 in Chicago.
const NOW = new Date('2026-12-02T17:00:00.000Z');
let database: TestDatabase;
let lifecycle: BulkSendLifecycle;
let projection: BulkSendProjection;
const messagingEvents: ConsumedEvent[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const clock = { now: () => NOW };
  const bulkSends = new BulkSendsApplication(
    new TenantDirectory(database.dataSource),
    new BulkRecipientReadModel(database.dataSource),
    new TemplateReadModel(database.dataSource),
    new CustomValueReadModel(database.dataSource),
    clock,
  );
  projection = new BulkSendProjection(
    new Inbox(database.dataSource),
    'gateway.bulk-send-read-models',
  );
  lifecycle = new BulkSendLifecycle(
    bulkSends,
    new EventStore(database.dataSource, { check: outboxContractCheck }),
    projection,
    new BulkSendReadModel(database.dataSource, clock),
    new IdempotencyStore(database.dataSource),
    clock,
  );
});

afterAll(async () => {
  await database.drop();
});

async function newTenant(
  contacts: Array<[id: string, phone: string]>,
): Promise<AuthenticatedTenant> {
  const { tenant } = await createTestTenant(database.dataSource);
  await insertTestContacts(database.dataSource, tenant.tenantId, contacts, NOW);
  return tenant;
}

const FIVE: Array<[string, string]> = [
  ['c1', '+13052345601'],
  ['c2', '+13052345602'],
  ['c3', '+13052345601'],
  ['c4', '+13052345604'],
  ['c5', '+13052345605'],
];
const message = { body: 'Hi {{ contact.first_name }}', purpose: 'transactional' as const };
const drip = {
  mode: 'drip',
  startAt: '2026-12-02T18:00:00.000Z',
  batchSize: 2,
  every: { value: 1, unit: 'hours' },
};

async function recorded(tenant: AuthenticatedTenant) {
  const [row] = await database.dataSource.query<
    Array<{ events: number; sends: number; keys: number }>
  >(
    `SELECT
       (SELECT count(*)::int FROM events WHERE stream_type = 'bulk-send'
          AND data->>'tenantId' = $1) AS events,
       (SELECT count(*)::int FROM bulk_sends WHERE tenant_id = $1::uuid) AS sends,
       (SELECT count(*)::int FROM idempotency_records WHERE scope = $2) AS keys`,
    [tenant.tenantId, `tenant:${tenant.tenantId}`],
  );
  return row;
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

let offset = 0;
function fromMessaging(type: string, data: Record<string, unknown>): ConsumedEvent {
  const event: ConsumedEvent = {
    id: randomUUID(),
    type,
    source: '/textplane/messaging',
    subject: `bulk-send-${String(data['bulkSendId'])}`,
    time: NOW.toISOString(),
    tenantId: String(data['tenantId']),
    correlationId: String(data['bulkSendId']),
    data,
    topic: 'messaging.bulk-sends.events.v1',
    partition: 0,
    offset: String(offset++),
  };
  messagingEvents.push(event);
  return event;
}

/** A message of the bulk send as the messages read model would hold it. */
async function messageRow(
  tenant: AuthenticatedTenant,
  id: string,
  status: string,
  reason: string | null = null,
): Promise<void> {
  await database.dataSource.query(
    `INSERT INTO messages (id, tenant_id, direction, status, to_number, from_number, contact_phone,
       body, media_urls, purpose, encoding, segments, created_at, updated_at, reason)
     VALUES ($1, $2, 'outbound', $3, '+13052345601', '+18880000000', '+13052345601', 'Hi Ann',
       '[]'::jsonb, 'transactional', 'GSM-7', 1, $4, $4, $5)`,
    [id, tenant.tenantId, status, NOW, reason],
  );
}

describe('POST /v1/bulk-sends', () => {
  it('freezes the recipients and records request and chunks with the read models, at once', async () => {
    const tenant = await newTenant(FIVE);
    const body = { recipients: { contactIds: FIVE.map(([id]) => id) }, message, delivery: drip };
    const key = randomUUID();
    const created = await lifecycle.create(tenant, body, key);
    expect(created.replayed).toBe(false);
    const id = created.bulkSend.id;
    expect(created.bulkSend).toMatchObject({
      status: 'scheduled',
      pausedReason: null,
      message: { body: message.body, purpose: 'transactional', mediaUrls: [] },
      delivery: {
        mode: 'drip',
        startAt: drip.startAt,
        batchSize: 2,
        every: { value: 1, unit: 'hours' },
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        window: { start: '00:00', end: '24:00' },
        timeZone: 'America/Chicago',
      },
      recipients: {
        total: 5,
        sendable: 4,
        skipped: { duplicate_phone: 1, missing_merge_value: 0 },
      },
      messages: { pending: 4, queued: 0, delivered: 0 },
      batches: { total: 2, released: 0, nextAt: '2026-12-02T18:00:00.000Z' },
      eta: '2026-12-02T19:00:00.000Z',
      createdAt: NOW.toISOString(),
      completedAt: null,
      canceledAt: null,
    });
    expect(await lifecycle.get(tenant, id)).toEqual(created.bulkSend);

    const events = await database.dataSource.query<
      Array<{ type: string; version: number; data: Record<string, unknown> }>
    >(`SELECT type, version, data FROM events WHERE stream_id = $1 ORDER BY version`, [
      `bulk-send-${id}`,
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'gateway.BulkSendRequested.v1',
      'gateway.BulkSendRecipientsSubmitted.v1',
    ]);
    expect(events[0]?.data).toMatchObject({ recipients: 5, sendable: 4, batches: 2, chunks: 1 });
    expect(events[1]?.data['recipients']).toEqual([
      { position: 0, contactId: 'c1', phone: '+13052345601', batch: 0 },
      { position: 1, contactId: 'c2', phone: '+13052345602', batch: 0 },
      {
        position: 2,
        contactId: 'c3',
        phone: '+13052345601',
        batch: null,
        skipped: 'duplicate_phone',
      },
      { position: 3, contactId: 'c4', phone: '+13052345604', batch: 1 },
      { position: 4, contactId: 'c5', phone: '+13052345605', batch: 1 },
    ]);

    const rows = await lifecycle.recipients(tenant, id, { limit: 2 });
    expect(rows.data.map((r) => [r.position, r.status, r.reason, r.messageId])).toEqual([
      [0, 'pending', 'drip_batch', null],
      [1, 'pending', 'drip_batch', null],
    ]);
    const rest = await lifecycle.recipients(tenant, id, {
      limit: 10,
      cursor: rows.nextCursor ?? '',
    });
    expect(rest.data.map((r) => [r.position, r.status, r.reason])).toEqual([
      [2, 'skipped', 'duplicate_phone'],
      [3, 'pending', 'drip_batch'],
      [4, 'pending', 'drip_batch'],
    ]);
    expect(rest.nextCursor).toBeNull();

    const before = await recorded(tenant);
    const replay = await lifecycle.create(tenant, body, key);
    expect([replay.replayed, replay.bulkSend.id]).toEqual([true, id]);
    expect(await recorded(tenant)).toEqual(before);
    const mismatch = await refusal(
      lifecycle.create(tenant, { ...body, delivery: { mode: 'now' } }, key),
    );
    expect(mismatch.kind).toBe('unprocessable');
    expect(await recorded(tenant)).toEqual(before);
  });

  it('gives each recipient of a localTime its own instant; one already past is now', async () => {
    const tenant = await newTenant([
      ['c1', '+13052345601'],
      ['c2', '+12132345602'],
    ]);
    const created = await lifecycle.create(
      tenant,
      {
        recipients: { all: true },
        message,
        delivery: { mode: 'schedule', localTime: '2026-12-02T11:30', timeZone: 'recipient' },
      },
      undefined,
    );
    // 11:30 in Miami (16:30Z) is past; 11:30 in Los Angeles is 19:30Z.
    const rows = await lifecycle.recipients(tenant, created.bulkSend.id, { limit: 10 });
    expect(rows.data.map((r) => [r.contactId, r.batch, r.sendAt])).toEqual([
      ['c1', 0, NOW.toISOString()],
      ['c2', 0, '2026-12-02T19:30:00.000Z'],
    ]);
    expect(created.bulkSend.delivery).toEqual({
      mode: 'schedule',
      localTime: '2026-12-02T11:30',
      timeZone: 'recipient',
    });
    expect(created.bulkSend.eta).toBe('2026-12-02T19:30:00.000Z');
  });

  it('refuses bad input naming the field, recording nothing', async () => {
    const tenant = await newTenant(FIVE);
    const ids = FIVE.map(([id]) => id);
    const attempt = (recipients: unknown, delivery: unknown, content: unknown = message) =>
      refusal(lifecycle.create(tenant, { recipients, message: content, delivery }, randomUUID()));
    const fields = async (error: Promise<ApiError>) => (await error).violations.map((v) => v.field);
    expect(await fields(attempt({ contactIds: [] }, { mode: 'now' }))).toEqual([
      'recipients.contactIds',
    ]);
    const tooMany = Array.from({ length: 100_001 }, (_, i) => `x${i}`);
    expect(await fields(attempt({ contactIds: tooMany }, { mode: 'now' }))).toEqual([
      'recipients.contactIds',
    ]);
    const unknown = await attempt({ contactIds: ['c1', 'nope'] }, { mode: 'now' });
    expect([unknown.code, unknown.violations.map((v) => v.field)]).toEqual([
      'contact_not_found',
      ['recipients.contactIds.1'],
    ]);
    const template = await attempt(
      { contactIds: ids },
      { mode: 'now' },
      { templateId: randomUUID() },
    );
    expect(template.code).toBe('template_not_found');
    expect(await fields(attempt({ contactIds: ids }, { ...drip, batchSize: 0 }))).toContain(
      'delivery.batchSize',
    );
    expect(await fields(attempt({ contactIds: ids }, { ...drip, batchSize: 10_001 }))).toContain(
      'delivery.batchSize',
    );
    expect(
      await fields(attempt({ contactIds: ids }, { ...drip, every: { value: 0, unit: 'hours' } })),
    ).toContain('delivery.every.value');
    expect(
      await fields(attempt({ contactIds: ids }, { ...drip, every: { value: 1, unit: 'weeks' } })),
    ).toContain('delivery.every.unit');
    expect(await fields(attempt({ contactIds: ids }, { ...drip, days: ['funday'] }))).toContain(
      'delivery.days.0',
    );
    expect(
      await fields(
        attempt({ contactIds: ids }, { ...drip, window: { start: '17:00', end: '09:00' } }),
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^delivery\.window/)]));
    expect(
      await fields(attempt({ contactIds: ids }, { ...drip, timeZone: 'Mars/Olympus' })),
    ).toContain('delivery.timeZone');
    expect(
      await fields(attempt({ contactIds: ids }, { mode: 'schedule', at: '2026-12-01T00:00:00Z' })),
    ).toEqual(['delivery.at']);
    expect(
      await fields(
        attempt(
          { contactIds: ids },
          { mode: 'schedule', localTime: '2026-13-40T25:00', timeZone: 'tenant' },
        ),
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^delivery\.localTime/)]));
    const nobody = await attempt({ tags: { any: ['nobody-has-this'] } }, { mode: 'now' });
    expect([nobody.code, nobody.violations.map((v) => v.field)]).toEqual([
      'no_recipients',
      ['recipients'],
    ]);
    expect(await recorded(tenant)).toEqual({ events: 0, sends: 0, keys: 0 });
  });
});

describe("the progress ETA, paced by the carriers' throughput limits", () => {
  const at = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();

  it('150 at 60 per minute end in the third window; 90 queued ahead push them a window on', async () => {
    // The campaign's AT&T cap set for the test at 60 per minute, the account's 50 per second:
    // full windows go at once and free 61.2 s later (a send counted at its 1.2 s bucket's end).
    const { tenant, sender, contactIds } = await registeredTenant(
      database.dataSource,
      150,
      { attPerMinute: { sms: 60 } },
      NOW,
    );
    const created = await lifecycle.create(
      tenant,
      {
        recipients: { contactIds },
        message: { body: 'Harbor Books: 20% off all week' },
        delivery: { mode: 'now' },
      },
      undefined,
    );
    expect(created.bulkSend).toMatchObject({ messages: { pending: 150 }, eta: at(122_400) });

    // Another bulk send of the tenant, 90 of its messages queued for their turn.
    const other = await lifecycle.create(
      tenant,
      {
        recipients: { contactIds: contactIds.slice(0, 90) },
        message: { body: 'Harbor Books: new arrivals' },
        delivery: { mode: 'schedule', at: '2026-12-03T17:00:00Z' },
      },
      undefined,
    );
    await queueAhead(database.dataSource, tenant, sender, 90, NOW, {
      bulkSendId: other.bulkSend.id,
    });
    // 60 of the 90 in the first window; 30 and 20 of the send at +61.2 s, 10 more at +62.22 s;
    // 60 at +122.4 s / +123.42 s; the last 60 at +183.6 s (50) and +184.62 s (10).
    expect((await lifecycle.get(tenant, created.bulkSend.id)).eta).toBe(at(184_620));
  });

  it('the limits lifted (the bench and e2e tenants): the schedule alone, traffic or not', async () => {
    const { tenant, sender, contactIds } = await registeredTenant(
      database.dataSource,
      150,
      UNBOUND,
      NOW,
    );
    await queueAhead(database.dataSource, tenant, sender, 500, NOW, { bulk: false });
    const created = await lifecycle.create(
      tenant,
      {
        recipients: { contactIds },
        message: { body: 'Harbor Books: 20% off all week' },
        delivery: { mode: 'schedule', at: '2026-12-02T18:00:00Z' },
      },
      undefined,
    );
    expect(created.bulkSend.eta).toBe('2026-12-02T18:00:00.000Z');
  });
});

describe("messaging's run, projected", () => {
  it('counts messages by status through bulkMessageId, releases, merge skips, completion', async () => {
    const tenant = await newTenant(FIVE);
    const { bulkSend } = await lifecycle.create(
      tenant,
      { recipients: { contactIds: FIVE.map(([id]) => id) }, message, delivery: drip },
      undefined,
    );
    const id = bulkSend.id;
    const base = { bulkSendId: id, tenantId: tenant.tenantId };
    await projection.handle(
      fromMessaging('messaging.BulkSendCreated.v1', {
        ...base,
        message: bulkSend.message,
        delivery: bulkSend.delivery,
        recipients: 5,
        sendable: 4,
        batches: 2,
        chunks: 1,
        createdAt: NOW.toISOString(),
      }),
    );
    await projection.handle(
      fromMessaging('messaging.BulkSendBatchReleased.v1', {
        ...base,
        batch: 0,
        queued: 1,
        skipped: [{ contactId: 'c2', reason: 'missing_merge_value' }],
        releasedAt: '2026-12-02T18:00:00.000Z',
        nextBatchAt: '2026-12-02T19:00:00.000Z',
      }),
    );
    const redelivered = messagingEvents.at(-1) as ConsumedEvent;
    await projection.handle(redelivered);
    const running = await lifecycle.get(tenant, id);
    expect(running).toMatchObject({
      status: 'running',
      recipients: { sendable: 3, skipped: { duplicate_phone: 1, missing_merge_value: 1 } },
      // c1 released but not yet in the messages read model: counted queued, not pending.
      messages: { pending: 2, queued: 1 },
      batches: { total: 2, released: 1, nextAt: '2026-12-02T19:00:00.000Z' },
      eta: '2026-12-02T19:00:00.000Z',
      updatedAt: '2026-12-02T18:00:00.000Z',
    });
    await messageRow(tenant, bulkMessageId(id, 'c1'), 'delivered');
    await projection.handle(
      fromMessaging('messaging.BulkSendBatchReleased.v1', {
        ...base,
        batch: 1,
        queued: 2,
        skipped: [],
        releasedAt: '2026-12-02T19:00:00.000Z',
        nextBatchAt: null,
      }),
    );
    await projection.handle(
      fromMessaging('messaging.BulkSendCompleted.v1', {
        ...base,
        completedAt: '2026-12-02T19:00:00.000Z',
      }),
    );
    await messageRow(tenant, bulkMessageId(id, 'c4'), 'blocked', 'recipient_opted_out');
    const done = await lifecycle.get(tenant, id);
    expect(done).toMatchObject({
      status: 'completed',
      messages: { pending: 0, delivered: 1, blocked: 1, queued: 1 },
      blocked: { recipient_opted_out: 1 },
      batches: { total: 2, released: 2, nextAt: null },
      eta: null,
      completedAt: '2026-12-02T19:00:00.000Z',
    });
    const rows = await lifecycle.recipients(tenant, id, { limit: 10 });
    expect(rows.data.map((r) => [r.contactId, r.status, r.reason, r.messageId])).toEqual([
      ['c1', 'delivered', null, bulkMessageId(id, 'c1')],
      ['c2', 'skipped', 'missing_merge_value', null],
      ['c3', 'skipped', 'duplicate_phone', null],
      ['c4', 'blocked', 'recipient_opted_out', bulkMessageId(id, 'c4')],
      ['c5', 'queued', null, bulkMessageId(id, 'c5')],
    ]);
    const blocked = await lifecycle.recipients(tenant, id, { limit: 10, state: 'blocked' });
    expect(blocked.data.map((r) => r.contactId)).toEqual(['c4']);
    const listed = await lifecycle.list(tenant, { status: 'completed', limit: 10 });
    expect(listed.data.map((b) => b.id)).toEqual([id]);
    expect((await lifecycle.list(tenant, { status: 'running', limit: 10 })).data).toEqual([]);
    const late = await refusal(lifecycle.control(tenant, id, 'pause', undefined));
    expect([late.kind, late.code]).toEqual(['conflict', 'bulk_send_finished']);
    // c5 is released but has not gone out (quiet hours, a local time): a cancel still reaches it.
    const canceled = await lifecycle.control(tenant, id, 'cancel', undefined);
    expect(canceled).toMatchObject({ status: 'canceled' });
  });

  it('refuses to cancel a completed send once none of its messages waits', async () => {
    const tenant = await newTenant(FIVE);
    const { bulkSend } = await lifecycle.create(
      tenant,
      { recipients: { contactIds: ['c1'] }, message, delivery: drip },
      undefined,
    );
    const id = bulkSend.id;
    const base = { bulkSendId: id, tenantId: tenant.tenantId };
    await projection.handle(
      fromMessaging('messaging.BulkSendBatchReleased.v1', {
        ...base,
        batch: 0,
        queued: 1,
        skipped: [],
        releasedAt: '2026-12-02T18:00:00.000Z',
        nextBatchAt: null,
      }),
    );
    await projection.handle(
      fromMessaging('messaging.BulkSendCompleted.v1', {
        ...base,
        completedAt: '2026-12-02T18:00:00.000Z',
      }),
    );
    await messageRow(tenant, bulkMessageId(id, 'c1'), 'delivered');
    const refused = await refusal(lifecycle.control(tenant, id, 'cancel', undefined));
    expect([refused.kind, refused.code]).toEqual(['conflict', 'bulk_send_finished']);
  });
});

describe('pause, resume, cancel', () => {
  it('answer in the new state, 409 where they make no sense, 404 for another tenant', async () => {
    const tenant = await newTenant(FIVE);
    const { bulkSend } = await lifecycle.create(
      tenant,
      { recipients: { contactIds: FIVE.map(([id]) => id) }, message, delivery: drip },
      undefined,
    );
    const id = bulkSend.id;
    const notPaused = await refusal(lifecycle.control(tenant, id, 'resume', undefined));
    expect([notPaused.kind, notPaused.code]).toEqual(['conflict', 'bulk_send_not_paused']);
    const key = randomUUID();
    const paused = await lifecycle.control(tenant, id, 'pause', key);
    expect(paused).toMatchObject({ id, status: 'paused', pausedReason: 'user' });
    // The same key again replays: no second request is recorded.
    expect(await lifecycle.control(tenant, id, 'pause', key)).toMatchObject({ status: 'paused' });
    const again = await refusal(lifecycle.control(tenant, id, 'pause', undefined));
    expect(again.code).toBe('bulk_send_not_running');
    const resumed = await lifecycle.control(tenant, id, 'resume', undefined);
    expect(resumed).toMatchObject({ status: 'scheduled', pausedReason: null });
    // Messaging's answer to the pause comes after the resume: the resume stands.
    await projection.handle(
      fromMessaging('messaging.BulkSendPaused.v1', {
        bulkSendId: id,
        tenantId: tenant.tenantId,
        reason: 'user',
        pausedAt: NOW.toISOString(),
      }),
    );
    expect((await lifecycle.get(tenant, id)).status).toBe('scheduled');
    const canceled = await lifecycle.control(tenant, id, 'cancel', undefined);
    expect(canceled).toMatchObject({ status: 'canceled', canceledAt: NOW.toISOString() });
    for (const action of ['pause', 'resume', 'cancel'] as const) {
      const refused = await refusal(lifecycle.control(tenant, id, action, undefined));
      expect([action, refused.code]).toEqual([action, 'bulk_send_finished']);
    }
    const events = await database.dataSource.query<Array<{ type: string }>>(
      `SELECT type FROM events WHERE stream_id = $1 ORDER BY version`,
      [`bulk-send-${id}`],
    );
    expect(events.map((e) => e.type)).toEqual([
      'gateway.BulkSendRequested.v1',
      'gateway.BulkSendRecipientsSubmitted.v1',
      'gateway.BulkSendPauseRequested.v1',
      'gateway.BulkSendResumeRequested.v1',
      'gateway.BulkSendCancelRequested.v1',
    ]);
    const stranger = await newTenant([]);
    const hidden = await refusal(lifecycle.control(stranger, id, 'cancel', undefined));
    expect(hidden.kind).toBe('not_found');
    expect((await refusal(lifecycle.get(stranger, id))).kind).toBe('not_found');
    expect((await refusal(lifecycle.get(tenant, 'nope'))).kind).toBe('invalid_request');
    expect((await refusal(lifecycle.get(tenant, randomUUID()))).kind).toBe('not_found');
  });
});

describe('rebuild', () => {
  it('rebuilds bulk_sends and bulk_send_recipients row for row from the store and the topic', async () => {
    const stored = await database.dataSource.query<
      Array<{
        event_id: string;
        stream_id: string;
        stream_type: string;
        type: string;
        data: unknown;
      }>
    >(
      `SELECT event_id, stream_id, stream_type, type, data FROM events
       WHERE stream_type = 'bulk-send' ORDER BY global_position`,
    );
    const store: StoredEnvelope[] = stored.map((e) => ({
      id: e.event_id,
      type: e.type,
      source: '/textplane/gateway',
      subject: e.stream_id,
      time: NOW.toISOString(),
      correlationId: e.stream_id,
      data: e.data,
      topic: 'gateway.bulk-send-requests.events.v1',
      partition: 0,
      offset: '0',
      streamType: e.stream_type,
    }));
    const target = await createTestDatabase({ migrations: gatewayMigrations });
    try {
      await rebuildGatewayReadModels(target.dataSource, {
        store,
        topics: { 'messaging.bulk-sends.events.v1': messagingEvents },
      });
      for (const [table, order] of [
        ['bulk_sends', 'bulk_send_id'],
        ['bulk_send_recipients', 'bulk_send_id, position'],
      ] as const) {
        const rows = (dataSource: typeof database.dataSource) =>
          dataSource.query<unknown[]>(`SELECT * FROM ${table} ORDER BY ${order}`);
        const live: unknown[] = await rows(database.dataSource);
        expect(live.length, table).toBeGreaterThan(0);
        expect(await rows(target.dataSource), table).toEqual(live);
      }
    } finally {
      await target.drop();
    }
  });
});
