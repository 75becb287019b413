import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTelnyxWebhook } from './telnyx-webhook.js';

interface Fixture {
  data: { event_type: string; occurred_at: string; payload: Record<string, unknown> };
}

function fixture(name: string): Fixture {
  return JSON.parse(
    readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8'),
  ) as Fixture;
}

function parse(name: string) {
  const { data } = fixture(name);
  return parseTelnyxWebhook(data.event_type, data.payload, data.occurred_at);
}

describe('Telnyx webhook parsing', () => {
  it('reads a delivered receipt', () => {
    expect(parse('message-finalized-delivered')).toEqual({
      kind: 'status',
      carrierMessageId: '40385f64-5717-4562-b3fc-2c963f66afa6',
      status: 'delivered',
      carrierStatus: 'delivered',
      errorCode: null,
      errorDetail: null,
      occurredAt: new Date('2026-11-26T12:00:02.512Z'),
    });
  });

  it('reads a sent receipt', () => {
    expect(parse('message-sent')).toEqual({
      kind: 'status',
      carrierMessageId: '40385f64-5717-4562-b3fc-2c963f66afa6',
      status: 'sent',
      carrierStatus: 'sent',
      errorCode: null,
      errorDetail: null,
      occurredAt: new Date('2026-01-23T18:10:02.611Z'),
    });
  });

  it('keeps the carrier error code of a failed delivery', () => {
    expect(parse('message-finalized-delivery-failed')).toMatchObject({
      kind: 'status',
      status: 'undelivered',
      carrierStatus: 'delivery_failed',
      errorCode: '40002',
      errorDetail: 'The message was flagged by the carrier as spam.',
    });
  });

  it('reads an inbound text with its media', () => {
    expect(parse('message-received')).toEqual({
      kind: 'inbound',
      carrierMessageId: 'b301ed3f-1490-491f-995f-6e64e69674d4',
      from: '+15555550123',
      to: '+15555550100',
      body: 'See you then',
      mediaUrls: ['https://media.example.com/cat.jpg'],
      receivedAt: new Date('2026-11-26T12:04:59.900Z'),
    });
  });

  it('ignores what it does not understand, saying why', () => {
    expect(
      parseTelnyxWebhook(
        'message.sent',
        { id: 'x', to: [{ status: 'teleported' }] },
        '2026-11-26T12:00:00Z',
      ),
    ).toEqual({ kind: 'ignored', reason: 'message.sent with unknown status teleported' });
    expect(parseTelnyxWebhook('message.deleted', { id: 'x' }, '2026-11-26T12:00:00Z')).toEqual({
      kind: 'ignored',
      reason: 'event type message.deleted is not handled',
    });
  });

  it("passes over another context's webhooks (registration's 10DLC updates) without a word", () => {
    for (const type of ['10dlc.campaign.update', 'call.initiated']) {
      expect(parseTelnyxWebhook(type, { campaignId: 'C1' }, '2026-11-26T12:00:00Z')).toEqual({
        kind: 'not_messaging',
      });
    }
  });
});
