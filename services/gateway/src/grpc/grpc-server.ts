import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { ServerGrpc } from '@nestjs/microservices';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { type Observable, Subscription } from 'rxjs';
import { ApiError } from '../problems/api-error.js';
import { GuardedServer } from './guarded-server.js';
import { toGrpcFailure, type GrpcFailure } from './grpc-status.js';
import { PROTO_LOADER_OPTIONS } from './proto-contracts.js';
import { withFileDependencies } from './reflection-descriptors.js';

export interface GrpcLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export const SILENT_GRPC_LOGGER: GrpcLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface GrpcServerOptions {
  port: number;
  /** Interface to bind; all IPv4 interfaces by default. */
  host?: string;
  /** Every context's contract as proto-loader read it; the services Nest serves come from here. */
  contracts: readonly protoLoader.PackageDefinition[];
  logger?: GrpcLogger;
  /** How long `close()` lets in-flight calls finish before cutting them; 5 s by default. */
  shutdownTimeoutMs?: number;
  /** Messages buffered per server stream; `DEFAULT_STREAM_BACKLOG_LIMIT` by default. */
  streamBacklogLimit?: number;
}

/**
 * Messages buffered for a stream reader that does not keep up. Past it the stream ends with
 * RESOURCE_EXHAUSTED rather than letting one slow client grow the gateway's memory. Generous,
 * because a burst in one tick (a batch of delivery receipts for a watcher) buffers before any
 * drains.
 */
export const DEFAULT_STREAM_BACKLOG_LIMIT = 10_000;

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;

type ServerState = 'created' | 'serving' | 'stopped';

type ServerStream = grpc.ServerWritableStream<unknown, unknown>;

type StreamHandler = (request: unknown, metadata: grpc.Metadata, call: ServerStream) => unknown;

function bindAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function isGrpcFailure(value: unknown): value is GrpcFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'code') === 'number' &&
    typeof Reflect.get(value, 'details') === 'string' &&
    Reflect.get(value, 'metadata') instanceof grpc.Metadata
  );
}

function failureOf(code: grpc.status, details: string): GrpcFailure {
  return { code, details, metadata: new grpc.Metadata() };
}

/**
 * Nest's gRPC transport as the gateway needs it. On top of `ServerGrpc`, which routes each call to
 * its `@GrpcMethod` handler:
 * - the grpc-js server is a `GuardedServer` (undecodable bytes are INVALID_ARGUMENT, status details
 *   bounded), and serves `grpc.health.v1.Health` and server reflection beside the contexts;
 * - a server stream buffers at most `streamBacklogLimit` messages: Nest's own writer queues what
 *   the handler emits without bound while the client reads slowly;
 * - `close()` reports NOT_SERVING, ends open streams with UNAVAILABLE (readers reconnect
 *   elsewhere), lets unary calls finish and cuts what is left after the timeout.
 * Plaintext: TLS is the mesh's or the ingress's job, as for the internal REST port.
 */
export class GatewayGrpcServer extends ServerGrpc {
  private readonly packageDefinition: protoLoader.PackageDefinition;
  private readonly grpcLogger: GrpcLogger;
  private readonly streams = new Set<(failure: GrpcFailure) => void>();
  private health: HealthImplementation | undefined;
  private servedNames: string[] = [];
  private state: ServerState = 'created';
  private boundPort: number | undefined;

  constructor(private readonly settings: GrpcServerOptions) {
    const packageDefinition = Object.assign(
      {},
      ...settings.contracts,
    ) as protoLoader.PackageDefinition;
    super({
      url: bindAddress(settings.host ?? '0.0.0.0', settings.port),
      packageDefinition,
      package: [
        ...new Set(
          Object.keys(packageDefinition)
            .filter((name) => !('format' in (packageDefinition[name] ?? {})))
            .map((name) => name.slice(0, name.lastIndexOf('.'))),
        ),
      ],
    });
    this.packageDefinition = packageDefinition;
    this.grpcLogger = settings.logger ?? SILENT_GRPC_LOGGER;
  }

  /** The port bound, once listening (the one asked for, or the system's pick for 0). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('The gRPC server is not listening');
    return this.boundPort;
  }

  /** Logs what the caller only sees as INTERNAL, with the method. */
  internalFailure(error: unknown, method: string): GrpcFailure {
    if (!(error instanceof ApiError)) {
      this.grpcLogger.error('gRPC call failed', { method, error: describeError(error) });
    }
    return toGrpcFailure(error);
  }

  override async createClient(): Promise<GuardedServer> {
    const server = new GuardedServer();
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(this.url, grpc.ServerCredentials.createInsecure(), (error, port) => {
        if (error === null) resolve(port);
        else reject(error);
      });
    });
    return server;
  }

  override async bindEvents(): Promise<void> {
    await super.bindEvents();
    const server = this.grpcClient as GuardedServer;
    this.servedNames = [...new Set(this.handledRoutes().map((route) => route.service))];
    const unhandled = this.unhandledMethods();
    if (unhandled.length > 0) {
      // A method added to a contract without its handler would answer UNIMPLEMENTED quietly.
      throw new Error(`No gRPC handler for ${unhandled.join(', ')}`);
    }
    const names = ['', ...this.servedNames];
    this.health = new HealthImplementation(
      Object.fromEntries(names.map((name) => [name, 'NOT_SERVING'])),
    );
    this.health.addToServer(server);
    // Reflection describes what it is given: the health contract too, so `grpcurl list` shows it.
    const health = protoLoader.loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
    new ReflectionService(
      withFileDependencies({ ...this.packageDefinition, ...health }),
    ).addToServer(server);
  }

  override async start(callback?: () => void): Promise<void> {
    await this.bindEvents();
    if (this.state === 'stopped') throw new Error('The gRPC server was stopped while starting');
    this.state = 'serving';
    this.setServing('SERVING');
    this.grpcLogger.info('gRPC gateway listening', { address: this.url, port: this.boundPort });
    callback?.();
  }

  override async close(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.setServing('NOT_SERVING');
    for (const end of [...this.streams]) {
      end(failureOf(grpc.status.UNAVAILABLE, 'The server is shutting down; reconnect.'));
    }
    const server = this.grpcClient as GuardedServer | null | undefined;
    if (server === null || server === undefined) return;
    const timeoutMs = this.settings.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.grpcLogger.warn('gRPC calls still open after the shutdown timeout; cutting them', {
          timeoutMs,
        });
        server.forceShutdown();
        resolve();
      }, timeoutMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.grpcLogger.info('gRPC gateway stopped');
  }

  /** Server-streaming calls: the handler's observable, written with a bounded backlog. */
  override createStreamServiceMethod(methodHandler: StreamHandler): (call: ServerStream) => void {
    const operationId = methodHandler.name;
    return (call: ServerStream) => {
      this.runWithProcessingHooks(
        { ...call, operationId } as never,
        async (runEndHook) => {
          const result$ = this.transformToObservable<unknown>(
            (await methodHandler(call.request, call.metadata, call)) as Observable<unknown>,
          );
          await this.writeBounded(result$, call);
          runEndHook();
        },
        call.request as never,
      );
    };
  }

  /** The service and method of each `@GrpcMethod` (Nest keys its handlers by that pattern). */
  private handledRoutes(): { service: string; rpc: string }[] {
    return [...this.getHandlers().keys()].map((pattern) => {
      const parsed: unknown = JSON.parse(pattern);
      const field = (name: string): string =>
        typeof parsed === 'object' && parsed !== null ? String(Reflect.get(parsed, name)) : '';
      return { service: field('service'), rpc: field('rpc') };
    });
  }

  /** `Service/Method` of every method in the contracts that no `@GrpcMethod` handles. */
  private unhandledMethods(): string[] {
    const handled = new Set(this.handledRoutes().map((route) => `${route.service}/${route.rpc}`));
    return Object.entries(this.packageDefinition).flatMap(([service, definition]) =>
      'format' in definition
        ? []
        : Object.keys(definition)
            .map((method) => `${service}/${method}`)
            .filter((path) => !handled.has(path)),
    );
  }

  private setServing(status: 'SERVING' | 'NOT_SERVING'): void {
    for (const name of ['', ...this.servedNames]) this.health?.setStatus(name, status);
  }

  /**
   * Writes what `source` emits to the call, ending the stream with RESOURCE_EXHAUSTED once the
   * call holds `streamBacklogLimit` unsent messages. Settles when the stream ends, whichever side
   * ends it.
   */
  private writeBounded(source: Observable<unknown>, call: ServerStream): Promise<void> {
    const backlogLimit = this.settings.streamBacklogLimit ?? DEFAULT_STREAM_BACKLOG_LIMIT;
    return new Promise<void>((resolve) => {
      if (call.cancelled) {
        resolve();
        return;
      }
      if (this.state !== 'serving') {
        call.emit(
          'error',
          failureOf(grpc.status.UNAVAILABLE, 'The server is shutting down; reconnect.'),
        );
        resolve();
        return;
      }
      const subscription = new Subscription();
      let open = true;
      /** Idempotent; with a failure the stream ends with that status, with 'done' it ends OK. */
      const end = (outcome?: GrpcFailure | 'done'): void => {
        if (!open) return;
        open = false;
        this.streams.delete(end);
        subscription.unsubscribe();
        if (outcome === 'done') call.end();
        else if (outcome !== undefined) call.emit('error', outcome);
        resolve();
      };
      this.streams.add(end);
      call.on('cancelled', () => end());
      call.on('close', () => end());
      // Added to a subscription already ended (the source ended the stream while subscribing),
      // the source's subscription ends at once.
      subscription.add(
        source.subscribe({
          next: (value) => {
            if (!open) return;
            if (call.writableLength >= backlogLimit) {
              end(
                failureOf(
                  grpc.status.RESOURCE_EXHAUSTED,
                  'The watcher reads too slowly and fell behind; reconnect.',
                ),
              );
              return;
            }
            try {
              call.write(value);
            } catch (error) {
              end(this.internalFailure(error, call.getPath()));
            }
          },
          // The exception filter has mapped the handler's errors already.
          error: (error: unknown) =>
            end(isGrpcFailure(error) ? error : this.internalFailure(error, call.getPath())),
          complete: () => end('done'),
        }),
      );
    });
  }
}
