import type {
  AutoReplyKind,
  ComplianceReason,
  FundsHoldRequested,
  HoldReason,
  MessageWaitingFor,
  SendRequested,
} from '@textplane/contracts';

/**
 * What the carrier reported about a message, in textplane's vocabulary (the carrier outcomes
 * of the status model). A carrier adapter maps its own statuses onto these; `queued` and
 * `sending` are progress at the carrier that changes nothing here.
 */
export type CarrierDeliveryStatus =
  'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface InboundText {
  messageId: string;
  tenantId: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  carrierMessageId: string;
}

/** An outbound message to queue: a partner's send request or a compliance auto-reply. */
export type OutboundRequest = Pick<
  SendRequested,
  | 'messageId'
  | 'tenantId'
  | 'to'
  | 'from'
  | 'body'
  | 'mediaUrls'
  | 'purpose'
  | 'recipientTimeZone'
  | 'sendAt'
  | 'contactId'
  | 'templateId'
  | 'templateVersion'
  | 'timeWindow'
  | 'bulkSendId'
> & { autoReply?: AutoReplyKind };

/** What the queueing needs to know to add the brand and opt-out language a message lacks. */
export interface AdditionContext {
  brandName: string;
  firstMessageToContact: boolean;
  /** The tenant's periodic opt-out reminder is due for this contact (optOutReminderDue). */
  optOutReminderDue?: boolean;
}

/**
 * What the dispatcher's gates answered right before the carrier call (see dispatch/gates.ts):
 * send, hold until a known time, wait for an event (the message stays `queued`), or block.
 */
export type SubmissionClearance =
  | { verdict: 'send'; flags: string[] }
  | { verdict: 'hold'; sendAt: Date; reason: HoldReason; timeZone?: string }
  /**
   * Still `queued`: until `event` opens the gate, or until `until` (a rate window with room);
   * `waitingFor` is what the message is shown waiting for (absent: its turn, e.g. a paused bulk
   * send's message).
   */
  | {
      verdict: 'wait';
      event?: string;
      until?: Date;
      waitingFor?: MessageWaitingFor;
      /** The funds gate's request of billing for the message's hold, recorded as it waits. */
      holdRequest?: FundsHoldRequested;
    }
  | { verdict: 'block'; reasons: ComplianceReason[]; detail: string };

export type MessageCommand =
  | { type: 'QueueMessage'; request: OutboundRequest; additions: AdditionContext | null; now: Date }
  | { type: 'StartSubmission'; clearance: SubmissionClearance; now: Date }
  | {
      type: 'RecordCarrierAcceptance';
      carrierMessageId: string;
      /** What the carrier's answer said: its parts and the recipient's network (billing's). */
      parts?: number;
      recipientCarrier?: 'att' | 't-mobile' | 'verizon';
      now: Date;
    }
  | { type: 'RecordSubmissionFailure'; errorCode: string; errorDetail: string; now: Date }
  | {
      type: 'RecordCarrierStatus';
      status: CarrierDeliveryStatus;
      carrierMessageId: string;
      errorCode: string | null;
      errorDetail: string | null;
      occurredAt: Date;
    }
  | { type: 'ReceiveInbound'; inbound: InboundText; now: Date }
  /** The client cancels its message; only before it is sending (see decideCancel). */
  | { type: 'CancelMessage'; tenantId: string; requestedAt: Date; now: Date }
  /** The client moves the send time of a message it scheduled (see decideReschedule). */
  | { type: 'RescheduleMessage'; tenantId: string; sendAt: Date; requestedAt: Date; now: Date }
  /**
   * Receipt reconciliation asked the carrier `checks` times and learnt no final outcome: the
   * message stops waiting for one (see decideAbandonedReceipt).
   */
  | { type: 'AbandonReceiptWait'; checks: number; now: Date };
