import { projectionSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import { evolveMessageRow, type MessageRow, type MessageRowEvent } from './message-row.js';

const given = projectionSpecification(evolveMessageRow);
const messageId = '0193a0f0-0000-7000-8000-000000000001';
const tenantId = '0193a0f0-0000-7000-8000-0000000000aa';
const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, second)).toISOString();

const requested: MessageRowEvent = {
  type: 'gateway.SendRequested.v1',
  data: {
    messageId,
    tenantId,
    to: '+15555550123',
    from: '+15555550100',
    body: 'Your order shipped',
    mediaUrls: [],
    purpose: 'transactional',
    encoding: 'GSM-7',
    segments: 1,
    requestedAt: at(0),
  },
};
const queued: MessageRowEvent = {
  type: 'messaging.MessageQueued.v1',
  data: {
    ...requested.data,
    direction: 'outbound',
    purpose: 'transactional',
    body: 'Harbor Books: Your order shipped',
    addedText: 'Harbor Books:',
    queuedAt: at(1),
  },
};
const started: MessageRowEvent = {
  type: 'messaging.MessageSubmissionStarted.v1',
  data: { messageId, tenantId, attempt: 1, startedAt: at(2) },
};
const sent: MessageRowEvent = {
  type: 'messaging.MessageSent.v1',
  data: { messageId, tenantId, carrierMessageId: 'carrier-1', sentAt: at(3) },
};
const delivered: MessageRowEvent = {
  type: 'messaging.MessageDelivered.v1',
  data: { messageId, tenantId, carrierMessageId: 'carrier-1', deliveredAt: at(4) },
};
const held: MessageRowEvent = {
  type: 'messaging.MessageHeld.v1',
  data: {
    messageId,
    tenantId,
    reason: 'quiet_hours_held',
    sendAt: '2026-11-27T14:00:00.000Z',
    timeZone: 'America/New_York',
    heldAt: at(2),
  },
};
const blocked: MessageRowEvent = {
  type: 'messaging.MessageBlocked.v1',
  data: {
    messageId,
    tenantId,
    reason: 'recipient_opted_out',
    reasons: ['recipient_opted_out'],
    detail: 'the recipient opted out of sms',
    blockedAt: at(5),
  },
};

const accepted: MessageRow = {
  id: messageId,
  tenant_id: tenantId,
  direction: 'outbound',
  status: 'queued',
  to_number: '+15555550123',
  from_number: '+15555550100',
  contact_phone: '+15555550123',
  contact_id: null,
  template_id: null,
  template_version: null,
  bulk_send_id: null,
  body: 'Your order shipped',
  media_urls: [],
  purpose: 'transactional',
  encoding: 'GSM-7',
  segments: 1,
  carrier_message_id: null,
  error_code: null,
  error_detail: null,
  reason: null,
  reasons: null,
  reason_detail: null,
  send_at: null,
  waiting_for: null,
  created_at: at(0),
  updated_at: at(0),
  sent_at: null,
  delivered_at: null,
};

describe('evolveMessageRow', () => {
  it('shows an accepted request as queued, then takes the body as messaging queued it', () => {
    given([requested]).then(accepted);
    given([requested, queued]).then({
      ...accepted,
      body: 'Harbor Books: Your order shipped',
      updated_at: at(1),
    });
  });

  it('keeps the contact and template a send named, whichever of request and queueing comes first', () => {
    const origin = {
      contact_id: 'crm:7',
      template_id: '0193a0f0-0000-7000-8000-0000000000bb',
      template_version: 2,
    };
    const fromTemplate: MessageRowEvent = {
      type: 'gateway.SendRequested.v1',
      data: {
        ...requested.data,
        contactId: 'crm:7',
        templateId: '0193a0f0-0000-7000-8000-0000000000bb',
        templateVersion: 2,
      },
    };
    const fold = (events: MessageRowEvent[]) =>
      events.reduce<MessageRow | null>((row, event) => evolveMessageRow(row, event), null);
    expect(fold([fromTemplate])).toMatchObject(origin);
    // A queueing that does not repeat them (an older messaging) does not clear them.
    expect(fold([fromTemplate, queued])).toMatchObject({
      ...origin,
      body: 'Harbor Books: Your order shipped',
    });
    // A rebuild may meet the queueing first: the request still brings them.
    expect(fold([queued, fromTemplate])).toMatchObject(origin);
    const queuedWithOrigin: MessageRowEvent = {
      type: 'messaging.MessageQueued.v1',
      data: {
        ...queued.data,
        contactId: 'crm:7',
        templateId: '0193a0f0-0000-7000-8000-0000000000bb',
        templateVersion: 2,
      },
    };
    expect(fold([queuedWithOrigin])).toMatchObject(origin);
    expect(fold([requested])).toMatchObject({
      contact_id: null,
      template_id: null,
      template_version: null,
    });
  });

  it("keeps the bulk send that queued a message, through its life (a later request's none does not clear it)", () => {
    const bulkSendId = '0193a0f0-0000-7000-8000-0000000000cc';
    const fromBulk: MessageRowEvent = {
      type: 'messaging.MessageQueued.v1',
      data: { ...queued.data, bulkSendId },
    };
    given([fromBulk]).then({
      ...accepted,
      bulk_send_id: bulkSendId,
      body: 'Harbor Books: Your order shipped',
      created_at: at(1),
      updated_at: at(1),
    });
    const fold = (events: MessageRowEvent[]) =>
      events.reduce<MessageRow | null>((row, event) => evolveMessageRow(row, event), null);
    expect(fold([fromBulk, started, sent, delivered])).toMatchObject({
      status: 'delivered',
      bulk_send_id: bulkSendId,
    });
    expect(fold([requested, fromBulk])?.bulk_send_id).toBe(bulkSendId);
    expect(fold([fromBulk, requested])?.bulk_send_id).toBe(bulkSendId);
    // Any other message has none.
    expect(fold([requested, queued])?.bulk_send_id).toBeNull();
  });

  it('follows a message to delivered', () => {
    given([requested, queued, started, sent, delivered]).then({
      ...accepted,
      body: 'Harbor Books: Your order shipped',
      status: 'delivered',
      reasons: [],
      carrier_message_id: 'carrier-1',
      sent_at: at(3),
      delivered_at: at(4),
      updated_at: at(4),
    });
  });

  it('never leaves a final status, and a late receipt is no change at all', () => {
    const row = [requested, queued, blocked].reduce<MessageRow | null>(evolveMessageRow, null);
    expect(row).toMatchObject({ status: 'blocked', reason: 'recipient_opted_out' });
    expect(evolveMessageRow(row, sent)).toBe(row);
    expect(evolveMessageRow(row, requested)).toBe(row);
  });

  it('shows a held message as scheduled until it starts sending, then forgets the hold', () => {
    given([requested, held]).then({
      ...accepted,
      status: 'scheduled',
      reason: 'quiet_hours_held',
      reasons: ['quiet_hours_held'],
      send_at: '2026-11-27T14:00:00.000Z',
      updated_at: at(2),
    });
    given([requested, held, started]).then({
      ...accepted,
      status: 'sending',
      reasons: [],
      updated_at: at(2),
    });
  });

  it('shows what a parked message waits for while it is queued, and forgets it once it goes on', () => {
    const parked: MessageRowEvent = {
      type: 'messaging.MessageParked.v1',
      data: { messageId, tenantId, waitingFor: 'registration', parkedAt: at(2) },
    };
    given([requested, parked]).then({
      ...accepted,
      reasons: [],
      waiting_for: 'registration',
      updated_at: at(2),
    });
    // Released from quiet hours, then made to wait: queued again, the hold forgotten.
    given([requested, held, { ...parked, data: { ...parked.data, parkedAt: at(3) } }]).then({
      ...accepted,
      reasons: [],
      waiting_for: 'registration',
      updated_at: at(3),
    });
    given([requested, parked, { ...started, data: { ...started.data, startedAt: at(3) } }]).then({
      ...accepted,
      status: 'sending',
      reasons: [],
      updated_at: at(3),
    });
    given([requested, parked, blocked]).then({
      ...accepted,
      status: 'blocked',
      reason: 'recipient_opted_out',
      reasons: ['recipient_opted_out'],
      reason_detail: 'the recipient opted out of sms',
      updated_at: at(5),
    });
  });

  it('changes nothing of a message it does not know', () => {
    given([sent, delivered]).then(null);
  });

  describe('a message the client scheduled', () => {
    const scheduledHold: MessageRowEvent = {
      type: 'messaging.MessageHeld.v1',
      data: {
        messageId,
        tenantId,
        reason: 'scheduled',
        sendAt: '2026-11-28T09:30:00.000Z',
        heldAt: at(2),
      },
    };
    const rescheduled: MessageRowEvent = {
      type: 'messaging.MessageRescheduled.v1',
      data: {
        messageId,
        tenantId,
        sendAt: '2026-11-29T10:00:00.000Z',
        previousSendAt: '2026-11-28T09:30:00.000Z',
        rescheduledAt: at(3),
      },
    };
    const asScheduled: MessageRow = {
      ...accepted,
      body: 'Harbor Books: Your order shipped',
      status: 'scheduled',
      reason: 'scheduled',
      reasons: ['scheduled'],
      send_at: '2026-11-28T09:30:00.000Z',
      updated_at: at(2),
    };

    it('is scheduled with its sendAt and the reason scheduled', () => {
      given([requested, queued, scheduledHold]).then(asScheduled);
    });

    it('is scheduled from its request on when sendAt is ahead, queued when it is not', () => {
      const sendAt = '2026-11-28T09:30:00.000Z';
      const asRequested: MessageRow = {
        ...accepted,
        status: 'scheduled',
        reason: 'scheduled',
        reasons: ['scheduled'],
        send_at: sendAt,
      };
      given([{ ...requested, data: { ...requested.data, sendAt } }]).then(asRequested);
      given([{ ...queued, data: { ...queued.data, sendAt } }]).then({
        ...asRequested,
        body: 'Harbor Books: Your order shipped',
        created_at: at(1),
        updated_at: at(1),
      });
      given([{ ...requested, data: { ...requested.data, sendAt: at(0) } }]).then(accepted);
      given([{ ...requested, data: { ...requested.data, sendAt } }, queued, scheduledHold]).then(
        asScheduled,
      );
    });

    it('moves to the new sendAt when rescheduled, and the reschedule is dated', () => {
      given([requested, queued, scheduledHold, rescheduled]).then({
        ...asScheduled,
        send_at: '2026-11-29T10:00:00.000Z',
        updated_at: at(3),
      });
    });

    it('is held for quiet hours after its release, with the quiet-hours reason', () => {
      given([requested, queued, scheduledHold, held]).then({
        ...asScheduled,
        reason: 'quiet_hours_held',
        reasons: ['quiet_hours_held'],
        send_at: '2026-11-27T14:00:00.000Z',
      });
    });

    it('ignores a reschedule once it is sending', () => {
      given([requested, queued, scheduledHold, started, rescheduled]).then({
        ...accepted,
        body: 'Harbor Books: Your order shipped',
        status: 'sending',
        reasons: [],
        updated_at: at(2),
      });
    });

    it('is unchanged by refused requests (the request route waits for those answers)', () => {
      const row = [requested, queued, started, sent].reduce<MessageRow | null>(
        evolveMessageRow,
        null,
      );
      const refusals: MessageRowEvent[] = [
        {
          type: 'messaging.MessageCancelRejected.v1',
          data: { messageId, tenantId, status: 'sent', requestedAt: at(4), rejectedAt: at(4) },
        },
        {
          type: 'messaging.MessageRescheduleRejected.v1',
          data: { messageId, tenantId, status: 'sent', requestedAt: at(4), rejectedAt: at(4) },
        },
      ];
      for (const refusal of refusals) expect(evolveMessageRow(row, refusal)).toBe(row);
    });

    const canceled: MessageRowEvent = {
      type: 'messaging.MessageCanceled.v1',
      data: { messageId, tenantId, previousStatus: 'scheduled', canceledAt: at(3) },
    };

    it('is canceled, final, its hold forgotten; nothing after moves it', () => {
      const asCanceled: MessageRow = {
        ...asScheduled,
        status: 'canceled',
        reason: null,
        reasons: [],
        send_at: null,
        updated_at: at(3),
      };
      given([requested, queued, scheduledHold, canceled]).then(asCanceled);
      given([requested, queued, scheduledHold, canceled, started, sent, rescheduled]).then(
        asCanceled,
      );
    });

    it('is canceled from queued too, but not once it is sending', () => {
      given([requested, queued, canceled]).then({
        ...accepted,
        body: 'Harbor Books: Your order shipped',
        status: 'canceled',
        reasons: [],
        updated_at: at(3),
      });
      given([requested, queued, started, canceled]).then({
        ...accepted,
        body: 'Harbor Books: Your order shipped',
        status: 'sending',
        reasons: [],
        updated_at: at(2),
      });
    });
  });
});
