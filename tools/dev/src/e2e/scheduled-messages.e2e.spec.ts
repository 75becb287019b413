import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiKeyMetadata,
  messagingClient,
  type MessagingClient,
  unary,
} from '../platform/grpc-client.js';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Message {
  id: string;
  status: string;
  to: string;
  reason: string | null;
  sendAt: string | null;
  waitingFor: string | null;
}

interface Problem {
  code?: string;
  errors?: Array<{ field: string }>;
}

const secondsFromNow = (seconds: number): string =>
  new Date(Date.now() + seconds * 1000).toISOString();

describe('scheduled messages end to end', () => {
  let tenant: TestTenant;
  let grpcClient: MessagingClient;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Schedule Co');
    grpcClient = messagingClient(stack.urls.gatewayGrpc);
  });

  afterAll(() => grpcClient.close());

  const messages = `${stack.urls.gatewayHttp}/v1/messages`;
  const get = (id: string) => call<Message>(`${messages}/${id}`, { headers: bearer(tenant) });

  it('sends a message at its (rescheduled) sendAt, never a canceled one; a delivered one cannot be canceled', async () => {
    // Two messages for the same moment, about 5 s ahead: one is moved 2 s later, one canceled.
    const sendAt = secondsFromNow(5);
    const [kept, dropped] = await Promise.all(
      ['Your table is ready at 7', 'Never mind'].map((body) =>
        call<Message>(messages, {
          headers: bearer(tenant),
          body: { to: randomPhone(), body, sendAt },
        }),
      ),
    );
    for (const answer of [kept, dropped]) {
      expect(answer?.status).toBe(202);
      expect(answer?.body).toMatchObject({
        status: 'scheduled',
        reason: 'scheduled',
        sendAt,
        waitingFor: null,
      });
    }
    if (!kept || !dropped) throw new Error('both sends answered');

    const later = new Date(Date.parse(sendAt) + 2000).toISOString();
    const moved = await call<Message>(`${messages}/${kept.body.id}`, {
      method: 'PATCH',
      headers: bearer(tenant),
      body: { sendAt: later },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'scheduled', reason: 'scheduled', sendAt: later });

    const canceled = await call<Message>(`${messages}/${dropped.body.id}/cancel`, {
      method: 'POST',
      headers: { ...bearer(tenant), 'idempotency-key': `cancel-${dropped.body.id}` },
    });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ id: dropped.body.id, status: 'canceled', sendAt: null });

    const [received] = await eventually(
      async () => {
        const got = await carrierReceived(stack, kept.body.to);
        return got.length > 0 ? got : undefined;
      },
      { what: 'the carrier to receive the scheduled message' },
    );
    // Not before its (new) time: the carrier's clock and ours are this machine's.
    expect(Date.parse(received?.received_at ?? '')).toBeGreaterThanOrEqual(Date.parse(later));
    await eventually(
      async () => ((await get(kept.body.id)).body.status === 'delivered' ? true : undefined),
      { what: 'the scheduled message to be delivered' },
    );

    // The canceled one's time has passed too: it never reached the carrier, and stays canceled.
    expect(Date.now()).toBeGreaterThan(Date.parse(sendAt));
    expect(await carrierReceived(stack, dropped.body.to)).toEqual([]);
    expect((await get(dropped.body.id)).body.status).toBe('canceled');

    const tooLate = await call<Problem>(`${messages}/${kept.body.id}/cancel`, {
      method: 'POST',
      headers: bearer(tenant),
    });
    expect(tooLate.status).toBe(409);
    expect(tooLate.headers.get('content-type')).toContain('application/problem+json');
    expect(tooLate.body.code).toBe('message_not_cancelable');

    const listed = await call<{ items: Message[] }>(`${messages}?status=canceled`, {
      headers: bearer(tenant),
    });
    expect(listed.body.items.map((m) => m.id)).toContain(dropped.body.id);
    expect(listed.body.items.map((m) => m.id)).not.toContain(kept.body.id);
  });

  it('refuses a sendAt in the past with 422 naming it, and sends nothing', async () => {
    const to = randomPhone();
    const refused = await call<Problem>(messages, {
      headers: bearer(tenant),
      body: { to, body: 'Too late', sendAt: secondsFromNow(-120) },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'sendAt' })]);
    const listed = await call<{ items: Message[] }>(`${messages}?to=${encodeURIComponent(to)}`, {
      headers: bearer(tenant),
    });
    expect(listed.body.items).toEqual([]);
  });

  it('schedules and cancels over gRPC', async () => {
    const metadata = apiKeyMetadata(tenant.apiKey);
    const sendAt = { seconds: String(Math.floor(Date.now() / 1000) + 3600), nanos: 0 };
    const sent = await unary(
      grpcClient.SendMessage,
      grpcClient,
      { to: randomPhone(), body: 'In an hour', send_at: sendAt },
      metadata,
    );
    expect(sent.message).toMatchObject({
      status: 'MESSAGE_STATUS_SCHEDULED',
      reason: 'scheduled',
      send_at: sendAt,
    });
    const canceled = await unary(
      grpcClient.CancelMessage,
      grpcClient,
      { id: sent.message.id },
      metadata,
    );
    expect(canceled).toMatchObject({
      pending: false,
      message: { id: sent.message.id, status: 'MESSAGE_STATUS_CANCELED' },
    });
    await expect(
      unary(grpcClient.CancelMessage, grpcClient, { id: sent.message.id }, metadata),
    ).rejects.toMatchObject({ code: 9 }); // FAILED_PRECONDITION
  });
});
