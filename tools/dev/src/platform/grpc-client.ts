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

type Unary<Req, Res> = (
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

/** A plain @grpc/grpc-js client of MessagingService, as an internal team would write one. */
export function messagingClient(address: string): MessagingClient {
  const definition = protoLoader.loadSync(MESSAGING_PROTO_FILE, {
    includeDirs: [protoDir],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    textplane: {
      messaging: {
        v1: {
          MessagingService: new (
            address: string,
            credentials: grpc.ChannelCredentials,
          ) => MessagingClient;
        };
      };
    };
  };
  return new root.textplane.messaging.v1.MessagingService(
    address,
    grpc.credentials.createInsecure(),
  );
}

export function apiKeyMetadata(apiKey: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  return metadata;
}

export function unary<Req, Res>(
  call: Unary<Req, Res>,
  client: MessagingClient,
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
