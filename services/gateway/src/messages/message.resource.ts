import type { MessagePurpose, SmsEncodingName } from '@textplane/contracts';

export type MessageStatus =
  'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'received';

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
