import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { outboxContractCheck } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomValueReadModel } from '../custom-values/custom-value-read-model.js';
import { GrpcEdge } from '../grpc/grpc-edge.js';
import { STATUS_DETAILS_KEY } from '../grpc/grpc-status.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import type { MessagingApplication } from '../messages/messaging-application.js';
import { messagingGrpc } from '../messages/messaging.grpc-controller.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TemplateReadModel } from '../templates/template-read-model.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant, insertTestContacts } from '../../test/tenant-fixture.js';
import { BulkRecipientReadModel } from './bulk-recipient-read-model.js';
import { BulkSendLifecycle } from './bulk-send-lifecycle.application.js';
import { BulkSendProjection } from './bulk-send.projection.js';
import { BulkSendReadModel } from './bulk-send-read-model.js';
import { BulkSendWatchHub } from './bulk-send-watch-hub.js';
import {
  BULK_SEND_SERVICE_NAME,
  bulkSendGrpc,
  loadBulkSendPackage,
} from './bulk-send.grpc-controller.js';
import { BulkSendsApplication } from './bulk-sends.application.js';

/**
 * textplane.messaging.v1.BulkSendService on a real gRPC edge over the real gateway database: the
 * REST use cases behind it (same rules, same field names), statuses as the other services give.
 */

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const API_KEY = 'tp_test_bulk_sends_key_0000000000';
const NOW = new Date('2026-12-02T17:00:00.000Z');
const tenant: AuthenticatedTenant = { tenantId: randomUUID(), keyId: 'k' };

const service = loadBulkSendPackage(PROTO_DIR)[
  BULK_SEND_SERVICE_NAME
] as protoLoader.ServiceDefinition;
const method = (name: string) => {
  const found = service[name];
  if (!found) throw new Error(`no method ${name}`);
  return found;
};

let database: TestDatabase;
let edge: GrpcEdge;
let client: grpc.Client;
let hub: BulkSendWatchHub;

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
  const readModel = new BulkSendReadModel(database.dataSource, clock);
  const lifecycle = new BulkSendLifecycle(
    bulkSends,
    new EventStore(database.dataSource, { check: outboxContractCheck }),
    new BulkSendProjection(new Inbox(database.dataSource), 'gateway.bulk-send-read-models'),
    readModel,
    new IdempotencyStore(database.dataSource),
    clock,
  );
  // Not started: the test hands it the notices LISTEN would deliver.
  hub = new BulkSendWatchHub('postgres://unused', readModel, { warn: () => undefined });
  await createTestTenant(database.dataSource, { tenantId: tenant.tenantId });
  await insertTestContacts(
    database.dataSource,
    tenant.tenantId,
    [
      ['c1', '+13052345601'],
      ['c2', '+13052345602'],
      ['c3', '+13052345601'],
    ],
    NOW,
  );
  edge = await GrpcEdge.start({
    contexts: [
      bulkSendGrpc(PROTO_DIR, { bulkSends, lifecycle, watchHub: hub }),
      // bulk_sends.proto imports messaging.proto: its service is served too (never called here).
      messagingGrpc(PROTO_DIR, {} as MessagingApplication),
    ],
    authenticator: {
      authenticate: (key: string) => Promise.resolve(key === API_KEY ? tenant : null),
    },
    port: 0,
    host: '127.0.0.1',
    shutdownTimeoutMs: 3000,
  });
  client = new grpc.Client(`127.0.0.1:${edge.port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await edge.stop();
  await database.drop();
});

function metadata(): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set('authorization', `Bearer ${API_KEY}`);
  return m;
}

function call<T = Record<string, unknown>>(name: string, request: object): Promise<T> {
  const definition = method(name);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      metadata(),
      (error, response) => (error ? reject(error) : resolve(response as T)),
    );
  });
}

async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('the call succeeded');
}

const spec = {
  recipients: { contact_ids: ['c1', 'c2', 'c3'] },
  message: { body: 'Hi {{ contact.first_name }}', purpose: 'MESSAGE_PURPOSE_TRANSACTIONAL' },
  delivery: {
    drip: {
      start_at: { seconds: String(Date.parse('2026-12-02T18:00:00Z') / 1000), nanos: 0 },
      batch_size: 1,
      every: { value: 1, unit: 'hours' },
    },
  },
};

interface BulkSendProto {
  id: string;
  status: string;
  paused_reason: string;
  recipients: Record<string, number>;
  messages: Record<string, number>;
  batches: { total: number; released: number; next_time: { seconds: string } | null };
}

describe('BulkSendService', () => {
  it('creates, gets, lists recipients, pauses (then refuses a second pause) and streams changes', async () => {
    const key = randomUUID();
    const created = await call<{ bulk_send: BulkSendProto; replayed: boolean }>('CreateBulkSend', {
      ...spec,
      idempotency_key: key,
    });
    expect(created.replayed).toBe(false);
    const bulk = created.bulk_send;
    expect(bulk).toMatchObject({
      status: 'BULK_SEND_STATUS_SCHEDULED',
      paused_reason: '',
      recipients: { total: 3, sendable: 2, skipped_duplicate_phone: 1 },
      messages: { pending: 2 },
      batches: {
        total: 2,
        released: 0,
        next_time: { seconds: String(Date.parse('2026-12-02T18:00:00Z') / 1000) },
      },
    });
    const replay = await call<{ bulk_send: BulkSendProto; replayed: boolean }>('CreateBulkSend', {
      ...spec,
      idempotency_key: key,
    });
    expect([replay.replayed, replay.bulk_send.id]).toEqual([true, bulk.id]);

    const got = await call<{ bulk_send: BulkSendProto }>('GetBulkSend', { bulk_send_id: bulk.id });
    expect(got.bulk_send.id).toBe(bulk.id);
    const page = await call<{
      recipients: Array<{ contact_id: string; status: string; reason: string; batch?: number }>;
      next_page_token: string;
    }>('ListBulkSendRecipients', { bulk_send_id: bulk.id, page_size: 2 });
    expect(page.recipients.map((r) => [r.contact_id, r.status, r.reason])).toEqual([
      ['c1', 'pending', 'drip_batch'],
      ['c2', 'pending', 'drip_batch'],
    ]);
    const rest = await call<{ recipients: Array<{ contact_id: string; status: string }> }>(
      'ListBulkSendRecipients',
      { bulk_send_id: bulk.id, page_token: page.next_page_token },
    );
    expect(rest.recipients.map((r) => [r.contact_id, r.status])).toEqual([['c3', 'skipped']]);
    const listed = await call<{ bulk_sends: BulkSendProto[] }>('ListBulkSends', {
      status: 'BULK_SEND_STATUS_SCHEDULED',
    });
    expect(listed.bulk_sends.map((b) => b.id)).toEqual([bulk.id]);

    // The stream: the bulk send now, then on a change of it (another bulk send's is not sent).
    const watched: BulkSendProto[] = [];
    const definition = method('WatchBulkSend');
    const stream = client.makeServerStreamRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      { bulk_send_id: bulk.id },
      metadata(),
    );
    stream.on('data', (response: { bulk_send: BulkSendProto }) => watched.push(response.bulk_send));
    stream.on('error', () => undefined);
    await until(() => watched.length === 1);

    const paused = await call<{ bulk_send: BulkSendProto }>('PauseBulkSend', {
      bulk_send_id: bulk.id,
    });
    expect(paused.bulk_send).toMatchObject({
      status: 'BULK_SEND_STATUS_PAUSED',
      paused_reason: 'user',
    });
    hub.dispatch({ tenantId: tenant.tenantId, bulkSendId: randomUUID() });
    hub.dispatch({ tenantId: tenant.tenantId, bulkSendId: bulk.id });
    await until(() => watched.length === 2);
    expect(watched.map((b) => b.status)).toEqual([
      'BULK_SEND_STATUS_SCHEDULED',
      'BULK_SEND_STATUS_PAUSED',
    ]);
    stream.cancel();

    const again = await failure(call('PauseBulkSend', { bulk_send_id: bulk.id }));
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(String(again.metadata.get(STATUS_DETAILS_KEY)[0]?.toString('latin1'))).toContain(
      'BULK_SEND_NOT_RUNNING',
    );
    const unknown = await failure(call('GetBulkSend', { bulk_send_id: randomUUID() }));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
  });

  it('refuses bad input naming the field as the .proto spells it, recording nothing', async () => {
    const before = await database.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM events`,
    );
    for (const [request, field] of [
      [
        { ...spec, delivery: { drip: { ...spec.delivery.drip, batch_size: 0 } } },
        'delivery.batch_size',
      ],
      [{ ...spec, recipients: { contact_ids: ['c1', 'nope'] } }, 'recipients.contact_ids.1'],
      [{ ...spec, recipients: {} }, 'recipients'],
      [{ ...spec, delivery: {} }, 'delivery'],
    ] as const) {
      const error = await failure(call('CreateBulkSend', request));
      expect([field, error.code]).toEqual([field, grpc.status.INVALID_ARGUMENT]);
      expect(String(error.metadata.get(STATUS_DETAILS_KEY)[0]?.toString('latin1'))).toContain(
        field,
      );
    }
    expect(
      await database.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM events`,
      ),
    ).toEqual(before);
  });
});

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}
