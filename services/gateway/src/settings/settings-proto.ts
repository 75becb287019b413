import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/messaging/v1/settings.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The settings contract, relative to the proto root (the repository's `proto/` folder). */
export const SETTINGS_PROTO_FILE =
  'textplane/messaging/v1/settings.proto' satisfies typeof pb.protobufFileName;

export const SETTINGS_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.SettingsService` as const;

export type DecodedGetSettingsRequestProto = Decoded<pb.GetSettingsRequest>;
export type DecodedUpdateSettingsRequestProto = Decoded<pb.UpdateSettingsRequest>;
export type SettingsProto = Written<pb.Settings>;
export type GetSettingsResponseProto = Written<pb.GetSettingsResponse>;
export type UpdateSettingsResponseProto = Written<pb.UpdateSettingsResponse>;

/** The settings contract as proto-loader reads it from the proto root. */
export function loadSettingsPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(SETTINGS_PROTO_FILE, protoDir);
}
