import type * as grpc from '@grpc/grpc-js';
import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
} from '@nestjs/common';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { readApiKey } from './call-metadata.js';

/** Who owns an API key: the tenant directory in the gateway, a fake in tests. */
export interface ApiKeyAuthenticator {
  /** The tenant owning the API key, or null when the key is unknown or revoked. */
  authenticate(apiKey: string): Promise<AuthenticatedTenant | null>;
}

export const API_KEY_AUTHENTICATOR = Symbol('API_KEY_AUTHENTICATOR');

/** The tenant of each call, keyed by the call's metadata (the context Nest hands to handlers). */
const tenants = new WeakMap<object, AuthenticatedTenant>();

function metadataOf(context: ExecutionContext): grpc.Metadata {
  return context.switchToRpc().getContext<grpc.Metadata>();
}

/**
 * Every gRPC call carries a tenant's API key (metadata `authorization: Bearer <key>`, or
 * `x-api-key`), as REST's `ApiKeyGuard` asks for the header. Registered for the whole gRPC edge.
 */
@Injectable()
export class GrpcApiKeyGuard implements CanActivate {
  constructor(@Inject(API_KEY_AUTHENTICATOR) private readonly keys: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const metadata = metadataOf(context);
    const apiKey = readApiKey(metadata);
    if (apiKey === null) {
      throw ApiError.unauthenticated(
        'A valid API key is required (metadata authorization: Bearer <key>, or x-api-key).',
      );
    }
    const tenant = await this.keys.authenticate(apiKey);
    if (tenant === null) throw ApiError.unauthenticated('The API key is not valid.');
    tenants.set(metadata, tenant);
    return true;
  }
}

/** The tenant `GrpcApiKeyGuard` authenticated for this call. */
export const GrpcTenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedTenant => {
    const tenant = tenants.get(metadataOf(context));
    if (tenant === undefined) throw new Error('GrpcApiKeyGuard did not run for this call');
    return tenant;
  },
);
