import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as pb from '../generated/textplane/messaging/v1/conversations.js';
import { apiKeyMetadata } from '../platform/grpc-client.js';
import {
  bearer,
  call,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Conversation {
  phone: string;
  contact: { id: string } | null;
  senderNumber: string;
  lastMessage: { id: string; direction: string; preview: string; status: string; at: string };
  unreadCount: number;
  lastReadAt: string | null;
}

interface ConversationList {
  items: Conversation[];
  nextCursor: string | null;
}

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string }>;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

interface ConversationClient extends grpc.Client {
  ListConversations: Unary<Partial<pb.ListConversationsRequest>, pb.ListConversationsResponse>;
  WatchConversations(
    request: Partial<pb.WatchConversationsRequest>,
    metadata: grpc.Metadata,
  ): grpc.ClientReadableStream<pb.WatchConversationsResponse>;
}

/** A plain @grpc/grpc-js client of ConversationService, as an internal team would write one. */
function conversationClient(address: string): ConversationClient {
  const definition = protoLoader.loadSync(
    'textplane/messaging/v1/conversations.proto' satisfies typeof pb.protobufFileName,
    {
      includeDirs: [fileURLToPath(new URL('../../../../proto', import.meta.url))],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    },
  );
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    textplane: {
      messaging: {
        v1: {
          ConversationService: new (
            address: string,
            c: grpc.ChannelCredentials,
          ) => ConversationClient;
        };
      };
    };
  };
  return new root.textplane.messaging.v1.ConversationService(
    address,
    grpc.credentials.createInsecure(),
  );
}

describe('conversations: unread inbound, read marks, and the watch', () => {
  let tenant: TestTenant;
  let client: ConversationClient;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Thread Co');
    client = conversationClient(stack.urls.gatewayGrpc);
  });

  afterAll(() => client.close());

  const list = (query = '') =>
    call<ConversationList>(`${stack.urls.gatewayHttp}/v1/conversations${query}`, {
      headers: bearer(tenant),
    });
  const markRead = (phone: string) =>
    call<Conversation>(
      `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(phone)}/read`,
      { method: 'POST', headers: bearer(tenant) },
    );
  const inbound = async (from: string, text: string) => {
    const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
      body: { from, to: tenant.sender, text },
    });
    expect(injected.status).toBe(202);
  };

  it('an inbound text is an unread conversation; POST read clears it; WatchConversations reports both', async () => {
    const contact = randomPhone();
    await inbound(contact, 'Do you have this in blue?');
    const unread = await eventually(
      async () => {
        const answer = await list('?unread=true');
        return answer.body.items.find((c) => c.phone === contact);
      },
      { what: 'the unread conversation in the list' },
    );
    expect(unread).toMatchObject({
      contact: null,
      senderNumber: tenant.sender,
      lastMessage: {
        direction: 'inbound',
        preview: 'Do you have this in blue?',
        status: 'received',
      },
      unreadCount: 1,
      lastReadAt: null,
    });

    const changes: pb.WatchConversationsResponse[] = [];
    const watch = client.WatchConversations({ phones: [contact] }, apiKeyMetadata(tenant.apiKey));
    watch.on('data', (change: pb.WatchConversationsResponse) => changes.push(change));
    watch.on('error', () => undefined);

    // The read mark, until the watch (registered asynchronously) has heard one.
    const first = await markRead(contact);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ phone: contact, unreadCount: 0 });
    expect(first.body.lastReadAt).not.toBeNull();
    await eventually(
      async () => {
        if (changes.some((c) => c.event_type === 'gateway.ConversationRead.v1')) return true;
        expect((await markRead(contact)).status).toBe(200);
        return undefined;
      },
      { what: 'WatchConversations to report the read mark', intervalMs: 300 },
    );
    expect(changes.at(-1)?.conversation).toMatchObject({ phone: contact, unread_count: 0 });
    expect((await list('?unread=true')).body.items.map((c) => c.phone)).not.toContain(contact);
    expect((await list('?unread=false')).body.items.map((c) => c.phone)).toContain(contact);

    await inbound(contact, 'Or in green?');
    const reported = await eventually(
      () =>
        Promise.resolve(
          changes.find(
            (c) =>
              c.event_type === 'messaging.InboundMessageReceived.v1' &&
              c.conversation?.last_message?.preview === 'Or in green?',
          ),
        ),
      { what: 'WatchConversations to report the new inbound text' },
    );
    watch.cancel();
    expect(reported.conversation).toMatchObject({
      phone: contact,
      sender_number: tenant.sender,
      unread_count: 1,
      last_message: { direction: 'MESSAGE_DIRECTION_INBOUND', status: 'MESSAGE_STATUS_RECEIVED' },
    });
    expect(reported.conversation?.last_read_time).not.toBeNull();
    const listed = await new Promise<pb.ListConversationsResponse>((resolve, reject) => {
      client.ListConversations(
        { unread: true },
        apiKeyMetadata(tenant.apiKey),
        (error, response) =>
          error || !response ? reject(error ?? new Error('empty')) : resolve(response),
      );
    });
    expect(listed.conversations.map((c) => [c.phone, c.unread_count])).toEqual([[contact, 1]]);
  });

  it('refuses a bad filter or phone by field, and an unknown conversation with 404', async () => {
    const badUnread = await call<Problem>(`${stack.urls.gatewayHttp}/v1/conversations?unread=yes`, {
      headers: bearer(tenant),
    });
    expect(badUnread.status).toBe(400);
    expect(badUnread.body.errors?.map((e) => e.field)).toEqual(['unread']);
    const badPhone = await markRead('555-0100');
    expect(badPhone.status).toBe(400);
    expect((badPhone.body as unknown as Problem).errors?.map((e) => e.field)).toEqual(['phone']);
    const unknown = await markRead(randomPhone());
    expect(unknown.status).toBe(404);
    expect((unknown.body as unknown as Problem).code).toBe('conversation_not_found');
  });
});
