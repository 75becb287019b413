import type { SendRequested } from '@textplane/contracts';

/**
 * What the carrier reported about a message, in Telnyx's vocabulary
 * (`to[].status` of message.sent / message.finalized webhooks).
 */
export type CarrierDeliveryStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'sending_failed'
  | 'delivery_failed'
  | 'delivery_unconfirmed'
  | 'expired';

export interface InboundText {
  messageId: string;
  tenantId: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  carrierMessageId: string;
}

export type MessageCommand =
  | { type: 'QueueMessage'; request: SendRequested; now: Date }
  | { type: 'StartSubmission'; now: Date }
  | { type: 'RecordCarrierAcceptance'; carrierMessageId: string; now: Date }
  | { type: 'RecordSubmissionFailure'; errorCode: string; errorDetail: string; now: Date }
  | {
      type: 'RecordCarrierStatus';
      status: CarrierDeliveryStatus;
      carrierMessageId: string;
      errorCode: string | null;
      errorDetail: string | null;
      occurredAt: Date;
    }
  | { type: 'ReceiveInbound'; inbound: InboundText; now: Date };
