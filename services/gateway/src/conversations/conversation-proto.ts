import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/messaging/v1/conversations.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The conversations contract, relative to the proto root (the repository's `proto/` folder). */
export const CONVERSATION_PROTO_FILE =
  'textplane/messaging/v1/conversations.proto' satisfies typeof pb.protobufFileName;

export const CONVERSATION_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.ConversationService` as const;

export type DecodedListConversationsRequestProto = Decoded<pb.ListConversationsRequest>;
export type DecodedMarkConversationReadRequestProto = Decoded<pb.MarkConversationReadRequest>;
export type DecodedWatchConversationsRequestProto = Decoded<pb.WatchConversationsRequest>;

export type ConversationProto = Written<pb.Conversation>;
export type ListConversationsResponseProto = Written<pb.ListConversationsResponse>;
export type MarkConversationReadResponseProto = Written<pb.MarkConversationReadResponse>;
export type WatchConversationsResponseProto = Written<pb.WatchConversationsResponse>;

/** The conversations contract as proto-loader reads it from the proto root. */
export function loadConversationPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(CONVERSATION_PROTO_FILE, protoDir);
}
