import * as grpc from '@grpc/grpc-js';
import { noConsent } from '@textplane/compliance';
import type { EventStore, GroupedTransactions, NewEvent } from '@textplane/event-store';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentQueries } from '../consents/consent-read-model.js';
import { ConsentsApplication } from '../consents/consents.application.js';
import type { IdempotencyStore, StoredResponse } from '../idempotency/idempotency-store.js';
import type { MessageReadModel } from '../messages/message-read-model.js';
import type { MessageWatchHub } from '../messages/message-watch-hub.js';
import { MessagesApplication } from '../messages/messages.application.js';
import type { TenantDirectory, TenantRecord } from '../tenants/tenant-directory.js';
import { consentGrpc } from '../consents/consent.grpc-controller.js';
import { CONTACT_PROTO_FILE } from '../contacts/contact-proto.js';
import { contactGrpc } from '../contacts/contact.grpc-controller.js';
import { MergeFieldRenderer } from '@textplane/merge-fields';
import { CustomValuesApplication } from '../custom-values/custom-values.application.js';
import { TEMPLATE_PROTO_FILE } from '../templates/template-proto.js';
import { templateGrpc } from '../templates/template.grpc-controller.js';
import { TemplatesApplication } from '../templates/templates.application.js';
import { ContactsApplication } from '../contacts/contacts.application.js';
import { messagingGrpc } from '../messages/messaging.grpc-controller.js';
import { GrpcEdge } from './grpc-edge.js';
import type { GrpcLogger } from './grpc-server.js';
import { CONSENT_PROTO_FILE } from '../consents/consent-proto.js';
import { MESSAGING_PROTO_FILE } from '../messages/messaging-proto.js';

/**
 * Generated bad requests against the gateway's gRPC services, backed by the real application
 * classes over in-memory repositories: whatever the bytes, the answer is a status the caller can
 * act on (never INTERNAL or UNKNOWN), and nothing is logged as an internal fault. Seeded, so a
 * failure names the case that reproduces it.
 */

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const API_KEY = 'tp_test_fuzz_key_0000000000000000';
const SENDER = '+15555550100';
const CASES_PER_METHOD = 120;
const UNARY_SERVICES = [
  'textplane.messaging.v1.MessagingService',
  'textplane.consent.v1.ConsentService',
  'textplane.messaging.v1.ContactService',
  'textplane.messaging.v1.TemplateService',
];

const tenantRecord: TenantRecord = {
  id: '0193a1b2-0000-7000-8000-0000000000f1',
  name: 'Fuzz',
  brandName: 'Fuzz Co',
  timeZone: 'America/New_York',
  defaultSender: SENDER,
  senderNumbers: [SENDER],
  compliance: {},
  createdAt: '2026-11-26T12:00:00.000Z',
};
const tenant = { tenantId: tenantRecord.id, keyId: 'k' };
const now = new Date('2026-11-26T15:00:00.000Z');
const noManager = {} as EntityManager;

/** mulberry32: small, seeded, good enough to pick cases. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(next: Random, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const STRINGS = [
  '',
  ' ',
  '\u0000',
  'STOP\u0000',
  '\ud800',
  'a\udc00b',
  '\u202e+15551230001',
  '😀'.repeat(200),
  'x'.repeat(5000),
  '+15551230001',
  SENDER,
  '+1555',
  '0193a1b2-0000-7000-8000-000000000001',
  '----',
  '%ff',
  '../../etc/passwd',
  'javascript:alert(1)',
  'http://169.254.169.254/',
  'https://cdn.example.com/a.jpg',
  'America/New_York',
  'Mars/Olympus',
  '2026-02-30',
  '-271821-04-20',
  '1',
  '{"a":1}',
  'MTIz',
];

function plausible(next: Random, fieldName: string): string {
  if (/phone|^to$|^from$/.test(fieldName)) return pick(next, ['+15551230001', SENDER]);
  if (/id$/.test(fieldName)) return pick(next, ['0193a1b2-0000-7000-8000-000000000001']);
  if (/url/.test(fieldName)) return 'https://cdn.example.com/a.jpg';
  if (/time_zone/.test(fieldName)) return 'America/Denver';
  if (/idempotency/.test(fieldName)) return `key-${Math.floor(next() * 1000)}`;
  return pick(next, ['hello', 'I agree to receive texts', 'Support agent']);
}

const INTEGERS = [0, 1, -1, 7, 100, 101, 2_147_483_647, -2_147_483_648];
const LONGS = [
  '0',
  '-1',
  '1795600000',
  '-62135596800',
  '-62135596801',
  '253402300799',
  '253402300800',
  '99999999999999',
  '-9223372036854775808',
  '9223372036854775807',
];

function valueOf(next: Random, field: protobuf.Field, depth: number): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Enum) {
    return next() < 0.8
      ? pick(next, Object.values(type.values))
      : pick(next, [-1, 99, 2 ** 31 - 1]);
  }
  if (type instanceof protobuf.Type) return depth > 3 ? {} : messageOf(next, type, depth + 1);
  switch (field.type) {
    case 'string':
      // Half the time a plausible value, so that calls get past the first check to the next one.
      return next() < 0.5 ? plausible(next, field.name) : pick(next, STRINGS);
    case 'bytes':
      return Buffer.from(pick(next, STRINGS));
    case 'bool':
      return next() < 0.5;
    case 'int64':
    case 'sint64':
    case 'uint64':
    case 'fixed64':
    case 'sfixed64':
      return pick(next, LONGS);
    case 'double':
    case 'float':
      return pick(next, [0, -1.5, Number.MAX_VALUE, Number.NaN]);
    default:
      return pick(next, INTEGERS);
  }
}

function messageOf(next: Random, type: protobuf.Type, depth = 0): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (next() < 0.3) continue;
    if (field instanceof protobuf.MapField) {
      // A map: a few entries under generated keys (plausible, odd, and the key rules' edges).
      message[field.name] = Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, () => [
          pick(next, ['plan', 'seats', 'Plan', 'first_name', '', 'a'.repeat(65), '\u0000']),
          valueOf(next, field, depth),
        ]),
      );
      continue;
    }
    message[field.name] = field.repeated
      ? Array.from({ length: Math.floor(next() * 4) }, () => valueOf(next, field, depth))
      : valueOf(next, field, depth);
  }
  return message;
}

/** Byte-level damage to a valid encoding: what a broken client or a hostile one sends. */
function mutated(next: Random, bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  switch (pick(next, ['flip', 'truncate', 'insert', 'append', 'garbage'] as const)) {
    case 'flip':
      if (copy.length > 0) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
      return copy;
    case 'truncate':
      return copy.subarray(0, Math.floor(next() * copy.length));
    case 'insert': {
      const at = Math.floor(next() * (copy.length + 1));
      const inserted = Buffer.from(
        Array.from({ length: 1 + Math.floor(next() * 4) }, () => Math.floor(next() * 256)),
      );
      return Buffer.concat([copy.subarray(0, at), inserted, copy.subarray(at)]);
    }
    case 'append':
      return Buffer.concat([
        copy,
        Buffer.from([Math.floor(next() * 256), Math.floor(next() * 256)]),
      ]);
    case 'garbage':
      return Buffer.from(
        Array.from({ length: Math.floor(next() * 24) }, () => Math.floor(next() * 256)),
      );
  }
}

function metadataOf(next: Random): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(
    'authorization',
    next() < 0.85
      ? `Bearer ${API_KEY}`
      : pick(next, ['Bearer', 'Basic x', `Bearer ${'k'.repeat(4000)}`, 'bearer  tp_unknown ']),
  );
  if (next() < 0.3) {
    metadata.set(
      'idempotency-key',
      pick(next, ['k-1', ' ', 'k'.repeat(256), 'k'.repeat(255), '%ff', 'a b']),
    );
  }
  return metadata;
}

function rawUnary(
  client: grpc.Client,
  path: string,
  bytes: Buffer,
  metadata: grpc.Metadata,
): Promise<grpc.StatusObject> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (raw: Buffer) => raw,
      (raw: Buffer) => raw,
      bytes,
      metadata,
      (error) => {
        resolve(
          error === null
            ? { code: grpc.status.OK, details: '', metadata: new grpc.Metadata() }
            : { code: error.code, details: error.details, metadata: error.metadata },
        );
      },
    );
  });
}

class RecordingLogger implements GrpcLogger {
  readonly errors: string[] = [];
  info(): void {}
  warn(): void {}
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.errors.push(`${message} ${JSON.stringify(fields)}`);
  }
}

function messagesApplication(): MessagesApplication {
  // The repositories in memory: only what the use cases call.
  const tenants = {
    authenticate: (key: string) => Promise.resolve(key === API_KEY ? tenant : null),
    find: (id: string) => Promise.resolve(id === tenantRecord.id ? tenantRecord : null),
  } as unknown as TenantDirectory;
  const store = { appendOnCommit: () => undefined } as unknown as EventStore;
  const readModel = {
    save: () => Promise.resolve(),
    get: () => Promise.resolve(null),
    conversation: () => Promise.resolve({ items: [], nextCursor: null }),
    list: () => Promise.resolve({ items: [], nextCursor: null }),
  } as unknown as MessageReadModel;
  const idempotency = {
    run: async (
      _scope: unknown,
      _key: string | undefined,
      _hash: string,
      work: (manager: EntityManager) => Promise<StoredResponse>,
    ) => ({ ...(await work(noManager)), replayed: false }),
  } as unknown as IdempotencyStore;
  const watchHub = { watch: () => () => undefined } as unknown as MessageWatchHub;
  const transactions = {
    run: <T>(work: (manager: EntityManager) => Promise<T>) => work(noManager),
  } as unknown as GroupedTransactions;
  return new MessagesApplication(
    store,
    readModel,
    tenants,
    idempotency,
    watchHub,
    { now: () => now },
    { standing: () => Promise.reject(new Error('not used by the gRPC methods')) },
    transactions,
  );
}

function consentsApplication(appended: NewEvent[]): ConsentsApplication {
  const queries: ConsentQueries = {
    standing: () => Promise.resolve(noConsent),
    history: () => Promise.resolve([]),
    entryForRequest: () => Promise.resolve(null),
    openReviewCount: () => Promise.resolve(0),
    review: () => Promise.resolve(null),
    reviews: () => Promise.resolve({ items: [], nextCursor: null }),
    claimReview: () => Promise.resolve({ outcome: 'not_found' }),
  };
  return new ConsentsApplication(
    {
      append: (_s, _t, _e, events) => {
        appended.push(...events);
        return Promise.resolve({ nextVersion: 1, events: [] });
      },
    },
    queries,
    { authenticate: (key) => Promise.resolve(key === API_KEY ? tenant : null) },
    {
      run: async (
        _scope: unknown,
        _key: string | undefined,
        _hash: string,
        work: (m: EntityManager) => Promise<StoredResponse>,
      ) => ({ ...(await work(noManager)), replayed: false }),
    },
    { waitFor: () => Promise.resolve(null) },
    { now: () => now },
    0,
  );
}

/** Contacts over empty read models; messaging never confirms, so writes answer pending. */
function contactsApplication(): ContactsApplication {
  return new ContactsApplication(
    { append: () => Promise.resolve({ nextVersion: 1, events: [] }) },
    {
      contact: () => Promise.resolve(null),
      list: () => Promise.resolve({ contacts: [], more: false }),
      outcome: () => Promise.resolve(null),
      lastMessageAt: () => Promise.resolve(null),
    },
    { standing: () => Promise.resolve(noConsent), openReviewCount: () => Promise.resolve(0) },
    { authenticate: () => Promise.resolve(tenant) },
    { waitFor: () => Promise.resolve(null) },
    { now: () => now },
    0,
  );
}

/** Templates and custom values over empty read models; messaging never confirms (pending). */
function templatesApplication(): TemplatesApplication {
  const none = () => Promise.resolve(null);
  return new TemplatesApplication(
    { append: () => Promise.resolve({ nextVersion: 1, events: [] }) },
    {
      template: none,
      version: none,
      list: () => Promise.resolve({ templates: [], more: false }),
      outcome: none,
    },
    {
      contact: none,
      list: () => Promise.resolve({ contacts: [], more: false }),
      lastMessageAt: none,
    },
    { all: () => Promise.resolve({}) },
    { find: () => Promise.resolve(tenantRecord) },
    {
      run: async (_scope, _key, _hash, work) => ({
        ...(await work({} as EntityManager)),
        replayed: false,
      }),
    },
    { waitFor: none },
    new MergeFieldRenderer(),
    { now: () => now },
    0,
  );
}

function customValuesApplication(): CustomValuesApplication {
  const none = () => Promise.resolve(null);
  return new CustomValuesApplication(
    { append: () => Promise.resolve({ nextVersion: 1, events: [] }) },
    {
      value: none,
      list: () => Promise.resolve({ values: [], more: false }),
      all: () => Promise.resolve({}),
      outcome: none,
    },
    { waitFor: none },
    { now: () => now },
    0,
  );
}

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync(
    [MESSAGING_PROTO_FILE, CONSENT_PROTO_FILE, CONTACT_PROTO_FILE, TEMPLATE_PROTO_FILE],
    {
      keepCase: true,
    },
  );
  root.resolveAll();
  return root;
}

/** What a caller may be answered for bad input; INTERNAL, UNKNOWN and DATA_LOSS blame the server. */
const CALLER_STATUSES = new Set([
  grpc.status.OK,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.UNAUTHENTICATED,
  grpc.status.PERMISSION_DENIED,
  grpc.status.RESOURCE_EXHAUSTED,
]);

describe('gRPC surface under generated bad input', () => {
  const logger = new RecordingLogger();
  let gateway: GrpcEdge;
  let client: grpc.Client;
  const root = loadRoot();

  beforeAll(async () => {
    const messages = messagesApplication();
    gateway = await GrpcEdge.start({
      contexts: [
        messagingGrpc(PROTO_DIR, messages),
        consentGrpc(PROTO_DIR, consentsApplication([])),
        contactGrpc(PROTO_DIR, contactsApplication()),
        templateGrpc(PROTO_DIR, templatesApplication(), customValuesApplication()),
      ],
      authenticator: messages,
      port: 0,
      host: '127.0.0.1',
      logger,
    });
    client = new grpc.Client(`127.0.0.1:${gateway.port}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await gateway.stop();
  });

  const methods = UNARY_SERVICES.flatMap((serviceName) =>
    root
      .lookupService(serviceName)
      .methodsArray.filter((method) => !method.requestStream && !method.responseStream)
      .map((method) => ({ path: `/${serviceName}/${method.name}`, method })),
  );

  it('covers every unary method of the gateway', () => {
    expect(methods.map(({ path }) => path)).toEqual(
      expect.arrayContaining([
        '/textplane.messaging.v1.MessagingService/SendMessage',
        '/textplane.consent.v1.ConsentService/GrantConsent',
        '/textplane.consent.v1.ConsentService/ResolveRevocationReview',
        '/textplane.messaging.v1.ContactService/UpsertContact',
        '/textplane.messaging.v1.ContactService/ListContacts',
        '/textplane.messaging.v1.TemplateService/CreateTemplate',
        '/textplane.messaging.v1.TemplateService/SetCustomValue',
      ]),
    );
  });

  it.each(methods.map(({ path, method }, index) => [path, method, index] as const))(
    '%s answers every generated request with a status the caller can act on',
    async (path, method, index) => {
      logger.errors.length = 0;
      const type = method.resolvedRequestType;
      if (type === null) throw new Error(`${path} has no resolved request type`);
      const unexpected: string[] = [];
      for (let caseNumber = 0; caseNumber < CASES_PER_METHOD; caseNumber += 1) {
        const seed = index * 100_000 + caseNumber;
        const next = random(seed);
        const valid = type.encode(type.fromObject(messageOf(next, type))).finish();
        const bytes = next() < 0.5 ? Buffer.from(valid) : mutated(next, valid);
        const answer = await rawUnary(client, path, bytes, metadataOf(next));
        if (!CALLER_STATUSES.has(answer.code)) {
          unexpected.push(`seed ${seed}: ${grpc.status[answer.code]} ${answer.details}`);
        } else if (answer.code !== grpc.status.OK && answer.details.trim() === '') {
          unexpected.push(`seed ${seed}: ${grpc.status[answer.code]} without details`);
        } else if (Array.from(answer.details).length > 1001) {
          unexpected.push(`seed ${seed}: details of ${answer.details.length} characters`);
        }
      }
      expect(unexpected).toEqual([]);
      expect(logger.errors).toEqual([]);
    },
  );
});

describe('the application classes quoting a caller', () => {
  it('quote at most 100 characters of an unknown id, on REST and gRPC alike', async () => {
    await expect(messagesApplication().get(tenant, 'x'.repeat(100_000))).rejects.toMatchObject({
      kind: 'not_found',
      detail: `Message ${'x'.repeat(100)}… not found`,
    });
    await expect(
      consentsApplication([]).resolveReview(
        tenant,
        'r'.repeat(100_000),
        { decision: 'dismiss' },
        undefined,
      ),
    ).rejects.toMatchObject({
      kind: 'not_found',
      detail: `Revocation review ${'r'.repeat(100)}… not found`,
    });
    await expect(
      consentsApplication([]).listReviews(tenant, { limit: 10, status: 's'.repeat(100_000) }),
    ).rejects.toMatchObject({ detail: `Unknown review status ${'s'.repeat(100)}…` });
  });
});
