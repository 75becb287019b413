import type * as grpc from '@grpc/grpc-js';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import { Observable } from 'rxjs';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf, requireField } from '../grpc/page-size.js';
import type { AuthenticatedTenant } from './message.resource.js';
import {
  toMessageListQuery,
  toMessageProto,
  toSendMessageInput,
  toWatchMessagesResponse,
} from './message.mapper.js';
import { fromRequestTimestamp } from '../grpc/timestamps.js';
import { ApiError } from '../problems/api-error.js';
import type { MessagingApplication } from './messaging-application.js';
import {
  loadMessagingPackage,
  MESSAGING_SERVICE_NAME,
  type CancelMessageResponseProto,
  type DecodedCancelMessageRequestProto,
  type DecodedListConversationMessagesRequestProto,
  type DecodedListMessagesRequestProto,
  type DecodedRescheduleMessageRequestProto,
  type DecodedSendMessageRequestProto,
  type DecodedWatchMessagesRequestProto,
  type GetMessageRequestProto,
  type GetMessageResponseProto,
  type ListConversationMessagesResponseProto,
  type ListMessagesResponseProto,
  type RescheduleMessageResponseProto,
  type SendMessageResponseProto,
  type WatchMessagesResponseProto,
} from './messaging-proto.js';

export const MESSAGING_APPLICATION = Symbol('MESSAGING_APPLICATION');

export const CONVERSATION_PAGE_SIZE = { default: 50, max: 100 } as const;
export const MESSAGE_PAGE_SIZE = { default: 50, max: 100 } as const;

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

  @GrpcMethod(MESSAGING_SERVICE_NAME, 'ListMessages')
  async listMessages(
    @Payload() request: DecodedListMessagesRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListMessagesResponseProto> {
    const limit = pageSizeOf(request.page_size, MESSAGE_PAGE_SIZE);
    const page = await this.app.list(tenant, toMessageListQuery(request, limit));
    return { messages: page.items.map(toMessageProto), next_page_token: page.nextCursor ?? '' };
  }

  @GrpcMethod(MESSAGING_SERVICE_NAME, 'CancelMessage')
  async cancelMessage(
    @Payload() request: DecodedCancelMessageRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<CancelMessageResponseProto> {
    const id = requireField(request.id, 'id', 'The message id is required.');
    const idempotencyKey = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await this.app.cancel(tenant, id, idempotencyKey);
    return { message: toMessageProto(outcome.message), pending: outcome.status === 'pending' };
  }

  @GrpcMethod(MESSAGING_SERVICE_NAME, 'RescheduleMessage')
  async rescheduleMessage(
    @Payload() request: DecodedRescheduleMessageRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<RescheduleMessageResponseProto> {
    const id = requireField(request.id, 'id', 'The message id is required.');
    if (!request.send_at) {
      throw ApiError.invalid('The new send time is required.', [
        { field: 'send_at', message: 'is required' },
      ]);
    }
    const sendAt = fromRequestTimestamp(request.send_at, 'send_at');
    const idempotencyKey = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await this.app.reschedule(tenant, id, { sendAt }, idempotencyKey);
    return { message: toMessageProto(outcome.message), pending: outcome.status === 'pending' };
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
