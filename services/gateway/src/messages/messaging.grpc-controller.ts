import type * as grpc from '@grpc/grpc-js';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf, requireField } from '../grpc/page-size.js';
import type { AuthenticatedTenant } from './message.resource.js';
import { toMessageProto, toSendMessageInput, toWatchMessagesResponse } from './message.mapper.js';
import type { MessagingApplication } from './messaging-application.js';
import {
  loadMessagingPackage,
  MESSAGING_SERVICE_NAME,
  type DecodedListConversationMessagesRequestProto,
  type DecodedSendMessageRequestProto,
  type DecodedWatchMessagesRequestProto,
  type GetMessageRequestProto,
  type GetMessageResponseProto,
  type ListConversationMessagesResponseProto,
  type SendMessageResponseProto,
  type WatchMessagesResponseProto,
} from './messaging-proto.js';

export const MESSAGING_APPLICATION = Symbol('MESSAGING_APPLICATION');

export const CONVERSATION_PAGE_SIZE = { default: 50, max: 100 } as const;

/** textplane.messaging.v1.MessagingService over the use cases REST calls too. */
@Controller()
export class MessagingGrpcController {
  constructor(@Inject(MESSAGING_APPLICATION) private readonly app: MessagingApplication) {}

  @GrpcMethod(MESSAGING_SERVICE_NAME, 'SendMessage')
  async sendMessage(
    @Payload() request: DecodedSendMessageRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<SendMessageResponseProto> {
    const idempotencyKey = resolveIdempotencyKey(metadata, request.idempotency_key);
    const message = await this.app.send(tenant, toSendMessageInput(request), idempotencyKey);
    return { message: toMessageProto(message) };
  }

  @GrpcMethod(MESSAGING_SERVICE_NAME, 'GetMessage')
  async getMessage(
    @Payload() request: GetMessageRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetMessageResponseProto> {
    const id = requireField(request.id, 'id', 'The message id is required.');
    return { message: toMessageProto(await this.app.get(tenant, id)) };
  }

  @GrpcMethod(MESSAGING_SERVICE_NAME, 'ListConversationMessages')
  async listConversationMessages(
    @Payload() request: DecodedListConversationMessagesRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListConversationMessagesResponseProto> {
    const phone = requireField(request.phone, 'phone', 'The phone number is required.');
    const limit = pageSizeOf(request.page_size, CONVERSATION_PAGE_SIZE);
    const page = await this.app.listConversation(
      tenant,
      phone,
      request.page_token === '' ? { limit } : { cursor: request.page_token, limit },
    );
    return { messages: page.items.map(toMessageProto), next_page_token: page.nextCursor ?? '' };
  }

  /** Server streaming: the transport writes it with a bounded backlog (GatewayGrpcServer). */
  @GrpcMethod(MESSAGING_SERVICE_NAME, 'WatchMessages')
  watchMessages(
    @Payload() request: DecodedWatchMessagesRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Observable<WatchMessagesResponseProto> {
    const onlyIds = new Set(request.message_ids);
    return new Observable<WatchMessagesResponseProto>((subscriber) =>
      this.app.watch(tenant, (change) => {
        if (onlyIds.size > 0 && !onlyIds.has(change.message.id)) return;
        try {
          subscriber.next(toWatchMessagesResponse(change));
        } catch (error) {
          subscriber.error(error);
        }
      }),
    );
  }
}

@Module({})
class MessagingGrpcModule {}

/** The messaging context on the gRPC edge. */
export function messagingGrpc(protoDir: string, app: MessagingApplication): GrpcContext {
  const module: DynamicModule = {
    module: MessagingGrpcModule,
    controllers: [MessagingGrpcController],
    providers: [{ provide: MESSAGING_APPLICATION, useValue: app }],
  };
  return { contract: loadMessagingPackage(protoDir), module };
}
