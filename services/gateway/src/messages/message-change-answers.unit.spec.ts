import { describe, expect, it } from 'vitest';
import type { MessageChangeNotice } from './message-read-model.js';
import type { MessageResource } from './message.resource.js';
import {
  cancelAnswer,
  isCancelable,
  isReschedulable,
  rescheduleAnswer,
} from './message-change-answers.js';

const now = new Date('2026-11-26T21:00:00.000Z');
const requestedAt = '2026-11-26T21:00:00.000Z';
const sendAt = '2026-11-27T09:00:00.000Z';
const newSendAt = '2026-11-28T09:00:00.000Z';

function message(overrides: Partial<MessageResource>): MessageResource {
  return {
    id: '0193a1b2-0000-7000-8000-000000000001',
    direction: 'outbound',
    status: 'scheduled',
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
    reason: 'scheduled',
    reasons: ['scheduled'],
    reasonDetail: null,
    sendAt,
    waitingFor: null,
    createdAt: '2026-11-26T20:00:00.000Z',
    updatedAt: '2026-11-26T20:00:00.000Z',
    sentAt: null,
    deliveredAt: null,
    cost: null,
    ...overrides,
  };
}

const unscheduled: Partial<MessageResource> = { reason: null, reasons: [], sendAt: null };

function refusalNotice(eventType: string, status: string, at = requestedAt): MessageChangeNotice {
  return {
    tenantId: 't',
    messageId: 'm',
    eventType,
    occurredAt: at,
    refusal: { status, requestedAt: at },
  };
}

describe('what the gateway checks before recording a change', () => {
  it.each([
    ['queued', true],
    ['scheduled', true],
    ['sending', false],
    ['sent', false],
    ['delivered', false],
    ['blocked', false],
    ['canceled', false],
  ] as const)('a %s message is cancelable: %s', (status, expected) => {
    expect(isCancelable(message({ status }))).toBe(expected);
  });

  it('reschedules only a message scheduled for the client, its time still ahead', () => {
    expect(isReschedulable(message({}), now)).toBe(true);
    expect(isReschedulable(message({ sendAt: now.toISOString() }), now)).toBe(false);
    expect(isReschedulable(message({ reason: 'quiet_hours_held' }), now)).toBe(false);
    expect(isReschedulable(message({ status: 'queued', ...unscheduled }), now)).toBe(false);
    expect(isReschedulable(message({ status: 'sending', ...unscheduled }), now)).toBe(false);
  });
});

describe('cancelAnswer', () => {
  it('waits while the message is still scheduled or queued and nothing was heard', () => {
    expect(cancelAnswer(message({}), [], requestedAt)).toBeNull();
    expect(cancelAnswer(message({ status: 'queued', ...unscheduled }), [], requestedAt)).toBeNull();
  });

  it('is applied once the message shows canceled', () => {
    const canceled = message({ status: 'canceled', ...unscheduled });
    expect(cancelAnswer(canceled, [], requestedAt)).toEqual({
      outcome: 'applied',
      message: canceled,
    });
  });

  it('is refused by its own refusal, not by an earlier request’s', () => {
    const refusal = refusalNotice('messaging.MessageCancelRejected.v1', 'sending');
    expect(cancelAnswer(message({}), [refusal], requestedAt)).toEqual({
      outcome: 'refused',
      status: 'sending',
    });
    const earlier = refusalNotice(
      'messaging.MessageCancelRejected.v1',
      'sending',
      '2026-11-26T20:59:00.000Z',
    );
    expect(cancelAnswer(message({}), [earlier], requestedAt)).toBeNull();
    const reschedule = refusalNotice('messaging.MessageRescheduleRejected.v1', 'queued');
    expect(cancelAnswer(message({}), [reschedule], requestedAt)).toBeNull();
  });

  it('is refused once the message is seen sending or later', () => {
    expect(cancelAnswer(message({ status: 'delivered', ...unscheduled }), [], requestedAt)).toEqual(
      { outcome: 'refused', status: 'delivered' },
    );
  });
});

describe('rescheduleAnswer', () => {
  it('waits while the message still shows its old time', () => {
    expect(rescheduleAnswer(message({}), [], requestedAt, newSendAt)).toBeNull();
  });

  it('is applied once the message shows the new time (any spelling of the instant)', () => {
    const moved = message({ sendAt: newSendAt });
    expect(rescheduleAnswer(moved, [], requestedAt, '2026-11-28T04:00:00-05:00')).toEqual({
      outcome: 'applied',
      message: moved,
    });
  });

  it('is applied when its MessageRescheduled was heard though the message moved on since', () => {
    const sending = message({ status: 'sending', ...unscheduled });
    const notice: MessageChangeNotice = {
      tenantId: 't',
      messageId: 'm',
      eventType: 'messaging.MessageRescheduled.v1',
      occurredAt: requestedAt,
      message: { send_at: newSendAt },
    };
    expect(rescheduleAnswer(sending, [notice], requestedAt, newSendAt)).toEqual({
      outcome: 'applied',
      message: sending,
    });
  });

  it('is refused by its refusal (its status and reason), or a message past scheduling', () => {
    const refusal: MessageChangeNotice = {
      ...refusalNotice('messaging.MessageRescheduleRejected.v1', 'scheduled'),
      refusal: { status: 'scheduled', reason: 'quiet_hours_held', requestedAt },
    };
    expect(rescheduleAnswer(message({}), [refusal], requestedAt, newSendAt)).toEqual({
      outcome: 'refused',
      status: 'scheduled',
      reason: 'quiet_hours_held',
    });
    expect(
      rescheduleAnswer(message({ reason: 'quiet_hours_held' }), [], requestedAt, newSendAt),
    ).toEqual({ outcome: 'refused', status: 'scheduled', reason: 'quiet_hours_held' });
    expect(
      rescheduleAnswer(message({ status: 'sent', ...unscheduled }), [], requestedAt, newSendAt),
    ).toEqual({ outcome: 'refused', status: 'sent' });
  });
});
