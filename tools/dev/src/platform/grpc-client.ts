import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type * as pb from '../generated/textplane/messaging/v1/messaging.js';

const protoDir = fileURLToPath(new URL('../../../../proto', import.meta.url));

/** The messaging contract, relative to the proto root; a proto change is a compile error here. */
const MESSAGING_PROTO_FILE =
  'textplane/messaging/v1/messaging.proto' satisfies typeof pb.protobufFileName;

/**
 * textplane.messaging.v1.Message as this client reads it (generated from proto/ by the
 * `generate-proto` target). proto-loader fills unset scalars (`defaults`); an unset message field
 * reads as null, which the generated type calls undefined.
 */
export type GrpcMessage = pb.Message;

/** A response the gateway always puts its message in. */
type WithMessage<T> = Omit<T, 'message'> & { message: GrpcMessage };

/** What a client writes: the named fields, the others may be left out (proto-loader's defaults). */
type Sent<T, Required extends keyof T = never> = Pick<T, Required> & Partial<Omit<T, Required>>;

export type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

export interface MessagingClient extends grpc.Client {
  GetMessage: Unary<pb.GetMessageRequest, WithMessage<pb.GetMessageResponse>>;
  SendMessage: Unary<Sent<pb.SendMessageRequest, 'to'>, WithMessage<pb.SendMessageResponse>>;
  ListMessages: Unary<Sent<pb.ListMessagesRequest>, pb.ListMessagesResponse>;
  CancelMessage: Unary<Sent<pb.CancelMessageRequest, 'id'>, WithMessage<pb.CancelMessageResponse>>;
  RescheduleMessage: Unary<
    Sent<pb.RescheduleMessageRequest, 'id' | 'send_at'>,
    WithMessage<pb.RescheduleMessageResponse>
  >;
  WatchMessages(
    request: Sent<pb.WatchMessagesRequest>,
    metadata: grpc.Metadata,
  ): grpc.ClientReadableStream<WithMessage<pb.WatchMessagesResponse>>;
}

/**
 * A plain @grpc/grpc-js client of one service of a proto file (relative to the proto root), as
 * an internal team would write one: `service` is its full name (`textplane.billing.v1.BillingService`).
 */
export function serviceClient<C extends grpc.Client>(
  protoFile: string,
  service: string,
  address: string,
): C {
  const definition = protoLoader.loadSync(protoFile, {
    includeDirs: [protoDir],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const part of service.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'function') throw new Error(`no service ${service} in ${protoFile}`);
  const Client = node as new (address: string, credentials: grpc.ChannelCredentials) => C;
  return new Client(address, grpc.credentials.createInsecure());
}

/** A plain @grpc/grpc-js client of MessagingService, as an internal team would write one. */
export function messagingClient(address: string): MessagingClient {
  return serviceClient<MessagingClient>(
    MESSAGING_PROTO_FILE,
    'textplane.messaging.v1.MessagingService',
    address,
  );
}

export function apiKeyMetadata(apiKey: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  return metadata;
}

export function unary<Req, Res>(
  call: Unary<Req, Res>,
  client: grpc.Client,
  request: Req,
  metadata: grpc.Metadata,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    call.call(client, request, metadata, (error, response) => {
      if (error) reject(error);
      else if (response === undefined) reject(new Error('empty response'));
      else resolve(response);
    });
  });
}
