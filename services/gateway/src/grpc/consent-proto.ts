import * as protoLoader from '@grpc/proto-loader';
import { type DecodedEnum, PROTO_LOADER_OPTIONS, type TimestampProto } from './messaging-proto.js';

/** The consent contract, relative to the proto root (the repository's `proto/` folder). */
export const CONSENT_PROTO_FILE = 'textplane/consent/v1/consent.proto';

export const CONSENT_SERVICE_NAME = 'textplane.consent.v1.ConsentService';

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

export interface ConsentLedgerEntryProto {
  sequence: number;
  type: string;
  occur_time: TimestampProto;
  event_id: string;
  request_id: string | null;
  fact: StructProto;
}

export interface ConsentRequestResponseProto {
  request_id: string;
  status: 'CONSENT_REQUEST_STATUS_RECORDED' | 'CONSENT_REQUEST_STATUS_PENDING';
  entry: ConsentLedgerEntryProto | null;
}

export interface DecodedConsentEvidenceProto {
  source: DecodedEnum;
  text: string;
  captured_at: TimestampProto | null;
  text_version?: string | undefined;
  checkbox_default_unchecked?: boolean | undefined;
  ip?: string | undefined;
  user_agent?: string | undefined;
  page_url?: string | undefined;
}

export interface DecodedGrantConsentRequestProto {
  phone: string;
  purpose: DecodedEnum;
  channel: DecodedEnum;
  evidence: DecodedConsentEvidenceProto | null;
  idempotency_key?: string | undefined;
}

export interface PhoneRequestProto {
  phone: string;
}

export interface DecodedRevokeConsentRequestProto {
  phone: string;
  scope: DecodedEnum;
  channel: DecodedEnum;
  method: DecodedEnum;
  note?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface DecodedDndRequestProto {
  phone: string;
  channel: DecodedEnum;
  idempotency_key?: string | undefined;
}

export interface DecodedListRevocationReviewsRequestProto {
  status: DecodedEnum;
  page_size: number;
  page_token: string;
}

export interface DecodedResolveRevocationReviewRequestProto {
  review_id: string;
  decision: DecodedEnum;
  resolved_by?: string | undefined;
  note?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface ChannelStateProto {
  consented: boolean;
  allowed: boolean;
}

export interface GetConsentResponseProto {
  phone: string;
  marketing: { sms: ChannelStateProto; mms: ChannelStateProto };
  transactional: { sms: ChannelStateProto; mms: ChannelStateProto };
  opted_out: { sms: boolean; mms: boolean };
  dnd: { sms: boolean; mms: boolean };
  opt_out_time: TimestampProto | null;
  update_time: TimestampProto | null;
  open_review_count: number;
}

export interface GetConsentHistoryResponseProto {
  phone: string;
  entries: ConsentLedgerEntryProto[];
}

export interface RevocationReviewProto {
  id: string;
  phone: string;
  message: { message_id: string; body: string; receive_time: TimestampProto | null };
  confidence: number;
  cue: string;
  status: 'REVIEW_STATUS_OPEN' | 'REVIEW_STATUS_RESOLVED';
  decision: 'REVIEW_DECISION_UNSPECIFIED' | 'REVIEW_DECISION_REVOKE' | 'REVIEW_DECISION_DISMISS';
  resolved_by: string | null;
  note: string | null;
  open_time: TimestampProto;
  resolve_time: TimestampProto | null;
}

export interface ListRevocationReviewsResponseProto {
  reviews: RevocationReviewProto[];
  next_page_token: string;
}

/** Loads the consent contract from the proto root at runtime (no generated code). */
export function loadConsentPackage(protoDir: string): protoLoader.PackageDefinition {
  return protoLoader.loadSync(CONSENT_PROTO_FILE, {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [protoDir],
  });
}

/** The service definition, for `Server.addService` and `makeClientConstructor`. */
export function consentServiceDefinition(
  packageDefinition: protoLoader.PackageDefinition,
): protoLoader.ServiceDefinition {
  const definition = packageDefinition[CONSENT_SERVICE_NAME];
  if (definition === undefined || 'format' in definition) {
    throw new Error(`${CONSENT_SERVICE_NAME} is not defined in ${CONSENT_PROTO_FILE}`);
  }
  return definition;
}
