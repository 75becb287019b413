import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const protoDir = fileURLToPath(new URL('../../../../proto', import.meta.url));

export interface GrpcMessage {
  id: string;
  status: string;
  to: string;
  from: string;
  body: string;
  error_code?: string;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

export interface MessagingClient extends grpc.Client {
  GetMessage: Unary<{ id: string }, { message: GrpcMessage }>;
  SendMessage: Unary<
    { to: string; body?: string; idempotency_key?: string },
    { message: GrpcMessage }
  >;
  WatchMessages(
    request: { message_ids: string[] },
    metadata: grpc.Metadata,
  ): grpc.ClientReadableStream<{ message: GrpcMessage; event_type: string }>;
}

/** A plain @grpc/grpc-js client of MessagingService, as an internal team would write one. */
export function messagingClient(address: string): MessagingClient {
  const definition = protoLoader.loadSync('textplane/messaging/v1/messaging.proto', {
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
