import { randomUUID } from 'node:crypto';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { ConsentProjection } from '../consents/consent.projection.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { MessageReadModel } from './message-read-model.js';
import { MessageWatchHub } from './message-watch-hub.js';
import { MessageProjection } from './message.projection.js';
import type { AuthenticatedTenant } from './message.resource.js';
import { MessagesApplication, type PreviewResult } from './messages.application.js';

/**
 * The preview's compliance verdict over the real read models: tenants, messages and the consent
 * standing projected from consent's ledger events into Postgres, exactly as the gateway reads them.
 */

const BRAND = 'Harbor Books';
/** A number belongs to one tenant: each tenant of these tests has its own. */
const OPT_OUT = 'Reply STOP to opt out.';
/** A Wednesday, 12:00 in New York: inside every send window. */
const NOW = new Date('2026-11-25T17:00:00.000Z');

// Valid NANP numbers (exchange 2–9), so the area code gives the zone and the state.
const FLORIDA = '+13052345678';
const TEXAS = '+15122345678';
const NEW_YORK = '+12122345678';

let database: TestDatabase;
let app: MessagesApplication;
let consentProjection: ConsentProjection;
let messageProjection: MessageProjection;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const messages = new MessageReadModel(database.dataSource);
  consentProjection = new ConsentProjection(
    new Inbox(database.dataSource),
    'gateway.consent-read-models',
  );
  messageProjection = new MessageProjection(
    new Inbox(database.dataSource),
    'gateway.read-models',
    messages,
  );
  app = new MessagesApplication(
    new EventStore(database.dataSource),
    messages,
    new TenantDirectory(database.dataSource),
    new IdempotencyStore(database.dataSource),
    // Never started: the preview and send use cases do not watch.
    new MessageWatchHub('postgres://unused', messages, { warn: () => undefined }),
    { now: () => NOW },
    new ConsentReadModel(database.dataSource),
    new GroupedTransactions(database.dataSource),
  );
});

afterAll(async () => {
  await database.drop();
});

/** A fresh tenant, projected into the read model the way the tenant projection does. */
async function newTenant(): Promise<AuthenticatedTenant> {
  return (await createTestTenant(database.dataSource, { brandName: BRAND })).tenant;
}

let offset = 0;
/** A consent ledger fact as it arrives from Kafka, handled by the gateway's consent projection. */
async function ledgerFact(
  tenant: AuthenticatedTenant,
  phone: string,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  const event: ConsumedEvent = {
    id: randomUUID(),
    type,
    source: '/textplane/consent',
    subject: `consent-${tenant.tenantId}-${phone}`,
    time: new Date().toISOString(),
    tenantId: tenant.tenantId,
    correlationId: randomUUID(),
    data: { tenantId: tenant.tenantId, phone, ...data },
    topic: 'consent.consents.events.v1',
    partition: 0,
    offset: String((offset += 1)),
  };
  await consentProjection.handle(event);
}

function grantMarketing(tenant: AuthenticatedTenant, phone: string): Promise<void> {
  return ledgerFact(tenant, phone, 'consent.ConsentGranted.v1', {
    purpose: 'marketing',
    channel: 'all',
    evidence: {
      source: 'web_form',
      text: `Yes, send me offers from ${BRAND} by text.`,
      capturedAt: '2026-11-20T10:00:00.000Z',
      checkboxDefaultUnchecked: true,
    },
    requestId: randomUUID(),
    grantedAt: '2026-11-20T10:00:01.000Z',
  });
}

function preview(tenant: AuthenticatedTenant, input: Record<string, unknown>) {
  return app.preview(tenant, input);
}

/** A GSM-7 body of exactly `length` characters that names the brand (so no prefix is added). */
function brandedBody(length: number): string {
  const start = `${BRAND}: new arrivals are on the shelves this week, come and browse `;
  return start.padEnd(length, '.');
}

describe('POST /v1/messages/preview compliance verdict (real Postgres)', () => {
  it('without `to` judges content and the tenant-zone window, not consent, and adds no brand', async () => {
    const tenant = await newTenant();
    // Marketing with nobody's consent at 03:00 in the tenant's zone: held to 08:00 there.
    const night = await preview(tenant, {
      body: 'Our autumn sale starts today',
      purpose: 'marketing',
      at: '2026-11-27T09:00:00Z',
    });
    expect(night.compliance).toEqual({
      verdict: 'hold',
      reasons: ['quiet_hours_held'],
      sendAt: '2026-11-27T14:00:00.000Z',
      added: OPT_OUT,
      flags: [],
    });
    // In the afternoon it would go: consent is not judged without a recipient.
    const afternoon = await preview(tenant, {
      body: 'Our autumn sale starts today',
      purpose: 'marketing',
      at: '2026-11-27T20:00:00Z',
    });
    expect(afternoon.compliance).toEqual({
      verdict: 'send',
      reasons: [],
      added: OPT_OUT,
      flags: [],
    });
  });

  it('blocks a link through a public URL shortener as content_rejected, with a hint', async () => {
    const tenant = await newTenant();
    const result = await preview(tenant, { body: 'Track it here: https://bit.ly/3xYzAbc' });
    expect(result.compliance.verdict).toBe('block');
    expect(result.compliance.reasons).toEqual(['content_rejected']);
    expect(result.compliance.detail).toMatch(/bit\.ly/);
    expect(result.compliance.detail).toMatch(/full URL/);
    expect(result.compliance.sendAt).toBeUndefined();

    // The same link to a consented recipient at a good hour is still blocked for its content.
    await grantMarketing(tenant, FLORIDA);
    const toRecipient = await preview(tenant, {
      body: 'Track it here: https://bit.ly/3xYzAbc',
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T15:00:00Z',
    });
    expect(toRecipient.compliance).toMatchObject({
      verdict: 'block',
      reasons: ['content_rejected'],
    });

    const fullUrl = await preview(tenant, {
      body: 'Track it here: https://harborbooks.example/t/1',
    });
    expect(fullUrl.compliance).toMatchObject({ verdict: 'send', reasons: [] });
  });

  it('blocks marketing to a number with no marketing consent on record', async () => {
    const tenant = await newTenant();
    const result = await preview(tenant, {
      body: `${BRAND}: our autumn sale starts today`,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T15:00:00Z',
    });
    expect(result.compliance.verdict).toBe('block');
    expect(result.compliance.reasons).toEqual(['no_marketing_consent']);
    expect(result.compliance.detail).toMatch(/no marketing consent/);

    // Consent for another number of the same tenant, or for this number at another tenant,
    // does not count.
    await grantMarketing(tenant, TEXAS);
    const other = await newTenant();
    await grantMarketing(other, FLORIDA);
    const still = await preview(tenant, {
      body: `${BRAND}: our autumn sale starts today`,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T15:00:00Z',
    });
    expect(still.compliance.reasons).toEqual(['no_marketing_consent']);
  });

  it('sends consented marketing at an allowed time, adding opt-out language and counting it', async () => {
    const tenant = await newTenant();
    await grantMarketing(tenant, FLORIDA);
    const body = brandedBody(150);
    expect(body).toHaveLength(150);

    // Transactional: nothing is added, 150 GSM-7 characters fit one segment.
    const transactional: PreviewResult = await preview(tenant, {
      body,
      to: FLORIDA,
      purpose: 'transactional',
      at: '2026-11-27T15:00:00Z',
    });
    expect(transactional).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: 150 });
    expect(transactional.compliance).toEqual({ verdict: 'send', reasons: [], flags: [] });

    // Marketing (10:00 in Miami on a Friday): "\nReply STOP to opt out." makes it 173: two segments.
    const marketing = await preview(tenant, {
      body,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T15:00:00Z',
    });
    expect(marketing.compliance).toEqual({
      verdict: 'send',
      reasons: [],
      added: OPT_OUT,
      flags: [],
    });
    expect(marketing).toMatchObject({
      encoding: 'GSM-7',
      segments: 2,
      characters: 150 + 1 + OPT_OUT.length,
    });

    // Opt-out language already there: nothing added, nothing counted twice.
    const withOptOut = await preview(tenant, {
      body: `${BRAND}: sale today. Reply STOP to opt out.`,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T15:00:00Z',
    });
    expect(withOptOut.compliance.added).toBeUndefined();
    expect(withOptOut.characters).toBe(`${BRAND}: sale today. Reply STOP to opt out.`.length);
  });

  it('holds marketing to a Florida number at 20:30 local until 08:00 the next day', async () => {
    const tenant = await newTenant();
    await grantMarketing(tenant, FLORIDA);
    // 2026-11-26 20:30 EST: inside the federal window (until 21:00), outside Florida's (until 20:00).
    const result = await preview(tenant, {
      body: `${BRAND}: our autumn sale starts tomorrow`,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T01:30:00Z',
    });
    expect(result.compliance).toMatchObject({
      verdict: 'hold',
      reasons: ['quiet_hours_held'],
      sendAt: '2026-11-27T13:00:00.000Z',
      added: OPT_OUT,
    });
    expect(result.compliance.detail).toBeUndefined();

    // Quiet hours are for marketing only: a transactional message goes now.
    const transactional = await preview(tenant, {
      body: `${BRAND}: your order shipped`,
      to: FLORIDA,
      purpose: 'transactional',
      at: '2026-11-27T01:30:00Z',
    });
    expect(transactional.compliance).toMatchObject({ verdict: 'send', reasons: [] });
    expect(transactional.compliance.sendAt).toBeUndefined();

    // The recipient's own zone, when given, wins over the area code's (state rule still Florida).
    const inLosAngeles = await preview(tenant, {
      body: `${BRAND}: our autumn sale starts tomorrow`,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T01:30:00Z',
      recipientTimeZone: 'America/Los_Angeles',
    });
    // 17:30 in Los Angeles: allowed.
    expect(inLosAngeles.compliance).toMatchObject({ verdict: 'send', reasons: [] });
  });

  it('holds marketing to a Texas number on Sunday at 10:00 until 12:00', async () => {
    const tenant = await newTenant();
    await grantMarketing(tenant, TEXAS);
    // Sunday 2026-11-29 10:00 CST: federal allows it, Texas not before noon on Sundays.
    const sunday = await preview(tenant, {
      body: `${BRAND}: Sunday reading hour`,
      to: TEXAS,
      purpose: 'marketing',
      at: '2026-11-29T16:00:00Z',
    });
    expect(sunday.compliance).toMatchObject({
      verdict: 'hold',
      reasons: ['quiet_hours_held'],
      sendAt: '2026-11-29T18:00:00.000Z',
    });

    // The same local time on a Saturday is inside Texas's 9:00–21:00 window.
    const saturday = await preview(tenant, {
      body: `${BRAND}: Saturday reading hour`,
      to: TEXAS,
      purpose: 'marketing',
      at: '2026-11-28T16:00:00Z',
    });
    expect(saturday.compliance).toMatchObject({ verdict: 'send', reasons: [] });
  });

  it('holds across the spring-forward night to 08:00 EDT', async () => {
    const tenant = await newTenant();
    await grantMarketing(tenant, NEW_YORK);
    // Saturday 2026-03-07 22:30 EST; clocks go to EDT at 02:00 on Sunday 03-08.
    const result = await preview(tenant, {
      body: `${BRAND}: Sunday brunch reading club`,
      to: NEW_YORK,
      purpose: 'marketing',
      at: '2026-03-08T03:30:00Z',
    });
    expect(result.compliance).toMatchObject({
      verdict: 'hold',
      reasons: ['quiet_hours_held'],
      // 08:00 EDT (UTC-4), not 08:00 EST (13:00Z).
      sendAt: '2026-03-08T12:00:00.000Z',
    });
  });

  it('adds the brand to the first message to a contact, and not once a message went to them', async () => {
    const tenant = await newTenant();
    const first = await preview(tenant, {
      body: 'Your order shipped',
      to: FLORIDA,
      purpose: 'transactional',
    });
    expect(first.compliance).toEqual({
      verdict: 'send',
      reasons: [],
      added: `${BRAND}:`,
      flags: [],
    });
    expect(first.characters).toBe(`${BRAND}: Your order shipped`.length);

    // Marketing to a first contact gets both, in reading order.
    await grantMarketing(tenant, FLORIDA);
    const firstMarketing = await preview(tenant, {
      body: 'Sale today',
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T15:00:00Z',
    });
    expect(firstMarketing.compliance.added).toBe(`${BRAND}: … ${OPT_OUT}`);
    expect(firstMarketing.characters).toBe(`${BRAND}: Sale today\n${OPT_OUT}`.length);

    const sent = await app.send(
      tenant,
      { to: FLORIDA, body: 'Your order shipped', purpose: 'transactional' },
      randomUUID(),
    );
    expect(sent.status).toBe('queued');
    // Queued is not yet in front of the contact: the brand is still added.
    const whileQueued = await preview(tenant, {
      body: 'Your order shipped',
      to: FLORIDA,
      purpose: 'transactional',
    });
    expect(whileQueued.compliance.added).toBe(`${BRAND}:`);

    // Once messaging hands it to the carrier, the contact knows who writes.
    await messageProjection.handle({
      id: randomUUID(),
      type: 'messaging.MessageSubmissionStarted.v1',
      source: '/textplane/messaging',
      subject: `message-${sent.id}`,
      time: new Date().toISOString(),
      tenantId: tenant.tenantId,
      correlationId: sent.id,
      data: {
        messageId: sent.id,
        tenantId: tenant.tenantId,
        attempt: 1,
        startedAt: NOW.toISOString(),
      },
      topic: 'messaging.messages.events.v1',
      partition: 0,
      offset: String((offset += 1)),
    });
    const later = await preview(tenant, {
      body: 'Your order shipped',
      to: FLORIDA,
      purpose: 'transactional',
    });
    expect(later.compliance).toEqual({ verdict: 'send', reasons: [], flags: [] });
    expect(later.characters).toBe('Your order shipped'.length);

    // Only that contact: another number still gets the brand.
    const other = await preview(tenant, {
      body: 'Your order shipped',
      to: TEXAS,
      purpose: 'transactional',
    });
    expect(other.compliance.added).toBe(`${BRAND}:`);
  });

  it('blocks on do-not-disturb only for the channel it was set on', async () => {
    const tenant = await newTenant();
    await ledgerFact(tenant, FLORIDA, 'consent.DndSet.v1', {
      channel: 'mms',
      requestId: randomUUID(),
      setAt: '2026-11-24T12:00:00.000Z',
    });
    const mms = await preview(tenant, {
      body: `${BRAND}: your receipt`,
      to: FLORIDA,
      purpose: 'transactional',
      mediaUrls: ['https://harborbooks.example/receipt.png'],
    });
    expect(mms.compliance).toMatchObject({ verdict: 'block', reasons: ['dnd_active'] });
    const sms = await preview(tenant, {
      body: `${BRAND}: your receipt`,
      to: FLORIDA,
      purpose: 'transactional',
    });
    expect(sms.compliance).toMatchObject({ verdict: 'send', reasons: [] });
  });

  it('blocks every purpose to a number that opted out', async () => {
    const tenant = await newTenant();
    await grantMarketing(tenant, FLORIDA);
    await ledgerFact(tenant, FLORIDA, 'consent.ConsentRevoked.v1', {
      scope: 'all',
      channel: 'all',
      method: 'keyword',
      keyword: 'STOP',
      message: {
        messageId: randomUUID(),
        body: 'STOP',
        receivedAt: '2026-11-24T12:00:00.000Z',
      },
      revokedAt: '2026-11-24T12:00:01.000Z',
    });
    for (const purpose of ['marketing', 'transactional', 'conversational']) {
      const result = await preview(tenant, {
        body: `${BRAND}: hello again`,
        to: FLORIDA,
        purpose,
        at: '2026-11-27T15:00:00Z',
      });
      expect(result.compliance.verdict, purpose).toBe('block');
      expect(result.compliance.reasons, purpose).toEqual(['recipient_opted_out']);
      expect(result.compliance.detail, purpose).toMatch(/opted out/);
    }
    // Blocked is never held: at night the opt-out still blocks rather than holding.
    const atNight = await preview(tenant, {
      body: `${BRAND}: hello again`,
      to: FLORIDA,
      purpose: 'marketing',
      at: '2026-11-27T03:00:00Z',
    });
    expect(atNight.compliance).toMatchObject({
      verdict: 'block',
      reasons: ['recipient_opted_out'],
    });
    expect(atNight.compliance.sendAt).toBeUndefined();
  });
});

describe('the segment limit on send (real Postgres)', () => {
  it('counts the brand and opt-out language messaging may add', async () => {
    const tenant = await newTenant();
    // Exactly 10 segments (10 × 153 GSM-7 characters) before any addition.
    const full = 'x'.repeat(153 * 10);
    await expect(
      app.send(tenant, { to: FLORIDA, body: full, purpose: 'transactional' }, randomUUID()),
    ).rejects.toMatchObject({
      kind: 'invalid_request',
      detail: 'The body needs 11 segments with the compliance additions; at most 10 are allowed',
    });
    // A body that names the brand already gets nothing added and fits.
    const branded = `${BRAND}: ${'x'.repeat(153 * 10 - BRAND.length - 2)}`;
    const sent = await app.send(
      tenant,
      { to: FLORIDA, body: branded, purpose: 'transactional' },
      randomUUID(),
    );
    expect(sent).toMatchObject({ status: 'queued', segments: 10 });
  });
});

describe('POST /v1/messages/preview with sendAt', () => {
  it('judges a scheduled send at its sendAt, unless `at` says otherwise; a past sendAt is 422', async () => {
    const tenant = await newTenant();
    const body = 'Our autumn sale starts today';
    // 03:00 the next night in the tenant's zone (America/Chicago): held to 08:00 there.
    const scheduled = await preview(tenant, {
      body,
      purpose: 'marketing',
      sendAt: '2026-11-26T03:00:00-06:00',
    });
    expect(scheduled.compliance).toMatchObject({
      verdict: 'hold',
      sendAt: '2026-11-26T14:00:00.000Z',
    });
    const at = await preview(tenant, {
      body,
      purpose: 'marketing',
      sendAt: '2026-11-26T03:00:00-06:00',
      at: '2026-11-26T20:00:00Z',
    });
    expect(at.compliance.verdict).toBe('send');
    // NOW is 12:00 in Chicago: without sendAt the verdict is for now.
    expect((await preview(tenant, { body, purpose: 'marketing' })).compliance.verdict).toBe('send');
    await expect(
      preview(tenant, { body, sendAt: new Date(NOW.getTime() - 120_000).toISOString() }),
    ).rejects.toMatchObject({ kind: 'unprocessable', violations: [{ field: 'sendAt' }] });
  });
});
