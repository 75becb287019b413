import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/consent/v1/consent.js';
import { loadContract, serviceDefinitionOf } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The consent contract, relative to the proto root (the repository's `proto/` folder). */
export const CONSENT_PROTO_FILE =
  'textplane/consent/v1/consent.proto' satisfies typeof pb.protobufFileName;

export const CONSENT_SERVICE_NAME =
  `${'textplane.consent.v1' satisfies typeof pb.protobufPackage}.ConsentService` as const;

/**
 * google.protobuf.Value as proto-loader reads and writes it. Its members are camelCase even
 * with `keepCase`: protobufjs brings the well-known types pre-parsed, not from the .proto.
 */
export type ValueProto =
  | { nullValue: 'NULL_VALUE' }
  | { numberValue: number }
  | { stringValue: string }
  | { boolValue: boolean }
  | { structValue: StructProto }
  | { listValue: { values: ValueProto[] } };

/** google.protobuf.Struct. */
export interface StructProto {
  fields: Record<string, ValueProto>;
}

/**
 * The ledger entry's `fact` is a google.protobuf.Struct, which ts-proto types as plain JSON; on
 * the wire proto-loader wants (and gives) the Struct message itself.
 */
export type ConsentLedgerEntryProto = Written<Omit<pb.ConsentLedgerEntry, 'fact'>> & {
  fact: StructProto;
};

/** Every write RPC answers with the same shape; the intersection keeps each one checked. */
type ConsentRequestResponse = pb.GrantConsentResponse &
  pb.RevokeConsentResponse &
  pb.SetDndResponse &
  pb.ClearDndResponse &
  pb.ResolveRevocationReviewResponse;

export type ConsentRequestResponseProto = Written<Omit<ConsentRequestResponse, 'entry'>> & {
  entry: ConsentLedgerEntryProto | null;
};

export type DecodedConsentEvidenceProto = Decoded<pb.ConsentEvidence>;

export type DecodedGrantConsentRequestProto = Decoded<pb.GrantConsentRequest>;

export type PhoneRequestProto = Decoded<pb.GetConsentRequest> &
  Decoded<pb.GetConsentHistoryRequest>;

export type DecodedRevokeConsentRequestProto = Decoded<pb.RevokeConsentRequest>;

export type DecodedDndRequestProto = Decoded<pb.SetDndRequest> & Decoded<pb.ClearDndRequest>;

export type DecodedListRevocationReviewsRequestProto = Decoded<pb.ListRevocationReviewsRequest>;

export type DecodedResolveRevocationReviewRequestProto = Decoded<pb.ResolveRevocationReviewRequest>;

export type GetConsentResponseProto = Written<pb.GetConsentResponse>;

export type GetConsentHistoryResponseProto = Written<
  Omit<pb.GetConsentHistoryResponse, 'entries'>
> & { entries: ConsentLedgerEntryProto[] };

export type RevocationReviewProto = Written<pb.RevocationReview>;

export type ListRevocationReviewsResponseProto = Written<pb.ListRevocationReviewsResponse>;

/** The consent contract as proto-loader reads it from the proto root. */
export function loadConsentPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(CONSENT_PROTO_FILE, protoDir);
}

/** The service definition, for `Server.addService` and `makeClientConstructor`. */
export function consentServiceDefinition(
  packageDefinition: protoLoader.PackageDefinition,
): protoLoader.ServiceDefinition {
  return serviceDefinitionOf(packageDefinition, CONSENT_SERVICE_NAME, CONSENT_PROTO_FILE);
}
