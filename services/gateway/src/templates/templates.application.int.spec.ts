import { randomUUID } from 'node:crypto';
import type { EventDataByType, WireEvent } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { MergeFieldRenderer } from '@textplane/merge-fields';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContactReadModel } from '../contacts/contact-read-model.js';
import { ContactProjection } from '../contacts/contact.projection.js';
import { CustomValueReadModel } from '../custom-values/custom-value-read-model.js';
import { CustomValueProjection } from '../custom-values/custom-value.projection.js';
import { CustomValuesApplication } from '../custom-values/custom-values.application.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import type { TenantRecord } from '../tenants/tenant-directory.js';
import { ListeningTemplateConfirmations } from './template-confirmations.js';
import { TemplateReadModel } from './template-read-model.js';
import { TemplateProjection } from './template.projection.js';
import type { TemplateResource } from './template.resource.js';
import { TemplatesApplication, templateRequestStreamId } from './templates.application.js';

/**
 * The gateway's half of template and custom value writes over real Postgres: the request
 * recorded in the store, the answer waiting on the projections' NOTIFY. Messaging is played by a
 * stand-in answering each request with the fact its deciders would emit (their rules are tested
 * in messaging), delivered through the real projections.
 */
let database: TestDatabase;
let templates: TemplatesApplication;
let impatient: TemplatesApplication;
let values: CustomValuesApplication;
let confirmations: ListeningTemplateConfirmations;
let contactProjection: ContactProjection;
let answering = true;
const now = new Date('2026-11-26T12:00:00.000Z');
const tenant: AuthenticatedTenant = { tenantId: randomUUID(), keyId: randomUUID() };
const profile: TenantRecord = {
  id: tenant.tenantId,
  name: 'Acme Inc',
  brandName: 'Acme',
  timeZone: 'America/New_York',
  defaultSender: '+15555550100',
  senderNumbers: ['+15555550100'],
  compliance: {},
  createdAt: now.toISOString(),
};
const templateState = new Map<string, { version: number; archived: boolean }>();
const valueState = new Map<string, { version: number; set: boolean }>();

function fact(event: WireEvent, topic: string): ConsumedEvent {
  return {
    id: randomUUID(),
    type: event.type,
    source: '/textplane/messaging',
    subject: 'test',
    time: now.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: randomUUID(),
    data: event.data,
    topic,
    partition: 0,
    offset: '0',
  };
}

/** What messaging decides of a request (the rules of services/messaging's deciders). */
function messagingAnswer(type: string, raw: unknown): WireEvent {
  const at = now.toISOString();
  switch (type) {
    case 'gateway.TemplateCreationRequested.v1': {
      const d = raw as EventDataByType['gateway.TemplateCreationRequested.v1'];
      templateState.set(d.templateId, { version: 1, archived: false });
      const { requestedAt: _at, ...rest } = d;
      return { type: 'messaging.TemplateCreated.v1', data: { ...rest, version: 1, createdAt: at } };
    }
    case 'gateway.TemplateRevisionRequested.v1':
    case 'gateway.TemplateArchivalRequested.v1': {
      const d = raw as EventDataByType['gateway.TemplateArchivalRequested.v1'];
      const state = templateState.get(d.templateId);
      if (!state || state.archived) {
        return {
          type: 'messaging.TemplateRequestRejected.v1',
          data: { ...d, reason: state ? 'archived' : 'not_found', rejectedAt: at },
        };
      }
      if (type === 'gateway.TemplateArchivalRequested.v1') {
        state.archived = true;
        const { requestedAt: _at, ...rest } = d;
        return {
          type: 'messaging.TemplateArchived.v1',
          data: { ...rest, version: state.version, archivedAt: at },
        };
      }
      state.version += 1;
      const { requestedAt: _at, ...rest } =
        raw as EventDataByType['gateway.TemplateRevisionRequested.v1'];
      return {
        type: 'messaging.TemplateRevised.v1',
        data: { ...rest, version: state.version, revisedAt: at },
      };
    }
    case 'gateway.CustomValueSetRequested.v1': {
      const d = raw as EventDataByType['gateway.CustomValueSetRequested.v1'];
      const state = valueState.get(d.key) ?? { version: 0, set: false };
      valueState.set(d.key, { version: state.version + 1, set: true });
      const { requestedAt: _at, ...rest } = d;
      return {
        type: 'messaging.CustomValueSet.v1',
        data: { ...rest, version: state.version + 1, created: !state.set, setAt: at },
      };
    }
    case 'gateway.CustomValueDeletionRequested.v1': {
      const d = raw as EventDataByType['gateway.CustomValueDeletionRequested.v1'];
      const state = valueState.get(d.key);
      if (!state?.set) {
        return {
          type: 'messaging.CustomValueRequestRejected.v1',
          data: { ...d, reason: 'not_found', rejectedAt: at },
        };
      }
      valueState.set(d.key, { version: state.version + 1, set: false });
      const { requestedAt: _at, ...rest } = d;
      return {
        type: 'messaging.CustomValueDeleted.v1',
        data: { ...rest, version: state.version + 1, deletedAt: at },
      };
    }
    default:
      throw new Error(`unexpected request ${type}`);
  }
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const store = new EventStore(database.dataSource);
  const inbox = new Inbox(database.dataSource);
  const templateProjection = new TemplateProjection(inbox, 'gateway.template-read-models');
  const valueProjection = new CustomValueProjection(inbox, 'gateway.custom-value-read-models');
  contactProjection = new ContactProjection(inbox, 'gateway.contact-read-models');
  const templateReadModel = new TemplateReadModel(database.dataSource);
  const valueReadModel = new CustomValueReadModel(database.dataSource);
  const options = database.dataSource.options as {
    host?: string;
    port?: number;
    username?: string;
    database?: string;
  };
  const url = `postgres://${options.username ?? 'postgres'}@${options.host ?? '127.0.0.1'}:${options.port ?? 5432}/${options.database ?? ''}`;
  confirmations = new ListeningTemplateConfirmations(url, templateReadModel, {
    warn: () => undefined,
  });
  await confirmations.start();
  const log: Pick<EventStore, 'append'> = {
    append: async (streamId, streamType, expected, events, manager) => {
      const appended = await store.append(streamId, streamType, expected, events, manager);
      if (answering) {
        for (const event of events) {
          const answer = messagingAnswer(event.type, event.data);
          const isTemplate = answer.type.startsWith('messaging.Template');
          const consumed = fact(
            answer,
            isTemplate ? 'messaging.templates' : 'messaging.custom-values',
          );
          const projection = isTemplate ? templateProjection : valueProjection;
          setImmediate(() => void projection.handle(consumed));
        }
      }
      return appended;
    },
  };
  const clock = { now: () => now };
  const application = (timeoutMs: number) =>
    new TemplatesApplication(
      log,
      templateReadModel,
      new ContactReadModel(database.dataSource),
      valueReadModel,
      { find: (id) => Promise.resolve(id === tenant.tenantId ? profile : null) },
      new IdempotencyStore(database.dataSource),
      confirmations,
      new MergeFieldRenderer(),
      clock,
      timeoutMs,
    );
  templates = application(5_000);
  impatient = application(50);
  values = new CustomValuesApplication(log, valueReadModel, confirmations, clock, 5_000);
});

afterAll(async () => {
  await confirmations.stop();
  await database.drop();
});

beforeEach(() => {
  answering = true;
});

async function requestsOf(streamId: string) {
  return database.dataSource.query<Array<{ type: string }>>(
    `SELECT type FROM events WHERE stream_id = $1 ORDER BY version`,
    [streamId],
  );
}

async function eventCount(): Promise<number> {
  const rows = await database.dataSource.query<Array<{ n: string }>>(
    `SELECT count(*) AS n FROM events`,
  );
  return Number(rows[0]?.n);
}

async function saved(body: object): Promise<TemplateResource> {
  const outcome = await templates.create(tenant, body, undefined);
  if (outcome.status !== 'saved') throw new Error('not saved');
  return outcome.template;
}

async function addContact(contactId: string, contact: Record<string, unknown>) {
  await contactProjection.handle(
    fact(
      {
        type: 'messaging.ContactUpserted.v1',
        data: {
          tenantId: tenant.tenantId,
          contactId,
          version: 1,
          contact: { tags: [], customFields: {}, ...contact } as never,
          created: true,
          upsertedAt: now.toISOString(),
        },
      },
      'messaging.contacts',
    ),
  );
}

describe('custom values application (gateway, real Postgres)', () => {
  it('PUT creates (created) then replaces; GET, list and DELETE follow messaging', async () => {
    expect(await values.set(tenant, 'offer', { value: '20% off' })).toMatchObject({
      status: 'set',
      created: true,
      value: { key: 'offer', value: '20% off' },
    });
    expect(await values.set(tenant, 'offer', { value: '30% off' })).toMatchObject({
      created: false,
      value: { value: '30% off' },
    });
    await values.set(tenant, 'city', { value: 'Austin' });
    expect(await values.get(tenant, 'offer')).toMatchObject({ value: '30% off' });
    const first = await values.list(tenant, { limit: 1 });
    expect(first.items.map((v) => v.key)).toEqual(['city']);
    const second = await values.list(tenant, { limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.items.map((v) => v.key)).toEqual(['offer']);
    expect(await values.delete(tenant, 'city')).toEqual({ status: 'deleted', key: 'city' });
    await expect(values.get(tenant, 'city')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(values.delete(tenant, 'city')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses a bad key or value naming the field, recording nothing', async () => {
    const before = await eventCount();
    const cases: Array<[string, unknown, string]> = [
      ['Offer', { value: 'x' }, 'key'],
      ['a'.repeat(65), { value: 'x' }, 'key'],
      ['ok', { value: 'x'.repeat(1001) }, 'value'],
      ['ok', { value: 5 }, 'value'],
      ['ok', { value: 'x', extra: 1 }, 'extra'],
    ];
    for (const [key, body, field] of cases) {
      const error = await values.set(tenant, key, body).catch((e: unknown) => e);
      expect(error, `${key} ${JSON.stringify(body)}`).toMatchObject({ kind: 'invalid_request' });
      expect(JSON.stringify((error as { violations: unknown }).violations)).toContain(field);
    }
    expect(await eventCount()).toBe(before);
  });
});

describe('templates application (gateway, real Postgres)', () => {
  it('POST answers 201-ready with version 1 and the linter warnings, without refusing', async () => {
    const template = await saved({
      kind: 'template',
      name: 'Spring sale',
      body: 'Hi {{ contact.first_name }}, 20% off: https://bit.ly/x',
      purpose: 'marketing',
    });
    expect(template).toMatchObject({ kind: 'template', version: 1, purpose: 'marketing' });
    expect(template.warnings.map((w) => w.code).sort()).toEqual([
      'missing_brand',
      'no_opt_out_language',
      'url_shortener',
    ]);
    expect(await templates.get(tenant, template.id)).toEqual(template);
    expect((await requestsOf(templateRequestStreamId(tenant.tenantId, template.id))).length).toBe(
      1,
    );
  });

  it('refuses a syntax error or unknown variable with its position, recording nothing', async () => {
    const before = await eventCount();
    const error = await templates
      .create(tenant, { kind: 'template', name: 'x', body: 'Hi {{ contact.first_name ' }, undefined)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid_request', code: 'invalid_template' });
    expect((error as Error).message).toMatch(/line 1, column \d+/);
    const unknown = await templates
      .create(tenant, { kind: 'snippet', name: 'x', body: 'Hi\n{{ customer.name }}' }, undefined)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({
      code: 'invalid_template',
      violations: [
        {
          field: 'body',
          message: expect.stringMatching(/^line 2, column 4: unknown_variable/) as unknown,
        },
      ],
    });
    expect(await eventCount()).toBe(before);
  });

  it('replays a POST with the same Idempotency-Key: one template', async () => {
    const key = randomUUID();
    const body = { kind: 'snippet', name: 'Sig', body: 'Thanks, Acme' };
    const first = await templates.create(tenant, body, key);
    const again = await templates.create(tenant, body, key);
    expect(first.status).toBe('saved');
    expect(again).toMatchObject({ status: 'saved', replayed: true });
    if (first.status === 'saved' && again.status === 'saved')
      expect(again.template.id).toBe(first.template.id);
  });

  it('PUT saves a new version; the old one stays readable; archive hides it from the list', async () => {
    const template = await saved({ kind: 'template', name: 'Reminder', body: 'Acme: see you' });
    const revised = await templates.revise(tenant, template.id, {
      name: 'Reminder',
      body: 'Acme: see you {{ contact.first_name | default: "soon" }}',
    });
    expect(revised).toMatchObject({ status: 'saved', template: { version: 2 } });
    expect(await templates.version(tenant, template.id, '1')).toMatchObject({
      version: 1,
      body: 'Acme: see you',
    });
    const listed = await templates.list(tenant, { limit: 100, kind: 'template', q: 'REMINDER' });
    expect(listed.items.map((t) => t.id)).toEqual([template.id]);
    expect(await templates.archive(tenant, template.id)).toEqual({
      status: 'archived',
      templateId: template.id,
    });
    expect((await templates.list(tenant, { limit: 100, q: 'Reminder' })).items).toEqual([]);
    expect((await templates.get(tenant, template.id)).archivedAt).toBe(now.toISOString());
    await expect(
      templates.revise(tenant, template.id, { name: 'x', body: 'y' }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'template_archived' });
    expect(await templates.version(tenant, template.id, '2')).toMatchObject({ version: 2 });
    await expect(templates.version(tenant, template.id, '3')).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('lists by kind with a cursor, and refuses a bad kind by name', async () => {
    const snippet = await saved({ kind: 'snippet', name: 'Listing snippet', body: 'ok' });
    const page = await templates.list(tenant, { limit: 100, kind: 'snippet' });
    expect(page.items.every((t) => t.kind === 'snippet')).toBe(true);
    expect(page.items.map((t) => t.id)).toContain(snippet.id);
    await expect(templates.list(tenant, { limit: 10, kind: 'memo' })).rejects.toMatchObject({
      violations: [{ field: 'kind' }],
    });
  });

  it('answers pending past the confirmation timeout', async () => {
    answering = false;
    const outcome = await impatient.create(
      tenant,
      { kind: 'snippet', name: 'x', body: 'y' },
      undefined,
    );
    expect(outcome).toMatchObject({ status: 'pending', replayed: false });
  });

  it('previews for a contact (additions counted) and the best and worst case over contacts', async () => {
    await values.set(tenant, 'store', { value: 'Main St' });
    await addContact('p-short', { phone: '+15555550001', firstName: 'Al' });
    await addContact('p-emoji', { phone: '+15555550002', firstName: 'Zoë😀' });
    const template = await saved({
      kind: 'template',
      name: 'Preview',
      body: 'Hi {{ contact.first_name }}, visit {{ custom_values.store }}',
      purpose: 'marketing',
    });
    const forAl = await templates.preview(tenant, template.id, { contactId: 'p-short' });
    expect(forAl).toEqual({
      text: 'Acme: Hi Al, visit Main St\nReply STOP to opt out.',
      added: 'Acme: … Reply STOP to opt out.',
      encoding: 'GSM-7',
      segments: 1,
      characters: 49,
    });
    const range = await templates.preview(tenant, template.id, {});
    expect(range).toMatchObject({
      best: { encoding: 'GSM-7', segments: 1 },
      worst: { encoding: 'UCS-2', segments: 1 },
    });
    if ('best' in range) expect(range.worst.characters).toBeGreaterThan(range.best.characters);
    await addContact('p-none', { phone: '+15555550003' });
    await expect(
      templates.preview(tenant, template.id, { contactId: 'p-none' }),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'missing_merge_value',
      violations: [{ field: 'contact.first_name' }],
    });
    await expect(
      templates.preview(tenant, template.id, { contactId: 'nobody' }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });
});
