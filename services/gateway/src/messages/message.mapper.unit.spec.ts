import { describe, expect, it } from 'vitest';
import type { MessageResource } from './message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { fromRequestTimestamp, fromTimestampProto, toTimestampProto } from '../grpc/timestamps.js';
import {
  toMessageProto,
  toMessageResource,
  toMessageListQuery,
  toSendMessageInput,
  toWatchMessagesResponse,
} from './message.mapper.js';

function delivered(overrides: Partial<MessageResource> = {}): MessageResource {
  return {
    id: '0193a1b2-0000-7000-8000-000000000001',
    direction: 'outbound',
    status: 'delivered',
    to: '+15551230001',
    from: '+15557654321',
    contactId: null,
    templateId: null,
    templateVersion: null,
    body: 'Your table is ready',
    mediaUrls: ['https://cdn.example.com/a.jpg'],
    purpose: 'transactional',
    encoding: 'GSM-7',
    segments: 1,
    carrierMessageId: 'telnyx-42',
    errorCode: null,
    errorDetail: null,
    reason: null,
    reasons: [],
    reasonDetail: null,
    sendAt: null,
    waitingFor: null,
    createdAt: '2026-11-26T21:00:00.125Z',
    updatedAt: '2026-11-26T21:00:03.500Z',
    sentAt: '2026-11-26T21:00:01.000Z',
    deliveredAt: '2026-11-26T21:00:03.500Z',
    cost: null,
    ...overrides,
  };
}

describe('timestamps', () => {
  it('splits an ISO instant into seconds and nanos', () => {
    expect(toTimestampProto('2026-11-26T21:00:00.125Z')).toEqual({
      seconds: '1795726800',
      nanos: 125_000_000,
    });
  });

  it('keeps microseconds and honours offsets', () => {
    expect(toTimestampProto('2026-11-26T22:00:00.123456+01:00')).toEqual({
      seconds: '1795726800',
      nanos: 123_456_000,
    });
  });

  it('handles instants before the epoch with positive nanos', () => {
    expect(toTimestampProto('1969-12-31T23:59:59.250Z')).toEqual({
      seconds: '-1',
      nanos: 250_000_000,
    });
    expect(fromTimestampProto({ seconds: '-1', nanos: 250_000_000 })).toBe(
      '1969-12-31T23:59:59.250Z',
    );
  });

  it('refuses what is not an instant', () => {
    expect(() => toTimestampProto('yesterday')).toThrow(/ISO 8601/);
  });

  it("accepts a client's timestamp across the documented range, to the nanosecond bounds", () => {
    expect(fromRequestTimestamp({ seconds: '-62135596800', nanos: 0 }, 'at')).toBe(
      '0001-01-01T00:00:00.000Z',
    );
    expect(fromRequestTimestamp({ seconds: '253402300799', nanos: 999_999_999 }, 'at')).toBe(
      '9999-12-31T23:59:59.999Z',
    );
  });

  it.each([
    ['seconds past 9999-12-31T23:59:59Z', { seconds: '253402300800', nanos: 0 }, 'at.seconds'],
    ['seconds before 0001-01-01T00:00:00Z', { seconds: '-62135596801', nanos: 0 }, 'at.seconds'],
    ['seconds far past any date', { seconds: '99999999999999', nanos: 0 }, 'at.seconds'],
    ['negative nanos', { seconds: '0', nanos: -5 }, 'at.nanos'],
    ['nanos of a whole second', { seconds: '0', nanos: 1_000_000_000 }, 'at.nanos'],
  ])("refuses a client's timestamp with %s, naming the field", (_case, timestamp, field) => {
    let thrown: unknown;
    try {
      fromRequestTimestamp(timestamp, 'at');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ kind: 'invalid_request', violations: [{ field }] });
  });
});

describe('toMessageProto', () => {
  it('maps every field, enums by name and times as timestamps', () => {
    const cost = { amount: 11_300, currency: 'USD', segments: 1, carrierFee: 3_000 };
    expect(toMessageProto(delivered({ cost }))).toEqual({
      id: '0193a1b2-0000-7000-8000-000000000001',
      direction: 'MESSAGE_DIRECTION_OUTBOUND',
      status: 'MESSAGE_STATUS_DELIVERED',
      to: '+15551230001',
      from: '+15557654321',
      contact_id: null,
      template_id: null,
      template_version: null,
      body: 'Your table is ready',
      media_urls: ['https://cdn.example.com/a.jpg'],
      purpose: 'MESSAGE_PURPOSE_TRANSACTIONAL',
      encoding: 'MESSAGE_ENCODING_GSM_7',
      segments: 1,
      carrier_message_id: 'telnyx-42',
      error_code: null,
      error_detail: null,
      create_time: { seconds: '1795726800', nanos: 125_000_000 },
      update_time: { seconds: '1795726803', nanos: 500_000_000 },
      send_time: { seconds: '1795726801', nanos: 0 },
      deliver_time: { seconds: '1795726803', nanos: 500_000_000 },
      reason: null,
      reasons: [],
      reason_detail: null,
      send_at: null,
      waiting_for: null,
      // Money in micro-units, int64 as proto-loader writes it (a string).
      cost: { amount_micros: '11300', currency: 'USD', segments: 1, carrier_fee_micros: '3000' },
    });
  });

  it('leaves absent purpose and times unset for an inbound message', () => {
    const proto = toMessageProto(
      delivered({
        direction: 'inbound',
        status: 'received',
        purpose: null,
        encoding: 'UCS-2',
        sentAt: null,
        deliveredAt: null,
        cost: null,
      }),
    );
    expect(proto).toMatchObject({
      direction: 'MESSAGE_DIRECTION_INBOUND',
      status: 'MESSAGE_STATUS_RECEIVED',
      purpose: 'MESSAGE_PURPOSE_UNSPECIFIED',
      encoding: 'MESSAGE_ENCODING_UCS_2',
      send_time: null,
      deliver_time: null,
    });
  });
});

describe('toMessageResource', () => {
  it('inverts toMessageProto', () => {
    const failed = delivered({
      status: 'failed',
      errorCode: '40300',
      errorDetail: 'Blocked',
      deliveredAt: null,
      cost: null,
    });
    const proto = toMessageProto(failed);
    const decoded = {
      ...proto,
      carrier_message_id: proto.carrier_message_id ?? undefined,
      error_code: proto.error_code ?? undefined,
      error_detail: proto.error_detail ?? undefined,
    };
    expect(toMessageResource(decoded)).toEqual(failed);
  });

  it('carries the reasons of a blocked message and the send time of a held one, both ways', () => {
    const blocked = delivered({
      status: 'blocked',
      reason: 'no_marketing_consent',
      reasons: ['no_marketing_consent', 'content_rejected'],
      reasonDetail: 'no marketing consent for sms is on record',
      sentAt: null,
      deliveredAt: null,
      cost: null,
      carrierMessageId: null,
    });
    const blockedProto = toMessageProto(blocked);
    expect(blockedProto).toMatchObject({
      status: 'MESSAGE_STATUS_BLOCKED',
      reason: 'no_marketing_consent',
      reasons: ['no_marketing_consent', 'content_rejected'],
      send_at: null,
    });
    const scheduled = delivered({
      status: 'scheduled',
      reason: 'quiet_hours_held',
      reasons: ['quiet_hours_held'],
      sendAt: '2026-11-27T14:00:00.000Z',
      sentAt: null,
      deliveredAt: null,
      cost: null,
    });
    const scheduledProto = toMessageProto(scheduled);
    expect(scheduledProto.status).toBe('MESSAGE_STATUS_SCHEDULED');
    for (const [resource, proto] of [
      [blocked, blockedProto],
      [scheduled, scheduledProto],
    ] as const) {
      expect(
        toMessageResource({
          ...proto,
          carrier_message_id: proto.carrier_message_id ?? undefined,
          error_code: undefined,
          error_detail: undefined,
        }),
      ).toEqual(resource);
    }
  });

  it('refuses an enum number it does not know', () => {
    const decoded = { ...toMessageProto(delivered()), status: 42, carrier_message_id: undefined };
    expect(() =>
      toMessageResource({ ...decoded, error_code: undefined, error_detail: undefined }),
    ).toThrow(/status/);
  });
});

describe('toSendMessageInput', () => {
  it('passes only the fields the caller set', () => {
    expect(
      toSendMessageInput({
        to: '+15551230001',
        media_urls: [],
        purpose: 'MESSAGE_PURPOSE_UNSPECIFIED',
        send_at: null,
      }),
    ).toEqual({ to: '+15551230001' });
  });

  it('maps every field', () => {
    expect(
      toSendMessageInput({
        to: '+15551230001',
        from: '+15557654321',
        body: '',
        media_urls: ['https://cdn.example.com/a.jpg'],
        purpose: 'MESSAGE_PURPOSE_MARKETING',
        idempotency_key: 'k-1',
        send_at: { seconds: '1795726803', nanos: 500_000_000 },
      }),
    ).toEqual({
      to: '+15551230001',
      from: '+15557654321',
      body: '',
      mediaUrls: ['https://cdn.example.com/a.jpg'],
      purpose: 'marketing',
      sendAt: '2026-11-26T21:00:03.500Z',
    });
  });

  it('passes a template and its pinned version instead of a body', () => {
    expect(
      toSendMessageInput({
        to: '',
        contact_id: 'crm:42',
        template_id: '0193a1b2-0000-7000-8000-0000000000aa',
        template_version: 2,
        media_urls: [],
        purpose: 'MESSAGE_PURPOSE_UNSPECIFIED',
        send_at: null,
      }),
    ).toEqual({
      contactId: 'crm:42',
      templateId: '0193a1b2-0000-7000-8000-0000000000aa',
      templateVersion: 2,
    });
  });

  it('refuses an unknown purpose as an invalid request naming the field', () => {
    let thrown: unknown;
    try {
      toSendMessageInput({ to: '+15551230001', media_urls: [], purpose: 9, send_at: null });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ kind: 'invalid_request', violations: [{ field: 'purpose' }] });
  });
});

describe('a message sent from a template', () => {
  it('carries the template id and version both ways', () => {
    const message = delivered({
      templateId: '0193a1b2-0000-7000-8000-0000000000aa',
      templateVersion: 3,
    });
    const proto = toMessageProto(message);
    expect(proto).toMatchObject({
      template_id: '0193a1b2-0000-7000-8000-0000000000aa',
      template_version: 3,
    });
    expect(toMessageResource(proto)).toEqual(message);
  });
});

describe('toWatchMessagesResponse', () => {
  it('carries the message, the event type and its time', () => {
    const response = toWatchMessagesResponse({
      message: delivered(),
      eventType: 'messaging.MessageDelivered.v1',
      occurredAt: '2026-11-26T21:00:03.500Z',
    });
    expect(response.event_type).toBe('messaging.MessageDelivered.v1');
    expect(response.event_time).toEqual({ seconds: '1795726803', nanos: 500_000_000 });
    expect(response.message.status).toBe('MESSAGE_STATUS_DELIVERED');
  });
});

describe('scheduled and canceled messages', () => {
  it('maps a scheduled message with its sendAt and reason, and back', () => {
    const scheduled = delivered({
      status: 'scheduled',
      reason: 'scheduled',
      reasons: ['scheduled'],
      sendAt: '2026-11-27T09:00:00.000Z',
      sentAt: null,
      deliveredAt: null,
      cost: null,
      carrierMessageId: null,
    });
    const proto = toMessageProto(scheduled);
    expect(proto).toMatchObject({
      status: 'MESSAGE_STATUS_SCHEDULED',
      reason: 'scheduled',
      send_at: { seconds: '1795770000', nanos: 0 },
      waiting_for: null,
    });
    expect(toMessageResource(proto)).toEqual(scheduled);
  });

  it('maps canceled both ways and a queued message waiting for its turn (waiting_for unset)', () => {
    const canceled = delivered({ status: 'canceled', sentAt: null, deliveredAt: null });
    expect(toMessageProto(canceled).status).toBe('MESSAGE_STATUS_CANCELED');
    expect(toMessageResource(toMessageProto(canceled)).status).toBe('canceled');
    const queued = toMessageProto(delivered({ status: 'queued' }));
    expect(queued.waiting_for).toBeNull();
    expect(toMessageResource({ ...queued, waiting_for: undefined }).waitingFor).toBeNull();
    expect(toMessageResource({ ...queued, waiting_for: 'funds' }).waitingFor).toBe('funds');
    expect(
      toMessageResource({ ...queued, waiting_for: 'a-gate-of-tomorrow' }).waitingFor,
    ).toBeNull();
  });
});

describe('toMessageListQuery', () => {
  const unset = {
    status: 'MESSAGE_STATUS_UNSPECIFIED',
    page_size: 0,
    page_token: '',
    create_time_after: null,
  } as const;

  it('leaves unset filters out', () => {
    expect(toMessageListQuery(unset, 50)).toEqual({ limit: 50 });
  });

  it('maps every filter', () => {
    expect(
      toMessageListQuery(
        {
          ...unset,
          status: 'MESSAGE_STATUS_CANCELED',
          contact_id: 'crm:42',
          to: '+15551230001',
          from: '+15557654321',
          create_time_after: { seconds: '1795726803', nanos: 0 },
          page_token: 'abc',
        },
        10,
      ),
    ).toEqual({
      status: 'canceled',
      contactId: 'crm:42',
      to: '+15551230001',
      from: '+15557654321',
      createdAfter: '2026-11-26T21:00:03.000Z',
      cursor: 'abc',
      limit: 10,
    });
  });

  it('refuses an unknown status naming the field', () => {
    expect(() => toMessageListQuery({ ...unset, status: 99 }, 50)).toThrow(
      expect.objectContaining({
        kind: 'invalid_request',
        violations: [expect.objectContaining({ field: 'status' })],
      }),
    );
  });
});
