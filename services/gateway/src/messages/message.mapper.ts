import type { ComplianceReason, MessagePurpose, SmsEncodingName } from '@textplane/contracts';
import type {
  MessageDirection,
  MessageResource,
  MessageStatus,
  MessageStatusChange,
  MessageWaitingFor,
  MessageListQuery,
  SendMessageInput,
} from './message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type {
  DecodedEnum,
  DecodedListMessagesRequestProto,
  DecodedMessageProto,
  DecodedSendMessageRequestProto,
  MessageDirectionProto,
  MessageEncodingProto,
  MessageProto,
  MessagePurposeProto,
  MessageStatusProto,
  TimestampProto,
  WatchMessagesResponseProto,
} from './messaging-proto.js';
import { fromRequestTimestamp, fromTimestampProto, toTimestampProto } from '../grpc/timestamps.js';

// Both directions are spelled out so that adding a value on either side fails to compile here.

const STATUS_TO_PROTO: Readonly<Record<MessageStatus, MessageStatusProto>> = {
  queued: 'MESSAGE_STATUS_QUEUED',
  scheduled: 'MESSAGE_STATUS_SCHEDULED',
  blocked: 'MESSAGE_STATUS_BLOCKED',
  sending: 'MESSAGE_STATUS_SENDING',
  sent: 'MESSAGE_STATUS_SENT',
  delivered: 'MESSAGE_STATUS_DELIVERED',
  failed: 'MESSAGE_STATUS_FAILED',
  undelivered: 'MESSAGE_STATUS_UNDELIVERED',
  received: 'MESSAGE_STATUS_RECEIVED',
  canceled: 'MESSAGE_STATUS_CANCELED',
};

const STATUS_FROM_PROTO: Readonly<Record<MessageStatusProto, MessageStatus | null>> = {
  MESSAGE_STATUS_UNSPECIFIED: null,
  MESSAGE_STATUS_QUEUED: 'queued',
  MESSAGE_STATUS_SENDING: 'sending',
  MESSAGE_STATUS_SENT: 'sent',
  MESSAGE_STATUS_DELIVERED: 'delivered',
  MESSAGE_STATUS_FAILED: 'failed',
  MESSAGE_STATUS_UNDELIVERED: 'undelivered',
  MESSAGE_STATUS_RECEIVED: 'received',
  MESSAGE_STATUS_BLOCKED: 'blocked',
  MESSAGE_STATUS_SCHEDULED: 'scheduled',
  MESSAGE_STATUS_CANCELED: 'canceled',
};

const WAITING_FOR: readonly MessageWaitingFor[] = ['registration', 'media', 'funds', 'throughput'];

const DIRECTION_TO_PROTO: Readonly<Record<MessageDirection, MessageDirectionProto>> = {
  outbound: 'MESSAGE_DIRECTION_OUTBOUND',
  inbound: 'MESSAGE_DIRECTION_INBOUND',
};

const DIRECTION_FROM_PROTO: Readonly<Record<MessageDirectionProto, MessageDirection | null>> = {
  MESSAGE_DIRECTION_UNSPECIFIED: null,
  MESSAGE_DIRECTION_OUTBOUND: 'outbound',
  MESSAGE_DIRECTION_INBOUND: 'inbound',
};

const PURPOSE_TO_PROTO: Readonly<Record<MessagePurpose, MessagePurposeProto>> = {
  conversational: 'MESSAGE_PURPOSE_CONVERSATIONAL',
  transactional: 'MESSAGE_PURPOSE_TRANSACTIONAL',
  marketing: 'MESSAGE_PURPOSE_MARKETING',
};

/** UNSPECIFIED is a real value here: "none given" on a request, "none applies" on a message. */
const PURPOSE_FROM_PROTO: Readonly<Record<MessagePurposeProto, MessagePurpose | null>> = {
  MESSAGE_PURPOSE_UNSPECIFIED: null,
  MESSAGE_PURPOSE_CONVERSATIONAL: 'conversational',
  MESSAGE_PURPOSE_TRANSACTIONAL: 'transactional',
  MESSAGE_PURPOSE_MARKETING: 'marketing',
};

const ENCODING_TO_PROTO: Readonly<Record<SmsEncodingName, MessageEncodingProto>> = {
  'GSM-7': 'MESSAGE_ENCODING_GSM_7',
  'UCS-2': 'MESSAGE_ENCODING_UCS_2',
};

const ENCODING_FROM_PROTO: Readonly<Record<MessageEncodingProto, SmsEncodingName | null>> = {
  MESSAGE_ENCODING_UNSPECIFIED: null,
  MESSAGE_ENCODING_GSM_7: 'GSM-7',
  MESSAGE_ENCODING_UCS_2: 'UCS-2',
};

function isKeyOf<K extends string>(table: Readonly<Record<K, unknown>>, key: string): key is K {
  return Object.hasOwn(table, key);
}

/** The domain value of a decoded enum; undefined when the value is unknown to this build. */
function fromProtoEnum<P extends string, D>(
  table: Readonly<Record<P, D>>,
  value: DecodedEnum,
): D | undefined {
  return typeof value === 'string' && isKeyOf(table, value) ? table[value] : undefined;
}

/** Domain value of a decoded enum a message must have; a reader cannot guess an unknown one. */
function requiredEnum<P extends string, D>(
  table: Readonly<Record<P, D | null>>,
  value: DecodedEnum,
  field: string,
): D {
  const domain = fromProtoEnum(table, value);
  if (domain === undefined || domain === null) {
    throw new Error(`Message.${field} has no known value: ${String(value)}`);
  }
  return domain;
}

function optionalTimestamp(iso: string | null): TimestampProto | null {
  return iso === null ? null : toTimestampProto(iso);
}

export function toMessageProto(message: MessageResource): MessageProto {
  return {
    id: message.id,
    direction: DIRECTION_TO_PROTO[message.direction],
    status: STATUS_TO_PROTO[message.status],
    to: message.to,
    from: message.from,
    contact_id: message.contactId,
    template_id: message.templateId,
    template_version: message.templateVersion,
    body: message.body,
    media_urls: [...message.mediaUrls],
    purpose:
      message.purpose === null ? 'MESSAGE_PURPOSE_UNSPECIFIED' : PURPOSE_TO_PROTO[message.purpose],
    encoding: ENCODING_TO_PROTO[message.encoding],
    segments: message.segments,
    carrier_message_id: message.carrierMessageId,
    error_code: message.errorCode,
    error_detail: message.errorDetail,
    create_time: toTimestampProto(message.createdAt),
    update_time: toTimestampProto(message.updatedAt),
    send_time: optionalTimestamp(message.sentAt),
    deliver_time: optionalTimestamp(message.deliveredAt),
    reason: message.reason,
    reasons: [...message.reasons],
    reason_detail: message.reasonDetail,
    send_at: optionalTimestamp(message.sendAt),
    waiting_for: message.waitingFor,
    cost:
      message.cost === null
        ? null
        : {
            amount_micros: String(message.cost.amount),
            currency: message.cost.currency,
            segments: message.cost.segments,
            carrier_fee_micros: String(message.cost.carrierFee),
          },
  };
}

const COMPLIANCE_REASONS: readonly ComplianceReason[] = [
  'recipient_opted_out',
  'no_marketing_consent',
  'dnd_active',
  'quiet_hours_held',
  'content_rejected',
  'sender_not_owned',
  'scheduled',
  'time_window',
  'daily_cap',
  'sender_not_registered',
  'sender_not_verified',
  'campaign_use_case_mismatch',
  'recipient_not_mobile',
  'insufficient_funds',
  'destination_not_priced',
];

/** A reason this build knows; a newer server's unknown reason is kept out rather than guessed. */
function complianceReason(value: string | null | undefined): ComplianceReason | null {
  return COMPLIANCE_REASONS.find((reason) => reason === value) ?? null;
}

function requiredTimestamp(timestamp: TimestampProto | null, field: string): string {
  if (timestamp === null) {
    throw new Error(`Message.${field} is missing`);
  }
  return fromTimestampProto(timestamp);
}

/** For gRPC clients of the gateway (e2e tests, tools): the proto message back as the resource. */
export function toMessageResource(message: DecodedMessageProto): MessageResource {
  const purpose = fromProtoEnum(PURPOSE_FROM_PROTO, message.purpose);
  if (purpose === undefined) {
    throw new Error(`Message.purpose has no known value: ${String(message.purpose)}`);
  }
  return {
    id: message.id,
    direction: requiredEnum(DIRECTION_FROM_PROTO, message.direction, 'direction'),
    status: requiredEnum(STATUS_FROM_PROTO, message.status, 'status'),
    to: message.to,
    from: message.from,
    contactId: message.contact_id ?? null,
    templateId: message.template_id ?? null,
    templateVersion: message.template_version ?? null,
    body: message.body,
    mediaUrls: [...message.media_urls],
    purpose,
    encoding: requiredEnum(ENCODING_FROM_PROTO, message.encoding, 'encoding'),
    segments: message.segments,
    carrierMessageId: message.carrier_message_id ?? null,
    errorCode: message.error_code ?? null,
    errorDetail: message.error_detail ?? null,
    createdAt: requiredTimestamp(message.create_time, 'create_time'),
    updatedAt: requiredTimestamp(message.update_time, 'update_time'),
    sentAt: message.send_time === null ? null : fromTimestampProto(message.send_time),
    deliveredAt: message.deliver_time === null ? null : fromTimestampProto(message.deliver_time),
    reason: complianceReason(message.reason),
    reasons: (message.reasons ?? []).flatMap((reason) => complianceReason(reason) ?? []),
    reasonDetail: message.reason_detail ?? null,
    sendAt: message.send_at ? fromTimestampProto(message.send_at) : null,
    waitingFor: WAITING_FOR.find((w) => w === message.waiting_for) ?? null,
    cost: message.cost
      ? {
          amount: Number(message.cost.amount_micros),
          currency: message.cost.currency,
          segments: message.cost.segments,
          carrierFee: Number(message.cost.carrier_fee_micros),
        }
      : null,
  };
}

/**
 * Unset optional fields stay absent, so the application applies the same defaults as for a REST
 * body that leaves them out. Content rules (E.164, body or media) are the application's.
 */
export function toSendMessageInput(request: DecodedSendMessageRequestProto): SendMessageInput {
  const purpose = fromProtoEnum(PURPOSE_FROM_PROTO, request.purpose);
  if (purpose === undefined) {
    throw ApiError.invalid('The request has an unknown purpose.', [
      { field: 'purpose', message: `unknown MessagePurpose value ${String(request.purpose)}` },
    ]);
  }
  // `to` is a plain proto3 string: empty means "not given" (a send to contact_id).
  const input: SendMessageInput = {};
  if (request.to !== '') input.to = request.to;
  if (request.contact_id !== undefined) input.contactId = request.contact_id;
  if (request.from !== undefined) input.from = request.from;
  if (request.body !== undefined) input.body = request.body;
  if (request.template_id !== undefined) input.templateId = request.template_id;
  if (request.template_version !== undefined) input.templateVersion = request.template_version;
  if (request.media_urls.length > 0) input.mediaUrls = [...request.media_urls];
  if (purpose !== null) input.purpose = purpose;
  if (request.recipient_time_zone !== undefined)
    input.recipientTimeZone = request.recipient_time_zone;
  if (request.send_at) input.sendAt = fromRequestTimestamp(request.send_at, 'send_at');
  return input;
}

export function toWatchMessagesResponse(change: MessageStatusChange): WatchMessagesResponseProto {
  return {
    message: toMessageProto(change.message),
    event_type: change.eventType,
    event_time: toTimestampProto(change.occurredAt),
  };
}

/**
 * The filters of a ListMessages call as the REST query would give them: unset filters stay
 * absent; UNSPECIFIED status means any; an unknown status value is refused naming `status`.
 */
export function toMessageListQuery(
  request: DecodedListMessagesRequestProto,
  limit: number,
): MessageListQuery {
  const query: MessageListQuery = { limit };
  const status = fromProtoEnum(STATUS_FROM_PROTO, request.status);
  if (status === undefined) {
    throw ApiError.invalid('The request has an unknown status.', [
      { field: 'status', message: `unknown MessageStatus value ${String(request.status)}` },
    ]);
  }
  if (status !== null) query.status = status;
  if (request.contact_id !== undefined) query.contactId = request.contact_id;
  if (request.to !== undefined) query.to = request.to;
  if (request.from !== undefined) query.from = request.from;
  if (request.create_time_after) {
    query.createdAfter = fromRequestTimestamp(request.create_time_after, 'create_time_after');
  }
  if (request.page_token !== '') query.cursor = request.page_token;
  return query;
}
