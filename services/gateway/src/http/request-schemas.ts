import {
  GrantConsentRequestSchema,
  ResolveRevocationReviewRequestSchema,
  RevokeConsentRequestSchema,
} from '../consents/consent.request-schemas.js';
import { MarkConversationReadRequestSchema } from '../conversations/conversation.request-schemas.js';
import { SetCustomValueRequestSchema } from '../custom-values/custom-value.request-schemas.js';
import { UpdateSettingsRequestSchema } from '../settings/settings.request-schemas.js';
import {
  PreviewMessageRequestSchema,
  RescheduleMessageRequestSchema,
  SendMessageRequestSchema,
} from '../messages/message.request-schemas.js';
import {
  AddSenderNumberRequestSchema,
  CreateTenantRequestSchema,
  IssueApiKeyRequestSchema,
  TenantComplianceProfileSchema,
} from '../tenants/tenant.request-schemas.js';
import {
  CreateTemplateRequestSchema,
  PreviewTemplateRequestSchema,
  UpdateTemplateRequestSchema,
} from '../templates/template.request-schemas.js';
import { PreviewBulkSendRequestSchema } from '../bulk-sends/bulk-send.request-schemas.js';
import { SendWorkflowMessageRequestSchema } from '../workflow-actions/workflow-action.request-schemas.js';
import {
  AssignCampaignNumberRequestSchema,
  CreateBrandRequestSchema,
  CreateTollFreeVerificationRequestSchema,
  CreateCampaignRequestSchema,
  LintCampaignRequestSchema,
  RequestBrandOtpRequestSchema,
  RequestBrandVettingRequestSchema,
  VerifyBrandOtpRequestSchema,
} from '../trust/trust.request-schemas.js';
import {
  CreditWalletRequestSchema,
  UpdateWalletSettingsRequestSchema,
} from '../billing/billing.request-schemas.js';

/**
 * JSON Schemas (2020-12) of every request body, each declared in its context's folder. The same
 * objects validate requests (REST and gRPC) and describe them in the OpenAPI document, so the two
 * cannot drift apart.
 */
export const requestSchemas = {
  SendMessageRequest: SendMessageRequestSchema,
  PreviewMessageRequest: PreviewMessageRequestSchema,
  RescheduleMessageRequest: RescheduleMessageRequestSchema,
  CreateTenantRequest: CreateTenantRequestSchema,
  TenantComplianceProfile: TenantComplianceProfileSchema,
  IssueApiKeyRequest: IssueApiKeyRequestSchema,
  AddSenderNumberRequest: AddSenderNumberRequestSchema,
  GrantConsentRequest: GrantConsentRequestSchema,
  RevokeConsentRequest: RevokeConsentRequestSchema,
  ResolveRevocationReviewRequest: ResolveRevocationReviewRequestSchema,
  CreateTemplateRequest: CreateTemplateRequestSchema,
  UpdateTemplateRequest: UpdateTemplateRequestSchema,
  PreviewTemplateRequest: PreviewTemplateRequestSchema,
  SetCustomValueRequest: SetCustomValueRequestSchema,
  UpdateSettingsRequest: UpdateSettingsRequestSchema,
  MarkConversationReadRequest: MarkConversationReadRequestSchema,
  SendWorkflowMessageRequest: SendWorkflowMessageRequestSchema,
  PreviewBulkSendRequest: PreviewBulkSendRequestSchema,
  CreateBulkSendRequest: PreviewBulkSendRequestSchema,
  CreateBrandRequest: CreateBrandRequestSchema,
  CreateCampaignRequest: CreateCampaignRequestSchema,
  LintCampaignRequest: LintCampaignRequestSchema,
  AssignCampaignNumberRequest: AssignCampaignNumberRequestSchema,
  RequestBrandVettingRequest: RequestBrandVettingRequestSchema,
  RequestBrandOtpRequest: RequestBrandOtpRequestSchema,
  VerifyBrandOtpRequest: VerifyBrandOtpRequestSchema,
  CreateTollFreeVerificationRequest: CreateTollFreeVerificationRequestSchema,
  CreditWalletRequest: CreditWalletRequestSchema,
  UpdateWalletSettingsRequest: UpdateWalletSettingsRequestSchema,
} as const;

export type RequestSchemaName = keyof typeof requestSchemas;
