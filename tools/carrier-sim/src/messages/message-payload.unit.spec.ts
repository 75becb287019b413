import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deliveryErrorCatalogue } from '../telnyx-errors.js';
import {
  type CarrierMessage,
  type WebhookEventData,
  inboundPayload,
  outboundPayload,
  webhookEvent,
} from './message-payload.js';

interface Fixture {
  data: WebhookEventData;
  meta: { attempt: number; delivered_to: string };
}

function fixture(name: string): Fixture {
  const url = new URL(`../../testdata/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Fixture;
}

const outbound: CarrierMessage = {
  id: '40385f64-5717-4562-b3fc-2c963f66afa6',
  direction: 'outbound',
  type: 'SMS',
  from: '+15555550100',
  to: '+15555550199',
  text: 'Hello, World!',
  subject: null,
  mediaUrls: [],
  encoding: 'GSM-7',
  parts: 1,
  numChars: 13,
  messagingProfileId: '4000eba1-a0c0-4563-9925-b25e842a7cb6',
  organizationId: 'b448f9cc-a842-4784-98e9-03c1a5872950',
  webhookUrl: 'https://www.example.com/hooks',
  webhookFailoverUrl: null,
  receivedAt: new Date('2026-01-23T18:10:02.574Z'),
  validUntil: new Date('2026-01-23T22:10:02.574Z'),
};
const sentAt = new Date('2026-01-23T18:10:02.611Z');
const completedAt = new Date('2026-01-23T18:10:04.120Z');

/** The event as built, with the random event id swapped for the fixture's. */
function built(event: WebhookEventData, like: Fixture): WebhookEventData {
  return { ...event, id: like.data.id };
}

describe('Telnyx payloads match the fixtures derived from the Telnyx docs', () => {
  it('message.sent', () => {
    const expected = fixture('message-sent.json');
    const event = webhookEvent(
      'message.sent',
      outboundPayload(outbound, { status: 'sent', sentAt }),
      sentAt,
    );
    expect(built(event, expected)).toEqual(expected.data);
  });

  it('message.finalized, delivered', () => {
    const expected = fixture('message-finalized-delivered.json');
    const payload = outboundPayload(outbound, { status: 'delivered', sentAt, completedAt });
    const event = webhookEvent('message.finalized', payload, completedAt);
    expect(built(event, expected)).toEqual(expected.data);
  });

  it('message.finalized, delivery failed', () => {
    const expected = fixture('message-finalized-delivery-failed.json');
    const payload = outboundPayload(outbound, {
      status: 'delivery_failed',
      sentAt,
      completedAt,
      errors: [deliveryErrorCatalogue.delivery_failed],
    });
    const event = webhookEvent('message.finalized', payload, completedAt);
    expect(built(event, expected)).toEqual(expected.data);
  });

  it('message.received', () => {
    const expected = fixture('message-received.json');
    const inbound: CarrierMessage = {
      ...outbound,
      id: '7ee4241c-f127-47e5-9c34-3aac291f8058',
      direction: 'inbound',
      from: '+15555550199',
      to: '+15555550100',
      text: 'STOP',
      numChars: 4,
      validUntil: null,
    };
    const event = webhookEvent('message.received', inboundPayload(inbound), inbound.receivedAt);
    expect(built(event, expected)).toEqual(expected.data);
  });

  it('a queued answer has no sent or completed time', () => {
    const payload = outboundPayload(outbound, { status: 'queued' });
    expect(payload).toMatchObject({ sent_at: null, completed_at: null, errors: [] });
    expect(payload.to[0]?.status).toBe('queued');
  });
});
