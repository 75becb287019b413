import type * as protoLoader from '@grpc/proto-loader';
import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import {
  API_KEY_AUTHENTICATOR,
  type ApiKeyAuthenticator,
  GrpcApiKeyGuard,
} from './grpc-api-key.guard.js';
import { GRPC_LOGGER, GrpcFailureFilter } from './grpc-failure.filter.js';
import { GatewayGrpcServer, type GrpcServerOptions, SILENT_GRPC_LOGGER } from './grpc-server.js';

/**
 * What a context brings to the gRPC edge: its contract (for the server and reflection) and the
 * Nest module holding its `@GrpcMethod` controllers and the use cases they call.
 */
export interface GrpcContext {
  contract: protoLoader.PackageDefinition;
  module: DynamicModule;
}

export interface GrpcEdgeOptions extends Omit<GrpcServerOptions, 'contracts'> {
  contexts: readonly GrpcContext[];
  authenticator: ApiKeyAuthenticator;
  /** Nest's own log lines; none by default. */
  nestLogger?: LoggerService;
}

/** The gRPC edge's root: every call authenticated, every failure mapped to a status. */
@Module({})
class GrpcEdgeModule {
  static forRoot(options: GrpcEdgeOptions): DynamicModule {
    return {
      module: GrpcEdgeModule,
      imports: options.contexts.map((context) => context.module),
      providers: [
        { provide: API_KEY_AUTHENTICATOR, useValue: options.authenticator },
        { provide: GRPC_LOGGER, useValue: options.logger ?? SILENT_GRPC_LOGGER },
        { provide: APP_GUARD, useClass: GrpcApiKeyGuard },
        { provide: APP_FILTER, useClass: GrpcFailureFilter },
      ],
    };
  }
}

/**
 * The gateway's gRPC interface: a Nest microservice on `GatewayGrpcServer`, serving each context's
 * controllers plus health and reflection.
 */
export class GrpcEdge {
  private constructor(
    private readonly app: INestMicroservice,
    readonly port: number,
  ) {}

  static async start(options: GrpcEdgeOptions): Promise<GrpcEdge> {
    const server = new GatewayGrpcServer({
      ...options,
      contracts: options.contexts.map((context) => context.contract),
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(
      GrpcEdgeModule.forRoot(options),
      {
        strategy: server,
        logger: options.nestLogger ?? false,
        abortOnError: false,
      },
    );
    try {
      await app.listen();
    } catch (error) {
      await app.close();
      throw error;
    }
    return new GrpcEdge(app, server.port);
  }

  /** See `GatewayGrpcServer.close`. */
  stop(): Promise<void> {
    return this.app.close();
  }
}
