import type { CarrierDeliveryStatus } from '../../messages/message.commands.js';

/** What messaging needs from a carrier, whichever carrier it is. */

export interface CarrierSubmission {
  /** Our message id; the carrier call carries it as idempotency key, so a retry never sends twice. */
  messageId: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

/** The recipient's network as billing names carriers' fees (MessageSubmitted.recipientCarrier). */
export type AcceptedRecipientCarrier = 'att' | 't-mobile' | 'verizon';

export type CarrierSubmissionResult =
  | {
      outcome: 'accepted';
      carrierMessageId: string;
      /** The parts the carrier says it will send (what billing captures); absent: not said. */
      parts?: number;
      /** The recipient's network, when the carrier's answer names one billing prices. */
      recipientCarrier?: AcceptedRecipientCarrier;
    }
  /** The carrier refused this message for good (bad number, bad content...). */
  | { outcome: 'rejected'; errorCode: string; errorDetail: string }
  /** The carrier could not be reached or asked us to slow down: try again later. */
  | { outcome: 'unavailable'; errorDetail: string; retryAfterMs: number | null };

/** What the carrier says, when asked, about a message it accepted (receipt reconciliation). */
export type CarrierLookupResult =
  | { outcome: 'found'; report: Extract<CarrierReport, { kind: 'status' }> }
  /** The carrier does not know this id (or no longer: Telnyx keeps messages 10 days). */
  | { outcome: 'unknown'; detail: string }
  /** No answer now (unreachable, slow, rate-limited, or an answer we cannot read): ask later. */
  | { outcome: 'unavailable'; errorDetail: string };

export interface Carrier {
  submit(submission: CarrierSubmission): Promise<CarrierSubmissionResult>;
  lookup(carrierMessageId: string): Promise<CarrierLookupResult>;
}

/** A delivery report or inbound text, parsed from a carrier webhook. */
export type CarrierReport =
  | {
      kind: 'status';
      carrierMessageId: string;
      /** textplane's name for the outcome; the adapter maps the carrier's onto it. */
      status: CarrierDeliveryStatus;
      /** The carrier's own status value, as it sent it (for logs and support, never for rules). */
      carrierStatus: string;
      /** For `undelivered` and `failed`: the carrier's error code, else the carrier status. */
      errorCode: string | null;
      errorDetail: string | null;
      occurredAt: Date;
    }
  | {
      kind: 'inbound';
      carrierMessageId: string;
      from: string;
      to: string;
      body: string;
      mediaUrls: string[];
      receivedAt: Date;
    }
  | { kind: 'ignored'; reason: string }
  /** Another context's webhook (10DLC and toll-free status updates are registration's). */
  | { kind: 'not_messaging' };
