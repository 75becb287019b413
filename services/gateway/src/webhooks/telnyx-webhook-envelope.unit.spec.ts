import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { telnyxWebhookEnvelopeOf } from './telnyx-webhook-envelope.js';

const payload = {
  id: '40385f64-5717-4562-b3fc-2c963f66afa6',
  to: [{ phone_number: '+15555550123', status: 'teleported' }],
  errors: [{ code: '99999' }],
};

describe("the gateway's read of a Telnyx webhook: the envelope only", () => {
  it('takes the ids, the type and the time, and forwards the payload as it came', () => {
    const envelope = telnyxWebhookEnvelopeOf({
      data: {
        id: 'evt-1',
        event_type: 'message.finalized',
        occurred_at: '2026-11-26T12:00:02.512+00:00',
        payload,
      },
    });
    expect(envelope).toEqual({
      webhookId: 'evt-1',
      eventType: 'message.finalized',
      subject: { kind: 'message', id: payload.id },
      occurredAt: new Date('2026-11-26T12:00:02.512Z'),
      payload,
    });
    // Not interpreted here (an unknown status and code pass through): messaging's adapter reads them.
    expect(envelope.payload).toBe(payload);
  });

  it.each([
    [
      '10dlc.campaign.update',
      { campaignId: 'C1', brandId: 'B1', status: 'ACCEPTED' },
      { kind: 'registration', id: 'C1' },
    ],
    [
      '10dlc.brand.update',
      { brandId: 'B1', status: 'success' },
      { kind: 'registration', id: 'B1' },
    ],
    [
      '10dlc.phone_number.update',
      { phoneNumber: '+15125550142', status: 'success' },
      { kind: 'registration', id: '+15125550142' },
    ],
    [
      'messaging_tollfree.verification.update',
      { id: 'VR1', verificationStatus: 'Verified' },
      { kind: 'registration', id: 'VR1' },
    ],
  ])(
    'keys a %s by the resource it is about, not a message (10DLC payloads have no id)',
    (eventType, resourcePayload, subject) => {
      const envelope = telnyxWebhookEnvelopeOf({
        data: { id: 'evt-2', event_type: eventType, payload: resourcePayload },
      });
      expect(envelope.subject).toEqual(subject);
      expect(envelope.payload).toBe(resourcePayload);
    },
  );

  it.each([
    ['no data.id', { event_type: 'message.sent', payload }, { webhookId: null }],
    ['a numeric data.id', { id: 7, event_type: 'message.sent', payload }, { webhookId: null }],
    [
      'an unreadable occurred_at',
      { event_type: 'message.sent', occurred_at: 'yesterday', payload },
      { occurredAt: null },
    ],
  ])('leaves what is missing to the receiver: %s', (_name, data, expected) => {
    expect(telnyxWebhookEnvelopeOf({ data })).toMatchObject(expected);
  });

  it.each([
    ['no data', {}],
    ['no payload', { data: { event_type: 'message.sent' } }],
    ['no event_type', { data: { payload } }],
    ['no payload.id', { data: { event_type: 'message.sent', payload: { to: [] } } }],
    [
      'a 10DLC update naming no resource',
      { data: { event_type: '10dlc.brand.update', payload: { status: 'success' } } },
    ],
    [
      'a 10DLC update with an empty campaignId',
      { data: { event_type: '10dlc.campaign.update', payload: { campaignId: '' } } },
    ],
    ['an array payload', { data: { event_type: 'message.sent', payload: [payload] } }],
    ['not an object', 'message.sent'],
  ])('refuses a body with %s as no Telnyx event (400)', (_name, body) => {
    expect(() => telnyxWebhookEnvelopeOf(body)).toThrow(ApiError);
    expect(() => telnyxWebhookEnvelopeOf(body)).toThrow(
      /not a Telnyx messaging or registration event/,
    );
  });
});
