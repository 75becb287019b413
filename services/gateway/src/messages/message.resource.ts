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
  | 'blocked';

export type MessageDirection = 'outbound' | 'inbound';

/** A message as the public API shows it (REST and gRPC). */
export interface MessageResource {
  id: string;
  direction: MessageDirection;
  status: MessageStatus;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  purpose: MessagePurpose | null;
  encoding: SmsEncodingName;
  segments: number;
  carrierMessageId: string | null;
  errorCode: string | null;
  errorDetail: string | null;
  /** Why compliance stopped the message: blocked (its first reason), or held (`quiet_hours_held`). */
  reason: ComplianceReason | null;
  /** Every compliance reason that applied. */
  reasons: ComplianceReason[];
  reasonDetail: string | null;
  /** When a message held for quiet hours goes out (status scheduled). */
  sendAt: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

export interface SendMessageInput {
  to: string;
  from?: string;
  body?: string;
  mediaUrls?: string[];
  purpose?: MessagePurpose;
  recipientTimeZone?: string;
}

export interface ConversationPage {
  items: MessageResource[];
  nextCursor: string | null;
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
