import { randomUUID } from 'node:crypto';
import { type ConsentStanding, noConsent } from '@textplane/compliance';
import { dripPreview, parseDelivery } from '@textplane/delivery-schedule';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomValueReadModel } from '../custom-values/custom-value-read-model.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { TemplateReadModel } from '../templates/template-read-model.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { BulkRecipientReadModel } from './bulk-recipient-read-model.js';
import { BulkSendsApplication } from './bulk-sends.application.js';
import { queueAhead, registeredTenant, UNBOUND } from './bulk-send-throughput.fixture.spec.js';

/**
 * The bulk-send preview over the real gateway database: contacts, consent standings and earlier
 * texts read in bulk, each recipient judged as the dispatcher would, nothing recorded.
 */

// Wednesday 2026-12-02 17:00Z: 11:00 in Chicago, outside quiet hours everywhere in the US.
const NOW = new Date('2026-12-02T17:00:00.000Z');
let database: TestDatabase;
let app: BulkSendsApplication;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  app = new BulkSendsApplication(
    new TenantDirectory(database.dataSource),
    new BulkRecipientReadModel(database.dataSource),
    new TemplateReadModel(database.dataSource),
    new CustomValueReadModel(database.dataSource),
    { now: () => NOW },
  );
});

afterAll(async () => {
  await database.drop();
});

async function newTenant(): Promise<AuthenticatedTenant> {
  return (await createTestTenant(database.dataSource)).tenant;
}

async function addContact(
  tenant: AuthenticatedTenant,
  contactId: string,
  phone: string,
  fields: { firstName?: string; tags?: string[] } = {},
): Promise<void> {
  await database.dataSource.query(
    `INSERT INTO contacts (tenant_id, contact_id, version, phone, first_name, tags, custom_fields, updated_at)
     VALUES ($1, $2, 1, $3, $4, $5, '{}'::jsonb, $6)`,
    [tenant.tenantId, contactId, phone, fields.firstName ?? null, fields.tags ?? [], NOW],
  );
}

const on = { sms: true, mms: true };
const marketing: ConsentStanding = {
  ...noConsent,
  grants: { marketing: on, transactional: on },
  updatedAt: '2026-11-02T00:00:00.000Z',
};

async function setStanding(
  tenant: AuthenticatedTenant,
  phone: string,
  standing: ConsentStanding,
): Promise<void> {
  await database.dataSource.query(
    `INSERT INTO consent_standings (tenant_id, phone, standing, updated_at) VALUES ($1, $2, $3::jsonb, $4)`,
    [tenant.tenantId, phone, JSON.stringify(standing), NOW],
  );
}

/** Everything the gateway records: a preview must leave all of it as it was. */
async function recorded(): Promise<number> {
  const rows = await database.dataSource.query<Array<{ n: number }>>(
    `SELECT (SELECT count(*) FROM events)::integer + (SELECT count(*) FROM idempotency_records)::integer AS n`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * c1 sendable; c2 opted out; c3 DND; c4 and c5 share a phone (c5 later: duplicate_phone); c6 has
 * no first name (missing_merge_value); c7 has no consent on record (no_marketing_consent).
 */
async function sevenContacts(): Promise<AuthenticatedTenant> {
  const tenant = await newTenant();
  await addContact(tenant, 'c1', '+13052345601', { firstName: 'Ann', tags: ['vip', 'news'] });
  await addContact(tenant, 'c2', '+13052345602', { firstName: 'Bo', tags: ['news'] });
  await addContact(tenant, 'c3', '+13052345603', { firstName: 'Cy' });
  await addContact(tenant, 'c4', '+13052345604', { firstName: 'Di', tags: ['news'] });
  await addContact(tenant, 'c5', '+13052345604', { firstName: 'Ed', tags: ['news'] });
  await addContact(tenant, 'c6', '+13052345606');
  await addContact(tenant, 'c7', '+13052345607', { firstName: 'Flo', tags: ['news', 'lapsed'] });
  await setStanding(tenant, '+13052345601', marketing);
  await setStanding(tenant, '+13052345602', {
    ...marketing,
    optedOut: on,
    optedOutAt: '2026-11-20T00:00:00.000Z',
  });
  await setStanding(tenant, '+13052345603', { ...marketing, dnd: on });
  await setStanding(tenant, '+13052345604', marketing);
  await setStanding(tenant, '+13052345606', marketing);
  return tenant;
}

const IDS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const message = { body: 'Hi {{ contact.first_name }}, 20% off all week' };

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('a bulk-send preview', () => {
  it('counts sendable, blocked by reason and skipped by reason, exactly', async () => {
    const tenant = await sevenContacts();
    const before = await recorded();
    const preview = await app.preview(tenant, {
      recipients: { contactIds: IDS },
      message,
      delivery: { mode: 'now' },
    });
    expect(preview).toEqual({
      recipients: {
        total: 7,
        sendable: 2,
        blocked: { recipient_opted_out: 1, dnd_active: 1, no_marketing_consent: 1 },
        skipped: { duplicate_phone: 1, missing_merge_value: 1 },
        held: { quiet_hours_held: 0 },
      },
      // "Harbor Books: Hi Ann, 20% off all week" with the opt-out line: one GSM segment each.
      segments: { total: 2, max: 1 },
      delivery: { mode: 'now', at: NOW.toISOString() },
      eta: NOW.toISOString(),
    });
    expect(await recorded()).toBe(before);
  });

  it('sends a body without merge fields to every contact, the one without a name too', async () => {
    const tenant = await sevenContacts();
    const preview = await app.preview(tenant, {
      recipients: { contactIds: IDS },
      message: { body: '20% off all week' },
      delivery: { mode: 'now' },
    });
    expect(preview.recipients).toEqual({
      total: 7,
      sendable: 3,
      blocked: { recipient_opted_out: 1, dnd_active: 1, no_marketing_consent: 1 },
      skipped: { duplicate_phone: 1, missing_merge_value: 0 },
      held: { quiet_hours_held: 0 },
    });
    expect(preview.segments).toEqual({ total: 3, max: 1 });
  });

  it('selects by tags (any, none) in contact id order, and all contacts', async () => {
    const tenant = await sevenContacts();
    const tagged = await app.preview(tenant, {
      recipients: { tags: { any: ['news'], none: ['lapsed'] } },
      message,
      delivery: { mode: 'now' },
    });
    // c1, c2 (opted out), c4, c5 (c4's phone).
    expect(tagged.recipients).toMatchObject({
      total: 4,
      sendable: 2,
      blocked: { recipient_opted_out: 1 },
      skipped: { duplicate_phone: 1, missing_merge_value: 0 },
    });
    const all = await app.preview(tenant, {
      recipients: { all: true },
      message,
      delivery: { mode: 'now' },
    });
    expect(all.recipients).toMatchObject({ total: 7, sendable: 2 });
  });

  it('gives a drip the batches libs/delivery-schedule computes, the duplicate left out', async () => {
    const tenant = await sevenContacts();
    const delivery = {
      mode: 'drip',
      startAt: '2026-12-02T18:00:00Z',
      batchSize: 2,
      every: { value: 5, unit: 'minutes' },
    };
    const preview = await app.preview(tenant, {
      recipients: { contactIds: IDS },
      message,
      delivery,
    });
    const parsed = parseDelivery(delivery, { now: NOW, tenantTimeZone: 'America/Chicago' });
    if (!parsed.ok || parsed.delivery.mode !== 'drip') throw new Error('not a drip');
    const expected = dripPreview(parsed.delivery, 6);
    expect(preview.delivery).toMatchObject({
      mode: 'drip',
      batches: expected.batches.map((b) => ({
        index: b.index,
        at: b.at.toISOString(),
        size: b.size,
      })),
      totalBatches: 3,
      lastAt: '2026-12-02T18:10:00.000Z',
      timeZone: 'America/Chicago',
    });
    expect(preview.delivery.mode === 'drip' && preview.delivery.batches.map((b) => b.size)).toEqual(
      [2, 2, 2],
    );
    // c1 goes in batch 0 (18:00), c4 in batch 1 (18:05): the last sendable one's batch is 18:05,
    // but the drip's last batch (18:10) is the later of the two.
    expect(preview.eta).toBe('2026-12-02T18:10:00.000Z');
  });

  it('counts a release in quiet hours as held and moves the ETA to the end of them', async () => {
    const tenant = await sevenContacts();
    // 03:00 UTC on Dec 3 is 22:00 in Miami (the 305 numbers' zone): marketing waits until 08:00.
    const preview = await app.preview(tenant, {
      recipients: { contactIds: ['c1'] },
      message,
      delivery: { mode: 'schedule', at: '2026-12-03T03:00:00Z' },
    });
    expect(preview.recipients).toMatchObject({ sendable: 1, held: { quiet_hours_held: 1 } });
    expect(preview.delivery).toEqual({ mode: 'schedule', at: '2026-12-03T03:00:00.000Z' });
    expect(Date.parse(preview.eta ?? '')).toBeGreaterThan(Date.parse('2026-12-03T03:00:00Z'));
  });

  it('previews 20,000 contacts loaded in bulk (a few queries, not one per contact)', async () => {
    const tenant = await newTenant();
    await database.dataSource.query(
      `INSERT INTO contacts (tenant_id, contact_id, version, phone, first_name, tags, custom_fields, updated_at)
       SELECT $1, 'k' || lpad(n::text, 6, '0'), 1, '+1305' || lpad(n::text, 7, '0'), 'P' || n,
              ARRAY['news'], '{}'::jsonb, $2
       FROM generate_series(1, 20000) AS n`,
      [tenant.tenantId, NOW],
    );
    await database.dataSource.query(
      `INSERT INTO consent_standings (tenant_id, phone, standing, updated_at)
       SELECT $1, '+1305' || lpad(n::text, 7, '0'), $2::jsonb, $3 FROM generate_series(1, 19990) AS n`,
      [tenant.tenantId, JSON.stringify(marketing), NOW],
    );
    const contactIds = Array.from(
      { length: 20_000 },
      (_, i) => `k${String(i + 1).padStart(6, '0')}`,
    );
    const preview = await app.preview(tenant, {
      recipients: { contactIds },
      message,
      delivery: {
        mode: 'drip',
        startAt: '2026-12-02T18:00:00Z',
        batchSize: 100,
        every: { value: 1, unit: 'minutes' },
      },
    });
    expect(preview.recipients).toMatchObject({
      total: 20_000,
      sendable: 19_990,
      blocked: { no_marketing_consent: 10 },
    });
    expect(preview.delivery).toMatchObject({
      totalBatches: 200,
      lastAt: '2026-12-02T21:19:00.000Z',
    });
  });
});

const registered = (count: number, limits: object) =>
  registeredTenant(database.dataSource, count, limits, NOW);
const at = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();

describe("a bulk-send preview paced by the carriers' throughput limits", () => {
  // The campaign's AT&T cap set for the test at 60 per minute (the operator's override); the
  // account's 50 per second still applies. Messaging lets what fits a window go at once and
  // counts a send at the end of its bucket (1.2 s of a minute, 20 ms of a second), so the window
  // frees 61.2 s after a burst: 50 + 10 go at +0 s / +1.02 s, 50 + 10 at +61.2 s / +62.22 s,
  // the last 30 at +122.4 s.
  const cap60 = { attPerMinute: { sms: 60 } };

  it('moves the ETA of 150 sendable at 60 per minute to the third window (+122.4 s)', async () => {
    const { tenant, contactIds } = await registered(150, cap60);
    const preview = await app.preview(tenant, {
      recipients: { contactIds },
      message: { body: 'Harbor Books: 20% off all week' },
      delivery: { mode: 'now' },
    });
    expect(preview.recipients.sendable).toBe(150);
    expect(preview.delivery).toEqual({ mode: 'now', at: NOW.toISOString() });
    expect(preview.eta).toBe(at(122_400));
  });

  it('60 sendable fit one window; 90 queued ahead on the same campaign push them two windows', async () => {
    const alone = await registered(60, cap60);
    const body = (contactIds: string[]) => ({
      recipients: { contactIds },
      message: { body: 'Harbor Books: 20% off all week' },
      delivery: { mode: 'now' },
    });
    // 50 at +0 s and 10 at +1.02 s (the account's second).
    expect((await app.preview(alone.tenant, body(alone.contactIds))).eta).toBe(at(1_020));

    const behind = await registered(60, cap60);
    await queueAhead(database.dataSource, behind.tenant, behind.sender, 90, NOW);
    // The 90 go first: 60 in the first window, 30 at +61.2 s with 20 of the preview's (the
    // account's second), 10 more at +62.22 s; the last 30 at +122.4 s.
    expect((await app.preview(behind.tenant, body(behind.contactIds))).eta).toBe(at(122_400));
  });

  it('paces each recipient on the sender messaging will pick: the sticky one, else the default', async () => {
    const body = (contactIds: string[], from?: string) => ({
      recipients: { contactIds },
      message: { body: 'Harbor Books: 20% off all week', ...(from ? { from } : {}) },
      delivery: { mode: 'now' },
    });
    // Each contact last talked with the registered long code (60 a minute): it is their sender.
    const sticky = await registeredTenant(database.dataSource, 150, cap60, NOW, {
      stickyOnly: true,
    });
    expect((await app.preview(sticky.tenant, body(sticky.contactIds))).eta).toBe(at(122_400));
    // Naming the default (a toll-free number, 20 a second) moves all 150 onto it: 20 at once,
    // the window freeing 1.02 s later (its 20 ms bucket), the last 10 at +7.14 s.
    const profile = await new TenantDirectory(database.dataSource).find(sticky.tenant.tenantId);
    const tollFree = profile?.defaultSender ?? '';
    expect(tollFree).toMatch(/^\+1888/);
    expect((await app.preview(sticky.tenant, body(sticky.contactIds, tollFree))).eta).toBe(
      at(7_140),
    );
  });

  it('single messages queued ahead count too, unless queued for over a day', async () => {
    const recent = await registered(60, cap60);
    await queueAhead(database.dataSource, recent.tenant, recent.sender, 90, NOW, { bulk: false });
    const body = (contactIds: string[]) => ({
      recipients: { contactIds },
      message: { body: 'Harbor Books: 20% off all week' },
      delivery: { mode: 'now' },
    });
    expect((await app.preview(recent.tenant, body(recent.contactIds))).eta).toBe(at(122_400));

    const old = await registered(60, cap60);
    const dayAndSecondAgo = new Date(NOW.getTime() - 86_401_000);
    await queueAhead(database.dataSource, old.tenant, old.sender, 90, dayAndSecondAgo, {
      bulk: false,
    });
    expect((await app.preview(old.tenant, body(old.contactIds))).eta).toBe(at(1_020));
  });

  it('a drip: the later of the last batch and each batch paced from its release', async () => {
    const { tenant, contactIds } = await registered(150, cap60);
    const preview = await app.preview(tenant, {
      recipients: { contactIds },
      message: { body: 'Harbor Books: 20% off all week' },
      // Three batches of 50, 17:00, 17:10 and 17:20 (Chicago: 11:00 on a Wednesday).
      delivery: {
        mode: 'drip',
        startAt: NOW.toISOString(),
        batchSize: 50,
        every: { value: 10, unit: 'minutes' },
      },
    });
    expect(preview.delivery).toMatchObject({ totalBatches: 3, lastAt: at(20 * 60_000) });
    // Each batch of 50 fits the minute and the second: the last batch's time is the ETA.
    expect(preview.eta).toBe(at(20 * 60_000));

    const big = await registered(150, cap60);
    const one = await app.preview(big.tenant, {
      recipients: { contactIds: big.contactIds },
      message: { body: 'Harbor Books: 20% off all week' },
      delivery: {
        mode: 'drip',
        startAt: NOW.toISOString(),
        batchSize: 150,
        every: { value: 10, unit: 'minutes' },
      },
    });
    // One batch of 150: its pace, not its time, is the ETA.
    expect(one.delivery).toMatchObject({ totalBatches: 1, lastAt: NOW.toISOString() });
    expect(one.eta).toBe(at(122_400));
  });

  it('with the limits lifted (UNBOUND_LIMITS, as the bench and e2e tenants) the ETA is the release', async () => {
    const { tenant, sender, contactIds } = await registered(150, UNBOUND);
    await queueAhead(database.dataSource, tenant, sender, 500, NOW);
    const preview = await app.preview(tenant, {
      recipients: { contactIds },
      message: { body: 'Harbor Books: 20% off all week' },
      delivery: { mode: 'now' },
    });
    expect(preview.eta).toBe(NOW.toISOString());
  });
});

describe('a bulk-send preview refuses, naming the field, recording nothing', () => {
  it('0 or 100,001 contact ids, and no or two selections', async () => {
    const tenant = await sevenContacts();
    const before = await recorded();
    const body = (recipients: unknown) => ({ recipients, message, delivery: { mode: 'now' } });
    const none = await refusal(app.preview(tenant, body({ contactIds: [] })));
    expect(none.kind).toBe('invalid_request');
    expect(none.violations.map((v) => v.field)).toEqual(['recipients.contactIds']);
    const tooMany = Array.from({ length: 100_001 }, (_, i) => `x${i}`);
    const many = await refusal(app.preview(tenant, body({ contactIds: tooMany })));
    expect(many.violations.map((v) => v.field)).toEqual(['recipients.contactIds']);
    const neither = await refusal(app.preview(tenant, body({})));
    expect(neither.violations).toEqual([
      { field: 'recipients', message: 'must have one of contactIds, tags or all' },
    ]);
    const both = await refusal(app.preview(tenant, body({ all: true, tags: { any: ['news'] } })));
    expect(both.violations.map((v) => v.field)).toEqual(['recipients']);
    expect(await recorded()).toBe(before);
  });

  it('unknown contact ids: 422 listing each with its place, up to 100', async () => {
    const tenant = await sevenContacts();
    const few = await refusal(
      app.preview(tenant, {
        recipients: { contactIds: ['c1', 'nope', 'c2', 'gone'] },
        message,
        delivery: { mode: 'now' },
      }),
    );
    expect(few.kind).toBe('unprocessable');
    expect(few.code).toBe('contact_not_found');
    expect(few.violations).toEqual([
      { field: 'recipients.contactIds.1', message: 'is not a contact of this tenant' },
      { field: 'recipients.contactIds.3', message: 'is not a contact of this tenant' },
    ]);
    const lots = await refusal(
      app.preview(tenant, {
        recipients: { contactIds: ['c1', ...Array.from({ length: 150 }, (_, i) => `u${i}`)] },
        message,
        delivery: { mode: 'now' },
      }),
    );
    expect(lots.violations).toHaveLength(100);
    expect(lots.violations[0]?.field).toBe('recipients.contactIds.1');
    expect(lots.detail).toContain('150 of the contact ids');
  });

  it('an unknown template, and body with templateId', async () => {
    const tenant = await sevenContacts();
    const unknown = await refusal(
      app.preview(tenant, {
        recipients: { contactIds: IDS },
        message: { templateId: randomUUID() },
        delivery: { mode: 'now' },
      }),
    );
    expect(unknown.code).toBe('template_not_found');
    expect(unknown.violations.map((v) => v.field)).toEqual(['message.templateId']);
    const both = await refusal(
      app.preview(tenant, {
        recipients: { contactIds: IDS },
        message: { body: 'x', templateId: randomUUID() },
        delivery: { mode: 'now' },
      }),
    );
    expect(both.violations.map((v) => v.field)).toEqual(['message.body', 'message.templateId']);
  });

  it('every delivery refusal parseDelivery names', async () => {
    const tenant = await sevenContacts();
    const bad = await refusal(
      app.preview(tenant, {
        recipients: { contactIds: IDS },
        message,
        delivery: {
          mode: 'drip',
          startAt: '2026-12-02T18:00:00Z',
          batchSize: 0,
          every: { value: 0, unit: 'weeks' },
          days: ['mon', 'funday'],
          window: { start: '17:00', end: '09:00' },
          timeZone: 'Mars/Olympus',
        },
      }),
    );
    expect(bad.kind).toBe('invalid_request');
    expect(bad.violations.map((v) => v.field)).toEqual(
      expect.arrayContaining([
        'delivery.batchSize',
        'delivery.every.value',
        'delivery.every.unit',
        'delivery.days.1',
        'delivery.timeZone',
      ]),
    );
    const past = await refusal(
      app.preview(tenant, {
        recipients: { contactIds: IDS },
        message,
        delivery: { mode: 'schedule', at: '2026-12-01T00:00:00Z' },
      }),
    );
    expect(past.violations.map((v) => v.field)).toEqual(['delivery.at']);
  });
});
