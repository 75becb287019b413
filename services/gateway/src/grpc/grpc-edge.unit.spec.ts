import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import descriptor, { type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AuthenticatedTenant,
  ConversationPage,
  MessageChangeOutcome,
  MessageListQuery,
  MessagePage,
  MessageResource,
  MessageStatusChange,
  SendMessageInput,
} from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { messagingGrpc } from '../messages/messaging.grpc-controller.js';
import { GrpcEdge } from './grpc-edge.js';
import type { GrpcLogger } from './grpc-server.js';
import { grpcStatusOf, STATUS_DETAILS_KEY } from './grpc-status.js';
import { toMessageResource } from '../messages/message.mapper.js';
import type { MessagingApplication } from '../messages/messaging-application.js';
import {
  loadMessagingPackage,
  MESSAGING_SERVICE_NAME,
  messagingMethods,
  type DecodedMessageProto,
  type DecodedWatchMessagesResponseProto,
} from '../messages/messaging-proto.js';
import { PROTO_LOADER_OPTIONS } from './proto-contracts.js';

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const TESTDATA_DIR = fileURLToPath(new URL('./testdata', import.meta.url));
const REFLECTION_PROTO = join(
  dirname(createRequire(import.meta.url).resolve('@grpc/reflection')),
  '../proto/grpc/reflection/v1/reflection.proto',
);

const methods = messagingMethods(loadMessagingPackage(PROTO_DIR));

function serviceOf(
  definition: protoLoader.PackageDefinition,
  name: string,
): protoLoader.ServiceDefinition {
  const service = definition[name];
  if (service === undefined || 'format' in service) throw new Error(`${name} is not a service`);
  return service;
}

function methodOf(
  service: protoLoader.ServiceDefinition,
  name: string,
): protoLoader.MethodDefinition<object, object> {
  const method = service[name];
  if (method === undefined) throw new Error(`no method ${name}`);
  return method;
}

const healthService = serviceOf(
  protoLoader.loadSync(healthProtoPath, PROTO_LOADER_OPTIONS),
  'grpc.health.v1.Health',
);
const reflectionService = serviceOf(
  protoLoader.loadSync(REFLECTION_PROTO, PROTO_LOADER_OPTIONS),
  'grpc.reflection.v1.ServerReflection',
);
const statusDecoder = serviceOf(
  protoLoader.loadSync('google/rpc/status_subset.proto', {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [TESTDATA_DIR],
  }),
  'google.rpc.StatusDecoder',
);

/** The application behind the gateway, in memory: tenants by API key, messages, watchers. */
class InMemoryMessagingApplication implements MessagingApplication {
  readonly sendCalls: {
    tenantId: string;
    input: SendMessageInput;
    idempotencyKey: string | undefined;
  }[] = [];
  readonly pageLimits: number[] = [];
  private readonly tenantsByKey = new Map<string, AuthenticatedTenant>();
  private readonly messages: { tenantId: string; message: MessageResource }[] = [];
  private readonly sendsByKey = new Map<string, { body: string; message: MessageResource }>();
  private readonly watchers = new Set<{
    tenantId: string;
    listener: (change: MessageStatusChange) => void;
  }>();
  private clock = Date.parse('2026-11-26T21:00:00.000Z');

  get watcherCount(): number {
    return this.watchers.size;
  }

  addTenant(): { apiKey: string; tenant: AuthenticatedTenant } {
    const apiKey = `tp_test_${randomUUID()}`;
    const tenant = { tenantId: randomUUID(), keyId: randomUUID() };
    this.tenantsByKey.set(apiKey, tenant);
    return { apiKey, tenant };
  }

  store(tenantId: string, overrides: Partial<MessageResource> = {}): MessageResource {
    this.clock += 1000;
    const at = new Date(this.clock).toISOString();
    const message: MessageResource = {
      id: randomUUID(),
      direction: 'outbound',
      status: 'queued',
      to: '+15551230001',
      from: '+15557654321',
      contactId: null,
      templateId: null,
      templateVersion: null,
      body: 'hello',
      mediaUrls: [],
      purpose: 'conversational',
      encoding: 'GSM-7',
      segments: 1,
      carrierMessageId: null,
      errorCode: null,
      errorDetail: null,
      reason: null,
      reasons: [],
      reasonDetail: null,
      sendAt: null,
      waitingFor: null,
      createdAt: at,
      updatedAt: at,
      sentAt: null,
      deliveredAt: null,
      cost: null,
      ...overrides,
    };
    this.messages.push({ tenantId, message });
    return message;
  }

  push(tenantId: string, message: MessageResource): void {
    const change = {
      message,
      eventType: 'messaging.MessageDelivered.v1',
      occurredAt: message.updatedAt,
    };
    for (const watcher of this.watchers) {
      if (watcher.tenantId === tenantId) watcher.listener(change);
    }
  }

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return Promise.resolve(this.tenantsByKey.get(apiKey) ?? null);
  }

  send(
    tenant: AuthenticatedTenant,
    input: SendMessageInput,
    idempotencyKey: string | undefined,
  ): Promise<MessageResource> {
    return new Promise((resolve) => {
      this.sendCalls.push({ tenantId: tenant.tenantId, input, idempotencyKey });
      const violations = [
        ...(/^\+[1-9]\d{6,14}$/.test(input.to ?? '')
          ? []
          : [{ field: 'to', message: 'must be an E.164 phone number' }]),
        ...(input.mediaUrls ?? [])
          .map((url, index) => ({ url, index }))
          .filter(({ url }) => !url.startsWith('https://'))
          .map(({ index }) => ({ field: `mediaUrls[${index}]`, message: 'must be an https URL' })),
      ];
      if (violations.length > 0)
        throw ApiError.invalid('The message cannot be sent as given.', violations);
      const body = JSON.stringify(input);
      const earlier =
        idempotencyKey === undefined
          ? undefined
          : this.sendsByKey.get(`${tenant.tenantId}/${idempotencyKey}`);
      if (earlier !== undefined) {
        if (earlier.body !== body) {
          throw new ApiError(
            'conflict',
            'idempotency_key_reused',
            'The idempotency key was used for another request.',
          );
        }
        resolve(earlier.message);
        return;
      }
      const message = this.store(tenant.tenantId, {
        to: input.to,
        body: input.body ?? '',
        mediaUrls: input.mediaUrls ?? [],
        purpose: input.purpose ?? 'conversational',
        ...(input.from === undefined ? {} : { from: input.from }),
      });
      if (idempotencyKey !== undefined)
        this.sendsByKey.set(`${tenant.tenantId}/${idempotencyKey}`, { body, message });
      resolve(message);
    });
  }

  get(tenant: AuthenticatedTenant, id: string): Promise<MessageResource> {
    return new Promise((resolve) => {
      if (id === 'explode')
        throw new Error('connect ECONNREFUSED postgres://gateway:s3cret@db:5432');
      const found = this.messages.find(
        (entry) => entry.tenantId === tenant.tenantId && entry.message.id === id,
      );
      if (found === undefined) throw ApiError.notFound(`No message ${id}.`);
      resolve(found.message);
    });
  }

  listConversation(
    tenant: AuthenticatedTenant,
    phone: string,
    page: { cursor?: string; limit: number },
  ): Promise<ConversationPage> {
    this.pageLimits.push(page.limit);
    const conversation = this.messages
      .filter(
        ({ tenantId, message }) =>
          tenantId === tenant.tenantId && (message.to === phone || message.from === phone),
      )
      .map(({ message }) => message)
      .reverse();
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    const end = start + page.limit;
    return Promise.resolve({
      items: conversation.slice(start, end),
      nextCursor: end < conversation.length ? String(end) : null,
    });
  }

  list(tenant: AuthenticatedTenant, query: MessageListQuery): Promise<MessagePage> {
    const items = this.messages
      .filter(
        ({ tenantId, message }) =>
          tenantId === tenant.tenantId && (query.status ?? message.status) === message.status,
      )
      .map(({ message }) => message)
      .reverse();
    return Promise.resolve({ items: items.slice(0, query.limit), nextCursor: null });
  }

  async cancel(tenant: AuthenticatedTenant, id: string): Promise<MessageChangeOutcome> {
    const message = await this.get(tenant, id);
    if (message.status !== 'queued' && message.status !== 'scheduled') {
      throw new ApiError(
        'conflict',
        'message_not_cancelable',
        `Message ${id} is ${message.status}.`,
      );
    }
    message.status = 'canceled';
    return { status: 'done', message, replayed: false };
  }

  async reschedule(
    tenant: AuthenticatedTenant,
    id: string,
    input: unknown,
  ): Promise<MessageChangeOutcome> {
    const message = await this.get(tenant, id);
    message.sendAt = (input as { sendAt: string }).sendAt;
    return { status: 'done', message, replayed: false };
  }

  watch(tenant: AuthenticatedTenant, listener: (change: MessageStatusChange) => void): () => void {
    const watcher = { tenantId: tenant.tenantId, listener };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

class RecordingLogger implements GrpcLogger {
  readonly errors: string[] = [];
  info(): void {}
  warn(): void {}
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.errors.push(`${message} ${JSON.stringify(fields)}`);
  }
}

function withKey(
  apiKey: string,
  header: 'authorization' | 'x-api-key' = 'authorization',
): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(header, header === 'authorization' ? `Bearer ${apiKey}` : apiKey);
  return metadata;
}

function unary<Request, Response>(
  client: grpc.Client,
  method: Pick<
    protoLoader.MethodDefinition<Request, never, never, Response>,
    'path' | 'requestSerialize' | 'responseDeserialize'
  >,
  request: Request,
  metadata: grpc.Metadata,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      (error, response) => {
        if (error !== null) reject(error);
        else if (response === undefined) reject(new Error('no response'));
        else resolve(response);
      },
    );
  });
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && 'code' in error && 'metadata' in error;
}

async function failureOf(call: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

function message(response: { message: DecodedMessageProto | null }): MessageResource {
  if (response.message === null) throw new Error('response without message');
  return toMessageResource(response.message);
}

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Collects a server stream's messages and its final status. */
function collect<Response>(stream: grpc.ClientReadableStream<Response>): {
  received: Response[];
  ended: Promise<grpc.StatusObject>;
} {
  const received: Response[] = [];
  stream.on('data', (data: Response) => received.push(data));
  // The status event always comes; 'error' must be listened to or it would throw.
  stream.on('error', () => undefined);
  const ended = new Promise<grpc.StatusObject>((resolve) => stream.on('status', resolve));
  return { received, ended };
}

describe('GrpcEdge', () => {
  let app: InMemoryMessagingApplication;
  let logger: RecordingLogger;
  let gateway: GrpcEdge;
  let client: grpc.Client;
  let alice: { apiKey: string; tenant: AuthenticatedTenant };
  let bob: { apiKey: string; tenant: AuthenticatedTenant };

  beforeEach(async () => {
    app = new InMemoryMessagingApplication();
    logger = new RecordingLogger();
    alice = app.addTenant();
    bob = app.addTenant();
    gateway = await GrpcEdge.start({
      contexts: [messagingGrpc(PROTO_DIR, app)],
      authenticator: app,
      port: 0,
      host: '127.0.0.1',
      logger,
      shutdownTimeoutMs: 3000,
    });
    client = new grpc.Client(`127.0.0.1:${gateway.port}`, grpc.credentials.createInsecure());
  });

  afterEach(async () => {
    client.close();
    await gateway.stop();
  });

  describe('SendMessage', () => {
    it('sends for the tenant of the key and returns the queued message', async () => {
      const response = await unary(
        client,
        methods.SendMessage,
        { to: '+15551230001', body: 'Hi from gRPC', purpose: 'MESSAGE_PURPOSE_TRANSACTIONAL' },
        withKey(alice.apiKey),
      );
      expect(message(response)).toMatchObject({
        to: '+15551230001',
        body: 'Hi from gRPC',
        status: 'queued',
        purpose: 'transactional',
      });
      expect(app.sendCalls).toEqual([
        {
          tenantId: alice.tenant.tenantId,
          input: { to: '+15551230001', body: 'Hi from gRPC', purpose: 'transactional' },
          idempotencyKey: undefined,
        },
      ]);
    });

    it('accepts the key as x-api-key too', async () => {
      const response = await unary(
        client,
        methods.SendMessage,
        { to: '+15551230001', body: 'x' },
        withKey(bob.apiKey, 'x-api-key'),
      );
      expect(message(response).to).toBe('+15551230001');
      expect(app.sendCalls[0]?.tenantId).toBe(bob.tenant.tenantId);
    });

    it('replays a retry with the idempotency key from the metadata', async () => {
      const metadata = withKey(alice.apiKey);
      metadata.set('idempotency-key', 'retry-1');
      const first = await unary(
        client,
        methods.SendMessage,
        { to: '+15551230001', body: 'once' },
        metadata,
      );
      const second = await unary(
        client,
        methods.SendMessage,
        { to: '+15551230001', body: 'once' },
        metadata,
      );
      expect(message(second).id).toBe(message(first).id);
      expect(app.sendCalls.map((call) => call.idempotencyKey)).toEqual(['retry-1', 'retry-1']);
    });

    it('refuses different idempotency keys in the field and the metadata', async () => {
      const metadata = withKey(alice.apiKey);
      metadata.set('idempotency-key', 'a');
      const error = await failureOf(
        unary(
          client,
          methods.SendMessage,
          { to: '+15551230001', body: 'x', idempotency_key: 'b' },
          metadata,
        ),
      );
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(app.sendCalls).toEqual([]);
    });

    it('reports a reused idempotency key as FAILED_PRECONDITION with its reason', async () => {
      const request = { to: '+15551230001', body: 'first', idempotency_key: 'k-7' };
      await unary(client, methods.SendMessage, request, withKey(alice.apiKey));
      const error = await failureOf(
        unary(client, methods.SendMessage, { ...request, body: 'second' }, withKey(alice.apiKey)),
      );
      expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
      const details = error.metadata.get(STATUS_DETAILS_KEY)[0];
      expect(Buffer.isBuffer(details)).toBe(true);
      const status = methodOf(statusDecoder, 'DecodeStatus').requestDeserialize(details as Buffer);
      expect(status).toMatchObject({
        code: grpc.status.FAILED_PRECONDITION,
        details: [
          {
            type_url: 'type.googleapis.com/google.rpc.ErrorInfo',
            value: methodOf(statusDecoder, 'DecodeErrorInfo').requestSerialize({
              reason: 'IDEMPOTENCY_KEY_REUSED',
              domain: 'textplane',
            }),
          },
        ],
      });
    });

    it('fails with UNAUTHENTICATED without a key, with an unknown key, or with another scheme', async () => {
      const basic = new grpc.Metadata();
      basic.set('authorization', `Basic ${alice.apiKey}`);
      for (const metadata of [new grpc.Metadata(), withKey('tp_test_unknown'), basic]) {
        const error = await failureOf(
          unary(client, methods.SendMessage, { to: '+15551230001', body: 'x' }, metadata),
        );
        expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
      }
      expect(app.sendCalls).toEqual([]);
    });

    it('maps invalid input to INVALID_ARGUMENT naming the fields, also as google.rpc.BadRequest', async () => {
      const error = await failureOf(
        unary(
          client,
          methods.SendMessage,
          { to: '5551230001', body: 'x', media_urls: ['http://cdn.example.com/a.jpg'] },
          withKey(alice.apiKey),
        ),
      );
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toBe(
        'The message cannot be sent as given. (to: must be an E.164 phone number; media_urls[0]: must be an https URL)',
      );
      const details = error.metadata.get(STATUS_DETAILS_KEY)[0];
      expect(Buffer.isBuffer(details)).toBe(true);
      const status = methodOf(statusDecoder, 'DecodeStatus').requestDeserialize(details as Buffer);
      expect(status).toEqual({
        code: grpc.status.INVALID_ARGUMENT,
        message: error.details,
        details: [
          {
            type_url: 'type.googleapis.com/google.rpc.ErrorInfo',
            value: methodOf(statusDecoder, 'DecodeErrorInfo').requestSerialize({
              reason: 'INVALID_REQUEST',
              domain: 'textplane',
            }),
          },
          {
            type_url: 'type.googleapis.com/google.rpc.BadRequest',
            value: methodOf(statusDecoder, 'DecodeBadRequest').requestSerialize({
              field_violations: [
                { field: 'to', description: 'must be an E.164 phone number' },
                { field: 'media_urls[0]', description: 'must be an https URL' },
              ],
            }),
          },
        ],
      });
    });

    it('refuses an unknown purpose number before reaching the application', async () => {
      const error = await failureOf(
        unary(
          client,
          methods.SendMessage,
          { to: '+15551230001', body: 'x', purpose: 99 },
          withKey(alice.apiKey),
        ),
      );
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain('purpose');
      expect(app.sendCalls).toEqual([]);
    });
  });

  describe('GetMessage', () => {
    it("returns the tenant's message with its times", async () => {
      const stored = app.store(alice.tenant.tenantId, {
        status: 'delivered',
        sentAt: '2026-11-26T21:30:00.000Z',
        deliveredAt: '2026-11-26T21:30:02.000Z',
        cost: null,
        carrierMessageId: 'telnyx-1',
      });
      const response = await unary(
        client,
        methods.GetMessage,
        { id: stored.id },
        withKey(alice.apiKey),
      );
      expect(message(response)).toEqual(stored);
    });

    it("answers NOT_FOUND for an unknown id and for another tenant's message", async () => {
      const stored = app.store(alice.tenant.tenantId);
      for (const [id, key] of [
        [randomUUID(), alice.apiKey],
        [stored.id, bob.apiKey],
      ] as const) {
        const error = await failureOf(unary(client, methods.GetMessage, { id }, withKey(key)));
        expect(error.code).toBe(grpc.status.NOT_FOUND);
      }
    });

    it('hides internal faults behind INTERNAL and logs them', async () => {
      const error = await failureOf(
        unary(client, methods.GetMessage, { id: 'explode' }, withKey(alice.apiKey)),
      );
      expect(error.code).toBe(grpc.status.INTERNAL);
      expect(error.details).toBe('Internal error.');
      expect(error.metadata.get(STATUS_DETAILS_KEY)).toEqual([]);
      expect(logger.errors.join('\n')).toContain('ECONNREFUSED');
    });
  });

  describe('ListConversationMessages', () => {
    it('pages through the conversation newest first', async () => {
      const phone = '+15550009999';
      const stored = [1, 2, 3, 4, 5].map((n) =>
        app.store(alice.tenant.tenantId, { to: phone, body: `m${n}` }),
      );
      app.store(bob.tenant.tenantId, { to: phone, body: 'not yours' });
      app.store(alice.tenant.tenantId, { to: '+15550001111', body: 'other conversation' });

      const bodies: string[][] = [];
      let pageToken = '';
      do {
        const page = await unary(
          client,
          methods.ListConversationMessages,
          { phone, page_size: 2, page_token: pageToken },
          withKey(alice.apiKey),
        );
        bodies.push(page.messages.map((entry) => toMessageResource(entry).body));
        pageToken = page.next_page_token;
      } while (pageToken !== '' && bodies.length < 10);

      expect(bodies).toEqual([['m5', 'm4'], ['m3', 'm2'], ['m1']]);
      expect(stored).toHaveLength(5);
    });

    it('applies the default page size for 0 and caps large ones', async () => {
      for (const page_size of [0, 1000, 7]) {
        await unary(
          client,
          methods.ListConversationMessages,
          { phone: '+15550009999', page_size },
          withKey(alice.apiKey),
        );
      }
      expect(app.pageLimits).toEqual([50, 100, 7]);
    });

    it('refuses a negative page size', async () => {
      const error = await failureOf(
        unary(
          client,
          methods.ListConversationMessages,
          { phone: '+15550009999', page_size: -1 },
          withKey(alice.apiKey),
        ),
      );
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain('page_size');
    });
  });

  describe('WatchMessages', () => {
    function watch(
      apiKey: string,
      messageIds: string[] = [],
    ): grpc.ClientReadableStream<DecodedWatchMessagesResponseProto> {
      return client.makeServerStreamRequest(
        methods.WatchMessages.path,
        methods.WatchMessages.requestSerialize,
        methods.WatchMessages.responseDeserialize,
        { message_ids: messageIds },
        withKey(apiKey),
      );
    }

    it("streams its tenant's changes only, and unsubscribes when the client cancels", async () => {
      const stream = watch(alice.apiKey);
      const { received, ended } = collect(stream);
      await eventually(() => app.watcherCount === 1, 'the watch to subscribe');

      const bobs = app.store(bob.tenant.tenantId, { status: 'delivered' });
      const alices = app.store(alice.tenant.tenantId, { status: 'delivered' });
      app.push(bob.tenant.tenantId, bobs);
      app.push(alice.tenant.tenantId, alices);
      await eventually(() => received.length === 1, 'a change');

      expect(received[0]).toMatchObject({ event_type: 'messaging.MessageDelivered.v1' });
      expect(message(received[0] ?? { message: null })).toEqual(alices);

      stream.cancel();
      expect((await ended).code).toBe(grpc.status.CANCELLED);
      await eventually(() => app.watcherCount === 0, 'the watch to unsubscribe');
    });

    it('streams only the requested messages', async () => {
      const watched = app.store(alice.tenant.tenantId);
      const other = app.store(alice.tenant.tenantId);
      const stream = watch(alice.apiKey, [watched.id]);
      const { received } = collect(stream);
      await eventually(() => app.watcherCount === 1, 'the watch to subscribe');

      app.push(alice.tenant.tenantId, other);
      app.push(alice.tenant.tenantId, watched);
      await eventually(() => received.length >= 1, 'a change');
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(received.map((change) => change.message?.id)).toEqual([watched.id]);
      stream.cancel();
    });

    it('ends a stream that falls behind with RESOURCE_EXHAUSTED', async () => {
      const slow = await GrpcEdge.start({
        contexts: [messagingGrpc(PROTO_DIR, app)],
        authenticator: app,
        port: 0,
        host: '127.0.0.1',
        streamBacklogLimit: 5,
      });
      const slowClient = new grpc.Client(
        `127.0.0.1:${slow.port}`,
        grpc.credentials.createInsecure(),
      );
      try {
        const stream = slowClient.makeServerStreamRequest(
          methods.WatchMessages.path,
          methods.WatchMessages.requestSerialize,
          methods.WatchMessages.responseDeserialize,
          { message_ids: [] },
          withKey(alice.apiKey),
        );
        const { ended } = collect(stream);
        await eventually(() => app.watcherCount === 1, 'the watch to subscribe');

        // Pushed within one tick, nothing drains in between.
        const burst = app.store(alice.tenant.tenantId);
        for (let n = 0; n < 10; n += 1) app.push(alice.tenant.tenantId, burst);

        expect((await ended).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
        expect(app.watcherCount).toBe(0);
      } finally {
        slowClient.close();
        await slow.stop();
      }
    });

    it('fails with UNAUTHENTICATED without subscribing', async () => {
      const { ended } = collect(watch('tp_test_unknown'));
      expect((await ended).code).toBe(grpc.status.UNAUTHENTICATED);
      expect(app.watcherCount).toBe(0);
    });

    it('ends open streams with UNAVAILABLE on stop, without waiting for the timeout', async () => {
      const { ended } = collect(watch(alice.apiKey));
      await eventually(() => app.watcherCount === 1, 'the watch to subscribe');

      const stopping = Date.now();
      await gateway.stop();

      expect((await ended).code).toBe(grpc.status.UNAVAILABLE);
      expect(Date.now() - stopping).toBeLessThan(2000);
      expect(app.watcherCount).toBe(0);
    });
  });

  describe('bad input', () => {
    /** Sends `bytes` as they are, as a client with its own serializer would. */
    function rawUnary(path: string, bytes: Buffer, metadata: grpc.Metadata): Promise<unknown> {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          path,
          (raw: Buffer) => raw,
          (raw: Buffer) => raw,
          bytes,
          metadata,
          (error, response) => (error === null ? resolve(response) : reject(error)),
        );
      });
    }

    function reasonOf(error: grpc.ServiceError): unknown {
      const details = error.metadata.get(STATUS_DETAILS_KEY)[0];
      if (!Buffer.isBuffer(details)) return undefined;
      const status = methodOf(statusDecoder, 'DecodeStatus').requestDeserialize(details) as {
        details: { type_url: string; value: Buffer }[];
      };
      const info = status.details.find(
        (detail) => detail.type_url === 'type.googleapis.com/google.rpc.ErrorInfo',
      );
      return info === undefined
        ? undefined
        : (
            methodOf(statusDecoder, 'DecodeErrorInfo').requestDeserialize(info.value) as {
              reason: string;
            }
          ).reason;
    }

    const undecodable = [
      ['a truncated varint', Buffer.from([0xff])],
      ['an invalid wire type', Buffer.from([0x0f])],
      ['a length past the end', Buffer.from([0x0a, 0x05, 0x61])],
      ['a string field sent as a varint', Buffer.from([0x08, 0x01])],
      ['a string that is not UTF-8', Buffer.from([0x0a, 0x02, 0xc3, 0x28])],
      ['field number 0', Buffer.from([0x02, 0x00])],
    ] as const;

    it.each(undecodable)(
      'answers %s with INVALID_ARGUMENT MALFORMED_REQUEST, not INTERNAL',
      async (_case, bytes) => {
        for (const path of [
          methods.SendMessage.path,
          methods.GetMessage.path,
          methods.ListConversationMessages.path,
          methodOf(healthService, 'Check').path,
        ]) {
          const error = await failureOf(rawUnary(path, bytes, withKey(alice.apiKey)));
          expect({ path, code: error.code }).toEqual({ path, code: grpc.status.INVALID_ARGUMENT });
          expect(reasonOf(error)).toBe('MALFORMED_REQUEST');
        }
        expect(app.sendCalls).toEqual([]);
        expect(logger.errors).toEqual([]);
      },
    );

    it('names the field whose bytes are wrong', async () => {
      const prefix = methods.SendMessage.requestSerialize({ to: '+15551230001' });
      const cases = [
        [Buffer.from([0x1a, 0x02, 0xc3, 0x28]), 'body is not valid UTF-8'],
        [Buffer.from([0x22, 0x01, 0xff]), 'media_urls is not valid UTF-8'],
        [Buffer.from([0x1a, 0x09, 0x68, 0x69]), 'body runs past the end of its message'],
        [Buffer.from([0x29, 0x01]), 'purpose has wire type 1, not 0'],
      ] as const;
      for (const [field, reason] of cases) {
        const error = await failureOf(
          rawUnary(methods.SendMessage.path, Buffer.concat([prefix, field]), withKey(alice.apiKey)),
        );
        expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(error.details).toContain(reason);
      }
      expect(app.sendCalls).toEqual([]);
    });

    it('still skips fields it does not know, as a newer client may send them', async () => {
      const known = methods.SendMessage.requestSerialize({ to: '+15551230001', body: 'hi' });
      const unknownField = Buffer.from([0xfa, 0x01, 0x02, 0xc3, 0x28]); // field 31, bytes
      await rawUnary(
        methods.SendMessage.path,
        Buffer.concat([known, unknownField]),
        withKey(alice.apiKey),
      );
      expect(app.sendCalls.map((call) => call.input)).toEqual([{ to: '+15551230001', body: 'hi' }]);
    });

    it('ends a server stream whose request does not decode with INVALID_ARGUMENT', async () => {
      const stream = client.makeServerStreamRequest(
        methods.WatchMessages.path,
        (raw: Buffer) => raw,
        (raw: Buffer) => raw,
        Buffer.from([0x0a, 0x05, 0x61]),
        withKey(alice.apiKey),
      );
      const { ended } = collect(stream);
      expect((await ended).code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(app.watcherCount).toBe(0);
    });

    it('ends a reflection stream whose request does not decode with INVALID_ARGUMENT', async () => {
      const info = methodOf(reflectionService, 'ServerReflectionInfo');
      const stream = client.makeBidiStreamRequest(
        info.path,
        (raw: Buffer) => raw,
        (raw: Buffer) => raw,
        new grpc.Metadata(),
      );
      const { received, ended } = collect(stream);
      stream.write(Buffer.from([0xff]));
      expect((await ended).code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(received).toEqual([]);
    });

    it('applies the REST rule to idempotency keys: at most 255 visible ASCII characters', async () => {
      const longest = 'k'.repeat(255);
      await unary(
        client,
        methods.SendMessage,
        { to: '+15551230001', body: 'x', idempotency_key: longest },
        withKey(alice.apiKey),
      );
      const inMetadata = withKey(alice.apiKey);
      inMetadata.set('idempotency-key', 'm'.repeat(300));
      for (const [request, metadata, field] of [
        [{ idempotency_key: 'k'.repeat(300) }, withKey(alice.apiKey), 'idempotency_key'],
        [{ idempotency_key: 'ключ' }, withKey(alice.apiKey), 'idempotency_key'],
        [{ idempotency_key: '' }, withKey(alice.apiKey), 'idempotency_key'],
        [{}, inMetadata, 'idempotency-key'],
      ] as const) {
        const error = await failureOf(
          unary(
            client,
            methods.SendMessage,
            { to: '+15551230001', body: 'x', ...request },
            metadata,
          ),
        );
        expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(error.details).toContain(`${field}: must be 1 to 255 visible ASCII characters`);
      }
      expect(app.sendCalls.map((call) => call.idempotencyKey)).toEqual([longest]);
    });

    it('keeps error details short when they quote a huge input', async () => {
      const error = await failureOf(
        unary(client, methods.GetMessage, { id: 'x'.repeat(100_000) }, withKey(alice.apiKey)),
      );
      expect(error.code).toBe(grpc.status.NOT_FOUND);
      expect(error.details.length).toBeLessThanOrEqual(1001);
      expect(error.details.endsWith('…')).toBe(true);
      expect(reasonOf(error)).toBe('NOT_FOUND');
    });

    it("bounds the details of a library's status that quotes the caller (health)", async () => {
      const error = await failureOf(
        unary(
          client,
          methodOf(healthService, 'Check'),
          { service: 's'.repeat(100_000) },
          new grpc.Metadata(),
        ),
      );
      expect(error.code).toBe(grpc.status.NOT_FOUND);
      expect(error.details.length).toBeLessThanOrEqual(1001);
      expect(error.details).toMatch(/^Health status unknown for service s+…$/);
    });
  });

  describe('health', () => {
    it('reports SERVING for the server and the messaging service', async () => {
      const check = methodOf(healthService, 'Check');
      for (const service of ['', MESSAGING_SERVICE_NAME]) {
        expect(await unary(client, check, { service }, new grpc.Metadata())).toEqual({
          status: 'SERVING',
        });
      }
    });

    it('turns NOT_SERVING when the gateway stops', async () => {
      const watchHealth = methodOf(healthService, 'Watch');
      const stream = client.makeServerStreamRequest(
        watchHealth.path,
        watchHealth.requestSerialize,
        watchHealth.responseDeserialize,
        { service: MESSAGING_SERVICE_NAME },
        new grpc.Metadata(),
      );
      const { received } = collect(stream);
      await eventually(() => received.length === 1, 'the first health status');

      const stopped = gateway.stop();
      await eventually(() => received.length === 2, 'the health status after stop');
      stream.cancel();
      await stopped;

      expect(received).toEqual([{ status: 'SERVING' }, { status: 'NOT_SERVING' }]);
    });
  });

  describe('reflection', () => {
    function reflect(request: object): Promise<object> {
      const info = methodOf(reflectionService, 'ServerReflectionInfo');
      const stream = client.makeBidiStreamRequest(
        info.path,
        info.requestSerialize,
        info.responseDeserialize,
        new grpc.Metadata(),
      );
      return new Promise((resolve, reject) => {
        stream.on('data', (response: object) => {
          resolve(response);
          stream.end();
        });
        stream.on('error', reject);
        stream.write(request);
      });
    }

    it('lists the messaging and health services', async () => {
      expect(await reflect({ list_services: '' })).toMatchObject({
        list_services_response: {
          service: expect.arrayContaining([
            { name: MESSAGING_SERVICE_NAME },
            { name: 'grpc.health.v1.Health' },
          ]) as unknown,
        },
      });
    });

    /** The FileDescriptorProtos of a file_descriptor_response, checked at runtime. */
    function describedFiles(response: object): IFileDescriptorProto[] {
      const descriptorResponse: unknown = Reflect.get(response, 'file_descriptor_response');
      const files: unknown =
        typeof descriptorResponse === 'object' && descriptorResponse !== null
          ? Reflect.get(descriptorResponse, 'file_descriptor_proto')
          : undefined;
      if (!Array.isArray(files)) throw new Error('no file_descriptor_response');
      return files.map((file: unknown) => {
        if (!Buffer.isBuffer(file)) throw new Error('file descriptor is not bytes');
        const decoded: IFileDescriptorProto = descriptor.FileDescriptorProto.toObject(
          descriptor.FileDescriptorProto.decode(file),
        );
        return decoded;
      });
    }

    it('describes the service with snake_case fields and its imports linked, as grpcurl needs', async () => {
      const files = describedFiles(
        await reflect({ file_containing_symbol: MESSAGING_SERVICE_NAME }),
      );
      const messaging = files.find((file) => file.package === 'textplane.messaging.v1');
      const timestamp = files.find(
        (file) =>
          file.package === 'google.protobuf' &&
          file.messageType?.some((type) => type.name === 'Timestamp'),
      );
      expect(timestamp).toBeDefined();
      expect(messaging?.dependency).toEqual([timestamp?.name]);
      const fields = messaging?.messageType?.find((type) => type.name === 'Message')?.field ?? [];
      expect(fields.map((field) => field.name)).toContain('media_urls');
      expect(fields.find((field) => field.name === 'create_time')?.typeName).toBe(
        '.google.protobuf.Timestamp',
      );
      expect(messaging?.service?.[0]?.method?.map((method) => method.name)).toEqual([
        'SendMessage',
        'GetMessage',
        'ListConversationMessages',
        'WatchMessages',
        'ListMessages',
        'CancelMessage',
        'RescheduleMessage',
      ]);
    });
  });
});

describe('GrpcEdge.start', () => {
  it('refuses a contract whose methods have no handler, rather than answering UNIMPLEMENTED', async () => {
    const messaging = messagingGrpc(PROTO_DIR, new InMemoryMessagingApplication());
    await expect(
      GrpcEdge.start({
        contexts: [{ ...messaging, module: { ...messaging.module, controllers: [] } }],
        authenticator: new InMemoryMessagingApplication(),
        port: 0,
        host: '127.0.0.1',
      }),
    ).rejects.toThrow(
      `No gRPC handler for ${MESSAGING_SERVICE_NAME}/SendMessage, ${MESSAGING_SERVICE_NAME}/GetMessage`,
    );
  });
});

describe('grpcStatusOf', () => {
  it.each([
    ['invalid_request', grpc.status.INVALID_ARGUMENT],
    ['unprocessable', grpc.status.INVALID_ARGUMENT],
    ['payload_too_large', grpc.status.INVALID_ARGUMENT],
    ['unsupported_media_type', grpc.status.INVALID_ARGUMENT],
    ['unauthenticated', grpc.status.UNAUTHENTICATED],
    ['forbidden', grpc.status.PERMISSION_DENIED],
    ['not_found', grpc.status.NOT_FOUND],
    ['conflict', grpc.status.FAILED_PRECONDITION],
    ['unavailable', grpc.status.UNAVAILABLE],
  ] as const)('maps %s to status %i', (kind, status) => {
    expect(grpcStatusOf(kind)).toBe(status);
  });
});
