import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { FastifyReply } from 'fastify';
import type { TenantRequest } from '../http/request-context.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { ApiError } from '../problems/api-error.js';
import type {
  AuthenticatedTenant,
  MessageChangeOutcome,
  MessageListQuery,
  MessageResource,
} from './message.resource.js';
import type { MessagesApplication } from './messages.application.js';
import { MessagesController } from './messages.controller.js';
import { MessagingGrpcController } from './messaging.grpc-controller.js';
import type { MessagingApplication } from './messaging-application.js';

const tenant: AuthenticatedTenant = { tenantId: 't-1', keyId: 'k-1' };
const message: MessageResource = {
  id: '0193a1b2-0000-7000-8000-000000000001',
  direction: 'outbound',
  status: 'canceled',
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
  createdAt: '2026-11-26T21:00:00.000Z',
  updatedAt: '2026-11-26T21:00:01.000Z',
  sentAt: null,
  deliveredAt: null,
  cost: null,
};

/** What the routes passed on to the use cases. */
class RecordingApp {
  readonly lists: MessageListQuery[] = [];
  readonly reschedules: unknown[] = [];
  outcome: MessageChangeOutcome = { status: 'done', message, replayed: false };

  list(_tenant: AuthenticatedTenant, query: MessageListQuery) {
    this.lists.push(query);
    return Promise.resolve({ items: [message], nextCursor: null });
  }
  cancel() {
    return Promise.resolve(this.outcome);
  }
  reschedule(_tenant: AuthenticatedTenant, _id: string, input: unknown) {
    this.reschedules.push(input);
    return Promise.resolve(this.outcome);
  }
}

/** A reply that keeps what the route set. */
function recordingReply() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = {
    headers: {},
  };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    headers(values: Record<string, string>) {
      Object.assign(sent.headers, values);
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return Promise.resolve(reply);
    },
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

const request = { tenant, headers: {} } as unknown as TenantRequest;

function rest(app: RecordingApp): MessagesController {
  return new MessagesController(
    app as unknown as MessagesApplication,
    {} as unknown as IdempotencyStore,
  );
}

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('GET /v1/messages (the route)', () => {
  it('passes the filters given, with the default page size', async () => {
    const app = new RecordingApp();
    await rest(app).list(request, { status: 'scheduled', to: '+15551230001' });
    expect(app.lists).toEqual([{ status: 'scheduled', to: '+15551230001', limit: 50 }]);
  });

  it('refuses a filter given twice, an unknown one and a limit that is no integer, naming them', () => {
    const app = new RecordingApp();
    expect(refusal(() => rest(app).list(request, { status: ['queued', 'sent'] }))).toMatchObject({
      kind: 'invalid_request',
      violations: [{ field: 'status' }],
    });
    expect(refusal(() => rest(app).list(request, { stauts: 'queued' }))).toMatchObject({
      violations: [{ field: 'stauts' }],
    });
    expect(refusal(() => rest(app).list(request, { limit: '1.5' }))).toMatchObject({
      violations: [{ field: 'limit' }],
    });
    expect(app.lists).toEqual([]);
  });
});

describe('cancel and reschedule (the routes)', () => {
  it('answers 200 with the message once messaging answered', async () => {
    const { reply, sent } = recordingReply();
    await rest(new RecordingApp()).cancel(request, message.id, reply);
    expect(sent).toMatchObject({ status: 200, body: message });
    expect(sent.headers['Location']).toBeUndefined();
  });

  it('answers 202 with Location when the answer is late', async () => {
    const app = new RecordingApp();
    app.outcome = {
      status: 'pending',
      message: { ...message, status: 'scheduled' },
      replayed: true,
    };
    const { reply, sent } = recordingReply();
    await rest(app).reschedule(request, message.id, { sendAt: 'x' }, reply);
    expect(sent).toMatchObject({
      status: 202,
      headers: { Location: `/v1/messages/${message.id}`, 'Idempotent-Replayed': 'true' },
    });
    expect(app.reschedules).toEqual([{ sendAt: 'x' }]);
  });
});

describe('MessagingService (the gRPC handlers)', () => {
  const grpcApp = (app: RecordingApp) =>
    new MessagingGrpcController(app as unknown as MessagingApplication);
  const metadata = { get: () => [] } as unknown as grpc.Metadata;

  it('RescheduleMessage needs a send_at, named, and passes it as an instant', async () => {
    const app = new RecordingApp();
    await expect(
      grpcApp(app).rescheduleMessage({ id: message.id, send_at: null }, metadata, tenant),
    ).rejects.toMatchObject({ kind: 'invalid_request', violations: [{ field: 'send_at' }] });
    const answer = await grpcApp(app).rescheduleMessage(
      { id: message.id, send_at: { seconds: '1795770000', nanos: 0 } },
      metadata,
      tenant,
    );
    expect(app.reschedules).toEqual([{ sendAt: '2026-11-27T09:00:00.000Z' }]);
    expect(answer).toMatchObject({
      pending: false,
      message: { status: 'MESSAGE_STATUS_CANCELED' },
    });
  });

  it('CancelMessage tells a late answer by `pending`', async () => {
    const app = new RecordingApp();
    app.outcome = { status: 'pending', message: { ...message, status: 'queued' }, replayed: false };
    expect(await grpcApp(app).cancelMessage({ id: message.id }, metadata, tenant)).toMatchObject({
      pending: true,
      message: { status: 'MESSAGE_STATUS_QUEUED' },
    });
  });

  it('ListMessages caps the page size and passes the filters', async () => {
    const app = new RecordingApp();
    const page = await grpcApp(app).listMessages(
      {
        status: 'MESSAGE_STATUS_SCHEDULED',
        page_size: 500,
        page_token: '',
        create_time_after: null,
        to: '+15551230001',
      },
      tenant,
    );
    expect(app.lists).toEqual([{ status: 'scheduled', to: '+15551230001', limit: 100 }]);
    expect(page.next_page_token).toBe('');
  });
});
