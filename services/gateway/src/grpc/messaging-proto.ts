import * as protoLoader from '@grpc/proto-loader';

/** The messaging contract, relative to the proto root (the repository's `proto/` folder). */
export const MESSAGING_PROTO_FILE = 'textplane/messaging/v1/messaging.proto';

export const MESSAGING_SERVICE_NAME = 'textplane.messaging.v1.MessagingService';

/**
 * `keepCase`: the objects use the .proto field names (`media_urls`), so the descriptors that
 * reflection serves (grpcurl) match the .proto, and the case change happens in one place, the
 * mapper. Longs and enums as strings keep values exact and readable; `defaults` fills unset
 * scalars, while `optional` fields stay undefined when unset (their presence matters).
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies protoLoader.Options;

export type MessageStatusProto =
  | 'MESSAGE_STATUS_UNSPECIFIED'
  | 'MESSAGE_STATUS_QUEUED'
  | 'MESSAGE_STATUS_SENDING'
  | 'MESSAGE_STATUS_SENT'
  | 'MESSAGE_STATUS_DELIVERED'
  | 'MESSAGE_STATUS_FAILED'
  | 'MESSAGE_STATUS_UNDELIVERED'
  | 'MESSAGE_STATUS_RECEIVED'
  | 'MESSAGE_STATUS_BLOCKED'
  | 'MESSAGE_STATUS_SCHEDULED';

export type MessageDirectionProto =
  'MESSAGE_DIRECTION_UNSPECIFIED' | 'MESSAGE_DIRECTION_OUTBOUND' | 'MESSAGE_DIRECTION_INBOUND';

export type MessagePurposeProto =
  | 'MESSAGE_PURPOSE_UNSPECIFIED'
  | 'MESSAGE_PURPOSE_CONVERSATIONAL'
  | 'MESSAGE_PURPOSE_TRANSACTIONAL'
  | 'MESSAGE_PURPOSE_MARKETING';

export type MessageEncodingProto =
  'MESSAGE_ENCODING_UNSPECIFIED' | 'MESSAGE_ENCODING_GSM_7' | 'MESSAGE_ENCODING_UCS_2';

/**
 * A decoded enum: its value name, or the bare number when the reader's copy of the .proto does
 * not know it (a newer peer).
 */
export type DecodedEnum = string | number;

/** google.protobuf.Timestamp with longs as strings. */
export interface TimestampProto {
  seconds: string;
  nanos: number;
}

/** textplane.messaging.v1.Message as the server writes it. Null leaves a field unset. */
export interface MessageProto {
  id: string;
  direction: MessageDirectionProto;
  status: MessageStatusProto;
  to: string;
  from: string;
  body: string;
  media_urls: string[];
  purpose: MessagePurposeProto;
  encoding: MessageEncodingProto;
  segments: number;
  carrier_message_id: string | null;
  error_code: string | null;
  error_detail: string | null;
  create_time: TimestampProto;
  update_time: TimestampProto;
  send_time: TimestampProto | null;
  deliver_time: TimestampProto | null;
  reason: string | null;
  reasons: string[];
  reason_detail: string | null;
  send_at: TimestampProto | null;
}

/** textplane.messaging.v1.Message as a reader decodes it. */
export interface DecodedMessageProto {
  id: string;
  direction: DecodedEnum;
  status: DecodedEnum;
  to: string;
  from: string;
  body: string;
  media_urls: string[];
  purpose: DecodedEnum;
  encoding: DecodedEnum;
  segments: number;
  carrier_message_id?: string | undefined;
  error_code?: string | undefined;
  error_detail?: string | undefined;
  create_time: TimestampProto | null;
  update_time: TimestampProto | null;
  send_time: TimestampProto | null;
  deliver_time: TimestampProto | null;
  /** Absent when decoded by a reader built before these fields. */
  reason?: string | null | undefined;
  reasons?: string[];
  reason_detail?: string | null | undefined;
  send_at?: TimestampProto | null;
}

/** Written by clients; optional fields may be left out. */
export interface SendMessageRequestProto {
  to: string;
  from?: string | undefined;
  body?: string | undefined;
  media_urls?: string[];
  purpose?: DecodedEnum;
  idempotency_key?: string | undefined;
  recipient_time_zone?: string | undefined;
}

/** What the server decodes: `defaults` filled every non-optional field. */
export interface DecodedSendMessageRequestProto extends SendMessageRequestProto {
  media_urls: string[];
  purpose: DecodedEnum;
}

export interface SendMessageResponseProto {
  message: MessageProto;
}

export interface GetMessageRequestProto {
  id: string;
}

export interface GetMessageResponseProto {
  message: MessageProto;
}

export interface ListConversationMessagesRequestProto {
  phone: string;
  page_size?: number;
  page_token?: string;
}

export interface DecodedListConversationMessagesRequestProto {
  phone: string;
  page_size: number;
  page_token: string;
}

export interface ListConversationMessagesResponseProto {
  messages: MessageProto[];
  next_page_token: string;
}

export interface WatchMessagesRequestProto {
  message_ids?: string[];
}

export interface DecodedWatchMessagesRequestProto {
  message_ids: string[];
}

export interface WatchMessagesResponseProto {
  message: MessageProto;
  event_type: string;
  event_time: TimestampProto;
}

/** Responses as a client decodes them: message fields may be null when the server left them out. */
export interface DecodedMessageResponseProto {
  message: DecodedMessageProto | null;
}

export interface DecodedListConversationMessagesResponseProto {
  messages: DecodedMessageProto[];
  next_page_token: string;
}

export interface DecodedWatchMessagesResponseProto {
  message: DecodedMessageProto | null;
  event_type: string;
  event_time: TimestampProto | null;
}

/** The service's methods with the shapes each side writes and reads. */
export interface MessagingMethods {
  SendMessage: protoLoader.MethodDefinition<
    SendMessageRequestProto,
    SendMessageResponseProto,
    DecodedSendMessageRequestProto,
    DecodedMessageResponseProto
  >;
  GetMessage: protoLoader.MethodDefinition<
    GetMessageRequestProto,
    GetMessageResponseProto,
    GetMessageRequestProto,
    DecodedMessageResponseProto
  >;
  ListConversationMessages: protoLoader.MethodDefinition<
    ListConversationMessagesRequestProto,
    ListConversationMessagesResponseProto,
    DecodedListConversationMessagesRequestProto,
    DecodedListConversationMessagesResponseProto
  >;
  WatchMessages: protoLoader.MethodDefinition<
    WatchMessagesRequestProto,
    WatchMessagesResponseProto,
    DecodedWatchMessagesRequestProto,
    DecodedWatchMessagesResponseProto
  >;
}

/** Loads the messaging contract from the proto root at runtime (no generated code). */
export function loadMessagingPackage(protoDir: string): protoLoader.PackageDefinition {
  return protoLoader.loadSync(MESSAGING_PROTO_FILE, {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [protoDir],
  });
}

/** The service definition, for `Server.addService` and `makeClientConstructor`. */
export function messagingServiceDefinition(
  packageDefinition: protoLoader.PackageDefinition,
): protoLoader.ServiceDefinition {
  const definition = packageDefinition[MESSAGING_SERVICE_NAME];
  if (definition === undefined || 'format' in definition) {
    throw new Error(`${MESSAGING_SERVICE_NAME} is not defined in ${MESSAGING_PROTO_FILE}`);
  }
  return definition;
}

const METHOD_NAMES = [
  'SendMessage',
  'GetMessage',
  'ListConversationMessages',
  'WatchMessages',
] as const satisfies readonly (keyof MessagingMethods)[];

/**
 * The methods with their message shapes. proto-loader types every method as `object` in and
 * out; the .proto is what guarantees the shapes declared in `MessagingMethods`, so this is the
 * one place that asserts them.
 */
export function messagingMethods(
  packageDefinition: protoLoader.PackageDefinition,
): MessagingMethods {
  const service = messagingServiceDefinition(packageDefinition);
  for (const name of METHOD_NAMES) {
    if (service[name] === undefined) {
      throw new Error(
        `${MESSAGING_SERVICE_NAME}.${name} is not defined in ${MESSAGING_PROTO_FILE}`,
      );
    }
  }
  return service as unknown as MessagingMethods;
}
