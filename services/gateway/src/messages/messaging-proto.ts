import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/messaging/v1/messaging.js';
import type {
  Decoded,
  DecodedEnum,
  NullableUnset,
  Present,
  Sent,
  Written,
} from '../grpc/proto-shapes.js';
import { loadContract, serviceDefinitionOf } from '../grpc/proto-contracts.js';
import type { TimestampProto } from '../grpc/timestamps.js';

/** The messaging contract, relative to the proto root (the repository's `proto/` folder). */
export const MESSAGING_PROTO_FILE =
  'textplane/messaging/v1/messaging.proto' satisfies typeof pb.protobufFileName;

export const MESSAGING_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.MessagingService` as const;

export type MessageStatusProto = pb.MessageStatus;
export type MessageDirectionProto = pb.MessageDirection;
export type MessagePurposeProto = pb.MessagePurpose;
export type MessageEncodingProto = pb.MessageEncoding;

export type { DecodedEnum };

export type { TimestampProto };

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

export type ListMessagesRequestProto = Sent<pb.ListMessagesRequest>;
export type DecodedListMessagesRequestProto = Decoded<pb.ListMessagesRequest>;
export type ListMessagesResponseProto = Written<pb.ListMessagesResponse> & {
  messages: MessageProto[];
};
export type DecodedListMessagesResponseProto = Decoded<pb.ListMessagesResponse>;

export type CancelMessageRequestProto = Sent<pb.CancelMessageRequest, 'id'>;
export type DecodedCancelMessageRequestProto = Decoded<pb.CancelMessageRequest>;
export type CancelMessageResponseProto = Present<Written<pb.CancelMessageResponse>, never> & {
  message: MessageProto;
};
export type DecodedCancelMessageResponseProto = Decoded<pb.CancelMessageResponse>;

export type RescheduleMessageRequestProto = Sent<pb.RescheduleMessageRequest, 'id' | 'send_at'>;
export type DecodedRescheduleMessageRequestProto = Decoded<pb.RescheduleMessageRequest>;
export type RescheduleMessageResponseProto = Present<
  Written<pb.RescheduleMessageResponse>,
  never
> & { message: MessageProto };
export type DecodedRescheduleMessageResponseProto = Decoded<pb.RescheduleMessageResponse>;

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
  ListMessages: protoLoader.MethodDefinition<
    ListMessagesRequestProto,
    ListMessagesResponseProto,
    DecodedListMessagesRequestProto,
    DecodedListMessagesResponseProto
  >;
  CancelMessage: protoLoader.MethodDefinition<
    CancelMessageRequestProto,
    CancelMessageResponseProto,
    DecodedCancelMessageRequestProto,
    DecodedCancelMessageResponseProto
  >;
  RescheduleMessage: protoLoader.MethodDefinition<
    RescheduleMessageRequestProto,
    RescheduleMessageResponseProto,
    DecodedRescheduleMessageRequestProto,
    DecodedRescheduleMessageResponseProto
  >;
}

/** The messaging contract as proto-loader reads it from the proto root. */
export function loadMessagingPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(MESSAGING_PROTO_FILE, protoDir);
}

/** The service definition, for `Server.addService` and `makeClientConstructor`. */
export function messagingServiceDefinition(
  packageDefinition: protoLoader.PackageDefinition,
): protoLoader.ServiceDefinition {
  return serviceDefinitionOf(packageDefinition, MESSAGING_SERVICE_NAME, MESSAGING_PROTO_FILE);
}

const METHOD_NAMES = [
  'SendMessage',
  'GetMessage',
  'ListConversationMessages',
  'WatchMessages',
  'ListMessages',
  'CancelMessage',
  'RescheduleMessage',
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
