/**
 * Telnyx message payloads (`OutboundMessagePayload`, `InboundMessagePayload`) and webhook event
 * envelopes, shaped as in the Telnyx API v2 reference and the `telnyx` SDK types. Snake case on
 * purpose: these are wire documents.
 */
import { randomUUID } from 'node:crypto';
import { type MessageEncoding } from '../segments.js';
import { type TelnyxError } from '../telnyx-errors.js';

export type LineType = 'Wireline' | 'Wireless' | 'VoWiFi' | 'VoIP' | 'Pre-Paid Wireless' | '';

export interface Money {
  readonly amount: string;
  readonly currency: 'USD';
}

export interface MessageParty {
  readonly phone_number: string;
  readonly carrier: string;
  readonly line_type: LineType;
}

export type OutboundRecipientStatus =
  'queued' | 'sent' | 'delivered' | 'delivery_failed' | 'sending_failed';

export interface MessagePayload {
  readonly record_type: 'message';
  readonly direction: 'outbound' | 'inbound';
  readonly id: string;
  readonly type: 'SMS' | 'MMS';
  readonly messaging_profile_id: string;
  readonly organization_id: string;
  readonly from: MessageParty;
  readonly to: ReadonlyArray<MessageParty & { readonly status: string }>;
  readonly cc: readonly [];
  readonly text: string;
  readonly subject: string | null;
  readonly media: ReadonlyArray<{
    readonly url: string;
    readonly content_type: string | null;
    readonly sha256: string | null;
    readonly size: number | null;
  }>;
  readonly webhook_url: string | null;
  readonly webhook_failover_url: string | null;
  readonly encoding: MessageEncoding;
  readonly parts: number;
  readonly num_chars: number;
  readonly tags: readonly string[];
  readonly cost: Money | null;
  readonly cost_breakdown: { readonly carrier_fee: Money; readonly rate: Money } | null;
  readonly tcr_campaign_id: string | null;
  readonly tcr_campaign_billable: boolean;
  readonly tcr_campaign_registered: string | null;
  readonly received_at: string;
  readonly sent_at: string | null;
  readonly completed_at: string | null;
  readonly valid_until: string | null;
  readonly errors: readonly TelnyxError[];
}

export type MessageEventType = 'message.sent' | 'message.finalized' | 'message.received';

export interface WebhookEventData {
  readonly record_type: 'event';
  readonly id: string;
  readonly event_type: MessageEventType;
  readonly occurred_at: string;
  readonly payload: MessagePayload;
}

/** What the carrier knows about one message it accepted or received. */
export interface CarrierMessage {
  readonly id: string;
  readonly direction: 'outbound' | 'inbound';
  readonly type: 'SMS' | 'MMS';
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly subject: string | null;
  readonly mediaUrls: readonly string[];
  readonly encoding: MessageEncoding;
  readonly parts: number;
  readonly numChars: number;
  readonly messagingProfileId: string;
  readonly organizationId: string;
  readonly webhookUrl: string | null;
  readonly webhookFailoverUrl: string | null;
  readonly receivedAt: Date;
  readonly validUntil: Date | null;
}

/** Where an outbound message stands; each step adds what the carrier learned. */
export type OutboundProgress =
  | { readonly status: 'queued' }
  | { readonly status: 'sent'; readonly sentAt: Date }
  | { readonly status: 'delivered'; readonly sentAt: Date; readonly completedAt: Date }
  | {
      readonly status: 'delivery_failed';
      readonly sentAt: Date;
      readonly completedAt: Date;
      readonly errors: readonly TelnyxError[];
    }
  | {
      readonly status: 'sending_failed';
      readonly completedAt: Date;
      readonly errors: readonly TelnyxError[];
    };

const TELNYX_CARRIER = 'TELNYX LLC';
const MOBILE_CARRIERS = [
  'T-MOBILE USA, INC.',
  'CELLCO PARTNERSHIP DBA VERIZON WIRELESS',
  'AT&T WIRELESS',
] as const;

/** A stable, plausible carrier per handset number (the simulator has no number lookup). */
function handset(phoneNumber: string): MessageParty {
  const lastDigit = Number(phoneNumber.at(-1) ?? '0') || 0;
  return {
    phone_number: phoneNumber,
    carrier: MOBILE_CARRIERS[lastDigit % MOBILE_CARRIERS.length] ?? MOBILE_CARRIERS[0],
    line_type: 'Wireless',
  };
}

function accountNumber(phoneNumber: string): MessageParty {
  return { phone_number: phoneNumber, carrier: TELNYX_CARRIER, line_type: 'VoIP' };
}

// Integer micro-dollars per part, so money is never a float until it is printed.
const RATE_MICROS = { SMS: 2_500, MMS: 10_000 } as const;
const CARRIER_FEE_MICROS = { SMS: 3_000, MMS: 5_000 } as const;

function usd(micros: number): Money {
  return { amount: (micros / 1_000_000).toFixed(4), currency: 'USD' };
}

function costOf(message: CarrierMessage): Pick<MessagePayload, 'cost' | 'cost_breakdown'> {
  const rate = RATE_MICROS[message.type] * message.parts;
  const fee = CARRIER_FEE_MICROS[message.type] * message.parts;
  return { cost: usd(rate + fee), cost_breakdown: { carrier_fee: usd(fee), rate: usd(rate) } };
}

function basePayload(
  message: CarrierMessage,
): Omit<MessagePayload, 'from' | 'to' | 'sent_at' | 'completed_at' | 'errors'> {
  return {
    record_type: 'message',
    direction: message.direction,
    id: message.id,
    type: message.type,
    messaging_profile_id: message.messagingProfileId,
    organization_id: message.organizationId,
    cc: [],
    text: message.text,
    subject: message.subject,
    media: message.mediaUrls.map((url) => ({ url, content_type: null, sha256: null, size: null })),
    webhook_url: message.webhookUrl,
    webhook_failover_url: message.webhookFailoverUrl,
    encoding: message.encoding,
    parts: message.parts,
    num_chars: message.numChars,
    tags: [],
    ...costOf(message),
    tcr_campaign_id: null,
    tcr_campaign_billable: false,
    tcr_campaign_registered: null,
    received_at: message.receivedAt.toISOString(),
    valid_until: message.validUntil?.toISOString() ?? null,
  };
}

export function outboundPayload(
  message: CarrierMessage,
  progress: OutboundProgress,
): MessagePayload {
  const base = basePayload(message);
  const from = accountNumber(message.from);
  const to = [{ ...handset(message.to), status: progress.status }];
  switch (progress.status) {
    case 'queued':
      return { ...base, from, to, sent_at: null, completed_at: null, errors: [] };
    case 'sent':
      return {
        ...base,
        from,
        to,
        sent_at: progress.sentAt.toISOString(),
        completed_at: null,
        errors: [],
      };
    case 'delivered':
      return {
        ...base,
        from,
        to,
        sent_at: progress.sentAt.toISOString(),
        completed_at: progress.completedAt.toISOString(),
        errors: [],
      };
    case 'delivery_failed':
      return {
        ...base,
        from,
        to,
        sent_at: progress.sentAt.toISOString(),
        completed_at: progress.completedAt.toISOString(),
        errors: progress.errors,
      };
    case 'sending_failed':
      return {
        ...base,
        from,
        to,
        sent_at: null,
        completed_at: progress.completedAt.toISOString(),
        errors: progress.errors,
      };
  }
}

/** An inbound text as Telnyx reports it: the handset sends, the account number receives. */
export function inboundPayload(message: CarrierMessage): MessagePayload {
  return {
    ...basePayload(message),
    from: handset(message.from),
    to: [{ ...accountNumber(message.to), status: 'webhook_delivered' }],
    sent_at: null,
    completed_at: null,
    errors: [],
  };
}

export function webhookEvent(
  eventType: MessageEventType,
  payload: MessagePayload,
  occurredAt: Date,
): WebhookEventData {
  return {
    record_type: 'event',
    id: randomUUID(),
    event_type: eventType,
    occurred_at: occurredAt.toISOString(),
    payload,
  };
}
