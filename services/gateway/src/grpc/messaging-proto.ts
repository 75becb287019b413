import * as protoLoader from '@grpc/proto-loader';
import type { Timestamp } from '../generated/google/protobuf/timestamp.js';
import type * as pb from '../generated/textplane/messaging/v1/messaging.js';
import type {
  Decoded,
  DecodedEnum,
  NullableUnset,
  Present,
  Sent,
  Written,
} from './proto-shapes.js';

/** The messaging contract, relative to the proto root (the repository's `proto/` folder). */
export const MESSAGING_PROTO_FILE =
  'textplane/messaging/v1/messaging.proto' satisfies typeof pb.protobufFileName;

export const MESSAGING_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.MessagingService` as const;

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

export type MessageStatusProto = pb.MessageStatus;
export type MessageDirectionProto = pb.MessageDirection;
export type MessagePurposeProto = pb.MessagePurpose;
export type MessageEncodingProto = pb.MessageEncoding;

export type { DecodedEnum };

/** google.protobuf.Timestamp with longs as strings. */
export type TimestampProto = Timestamp;

/** textplane.messaging.v1.Message as the server writes it. Null leaves a field unset. */
export type MessageProto = Present<Written<pb.Message>, 'create_time' | 'update_time'>;

/**
 * textplane.messaging.v1.Message as a reader decodes it; an absent field may be null too, so
 * what `toMessageProto` wrote reads back as well.
 */
export type DecodedMessageProto = NullableUnset<Decoded<pb.Message>>;

/** Written by clients; optional fields may be left out. */
export type SendMessageRequestProto = Sent<pb.SendMessageRequest, 'to'>;

/** What the server decodes: `defaults` filled every non-optional field. */
export type DecodedSendMessageRequestProto = Decoded<pb.SendMessageRequest>;

export type SendMessageResponseProto = Present<Written<pb.SendMessageResponse>, never> & {
  message: MessageProto;
};

export type GetMessageRequestProto = Decoded<pb.GetMessageRequest>;

export type GetMessageResponseProto = Present<Written<pb.GetMessageResponse>, never> & {
  message: MessageProto;
};

export type ListConversationMessagesRequestProto = Sent<
  pb.ListConversationMessagesRequest,
  'phone'
>;

export type DecodedListConversationMessagesRequestProto =
  Decoded<pb.ListConversationMessagesRequest>;

export type ListConversationMessagesResponseProto = Written<pb.ListConversationMessagesResponse> & {
  messages: MessageProto[];
};

export type WatchMessagesRequestProto = Sent<pb.WatchMessagesRequest>;

export type DecodedWatchMessagesRequestProto = Decoded<pb.WatchMessagesRequest>;

export type WatchMessagesResponseProto = Present<
  Written<pb.WatchMessagesResponse>,
  'event_time'
> & { message: MessageProto };

/** Responses as a client decodes them: message fields may be null when the server left them out. */
export type DecodedMessageResponseProto = Decoded<pb.GetMessageResponse> &
  Decoded<pb.SendMessageResponse>;

export type DecodedListConversationMessagesResponseProto =
  Decoded<pb.ListConversationMessagesResponse>;

export type DecodedWatchMessagesResponseProto = Decoded<pb.WatchMessagesResponse>;

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

/**
 * Loads the messaging contract from the proto root at runtime: proto-loader encodes and decodes
 * (the generated code is types only), and reflection serves the descriptors it reads.
 */
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
