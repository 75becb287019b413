import type * as protoLoader from '@grpc/proto-loader';
import type * as pb from '../generated/textplane/trust/v1/trust.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';

/** The Trust Center contract, relative to the proto root (the repository's `proto/` folder). */
export const TRUST_PROTO_FILE =
  'textplane/trust/v1/trust.proto' satisfies typeof pb.protobufFileName;

export const TRUST_SERVICE_NAME =
  `${'textplane.trust.v1' satisfies typeof pb.protobufPackage}.TrustService` as const;

export type DecodedCreateBrandRequestProto = Decoded<pb.CreateBrandRequest>;
export type DecodedGetBrandRequestProto = Decoded<pb.GetBrandRequest>;
export type DecodedListBrandsRequestProto = Decoded<pb.ListBrandsRequest>;
export type DecodedCreateCampaignRequestProto = Decoded<pb.CreateCampaignRequest>;
export type DecodedGetCampaignRequestProto = Decoded<pb.GetCampaignRequest>;
export type DecodedListCampaignsRequestProto = Decoded<pb.ListCampaignsRequest>;
export type DecodedAssignNumberRequestProto = Decoded<pb.AssignNumberRequest>;
export type DecodedUnassignNumberRequestProto = Decoded<pb.UnassignNumberRequest>;
export type DecodedLintCampaignRequestProto = Decoded<pb.LintCampaignRequest>;
export type DecodedRequestBrandVettingRequestProto = Decoded<pb.RequestBrandVettingRequest>;
export type DecodedSendBrandOtpRequestProto = Decoded<pb.SendBrandOtpRequest>;
export type DecodedVerifyBrandOtpRequestProto = Decoded<pb.VerifyBrandOtpRequest>;
export type DecodedCreateTollFreeVerificationRequestProto =
  Decoded<pb.CreateTollFreeVerificationRequest>;
export type DecodedGetTollFreeVerificationRequestProto = Decoded<pb.GetTollFreeVerificationRequest>;
export type DecodedListTollFreeVerificationsRequestProto =
  Decoded<pb.ListTollFreeVerificationsRequest>;
export type DecodedTollFreeVerificationFieldsProto = Decoded<pb.TollFreeVerificationFields>;
export type DecodedBrandFieldsProto = Decoded<pb.BrandFields>;
export type DecodedCampaignFieldsProto = Decoded<pb.CampaignFields>;

export type BrandProto = Written<pb.Brand>;
export type BrandFieldsProto = Written<pb.BrandFields>;
export type CampaignProto = Written<pb.Campaign>;
export type CampaignFieldsProto = Written<pb.CampaignFields>;
export type CampaignNumberProto = Written<pb.CampaignNumber>;
export type NumberRemovalProto = Written<pb.NumberRemoval>;
export type NumberRemovalStatusProto = pb.NumberRemovalStatus;
export type RegistrationReasonProto = Written<pb.RegistrationReason>;
export type StatusChangeProto = Written<pb.StatusChange>;
export type LintFindingProto = Written<pb.LintFinding>;
export type BrandVettingProto = Written<pb.BrandVetting>;
export type BrandVettingStatusProto = pb.BrandVettingStatus;
export type BrandOtpProto = Written<pb.BrandOtp>;
export type BrandOtpStatusProto = pb.BrandOtpStatus;
export type BrandOtpStepProto = pb.BrandOtpStep;
export type TollFreeVerificationProto = Written<pb.TollFreeVerification>;
export type TollFreeVerificationFieldsProto = Written<pb.TollFreeVerificationFields>;
export type RegistrationStatusProto = pb.RegistrationStatus;
export type CreateBrandResponseProto = Written<pb.CreateBrandResponse>;
export type GetBrandResponseProto = Written<pb.GetBrandResponse>;
export type ListBrandsResponseProto = Written<pb.ListBrandsResponse>;
export type CreateCampaignResponseProto = Written<pb.CreateCampaignResponse>;
export type GetCampaignResponseProto = Written<pb.GetCampaignResponse>;
export type ListCampaignsResponseProto = Written<pb.ListCampaignsResponse>;
export type AssignNumberResponseProto = Written<pb.AssignNumberResponse>;
export type UnassignNumberResponseProto = Written<pb.UnassignNumberResponse>;
export type LintCampaignResponseProto = Written<pb.LintCampaignResponse>;
export type RequestBrandVettingResponseProto = Written<pb.RequestBrandVettingResponse>;
export type SendBrandOtpResponseProto = Written<pb.SendBrandOtpResponse>;
export type VerifyBrandOtpResponseProto = Written<pb.VerifyBrandOtpResponse>;
export type CreateTollFreeVerificationResponseProto =
  Written<pb.CreateTollFreeVerificationResponse>;
export type GetTollFreeVerificationResponseProto = Written<pb.GetTollFreeVerificationResponse>;
export type ListTollFreeVerificationsResponseProto = Written<pb.ListTollFreeVerificationsResponse>;

/** The Trust Center contract as proto-loader reads it from the proto root. */
export function loadTrustPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(TRUST_PROTO_FILE, protoDir);
}
