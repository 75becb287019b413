import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumedEvent } from '@textplane/kafka';
import { describe, expect, inject, it } from 'vitest';
import {
  type Watermarks,
  observeKafka,
  openAdmin,
  readTopicsThrough,
} from './rebuild/kafka-cut.js';
import {
  type Rows,
  storedEvents,
  type StoredEventRow,
  storePosition,
  tableRows,
  withClient,
} from './rebuild/live-databases.js';
import {
  type Publisher,
  publisherOf,
  readModelTables,
  rebuildTopics,
  type RebuildService,
} from './rebuild/read-model-tables.js';
import { createScratchDatabase, runRebuild } from './rebuild/rebuild-runner.js';
import { registerSenders } from '../stack/sender-registration.js';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  idempotencyKey,
  randomPhone,
  type TestTenant,
  verifyTollFree,
} from './platform-client.js';

const stack = inject('stack');
/** The services whose read models are rebuilt and compared. */
const REBUILT: readonly RebuildService[] = ['gateway', 'messaging', 'consent'];
/** Every store whose events reach a rebuild: registration's bounds its topic, nothing of it is rebuilt. */
const PUBLISHERS: readonly Publisher[] = [...REBUILT, 'registration'];
const PATIENCE = { timeoutMs: 60_000, intervalMs: 200 };
const enc = encodeURIComponent;

/**
 * Issue 9 §1, end to end: after real traffic through the public APIs of the running stack, every
 * read model of every service, rebuilt into an empty database from that service's own store and
 * from the topics it consumes (read from the beginning, up to where the run left them) through
 * the service's own projections, equals the live table row for row. The whole tables are
 * compared, so what other end-to-end files did on the shared stack before is checked as well.
 * Registration publishes (its topic feeds the gateway's trust_* and messaging's
 * sender_registration_* tables, and its store bounds that topic in the cut), but its own read
 * models are not rebuilt here: it has no rebuild command.
 */
describe('every read model, rebuilt from its events after an end-to-end run', () => {
  it('is the same, row for row, as the live one', async () => {
    const tenant = await createTenant(stack, 'Rebuild Co');
    // The Trust Center and number validation, in a tenant of their own (validation would block
    // the landlines among the other tenant's random recipients).
    const { tenant: registered, lookedUp } = await registeredSenderAndLookup();
    await tenantChanges(tenant);
    const secondSender = await addSender(tenant);
    await verifyTollFree(stack, tenant, 'Rebuild Co', [secondSender]);

    // Sends: delivered (from each number), failed and undelivered at the carrier.
    const [delivered, failed, undelivered] = [randomPhone(), randomPhone(), randomPhone()];
    await fault('sending_failed', failed);
    await fault('delivery_failed', undelivered);
    await Promise.all([
      send(tenant, { to: delivered, body: 'Your order shipped' }),
      send(tenant, { to: delivered, from: secondSender, body: 'Reply here for returns' }),
      send(tenant, { to: failed, body: 'Your table is ready' }),
      send(tenant, { to: undelivered, body: 'Your car is ready' }),
    ]);

    // STOP, a send that is blocked, HELP and START (each answered by the tenant's number).
    const stopper = randomPhone();
    await inbound(tenant, stopper, 'STOP');
    await ledgerHas(tenant, stopper, 'ConsentRevoked');
    await send(tenant, { to: stopper, body: 'Your order shipped' });
    await inbound(tenant, stopper, 'HELP');
    await ledgerHas(tenant, stopper, 'HelpRequested');
    await inbound(tenant, stopper, 'START');
    await ledgerHas(tenant, stopper, 'ConsentRestored');

    // The consent API: a grant, then a marketing send held for quiet hours (the recipient's zone
    // is one where it is 3 a.m. now, so the hold lasts hours); a revocation and DND on another.
    const consented = randomPhone();
    await post(tenant, '/v1/consents', {
      phone: consented,
      purpose: 'marketing',
      channel: 'all',
      evidence: {
        source: 'web_form',
        text: 'Yes, send me offers from Rebuild Co by text. Reply STOP to opt out.',
        capturedAt: new Date(Date.now() - 60_000).toISOString(),
        checkboxDefaultUnchecked: true,
      },
    });
    await send(tenant, {
      to: consented,
      body: 'Rebuild Co: our winter sale starts tomorrow. Reply STOP to opt out.',
      purpose: 'marketing',
      recipientTimeZone: zoneWhereItIs(3),
    });
    await post(tenant, `/v1/consents/${enc(delivered)}/revocations`, {
      scope: 'all',
      method: 'support_agent',
    });
    await dnd(tenant, delivered, 'PUT');
    await dnd(tenant, delivered, 'DELETE');

    // A doubtful reply opens a review, resolved by an agent.
    const doubtful = randomPhone();
    await inbound(tenant, doubtful, 'not interested');
    const review = await eventually(
      async () => {
        const page = await call<{ items: Array<{ id: string; phone: string }> }>(
          `${stack.urls.gatewayHttp}/v1/consent-reviews?status=open`,
          { headers: bearer(tenant) },
        );
        return page.body.items.find((r) => r.phone === doubtful);
      },
      { ...PATIENCE, what: 'the open review' },
    );
    await post(tenant, `/v1/consent-reviews/${review.id}/resolution`, {
      decision: 'dismiss',
      resolvedBy: 'agent-e2e',
    });
    await ledgerHas(tenant, doubtful, 'RevocationReviewResolved');

    // Contacts: one created and replaced under If-Match, a stale If-Match refused, one deleted.
    await contactChanges(tenant);
    // Templates: one created, revised and archived, a snippet; custom values set,
    // replaced and deleted.
    await templateChanges(tenant);

    // Everything of this run final: the STOP, HELP and START answers at the carrier, every
    // message of the tenant out of the pipeline (the held one waits hours, as `scheduled`).
    await eventually(
      async () => ((await carrierReceived(stack, stopper)).length >= 3 ? true : undefined),
      { ...PATIENCE, what: 'the answers to STOP, HELP and START' },
    );
    const statuses = await eventually(
      () =>
        withClient(stack.databaseUrls.gateway, async (client) => {
          const { rows } = await client.query<{ status: string; reason: string | null }>(
            `SELECT status, reason FROM messages WHERE tenant_id = $1 AND direction = 'outbound'`,
            [tenant.tenantId],
          );
          const moving = rows.some((r) => ['queued', 'sending', 'sent'].includes(r.status));
          return rows.length >= 9 && !moving ? rows : undefined;
        }),
      { ...PATIENCE, what: "every message of the run's tenant final" },
    );
    expect(statuses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'delivered' }),
        expect.objectContaining({ status: 'failed' }),
        expect.objectContaining({ status: 'undelivered' }),
        expect.objectContaining({ status: 'blocked', reason: 'recipient_opted_out' }),
        expect.objectContaining({ status: 'scheduled', reason: 'quiet_hours_held' }),
      ]),
    );

    const { kafka, admin } = openAdmin(stack.kafkaBrokers);
    await admin.connect();
    try {
      const cut = await quiescentCut(admin);
      await expectEveryEventType([tenant, registered], lookedUp, cut.positions);

      await Promise.all(
        REBUILT.map(async (service) => {
          const scratch = await createScratchDatabase(stack.postgresUrl, service);
          try {
            const store = await withClient(stack.databaseUrls[service], (client) =>
              storedEvents(client, cut.positions[service]),
            );
            const topics = await thisStacksEvents(
              await readTopicsThrough(kafka, rebuildTopics[service], cut.watermarks),
              cut.positions,
            );
            await runRebuild(service, {
              scratchDatabaseUrl: scratch.url,
              store: store.map(envelopeOf),
              topics,
            });
            const rebuilt = await withClient(scratch.url, (client) => snapshotOf(client, service));
            for (const { table } of readModelTables[service]) {
              const live = cut.live[service][table] ?? [];
              expect(live.length, `${service}.${table} is empty`).toBeGreaterThan(0);
              expect(rebuilt[table], `${service}.${table}, rebuilt`).toEqual(live);
            }
          } finally {
            await scratch.drop();
          }
        }),
      );
    } finally {
      await admin.disconnect();
    }
  });
});

// --- the run ---

async function post(tenant: TestTenant, path: string, body: unknown): Promise<unknown> {
  const answer = await call(`${stack.urls.gatewayHttp}${path}`, {
    headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
    body,
  });
  expect(answer.status, `POST ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
}

async function send(tenant: TestTenant, body: Record<string, unknown>): Promise<void> {
  await post(tenant, '/v1/messages', body);
}

/** Each write answers once messaging stored it, so its facts are projected when it returns. */
async function contactChanges(tenant: TestTenant): Promise<void> {
  const url = (id: string) => `${stack.urls.gatewayHttp}/v1/contacts/${enc(id)}`;
  const put = (id: string, body: unknown, ifMatch?: string) =>
    call(url(id), {
      method: 'PUT',
      headers: { ...bearer(tenant), ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      body,
    });
  const kept = `rebuild-${randomUUID()}`;
  const gone = `rebuild-${randomUUID()}`;
  const created = await put(kept, {
    phone: randomPhone(),
    firstName: 'Ana',
    tags: ['vip'],
    customFields: { plan: 'pro', renews_on: { date: '2026-12-24' } },
  });
  expect(created.status).toBe(201);
  expect((await put(kept, { phone: randomPhone(), timeZone: 'US/Mountain' }, '"1"')).status).toBe(
    200,
  );
  expect((await put(kept, { phone: randomPhone() }, '"1"')).status).toBe(412);
  expect((await put(gone, { phone: randomPhone() })).status).toBe(201);
  expect((await call(url(gone), { method: 'DELETE', headers: bearer(tenant) })).status).toBe(204);
}

/** Each write answers once messaging stored it, as contacts' do. */
async function templateChanges(tenant: TestTenant): Promise<void> {
  const created = (await post(tenant, '/v1/templates', {
    kind: 'template',
    name: 'Rebuild reminder',
    body: 'Hi {{ contact.first_name | default: "there" }}, see you at {{ custom_values.venue }}.',
    purpose: 'transactional',
  })) as { id: string };
  const templateUrl = `${stack.urls.gatewayHttp}/v1/templates/${enc(created.id)}`;
  const revised = await call(templateUrl, {
    method: 'PUT',
    headers: bearer(tenant),
    body: { name: 'Rebuild reminder', body: 'Hello {{ contact.first_name | default: "there" }}.' },
  });
  expect(revised.status, JSON.stringify(revised.body)).toBe(200);
  const archived = await call(templateUrl, { method: 'DELETE', headers: bearer(tenant) });
  expect(archived.status, JSON.stringify(archived.body)).toBeLessThan(300);
  await post(tenant, '/v1/templates', { kind: 'snippet', name: 'Sign-off', body: 'Thanks!' });

  const valueUrl = (key: string) => `${stack.urls.gatewayHttp}/v1/custom-values/${key}`;
  for (const [key, value] of [
    ['venue', 'Main St'],
    ['venue', 'Oak Ave'],
    ['promo', 'SPRING'],
  ] as const) {
    const set = await call(valueUrl(key), {
      method: 'PUT',
      headers: bearer(tenant),
      body: { value },
    });
    expect(set.status, JSON.stringify(set.body)).toBeLessThan(300);
  }
  const deleted = await call(valueUrl('promo'), { method: 'DELETE', headers: bearer(tenant) });
  expect(deleted.status, JSON.stringify(deleted.body)).toBeLessThan(300);
}

async function dnd(tenant: TestTenant, phone: string, method: 'PUT' | 'DELETE'): Promise<void> {
  const answer = await call(`${stack.urls.gatewayHttp}/v1/consents/${enc(phone)}/dnd/sms`, {
    method,
    headers: bearer(tenant),
  });
  expect(answer.status).toBe(201);
}

async function inbound(tenant: TestTenant, from: string, text: string): Promise<void> {
  const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
    body: { from, to: tenant.sender, text },
  });
  expect(injected.status).toBe(202);
}

async function fault(mode: string, to: string): Promise<void> {
  const armed = await call(`${stack.urls.carrierSim}/sim/faults`, { body: { mode, count: 1, to } });
  expect(armed.status).toBeLessThan(300);
}

async function ledgerHas(tenant: TestTenant, phone: string, type: string): Promise<void> {
  await eventually(
    async () => {
      const answer = await call<{ entries: Array<{ type: string }> }>(
        `${stack.urls.gatewayHttp}/v1/consents/${enc(phone)}/history`,
        { headers: bearer(tenant) },
      );
      return answer.body.entries.some((e) => e.type === type) ? true : undefined;
    },
    { ...PATIENCE, what: `${type} on the ledger of ${phone}` },
  );
}

/**
 * A tenant whose US long code is registered through the Trust Center as every seeded tenant's is
 * (brand, campaign, number, each approved by the simulator: registration's facts, the gateway's
 * trust_* rows, messaging's sender replica), and that validates its recipients' numbers: a text
 * from that number, delivered after its recipient was looked up (number_lookups, both services).
 */
async function registeredSenderAndLookup(): Promise<{ tenant: TestTenant; lookedUp: string }> {
  const name = 'Rebuild Trust Co';
  const sender = randomPhone('+1555');
  const tenant = await createTenant(stack, name, { sender });
  await registerSenders(stack.urls.gatewayHttp, tenant.apiKey, {
    id: tenant.tenantId,
    name,
    brandName: name,
    timeZone: 'America/Chicago',
    senderNumbers: [sender],
    defaultSender: sender,
  });
  const patched = await call(`${stack.urls.gatewayHttp}/v1/settings`, {
    method: 'PATCH',
    headers: bearer(tenant),
    body: { numberValidation: { enabled: true } },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  // Messaging applies the setting once it has consumed it from the tenants topic, shortly after
  // the PATCH answered: until a text's recipient was looked up, send to another one.
  const lookedUp = await eventually(
    async () => {
      // A mobile by the simulator's rule (tools/carrier-sim README: 0 or 1 last is a landline).
      const to = `${randomPhone().slice(0, -1)}5`;
      const sent = (await post(tenant, '/v1/messages', {
        to,
        body: 'Your table is ready',
        purpose: 'transactional',
      })) as { id: string };
      await eventually(
        async () => {
          const answer = await call<{ status: string }>(
            `${stack.urls.gatewayHttp}/v1/messages/${sent.id}`,
            { headers: bearer(tenant) },
          );
          return answer.body.status === 'delivered' ? true : undefined;
        },
        { ...PATIENCE, what: `message ${sent.id} delivered` },
      );
      const lookups = await call<{ data: unknown[] }>(
        `${stack.urls.carrierSim}/sim/lookups?phoneNumber=${enc(to)}`,
      );
      return lookups.body.data.length > 0 ? to : undefined;
    },
    { ...PATIENCE, intervalMs: 0, what: 'a text whose recipient was looked up' },
  );
  return { tenant, lookedUp };
}

const admin = { authorization: `Bearer ${stack.adminToken}` };
const tenantUrl = (tenant: TestTenant) =>
  `${stack.urls.gatewayHttp}/admin/v1/tenants/${tenant.tenantId}`;

/** A second sender number, which the run sends from. */
async function addSender(tenant: TestTenant): Promise<string> {
  const number = randomPhone('+1888');
  const added = await call(`${tenantUrl(tenant)}/sender-numbers`, {
    headers: admin,
    body: { phoneNumber: number },
  });
  expect(added.status).toBe(200);
  return number;
}

/** A number added and released, and a compliance profile set: every tenant event. */
async function tenantChanges(tenant: TestTenant): Promise<void> {
  const released = await addSender(tenant);
  const removed = await call(`${tenantUrl(tenant)}/sender-numbers/${enc(released)}`, {
    method: 'DELETE',
    headers: admin,
  });
  expect(removed.status).toBe(200);
  const profile = await call(`${tenantUrl(tenant)}/compliance`, {
    method: 'PUT',
    headers: admin,
    body: { restrictedContent: 'flag', supportContact: 'help@rebuild.example' },
  });
  expect(profile.status, JSON.stringify(profile.body)).toBe(200);
}

/** A fixed-offset zone where the local hour is `hour` now (Etc/GMT-N is UTC+N). */
function zoneWhereItIs(hour: number): string {
  const ahead = (hour - new Date().getUTCHours() + 24) % 24;
  const offset = ahead > 11 ? ahead - 24 : ahead;
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** The run produced every event type the read models project (else the proof would be thin). */
async function expectEveryEventType(
  tenants: readonly TestTenant[],
  lookedUp: string,
  positions: Record<Publisher, string>,
): Promise<void> {
  const expected: Record<Publisher, string[]> = {
    gateway: [
      'TenantCreated',
      'TenantSettingsSet',
      'BrandRegistrationRequested',
      'CampaignSubmissionRequested',
      'NumberAssignmentRequested',
      'SenderNumberAdded',
      'SenderNumberRemoved',
      'TenantComplianceProfileSet',
      'ApiKeyIssued',
      'SendRequested',
      'RevocationReviewResolutionRequested',
      'ContactUpsertRequested',
      'ContactDeletionRequested',
      'TemplateCreationRequested',
      'TemplateRevisionRequested',
      'TemplateArchivalRequested',
      'CustomValueSetRequested',
      'CustomValueDeletionRequested',
    ],
    messaging: [
      'MessageQueued',
      'MessageSubmissionStarted',
      'MessageSubmitted',
      'MessageSent',
      'MessageDelivered',
      'MessageFailed',
      'MessageUndelivered',
      'MessageHeld',
      'MessageBlocked',
      'InboundMessageReceived',
      'ContactUpserted',
      'ContactDeleted',
      'TemplateCreated',
      'TemplateRevised',
      'TemplateArchived',
      'CustomValueSet',
      'CustomValueDeleted',
      'NumberLookedUp',
    ],
    consent: [
      'ConsentGranted',
      'ConsentRevoked',
      'ConsentRestored',
      'DndSet',
      'DndCleared',
      'HelpRequested',
      'AutoReplyRequested',
      'RevocationReviewOpened',
      'RevocationReviewResolved',
    ],
    // The happy path of a registration (every review approved); its refusals and the toll-free,
    // OTP and vetting flows are not part of this run.
    registration: [
      'BrandRegistrationStarted',
      'BrandRegistered',
      'BrandStatusChanged',
      'CampaignSubmissionStarted',
      'CampaignSubmitted',
      'CampaignStatusChanged',
      'CampaignApproved',
      'NumberAssignmentStarted',
      'NumberAssignmentSubmitted',
      'NumberAssigned',
      'CampaignNumberProvisioned',
    ],
  };
  const tenantIds = tenants.map((t) => t.tenantId);
  for (const publisher of PUBLISHERS) {
    const types = await withClient(stack.databaseUrls[publisher], async (client) => {
      // A number's lookup is a fact of the number, not of a tenant: found by its phone number.
      const { rows } = await client.query<{ type: string }>(
        `SELECT DISTINCT type FROM events
         WHERE (metadata->>'tenantId' = ANY($1) OR data->>'phoneNumber' = $2)
           AND global_position <= $3`,
        [tenantIds, lookedUp, positions[publisher]],
      );
      return rows.map((r) => r.type.split('.')[1]);
    });
    expect(types, `the run's ${publisher} events`).toEqual(
      expect.arrayContaining(expected[publisher]),
    );
  }
}

// --- the cut ---

interface Cut {
  watermarks: Watermarks;
  /** Each publisher's last store position at the cut. */
  positions: Record<Publisher, string>;
  live: Record<RebuildService, Record<string, Rows>>;
}

async function snapshotOf(
  client: Parameters<typeof tableRows>[0],
  service: RebuildService,
): Promise<Record<string, Rows>> {
  const tables: Record<string, Rows> = {};
  for (const spec of readModelTables[service]) tables[spec.table] = await tableRows(client, spec);
  return tables;
}

/**
 * A moment when nothing moves: every store relayed (outbox empty), every consumer group of the
 * services committed up to the end of its topic, and the same again after the live tables were
 * read, so those tables are exactly what the events up to these positions and watermarks made.
 */
async function quiescentCut(admin: Parameters<typeof observeKafka>[0]): Promise<Cut> {
  const observe = async () => {
    const stores = await Promise.all(
      PUBLISHERS.map((s) => withClient(stack.databaseUrls[s], storePosition)),
    );
    const kafka = await observeKafka(admin);
    const unpublished = stores.reduce((sum, s) => sum + s.unpublished, 0);
    return {
      settled: unpublished === 0 && kafka.lagging.length === 0,
      why: `${unpublished} unpublished, lagging: ${kafka.lagging.join(', ')}`,
      key: JSON.stringify([stores, kafka.watermarks]),
      watermarks: kafka.watermarks,
      positions: Object.fromEntries(PUBLISHERS.map((s, i) => [s, stores[i]?.lastPosition ?? '0'])),
    };
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const before = await observe();
    if (before.settled) {
      const live = Object.fromEntries(
        await Promise.all(
          REBUILT.map(
            async (s) =>
              [s, await withClient(stack.databaseUrls[s], (c) => snapshotOf(c, s))] as const,
          ),
        ),
      ) as Cut['live'];
      const after = await observe();
      if (after.settled && after.key === before.key) {
        return {
          watermarks: before.watermarks,
          positions: before.positions as Cut['positions'],
          live,
        };
      }
    }
    if (Date.now() > deadline) throw new Error(`the stack did not come to rest: ${before.why}`);
    await sleep(250);
  }
}

// --- the events ---

/** A stored event as the outbox relay publishes it (envelopeOf in libs/kafka), with its stream type. */
function envelopeOf(row: StoredEventRow): ConsumedEvent & { streamType: string } {
  return {
    id: row.event_id,
    type: row.type,
    source: '/textplane/store',
    subject: row.stream_id,
    time: row.occurred_at.toISOString(),
    ...(row.metadata.tenantId ? { tenantId: row.metadata.tenantId } : {}),
    correlationId: row.metadata.correlationId ?? row.event_id,
    ...(row.metadata.causationId ? { causationId: row.metadata.causationId } : {}),
    data: row.data,
    topic: 'store',
    partition: 0,
    offset: row.global_position,
    streamType: row.stream_type,
  };
}

/**
 * The topics are shared with earlier stacks on this broker (other databases, other tenants): of
 * what was read, this stack's events are those its publisher's store holds. Each of those events
 * must have been read (at least once: a redelivery stays, as the projections see it).
 */
async function thisStacksEvents(
  read: Record<string, ConsumedEvent[]>,
  positions: Record<Publisher, string>,
): Promise<Record<string, ConsumedEvent[]>> {
  const kept: Record<string, ConsumedEvent[]> = {};
  for (const [topic, events] of Object.entries(read)) {
    const publisher = publisherOf(topic);
    const stored = await withClient(stack.databaseUrls[publisher], async (client) => {
      const { rows } = await client.query<{ event_id: string; type: string }>(
        `SELECT event_id, type FROM events WHERE global_position <= $1`,
        [positions[publisher]],
      );
      return rows;
    });
    const ids = new Set(stored.map((r) => r.event_id));
    kept[topic] = events.filter((event) => ids.has(event.id));
    const seen = new Set(kept[topic].map((event) => event.id));
    const types = new Set(events.map((event) => event.type));
    const missing = stored.filter((r) => types.has(r.type) && !seen.has(r.event_id));
    expect(missing, `stored events of ${topic} not read from it`).toEqual([]);
  }
  return kept;
}
