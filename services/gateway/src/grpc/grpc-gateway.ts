import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { type ConsentApi, REVIEW_PAGE_SIZE } from '../consents/consents.application.js';
import type { AuthenticatedTenant, MessageStatusChange } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { readApiKey, resolveIdempotencyKey } from './call-metadata.js';
import {
  CONSENT_SERVICE_NAME,
  consentServiceDefinition,
  loadConsentPackage,
  type ConsentRequestResponseProto,
  type DecodedDndRequestProto,
  type DecodedGrantConsentRequestProto,
  type DecodedListRevocationReviewsRequestProto,
  type DecodedResolveRevocationReviewRequestProto,
  type DecodedRevokeConsentRequestProto,
  type GetConsentHistoryResponseProto,
  type GetConsentResponseProto,
  type ListRevocationReviewsResponseProto,
  type PhoneRequestProto,
} from '../consents/consent-proto.js';
import {
  toConsentRequestResponse,
  toDndChannel,
  toGetConsentResponse,
  toGrantConsentBody,
  toHistoryResponse,
  toListReviewsResponse,
  toResolveReviewBody,
  toReviewStatus,
  toRevokeConsentBody,
} from '../consents/consent.mapper.js';
import { toGrpcFailure, type GrpcFailure } from './grpc-status.js';
import {
  toMessageProto,
  toSendMessageInput,
  toWatchMessagesResponse,
} from '../messages/message.mapper.js';
import type { MessagingApplication } from '../messages/messaging-application.js';
import { withFileDependencies } from './reflection-descriptors.js';
import { GuardedServer } from './guarded-server.js';
import {
  loadMessagingPackage,
  MESSAGING_SERVICE_NAME,
  messagingServiceDefinition,
  type DecodedListConversationMessagesRequestProto,
  type DecodedSendMessageRequestProto,
  type DecodedWatchMessagesRequestProto,
  type GetMessageRequestProto,
  type GetMessageResponseProto,
  type ListConversationMessagesResponseProto,
  type SendMessageResponseProto,
  type WatchMessagesResponseProto,
} from '../messages/messaging-proto.js';
import { PROTO_LOADER_OPTIONS } from './proto-contracts.js';

export interface GrpcLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export interface GrpcGatewayOptions {
  port: number;
  /** Interface to bind; all IPv4 interfaces by default. */
  host?: string;
  /** The proto root: the repository's `proto/` folder (config `GATEWAY_PROTO_DIR`). */
  protoDir: string;
  logger?: GrpcLogger;
  /** How long `stop()` lets in-flight calls finish before cutting them; 5 s by default. */
  shutdownTimeoutMs?: number;
  /** Changes buffered per WatchMessages stream; `DEFAULT_WATCH_BACKLOG_LIMIT` by default. */
  watchBacklogLimit?: number;
  /** The consent use cases: when given, `textplane.consent.v1.ConsentService` is served too. */
  consents?: ConsentApi;
}

export const CONVERSATION_PAGE_SIZE = { default: 50, max: 100 } as const;

/**
 * Changes buffered for a watcher that does not keep up. Past it the stream ends with
 * RESOURCE_EXHAUSTED rather than letting one slow client grow the gateway's memory. Generous,
 * because a burst of changes in one tick (a batch of delivery receipts) buffers before any drains.
 */
export const DEFAULT_WATCH_BACKLOG_LIMIT = 10_000;

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;

const SILENT_LOGGER: GrpcLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

type GatewayState = 'created' | 'starting' | 'serving' | 'stopped';

type WatchCall = grpc.ServerWritableStream<
  DecodedWatchMessagesRequestProto,
  WatchMessagesResponseProto
>;

function bindAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * The gateway's gRPC server: `textplane.messaging.v1.MessagingService` over a
 * `MessagingApplication`, plus `grpc.health.v1.Health` and server reflection. Plaintext: TLS is
 * the mesh's or the ingress's job, as for the internal REST port.
 */
export class GrpcGateway {
  /** On every service: undecodable bytes are INVALID_ARGUMENT, and status details are bounded. */
  private readonly server = new GuardedServer();
  private readonly health: HealthImplementation;
  private readonly serviceNames: string[] = ['', MESSAGING_SERVICE_NAME];
  /** Open WatchMessages streams, ended by `stop()` so the graceful shutdown can complete. */
  private readonly watches = new Set<(failure: GrpcFailure) => void>();
  private readonly logger: GrpcLogger;
  private state: GatewayState = 'created';

  constructor(
    private readonly app: MessagingApplication,
    private readonly options: GrpcGatewayOptions,
  ) {
    this.logger = options.logger ?? SILENT_LOGGER;
    if (options.consents) this.serviceNames.push(CONSENT_SERVICE_NAME);
    this.health = new HealthImplementation(
      Object.fromEntries(this.serviceNames.map((name) => [name, 'NOT_SERVING'])),
    );
    const messaging = loadMessagingPackage(options.protoDir);
    this.server.addService(messagingServiceDefinition(messaging), {
      SendMessage: this.unary((tenant, request: DecodedSendMessageRequestProto, metadata) =>
        this.sendMessage(tenant, request, metadata),
      ),
      GetMessage: this.unary((tenant, request: GetMessageRequestProto) =>
        this.getMessage(tenant, request),
      ),
      ListConversationMessages: this.unary(
        (tenant, request: DecodedListConversationMessagesRequestProto) =>
          this.listConversationMessages(tenant, request),
      ),
      WatchMessages: (call: WatchCall) => this.watchMessages(call),
    });
    const consent = options.consents ? this.addConsentService(options.consents) : {};
    this.health.addToServer(this.server);
    // Reflection describes what it is given: the health contract too, so `grpcurl list` shows it.
    const health = protoLoader.loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
    new ReflectionService(
      withFileDependencies({ ...messaging, ...consent, ...health }),
    ).addToServer(this.server);
  }

  async start(): Promise<{ port: number }> {
    if (this.state !== 'created') {
      throw new Error(`GrpcGateway cannot start: it is ${this.state}`);
    }
    this.state = 'starting';
    const address = bindAddress(this.options.host ?? '0.0.0.0', this.options.port);
    const port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(
        address,
        grpc.ServerCredentials.createInsecure(),
        (error, boundPort) => {
          if (error === null) resolve(boundPort);
          else reject(error);
        },
      );
    });
    if (this.isStopped()) {
      throw new Error('GrpcGateway was stopped while starting');
    }
    this.state = 'serving';
    this.setServing('SERVING');
    this.logger.info('gRPC gateway listening', { address, port });
    return { port };
  }

  /**
   * Reports NOT_SERVING, ends open WatchMessages streams with UNAVAILABLE (watchers reconnect
   * elsewhere), lets in-flight unary calls finish, and cuts whatever is left after the timeout.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.setServing('NOT_SERVING');
    for (const end of [...this.watches]) {
      end({
        code: grpc.status.UNAVAILABLE,
        details: 'The server is shutting down; reconnect.',
        metadata: new grpc.Metadata(),
      });
    }
    const timeoutMs = this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.logger.warn('gRPC calls still open after the shutdown timeout; cutting them', {
          timeoutMs,
        });
        this.server.forceShutdown();
        resolve();
      }, timeoutMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.logger.info('gRPC gateway stopped');
  }

  /** A method, not an inline check, because `stop()` may change the state while `start()` awaits. */
  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private setServing(status: 'SERVING' | 'NOT_SERVING'): void {
    for (const name of this.serviceNames) this.health.setStatus(name, status);
  }

  /** ConsentService: each RPC maps to the REST use case, so validation and errors are shared. */
  private addConsentService(consents: ConsentApi): protoLoader.PackageDefinition {
    const definition = loadConsentPackage(this.options.protoDir);
    const write =
      <Request extends { idempotency_key?: string | undefined }>(
        run: (
          tenant: AuthenticatedTenant,
          request: Request,
          key: string | undefined,
        ) => ReturnType<ConsentApi['grant']>,
      ) =>
      (tenant: AuthenticatedTenant, request: Request, metadata: grpc.Metadata) =>
        run(tenant, request, resolveIdempotencyKey(metadata, request.idempotency_key)).then(
          toConsentRequestResponse,
        );
    this.server.addService(consentServiceDefinition(definition), {
      GrantConsent: this.unary<DecodedGrantConsentRequestProto, ConsentRequestResponseProto>(
        write((tenant, request, key) => consents.grant(tenant, toGrantConsentBody(request), key)),
      ),
      GetConsent: this.unary<PhoneRequestProto, GetConsentResponseProto>(async (tenant, request) =>
        toGetConsentResponse(await consents.get(tenant, request.phone)),
      ),
      GetConsentHistory: this.unary<PhoneRequestProto, GetConsentHistoryResponseProto>(
        async (tenant, request) => toHistoryResponse(await consents.history(tenant, request.phone)),
      ),
      RevokeConsent: this.unary<DecodedRevokeConsentRequestProto, ConsentRequestResponseProto>(
        write((tenant, request, key) =>
          consents.revoke(tenant, request.phone, toRevokeConsentBody(request), key),
        ),
      ),
      SetDnd: this.unary<DecodedDndRequestProto, ConsentRequestResponseProto>(
        write((tenant, request, key) =>
          consents.changeDnd(tenant, request.phone, toDndChannel(request.channel), true, key),
        ),
      ),
      ClearDnd: this.unary<DecodedDndRequestProto, ConsentRequestResponseProto>(
        write((tenant, request, key) =>
          consents.changeDnd(tenant, request.phone, toDndChannel(request.channel), false, key),
        ),
      ),
      ListRevocationReviews: this.unary<
        DecodedListRevocationReviewsRequestProto,
        ListRevocationReviewsResponseProto
      >(async (tenant, request) => {
        if (request.page_size < 0) {
          throw ApiError.invalid('The page size must not be negative.', [
            { field: 'page_size', message: 'must not be negative' },
          ]);
        }
        const status = toReviewStatus(request.status);
        const page = await consents.listReviews(tenant, {
          limit:
            request.page_size === 0
              ? REVIEW_PAGE_SIZE.default
              : Math.min(request.page_size, REVIEW_PAGE_SIZE.max),
          ...(status !== undefined ? { status } : {}),
          ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
        });
        return toListReviewsResponse(page);
      }),
      ResolveRevocationReview: this.unary<
        DecodedResolveRevocationReviewRequestProto,
        ConsentRequestResponseProto
      >(
        write((tenant, request, key) => {
          if (request.review_id.trim() === '') {
            throw ApiError.invalid('The review id is required.', [
              { field: 'review_id', message: 'is required' },
            ]);
          }
          return consents.resolveReview(
            tenant,
            request.review_id,
            toResolveReviewBody(request),
            key,
          );
        }),
      ),
    });
    return definition;
  }

  private async authenticate(metadata: grpc.Metadata): Promise<AuthenticatedTenant> {
    const apiKey = readApiKey(metadata);
    if (apiKey === null) {
      throw ApiError.unauthenticated(
        'A valid API key is required (metadata authorization: Bearer <key>, or x-api-key).',
      );
    }
    const tenant = await this.app.authenticate(apiKey);
    if (tenant === null) {
      throw ApiError.unauthenticated('The API key is not valid.');
    }
    return tenant;
  }

  /** Internal faults are logged here, with the method, since the caller only sees INTERNAL. */
  private failure(error: unknown, method: string): GrpcFailure {
    if (!(error instanceof ApiError)) {
      this.logger.error('gRPC call failed', { method, error: describeError(error) });
    }
    return toGrpcFailure(error);
  }

  private unary<Request, Response>(
    handle: (
      tenant: AuthenticatedTenant,
      request: Request,
      metadata: grpc.Metadata,
    ) => Promise<Response>,
  ): grpc.handleUnaryCall<Request, Response> {
    return (call, callback) => {
      void this.authenticate(call.metadata)
        .then((tenant) => handle(tenant, call.request, call.metadata))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(this.failure(error, call.getPath())),
        );
    };
  }

  private async sendMessage(
    tenant: AuthenticatedTenant,
    request: DecodedSendMessageRequestProto,
    metadata: grpc.Metadata,
  ): Promise<SendMessageResponseProto> {
    const idempotencyKey = resolveIdempotencyKey(metadata, request.idempotency_key);
    const message = await this.app.send(tenant, toSendMessageInput(request), idempotencyKey);
    return { message: toMessageProto(message) };
  }

  private async getMessage(
    tenant: AuthenticatedTenant,
    request: GetMessageRequestProto,
  ): Promise<GetMessageResponseProto> {
    if (request.id.trim() === '') {
      throw ApiError.invalid('The message id is required.', [
        { field: 'id', message: 'is required' },
      ]);
    }
    return { message: toMessageProto(await this.app.get(tenant, request.id)) };
  }

  /** Page size follows AIP-158: 0 means the default, too large is capped, negative is refused. */
  private async listConversationMessages(
    tenant: AuthenticatedTenant,
    request: DecodedListConversationMessagesRequestProto,
  ): Promise<ListConversationMessagesResponseProto> {
    if (request.phone.trim() === '') {
      throw ApiError.invalid('The phone number is required.', [
        { field: 'phone', message: 'is required' },
      ]);
    }
    if (request.page_size < 0) {
      throw ApiError.invalid('The page size must not be negative.', [
        { field: 'page_size', message: 'must not be negative' },
      ]);
    }
    const limit =
      request.page_size === 0
        ? CONVERSATION_PAGE_SIZE.default
        : Math.min(request.page_size, CONVERSATION_PAGE_SIZE.max);
    const page = await this.app.listConversation(
      tenant,
      request.phone,
      request.page_token === '' ? { limit } : { cursor: request.page_token, limit },
    );
    return { messages: page.items.map(toMessageProto), next_page_token: page.nextCursor ?? '' };
  }

  private watchMessages(call: WatchCall): void {
    void this.authenticate(call.metadata).then(
      (tenant) => {
        if (call.cancelled) return;
        if (this.state !== 'serving') {
          call.emit('error', {
            code: grpc.status.UNAVAILABLE,
            details: 'The server is shutting down; reconnect.',
          });
          return;
        }
        this.openWatch(call, tenant);
      },
      (error: unknown) => call.emit('error', this.failure(error, call.getPath())),
    );
  }

  private openWatch(call: WatchCall, tenant: AuthenticatedTenant): void {
    const onlyIds = new Set(call.request.message_ids);
    const backlogLimit = this.options.watchBacklogLimit ?? DEFAULT_WATCH_BACKLOG_LIMIT;
    let unsubscribe: (() => void) | null = null;
    let open = true;
    /** Idempotent; with a failure the stream ends with that status, without one it is already gone. */
    const end = (failure?: GrpcFailure): void => {
      if (!open) return;
      open = false;
      this.watches.delete(end);
      unsubscribe?.();
      if (failure !== undefined) call.emit('error', failure);
    };
    const deliver = (change: MessageStatusChange): void => {
      if (!open || (onlyIds.size > 0 && !onlyIds.has(change.message.id))) return;
      if (call.writableLength >= backlogLimit) {
        end({
          code: grpc.status.RESOURCE_EXHAUSTED,
          details: 'The watcher reads too slowly and fell behind; reconnect.',
          metadata: new grpc.Metadata(),
        });
        return;
      }
      try {
        call.write(toWatchMessagesResponse(change));
      } catch (error) {
        end(this.failure(error, call.getPath()));
      }
    };
    this.watches.add(end);
    call.on('cancelled', () => end());
    call.on('close', () => end());
    unsubscribe = this.app.watch(tenant, deliver);
    // The application may have delivered, and the stream failed, while subscribing.
    if (!open) unsubscribe();
  }
}
