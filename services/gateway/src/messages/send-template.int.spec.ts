import { randomUUID } from 'node:crypto';
import type { WireEvent } from '@textplane/contracts';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { ContactReadModel } from '../contacts/contact-read-model.js';
import { ContactProjection } from '../contacts/contact.projection.js';
import { CustomValueReadModel } from '../custom-values/custom-value-read-model.js';
import { CustomValueProjection } from '../custom-values/custom-value.projection.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TemplateReadModel } from '../templates/template-read-model.js';
import { TemplateProjection } from '../templates/template.projection.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { MessageReadModel } from './message-read-model.js';
import { MessageWatchHub } from './message-watch-hub.js';
import type { AuthenticatedTenant } from './message.resource.js';
import { MessagesApplication } from './messages.application.js';

/**
 * Sends from a template over the real read models: templates, custom values and contacts
 * projected from messaging's facts into Postgres; the template's version rendered against the
 * contact (or the bare number), the tenant's custom values and the business; the template's id
 * and version recorded in SendRequested and shown on the message; every refusal records nothing.
 */

const NOW = new Date('2026-11-25T17:00:00.000Z');
let database: TestDatabase;
let app: MessagesApplication;
let messages: MessageReadModel;
let contacts: ContactProjection;
let templates: TemplateProjection;
let customValues: CustomValueProjection;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const inbox = new Inbox(database.dataSource);
  messages = new MessageReadModel(database.dataSource);
  contacts = new ContactProjection(inbox, 'gateway.contact-read-models');
  templates = new TemplateProjection(inbox, 'gateway.template-read-models');
  customValues = new CustomValueProjection(inbox, 'gateway.custom-value-read-models');
  app = new MessagesApplication(
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
    undefined,
    {
      templates: new TemplateReadModel(database.dataSource),
      customValues: new CustomValueReadModel(database.dataSource),
    },
  );
});

afterAll(async () => {
  await database.drop();
});

function fact(tenant: AuthenticatedTenant, event: WireEvent, topic: string): ConsumedEvent {
  return {
    id: randomUUID(),
    type: event.type,
    source: '/textplane/messaging',
    subject: 'test',
    time: NOW.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: randomUUID(),
    data: event.data,
    topic,
    partition: 0,
    offset: '0',
  };
}

async function newTenant(): Promise<AuthenticatedTenant> {
  return (await createTestTenant(database.dataSource)).tenant;
}

async function contactUpserted(tenant: AuthenticatedTenant, contactId: string): Promise<void> {
  await contacts.handle(
    fact(
      tenant,
      {
        type: 'messaging.ContactUpserted.v1',
        data: {
          tenantId: tenant.tenantId,
          contactId,
          version: 1,
          contact: {
            phone: '+13052345678',
            firstName: 'Ann',
            timeZone: 'America/Denver',
            tags: [],
            customFields: { plan: 'gold' },
          },
          created: true,
          upsertedAt: NOW.toISOString(),
        },
      },
      'messaging.contacts.events.v1',
    ),
  );
}

async function customValueSet(tenant: AuthenticatedTenant, key: string, value: string) {
  await customValues.handle(
    fact(
      tenant,
      {
        type: 'messaging.CustomValueSet.v1',
        data: {
          tenantId: tenant.tenantId,
          key,
          value,
          version: 1,
          created: true,
          setAt: NOW.toISOString(),
        },
      },
      'messaging.custom-values',
    ),
  );
}

/** A template with `bodies` as its versions 1..n (the last is the latest). */
async function templateWith(
  tenant: AuthenticatedTenant,
  bodies: string[],
  extra: { purpose?: 'marketing' | 'transactional'; mediaUrls?: string[]; kind?: 'snippet' } = {},
): Promise<string> {
  const templateId = randomUUID();
  const content = (body: string, version: number) => ({
    name: `Template v${version}`,
    body,
    mediaUrls: extra.mediaUrls ?? [],
    warnings: [],
    ...(extra.purpose ? { purpose: extra.purpose } : {}),
  });
  const [first, ...later] = bodies;
  await templates.handle(
    fact(
      tenant,
      {
        type: 'messaging.TemplateCreated.v1',
        data: {
          tenantId: tenant.tenantId,
          templateId,
          kind: extra.kind ?? 'template',
          version: 1,
          ...content(first ?? '', 1),
          createdAt: NOW.toISOString(),
        },
      },
      'messaging.templates',
    ),
  );
  for (const [index, body] of later.entries()) {
    await templates.handle(
      fact(
        tenant,
        {
          type: 'messaging.TemplateRevised.v1',
          data: {
            tenantId: tenant.tenantId,
            templateId,
            version: index + 2,
            ...content(body, index + 2),
            revisedAt: NOW.toISOString(),
          },
        },
        'messaging.templates',
      ),
    );
  }
  return templateId;
}

async function archived(tenant: AuthenticatedTenant, templateId: string, version: number) {
  await templates.handle(
    fact(
      tenant,
      {
        type: 'messaging.TemplateArchived.v1',
        data: { tenantId: tenant.tenantId, templateId, version, archivedAt: NOW.toISOString() },
      },
      'messaging.templates',
    ),
  );
}

async function recordedRequests(tenant: AuthenticatedTenant): Promise<Record<string, unknown>[]> {
  const rows = await database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE type = 'gateway.SendRequested.v1' AND data->>'tenantId' = $1`,
    [tenant.tenantId],
  );
  return rows.map((row) => row.data);
}

async function nothingRecorded(tenant: AuthenticatedTenant): Promise<void> {
  expect(await recordedRequests(tenant)).toEqual([]);
  expect((await app.list(tenant, { limit: 10 })).items).toEqual([]);
}

describe('a send from a template', () => {
  it('renders it against the contact, custom values and the business, and records id and version', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:7');
    await customValueSet(tenant, 'offer', '20% off');
    const templateId = await templateWith(
      tenant,
      [
        'old text',
        'Hi {{ contact.first_name }} ({{ contact.plan }}): {{ custom_values.offer }} at {{ business.name }}',
      ],
      { purpose: 'transactional', mediaUrls: ['https://cdn.example.com/a.jpg'] },
    );
    const message = await app.send(tenant, { contactId: 'crm:7', templateId }, randomUUID());
    expect(message).toMatchObject({
      to: '+13052345678',
      contactId: 'crm:7',
      templateId,
      templateVersion: 2,
      body: 'Hi Ann (gold): 20% off at Harbor Books',
      purpose: 'transactional',
      mediaUrls: ['https://cdn.example.com/a.jpg'],
    });
    expect(await recordedRequests(tenant)).toEqual([
      expect.objectContaining({
        contactId: 'crm:7',
        templateId,
        templateVersion: 2,
        body: 'Hi Ann (gold): 20% off at Harbor Books',
        purpose: 'transactional',
        mediaUrls: ['https://cdn.example.com/a.jpg'],
      }),
    ]);
    expect(await app.get(tenant, message.id)).toMatchObject({ templateId, templateVersion: 2 });
  });

  it("lets the send's own purpose and media override the template's", async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['Sale on now'], {
      purpose: 'transactional',
      mediaUrls: ['https://cdn.example.com/a.jpg'],
    });
    const message = await app.send(
      tenant,
      { to: '+13052345678', templateId, purpose: 'conversational', mediaUrls: [] },
      randomUUID(),
    );
    expect(message).toMatchObject({ purpose: 'conversational', mediaUrls: [], templateVersion: 1 });
  });

  it('pins an older version with templateVersion', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:1');
    const templateId = await templateWith(tenant, [
      'v1 for {{ contact.first_name }}',
      'v2 for {{ contact.first_name }}',
      'v3 for {{ contact.first_name }}',
    ]);
    const message = await app.send(
      tenant,
      { contactId: 'crm:1', templateId, templateVersion: 1 },
      randomUUID(),
    );
    expect(message).toMatchObject({ body: 'v1 for Ann', templateId, templateVersion: 1 });
    const latest = await app.send(
      tenant,
      { contactId: 'crm:1', templateId, templateVersion: 3 },
      randomUUID(),
    );
    expect(latest).toMatchObject({ body: 'v3 for Ann', templateVersion: 3 });
  });

  it('renders a template to a bare number with contact.phone and custom values', async () => {
    const tenant = await newTenant();
    await customValueSet(tenant, 'hours', '9-5');
    const templateId = await templateWith(tenant, [
      'Hi {{ contact.first_name | default: "there" }}, open {{ custom_values.hours }}; this is {{ contact.phone }}',
    ]);
    const message = await app.send(tenant, { to: '+13052345678', templateId }, randomUUID());
    expect(message).toMatchObject({
      contactId: null,
      templateId,
      body: 'Hi there, open 9-5; this is +13052345678',
    });
  });

  it('refuses a contact field a bare number does not have, naming it, and records nothing', async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['Hi {{ contact.first_name }}']);
    await expect(
      app.send(tenant, { to: '+13052345678', templateId }, randomUUID()),
    ).rejects.toMatchObject({
      code: 'missing_merge_value',
      violations: [{ field: 'contact.first_name' }],
    });
    await nothingRecorded(tenant);
  });

  it('refuses an archived template with 422 template_archived, recording nothing', async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['Hello', 'Hello again']);
    await archived(tenant, templateId, 2);
    for (const pinned of [undefined, 1]) {
      await expect(
        app.send(
          tenant,
          { to: '+13052345678', templateId, ...(pinned ? { templateVersion: pinned } : {}) },
          randomUUID(),
        ),
      ).rejects.toMatchObject({
        kind: 'unprocessable',
        code: 'template_archived',
        violations: [{ field: 'templateId' }],
      });
    }
    await nothingRecorded(tenant);
  });

  it('refuses an unknown template or version with 422 naming the field, recording nothing', async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    const templateId = await templateWith(tenant, ['Hello', 'Hello again']);
    const othersTemplate = await templateWith(other, ['Not yours']);
    for (const unknown of [randomUUID(), othersTemplate]) {
      await expect(
        app.send(tenant, { to: '+13052345678', templateId: unknown }, randomUUID()),
      ).rejects.toMatchObject({
        kind: 'unprocessable',
        code: 'template_not_found',
        violations: [{ field: 'templateId' }],
      });
    }
    await expect(
      app.send(tenant, { to: '+13052345678', templateId, templateVersion: 3 }, randomUUID()),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'template_version_not_found',
      violations: [{ field: 'templateVersion' }],
    });
    await nothingRecorded(tenant);
  });

  it('refuses body and templateId together with 400 naming both, recording nothing', async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['Hello']);
    await expect(
      app.send(tenant, { to: '+13052345678', templateId, body: 'Hi' }, randomUUID()),
    ).rejects.toMatchObject({
      kind: 'invalid_request',
      violations: [{ field: 'body' }, { field: 'templateId' }],
    });
    await expect(
      app.send(tenant, { to: '+13052345678', body: 'Hi', templateVersion: 1 }, randomUUID()),
    ).rejects.toMatchObject({
      kind: 'invalid_request',
      violations: [{ field: 'templateVersion' }],
    });
    await expect(
      app.send(tenant, { to: '+13052345678', templateId: 'not-a-uuid' }, randomUUID()),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
    await nothingRecorded(tenant);
  });

  it('replays a retry though the template has a new version; another version is another request', async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['Hello', 'Hello v2']);
    const key = randomUUID();
    const first = await app.send(tenant, { to: '+13052345678', templateId }, key);
    await templates.handle(
      fact(
        tenant,
        {
          type: 'messaging.TemplateRevised.v1',
          data: {
            tenantId: tenant.tenantId,
            templateId,
            version: 3,
            name: 'Template v3',
            body: 'Hello v3',
            mediaUrls: [],
            warnings: [],
            revisedAt: NOW.toISOString(),
          },
        },
        'messaging.templates',
      ),
    );
    const retry = await app.sendWithOutcome(tenant, { to: '+13052345678', templateId }, key);
    expect(retry).toMatchObject({ replayed: true, message: { id: first.id, templateVersion: 2 } });
    await expect(
      app.send(tenant, { to: '+13052345678', templateId, templateVersion: 1 }, key),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('refuses a template whose media the platform must not fetch, unless the send gives its own', async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['See attached'], {
      mediaUrls: ['http://169.254.169.254/latest/meta-data'],
    });
    await expect(
      app.send(tenant, { to: '+13052345678', templateId }, randomUUID()),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'template_media_refused',
      violations: [{ field: 'templateId' }],
    });
    await nothingRecorded(tenant);
    const own = await app.send(
      tenant,
      { to: '+13052345678', templateId, mediaUrls: ['https://cdn.example.com/a.jpg'] },
      randomUUID(),
    );
    expect(own.mediaUrls).toEqual(['https://cdn.example.com/a.jpg']);
  });

  it('sends a snippet like a template', async () => {
    const tenant = await newTenant();
    const templateId = await templateWith(tenant, ['See you soon!'], { kind: 'snippet' });
    const message = await app.send(tenant, { to: '+13052345678', templateId }, randomUUID());
    expect(message).toMatchObject({ body: 'See you soon!', templateId, templateVersion: 1 });
  });
});

describe('custom values in every rendered send', () => {
  it('renders a plain body to a contact with the custom values', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:2');
    await customValueSet(tenant, 'offer', 'free shipping');
    const message = await app.send(
      tenant,
      { contactId: 'crm:2', body: '{{ contact.first_name }}: {{ custom_values.offer }}' },
      randomUUID(),
    );
    expect(message).toMatchObject({ body: 'Ann: free shipping', templateId: null });
  });

  it('refuses a custom value the tenant does not have, naming it', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:3');
    await expect(
      app.send(tenant, { contactId: 'crm:3', body: '{{ custom_values.offer }}' }, randomUUID()),
    ).rejects.toMatchObject({
      code: 'missing_merge_value',
      violations: [{ field: 'custom_values.offer' }],
    });
    await nothingRecorded(tenant);
  });
});

describe('a preview of a template', () => {
  it('shows the rendered body, the template and version, counted with the additions', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:4');
    await customValueSet(tenant, 'offer', '20% off');
    const templateId = await templateWith(
      tenant,
      ['{{ contact.first_name }}: {{ custom_values.offer }}'],
      {
        purpose: 'marketing',
      },
    );
    const preview = await app.preview(tenant, { contactId: 'crm:4', templateId });
    expect(preview).toMatchObject({ body: 'Ann: 20% off', templateId, templateVersion: 1 });
    // The template's purpose (marketing) is the preview's: opt-out language is added and counted.
    expect(preview.compliance.added).toContain('STOP');
    await expect(app.preview(tenant, { contactId: 'crm:4' })).rejects.toMatchObject({
      kind: 'invalid_request',
      violations: [{ field: 'body' }],
    });
    await expect(
      app.preview(tenant, { contactId: 'crm:4', templateId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'template_not_found' });
  });
});
