import type * as grpc from '@grpc/grpc-js';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf, requireField } from '../grpc/page-size.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import {
  CONSENT_SERVICE_NAME,
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
} from './consent-proto.js';
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
} from './consent.mapper.js';
import { type ConsentApi, REVIEW_PAGE_SIZE } from './consents.application.js';

export const CONSENT_GRPC_API = Symbol('CONSENT_GRPC_API');

/**
 * textplane.consent.v1.ConsentService: each RPC maps to the REST use case, so validation and
 * errors are shared. Writes take their idempotency key from the request or the metadata.
 */
@Controller()
export class ConsentGrpcController {
  constructor(@Inject(CONSENT_GRPC_API) private readonly consents: ConsentApi) {}

  @GrpcMethod(CONSENT_SERVICE_NAME, 'GrantConsent')
  async grantConsent(
    @Payload() request: DecodedGrantConsentRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ConsentRequestResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    return toConsentRequestResponse(
      await this.consents.grant(tenant, toGrantConsentBody(request), key),
    );
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'GetConsent')
  async getConsent(
    @Payload() request: PhoneRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetConsentResponseProto> {
    return toGetConsentResponse(await this.consents.get(tenant, request.phone));
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'GetConsentHistory')
  async getConsentHistory(
    @Payload() request: PhoneRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetConsentHistoryResponseProto> {
    return toHistoryResponse(await this.consents.history(tenant, request.phone));
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'RevokeConsent')
  async revokeConsent(
    @Payload() request: DecodedRevokeConsentRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ConsentRequestResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    return toConsentRequestResponse(
      await this.consents.revoke(tenant, request.phone, toRevokeConsentBody(request), key),
    );
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'SetDnd')
  setDnd(
    @Payload() request: DecodedDndRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ConsentRequestResponseProto> {
    return this.changeDnd(tenant, request, metadata, true);
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'ClearDnd')
  clearDnd(
    @Payload() request: DecodedDndRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ConsentRequestResponseProto> {
    return this.changeDnd(tenant, request, metadata, false);
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'ListRevocationReviews')
  async listRevocationReviews(
    @Payload() request: DecodedListRevocationReviewsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListRevocationReviewsResponseProto> {
    const limit = pageSizeOf(request.page_size, REVIEW_PAGE_SIZE);
    const status = toReviewStatus(request.status);
    const page = await this.consents.listReviews(tenant, {
      limit,
      ...(status !== undefined ? { status } : {}),
      ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
    });
    return toListReviewsResponse(page);
  }

  @GrpcMethod(CONSENT_SERVICE_NAME, 'ResolveRevocationReview')
  async resolveRevocationReview(
    @Payload() request: DecodedResolveRevocationReviewRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ConsentRequestResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const reviewId = requireField(request.review_id, 'review_id', 'The review id is required.');
    return toConsentRequestResponse(
      await this.consents.resolveReview(tenant, reviewId, toResolveReviewBody(request), key),
    );
  }

  private async changeDnd(
    tenant: AuthenticatedTenant,
    request: DecodedDndRequestProto,
    metadata: grpc.Metadata,
    active: boolean,
  ): Promise<ConsentRequestResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    return toConsentRequestResponse(
      await this.consents.changeDnd(
        tenant,
        request.phone,
        toDndChannel(request.channel),
        active,
        key,
      ),
    );
  }
}

@Module({})
class ConsentGrpcModule {}

/** The consent context on the gRPC edge. */
export function consentGrpc(protoDir: string, consents: ConsentApi): GrpcContext {
  const module: DynamicModule = {
    module: ConsentGrpcModule,
    controllers: [ConsentGrpcController],
    providers: [{ provide: CONSENT_GRPC_API, useValue: consents }],
  };
  return { contract: loadConsentPackage(protoDir), module };
}
