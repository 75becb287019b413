import { readFileSync } from 'node:fs';
import type { CarrierWebhookReceived } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import { reportOfCarrierWebhook } from './carrier-webhook.js';

/** A Telnyx fixture as the gateway records it (gateway.CarrierWebhookReceived.v1). */
function recorded(name: string): CarrierWebhookReceived {
  const { data } = JSON.parse(
    readFileSync(new URL(`./telnyx/testdata/${name}.json`, import.meta.url), 'utf8'),
  ) as {
    data: { id: string; event_type: string; occurred_at: string; payload: Record<string, unknown> };
  };
  return {
    webhookId: data.id,
    carrier: 'telnyx',
    eventType: data.event_type,
    occurredAt: new Date(data.occurred_at).toISOString(),
    payload: data.payload,
    receivedAt: '2026-11-26T12:00:03.000Z',
  };
}

describe('a recorded carrier webhook, in textplane terms', () => {
  it("is read by its carrier's adapter", () => {
    expect(reportOfCarrierWebhook(recorded('message-finalized-delivery-failed'))).toEqual({
      kind: 'status',
      carrierMessageId: '40385f64-5717-4562-b3fc-2c963f66afa7',
      status: 'undelivered',
      carrierStatus: 'delivery_failed',
      errorCode: '40002',
      errorDetail: 'The message was flagged by the carrier as spam.',
      occurredAt: new Date('2026-11-26T12:00:03.000Z'),
    });
    expect(reportOfCarrierWebhook(recorded('message-received'))).toMatchObject({
      kind: 'inbound',
      from: '+15555550123',
      to: '+15555550100',
    });
  });
});
