import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf } from '../grpc/page-size.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import {
  CONTACT_SERVICE_NAME,
  type DecodedDeleteContactRequestProto,
  type DecodedGetContactRequestProto,
  type DecodedListContactsRequestProto,
  type DecodedUpsertContactRequestProto,
  type DeleteContactResponseProto,
  type GetContactResponseProto,
  type ListContactsResponseProto,
  type UpsertContactResponseProto,
  loadContactPackage,
} from './contact-proto.js';
import {
  toContactBody,
  toDeleteContactResponse,
  toGetContactResponse,
  toListContactsResponse,
  toUpsertContactResponse,
} from './contact.mapper.js';
import { CONTACT_PAGE_SIZE, type ContactApi } from './contacts.application.js';

export const CONTACT_GRPC_API = Symbol('CONTACT_GRPC_API');

const present = <T>(value: T | null | undefined): value is T =>
  value !== undefined && value !== null;

/** Versions count from 1: a set expected_version of 0 names none. */
function expectedVersionOf(value: number | null | undefined): number | undefined {
  if (!present(value)) return undefined;
  if (value < 1) {
    throw ApiError.invalid('The expected version is not valid', [
      { field: 'expected_version', message: 'must be a contact version (1 or more) when set' },
    ]);
  }
  return value;
}

/** textplane.messaging.v1.ContactService over the REST use cases (same rules, same errors). */
@Controller()
export class ContactGrpcController {
  constructor(@Inject(CONTACT_GRPC_API) private readonly contacts: ContactApi) {}

  @GrpcMethod(CONTACT_SERVICE_NAME, 'UpsertContact')
  async upsertContact(
    @Payload() request: DecodedUpsertContactRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<UpsertContactResponseProto> {
    const body = toContactBody(request);
    const expected = expectedVersionOf(request.expected_version);
    return toUpsertContactResponse(
      await this.contacts.upsert(tenant, request.contact_id, body, expected),
    );
  }

  @GrpcMethod(CONTACT_SERVICE_NAME, 'GetContact')
  async getContact(
    @Payload() request: DecodedGetContactRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetContactResponseProto> {
    return toGetContactResponse(await this.contacts.get(tenant, request.contact_id));
  }

  @GrpcMethod(CONTACT_SERVICE_NAME, 'ListContacts')
  async listContacts(
    @Payload() request: DecodedListContactsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListContactsResponseProto> {
    const page = await this.contacts.list(tenant, {
      limit: pageSizeOf(request.page_size, CONTACT_PAGE_SIZE),
      ...(present(request.tag) ? { tag: request.tag } : {}),
      ...(present(request.query) ? { q: request.query } : {}),
      ...(present(request.phone) ? { phone: request.phone } : {}),
      ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
    });
    return toListContactsResponse(page);
  }

  @GrpcMethod(CONTACT_SERVICE_NAME, 'DeleteContact')
  async deleteContact(
    @Payload() request: DecodedDeleteContactRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<DeleteContactResponseProto> {
    const expected = expectedVersionOf(request.expected_version);
    return toDeleteContactResponse(
      await this.contacts.delete(tenant, request.contact_id, expected),
    );
  }
}

@Module({})
class ContactGrpcModule {}

/** The contacts context on the gRPC edge. */
export function contactGrpc(protoDir: string, contacts: ContactApi): GrpcContext {
  const module: DynamicModule = {
    module: ContactGrpcModule,
    controllers: [ContactGrpcController],
    providers: [{ provide: CONTACT_GRPC_API, useValue: contacts }],
  };
  return { contract: loadContactPackage(protoDir), module };
}
