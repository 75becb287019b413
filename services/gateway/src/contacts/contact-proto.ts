import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/messaging/v1/contacts.js';
import { loadContract, serviceDefinitionOf } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The contacts contract, relative to the proto root (the repository's `proto/` folder). */
export const CONTACT_PROTO_FILE =
  'textplane/messaging/v1/contacts.proto' satisfies typeof pb.protobufFileName;

export const CONTACT_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.ContactService` as const;

/** A custom field value as proto-loader decodes it (`oneofs`: `kind` names the member set). */
export type DecodedCustomFieldValueProto = Decoded<pb.CustomFieldValue> & { kind?: string };

export type DecodedUpsertContactRequestProto = Omit<
  Decoded<pb.UpsertContactRequest>,
  'custom_fields'
> & { custom_fields: Record<string, DecodedCustomFieldValueProto> };
export type DecodedGetContactRequestProto = Decoded<pb.GetContactRequest>;
export type DecodedListContactsRequestProto = Decoded<pb.ListContactsRequest>;
export type DecodedDeleteContactRequestProto = Decoded<pb.DeleteContactRequest>;

export type ContactProto = Written<pb.Contact>;
export type UpsertContactResponseProto = Written<pb.UpsertContactResponse>;
export type GetContactResponseProto = Written<pb.GetContactResponse>;
export type ListContactsResponseProto = Written<pb.ListContactsResponse>;
export type DeleteContactResponseProto = Written<pb.DeleteContactResponse>;

/** The contacts contract as proto-loader reads it from the proto root. */
export function loadContactPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(CONTACT_PROTO_FILE, protoDir);
}

/** The service definition, for `Server.addService` and `makeClientConstructor`. */
export function contactServiceDefinition(
  packageDefinition: protoLoader.PackageDefinition,
): protoLoader.ServiceDefinition {
  return serviceDefinitionOf(packageDefinition, CONTACT_SERVICE_NAME, CONTACT_PROTO_FILE);
}
