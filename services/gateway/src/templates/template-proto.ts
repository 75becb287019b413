import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/messaging/v1/templates.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The templates contract, relative to the proto root (the repository's `proto/` folder). */
export const TEMPLATE_PROTO_FILE =
  'textplane/messaging/v1/templates.proto' satisfies typeof pb.protobufFileName;

export const TEMPLATE_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.TemplateService` as const;

export type DecodedCreateTemplateRequestProto = Decoded<pb.CreateTemplateRequest>;
export type DecodedUpdateTemplateRequestProto = Decoded<pb.UpdateTemplateRequest>;
export type DecodedGetTemplateRequestProto = Decoded<pb.GetTemplateRequest>;
export type DecodedListTemplatesRequestProto = Decoded<pb.ListTemplatesRequest>;
export type DecodedGetTemplateVersionRequestProto = Decoded<pb.GetTemplateVersionRequest>;
export type DecodedArchiveTemplateRequestProto = Decoded<pb.ArchiveTemplateRequest>;
export type DecodedPreviewTemplateRequestProto = Decoded<pb.PreviewTemplateRequest>;
export type DecodedSetCustomValueRequestProto = Decoded<pb.SetCustomValueRequest>;
export type DecodedGetCustomValueRequestProto = Decoded<pb.GetCustomValueRequest>;
export type DecodedListCustomValuesRequestProto = Decoded<pb.ListCustomValuesRequest>;
export type DecodedDeleteCustomValueRequestProto = Decoded<pb.DeleteCustomValueRequest>;

export type TemplateProto = Written<pb.Template>;
export type TemplateVersionProto = Written<pb.TemplateVersion>;
export type CreateTemplateResponseProto = Written<pb.CreateTemplateResponse>;
export type UpdateTemplateResponseProto = Written<pb.UpdateTemplateResponse>;
export type GetTemplateResponseProto = Written<pb.GetTemplateResponse>;
export type ListTemplatesResponseProto = Written<pb.ListTemplatesResponse>;
export type GetTemplateVersionResponseProto = Written<pb.GetTemplateVersionResponse>;
export type ArchiveTemplateResponseProto = Written<pb.ArchiveTemplateResponse>;
export type PreviewTemplateResponseProto = Written<pb.PreviewTemplateResponse>;
export type CustomValueProto = Written<pb.CustomValue>;
export type SetCustomValueResponseProto = Written<pb.SetCustomValueResponse>;
export type GetCustomValueResponseProto = Written<pb.GetCustomValueResponse>;
export type ListCustomValuesResponseProto = Written<pb.ListCustomValuesResponse>;
export type DeleteCustomValueResponseProto = Written<pb.DeleteCustomValueResponse>;
export type TemplateKindProto = pb.TemplateKind;
export type TemplatePurposeProto = pb.TemplatePurpose;

/** The templates contract as proto-loader reads it from the proto root. */
export function loadTemplatePackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(TEMPLATE_PROTO_FILE, protoDir);
}
