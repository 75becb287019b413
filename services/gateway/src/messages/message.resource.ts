import type { ComplianceReason, MessagePurpose, SmsEncodingName } from '@textplane/contracts';

export type MessageStatus =
  | 'queued'
  | 'scheduled'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'undelivered'
  | 'received'
  | 'blocked'
  | 'canceled';

/**
 * What a `queued` message waits for: null is its turn; the others are the gates that wait for an
 * event (registration, media, funds, throughput), named here before their gates exist.
 */
export type MessageWaitingFor = 'registration' | 'media' | 'funds' | 'throughput';

export type MessageDirection = 'outbound' | 'inbound';

/** A message as the public API shows it (REST and gRPC). */
export interface MessageResource {
  id: string;
  direction: MessageDirection;
  status: MessageStatus;
  to: string;
  from: string;
  /** The CRM contact the message was sent to, when the send named one (`to` is its phone). */
  contactId: string | null;
  /** The template the message was sent from, and its version; null for a plain body. */
  templateId: string | null;
  templateVersion: number | null;
  body: string;
  mediaUrls: string[];
  purpose: MessagePurpose | null;
  encoding: SmsEncodingName;
  segments: number;
  carrierMessageId: string | null;
  errorCode: string | null;
  errorDetail: string | null;
  /**
   * Why the message is blocked (its first reason) or scheduled (`scheduled`: the client's
   * `sendAt`; `quiet_hours_held`).
   */
  reason: ComplianceReason | null;
  /** Every compliance reason that applied. */
  reasons: ComplianceReason[];
  reasonDetail: string | null;
  /** When a scheduled message goes out (status scheduled). */
  sendAt: string | null;
  /** What a queued message waits for; null when it is its turn (and for every other status). */
  waitingFor: MessageWaitingFor | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  /** What billing charged for it, once captured (issue 13); null before and when never charged. */
  cost: MessageCost | null;
}

/** What one message cost, in micro-units of `currency` (1 USD = 1,000,000). */
export interface MessageCost {
  /** The whole charge: its segments (or one MMS) at the rate, plus the carrier's fee. */
  amount: number;
  currency: string;
  /** The segments charged (the carrier's parts); 1 for an MMS. */
  segments: number;
  /** The carrier's pass-through fee within `amount`. */
  carrierFee: number;
}

export interface SendMessageInput {
  /** The recipient's phone; or `contactId`, never both. */
  to?: string;
  /** A CRM contact: the message goes to its phone, its body rendered against it. */
  contactId?: string;
  from?: string;
  body?: string;
  /** A template instead of `body`: rendered, its purpose and media the defaults. */
  templateId?: string;
  /** The template's version; absent means its latest. */
  templateVersion?: number;
  mediaUrls?: string[];
  purpose?: MessagePurpose;
  recipientTimeZone?: string;
  /** When to send it: an instant with its offset; absent means now. */
  sendAt?: string;
}

export interface ConversationPage {
  items: MessageResource[];
  nextCursor: string | null;
}

/** One page of `GET /v1/messages`, newest first. */
export type MessagePage = ConversationPage;

/** The filters of `GET /v1/messages`, as given (the application checks them). */
export interface MessageListQuery {
  status?: string;
  contactId?: string;
  to?: string;
  from?: string;
  createdAfter?: string;
  cursor?: string;
  limit: number;
}

/**
 * The answer to a cancel or reschedule: `done` once messaging applied it (the message as it is
 * now), `pending` when its answer did not come within the confirmation timeout.
 */
export interface MessageChangeOutcome {
  status: 'done' | 'pending';
  message: MessageResource;
  replayed: boolean;
}

/** A status change pushed to watchers of a tenant's messages. */
export interface MessageStatusChange {
  message: MessageResource;
  eventType: string;
  occurredAt: string;
}

/** The tenant an API key belongs to. */
export interface AuthenticatedTenant {
  tenantId: string;
  keyId: string;
}
