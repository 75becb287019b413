import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf, requireField } from '../grpc/page-size.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import {
  CONVERSATION_SERVICE_NAME,
  type DecodedListConversationsRequestProto,
  type DecodedMarkConversationReadRequestProto,
  type DecodedWatchConversationsRequestProto,
  type ListConversationsResponseProto,
  loadConversationPackage,
  type MarkConversationReadResponseProto,
  type WatchConversationsResponseProto,
} from './conversation-proto.js';
import {
  toConversationProto,
  toListConversationsResponse,
  toWatchConversationsResponse,
} from './conversation.mapper.js';
import { CONVERSATION_PAGE_SIZE, type ConversationApi } from './conversations.application.js';

export const CONVERSATION_GRPC_API = Symbol('CONVERSATION_GRPC_API');

/** The REST names of the fields a use case reports, as the proto names them. */
const PROTO_FIELDS: Readonly<Record<string, string>> = {
  upTo: 'up_to_message_id',
  cursor: 'page_token',
  limit: 'page_size',
};

function withProtoFields(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.violations.length === 0) return error;
  return new ApiError(
    error.kind,
    error.code,
    error.detail,
    error.violations.map((v) => ({ ...v, field: PROTO_FIELDS[v.field] ?? v.field })),
  );
}

/** textplane.messaging.v1.ConversationService over the REST use cases (same rules, same errors). */
@Controller()
export class ConversationGrpcController {
  constructor(@Inject(CONVERSATION_GRPC_API) private readonly conversations: ConversationApi) {}

  @GrpcMethod(CONVERSATION_SERVICE_NAME, 'ListConversations')
  async listConversations(
    @Payload() request: DecodedListConversationsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListConversationsResponseProto> {
    const limit = pageSizeOf(request.page_size, CONVERSATION_PAGE_SIZE);
    try {
      const page = await this.conversations.list(tenant, {
        limit,
        ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
        ...(request.unread !== undefined ? { unread: request.unread } : {}),
      });
      return toListConversationsResponse(page);
    } catch (error) {
      throw withProtoFields(error);
    }
  }

  @GrpcMethod(CONVERSATION_SERVICE_NAME, 'MarkConversationRead')
  async markConversationRead(
    @Payload() request: DecodedMarkConversationReadRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<MarkConversationReadResponseProto> {
    const phone = requireField(request.phone, 'phone', 'The phone number is required.');
    const upTo = request.up_to_message_id;
    try {
      const conversation = await this.conversations.markRead(
        tenant,
        phone,
        upTo === undefined ? undefined : { upTo },
      );
      return { conversation: toConversationProto(conversation) };
    } catch (error) {
      throw withProtoFields(error);
    }
  }

  /** Server streaming: the transport writes it with a bounded backlog (GatewayGrpcServer). */
  @GrpcMethod(CONVERSATION_SERVICE_NAME, 'WatchConversations')
  watchConversations(
    @Payload() request: DecodedWatchConversationsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Observable<WatchConversationsResponseProto> {
    const onlyPhones = new Set(request.phones);
    return new Observable<WatchConversationsResponseProto>((subscriber) =>
      this.conversations.watch(tenant, (change) => {
        if (onlyPhones.size > 0 && !onlyPhones.has(change.conversation.phone)) return;
        try {
          subscriber.next(toWatchConversationsResponse(change));
        } catch (error) {
          subscriber.error(error);
        }
      }),
    );
  }
}

@Module({})
class ConversationGrpcModule {}

/** The conversations context on the gRPC edge. */
export function conversationGrpc(protoDir: string, conversations: ConversationApi): GrpcContext {
  const module: DynamicModule = {
    module: ConversationGrpcModule,
    controllers: [ConversationGrpcController],
    providers: [{ provide: CONVERSATION_GRPC_API, useValue: conversations }],
  };
  return { contract: loadConversationPackage(protoDir), module };
}
