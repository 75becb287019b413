import {
  type AutoReplyRequested,
  AutoReplyRequestedSchema,
  type ConsentGranted,
  ConsentGrantedSchema,
  type ConsentRestored,
  ConsentRestoredSchema,
  type ConsentRevoked,
  ConsentRevokedSchema,
  type DndCleared,
  DndClearedSchema,
  type DndSet,
  DndSetSchema,
  type HelpRequested,
  HelpRequestedSchema,
  type RevocationReviewOpened,
  RevocationReviewOpenedSchema,
  type RevocationReviewResolved,
  RevocationReviewResolvedSchema,
} from './events/consent.events.js';
import {
  type ApiKeyIssued,
  ApiKeyIssuedSchema,
  type CarrierWebhookReceived,
  CarrierWebhookReceivedSchema,
  type ConsentGrantRequested,
  ConsentGrantRequestedSchema,
  type ConsentRevocationRequested,
  ConsentRevocationRequestedSchema,
  type ConversationRead,
  ConversationReadSchema,
  type DndChangeRequested,
  DndChangeRequestedSchema,
  type MessageCancelRequested,
  MessageCancelRequestedSchema,
  type MessageRescheduleRequested,
  MessageRescheduleRequestedSchema,
  type RevocationReviewResolutionRequested,
  RevocationReviewResolutionRequestedSchema,
  type SendRequested,
  SendRequestedSchema,
  type SenderNumberAdded,
  SenderNumberAddedSchema,
  type SenderNumberRemoved,
  SenderNumberRemovedSchema,
  type TenantComplianceProfileSet,
  TenantComplianceProfileSetSchema,
  type TenantCreated,
  TenantCreatedSchema,
  type TenantSettingsSet,
  TenantSettingsSetSchema,
} from './events/gateway.events.js';
import {
  type InboundMessageReceived,
  InboundMessageReceivedSchema,
  type MessageBlocked,
  MessageBlockedSchema,
  type MessageCanceled,
  MessageCanceledSchema,
  type MessageCancelRejected,
  MessageCancelRejectedSchema,
  type MessageRescheduled,
  MessageRescheduledSchema,
  type MessageRescheduleRejected,
  MessageRescheduleRejectedSchema,
  type MessageHeld,
  MessageHeldSchema,
  type MessageParked,
  MessageParkedSchema,
  type MessageDelivered,
  MessageDeliveredSchema,
  type MessageFailed,
  MessageFailedSchema,
  type MessageQueued,
  MessageQueuedSchema,
  type MessageSent,
  MessageSentSchema,
  type MessageSubmissionStarted,
  MessageSubmissionStartedSchema,
  type MessageSubmitted,
  MessageSubmittedSchema,
  type MessageUndelivered,
  MessageUndeliveredSchema,
} from './events/messaging.events.js';
import {
  type ContactDeleted,
  ContactDeletedSchema,
  type ContactDeletionRequested,
  ContactDeletionRequestedSchema,
  type ContactRequestRejected,
  ContactRequestRejectedSchema,
  type ContactUpserted,
  ContactUpsertedSchema,
  type ContactUpsertRequested,
  ContactUpsertRequestedSchema,
} from './events/contacts.events.js';
import {
  type CustomValueDeleted,
  CustomValueDeletedSchema,
  type CustomValueDeletionRequested,
  CustomValueDeletionRequestedSchema,
  type CustomValueRequestRejected,
  CustomValueRequestRejectedSchema,
  type CustomValueSet,
  CustomValueSetSchema,
  type CustomValueSetRequested,
  CustomValueSetRequestedSchema,
  type TemplateArchivalRequested,
  TemplateArchivalRequestedSchema,
  type TemplateArchived,
  TemplateArchivedSchema,
  type TemplateCreated,
  TemplateCreatedSchema,
  type TemplateCreationRequested,
  TemplateCreationRequestedSchema,
  type TemplateRequestRejected,
  TemplateRequestRejectedSchema,
  type TemplateRevised,
  TemplateRevisedSchema,
  type TemplateRevisionRequested,
  TemplateRevisionRequestedSchema,
} from './events/templates.events.js';
import {
  type ContactImportChunkProcessed,
  ContactImportChunkProcessedSchema,
  type ContactImportChunkSubmitted,
  ContactImportChunkSubmittedSchema,
  type ContactImportRowsRejected,
  ContactImportRowsRejectedSchema,
  type ContactImportStarted,
  ContactImportStartedSchema,
} from './events/contact-imports.events.js';
import {
  type BulkSendRequested,
  BulkSendRequestedSchema,
  type BulkSendRecipientsSubmitted,
  BulkSendRecipientsSubmittedSchema,
  type BulkSendPauseRequested,
  BulkSendPauseRequestedSchema,
  type BulkSendResumeRequested,
  BulkSendResumeRequestedSchema,
  type BulkSendCancelRequested,
  BulkSendCancelRequestedSchema,
  type BulkSendCreated,
  BulkSendCreatedSchema,
  type BulkSendRecipientsFrozen,
  BulkSendRecipientsFrozenSchema,
  type BulkSendBatchReleased,
  BulkSendBatchReleasedSchema,
  type BulkSendPaused,
  BulkSendPausedSchema,
  type BulkSendResumed,
  BulkSendResumedSchema,
  type BulkSendCanceled,
  BulkSendCanceledSchema,
  type BulkSendCompleted,
  BulkSendCompletedSchema,
  type BulkSendRequestRejected,
  BulkSendRequestRejectedSchema,
} from './events/bulk-sends.events.js';
import {
  type BrandRegistrationRequested,
  BrandRegistrationRequestedSchema,
  type CampaignSubmissionRequested,
  CampaignSubmissionRequestedSchema,
  type NumberAssignmentRequested,
  NumberAssignmentRequestedSchema,
  type BrandRegistrationStarted,
  BrandRegistrationStartedSchema,
  type BrandRegistered,
  BrandRegisteredSchema,
  type BrandVetted,
  BrandVettedSchema,
  type BrandStatusChanged,
  BrandStatusChangedSchema,
  type CampaignSubmissionStarted,
  CampaignSubmissionStartedSchema,
  type CampaignSubmitted,
  CampaignSubmittedSchema,
  type CampaignStatusChanged,
  CampaignStatusChangedSchema,
  type CampaignNumberProvisioned,
  CampaignNumberProvisionedSchema,
  type CampaignApproved,
  CampaignApprovedSchema,
  type NumberAssignmentStarted,
  NumberAssignmentStartedSchema,
  type NumberAssignmentSubmitted,
  NumberAssignmentSubmittedSchema,
  type NumberAssigned,
  NumberAssignedSchema,
  type NumberAssignmentFailed,
  NumberAssignmentFailedSchema,
  type NumberUnassignmentRequested,
  NumberUnassignmentRequestedSchema,
  type NumberUnassignmentStarted,
  NumberUnassignmentStartedSchema,
  type NumberUnassignmentSubmitted,
  NumberUnassignmentSubmittedSchema,
  type NumberUnassigned,
  NumberUnassignedSchema,
  type NumberUnassignmentFailed,
  NumberUnassignmentFailedSchema,
  type RegistrationRequestRejected,
  RegistrationRequestRejectedSchema,
  type TollFreeVerificationRequested,
  TollFreeVerificationRequestedSchema,
  type BrandOtpRequested,
  BrandOtpRequestedSchema,
  type BrandOtpVerificationRequested,
  BrandOtpVerificationRequestedSchema,
  type BrandVettingRequested,
  BrandVettingRequestedSchema,
  type TollFreeVerificationStarted,
  TollFreeVerificationStartedSchema,
  type TollFreeVerificationSubmitted,
  TollFreeVerificationSubmittedSchema,
  type TollFreeVerificationStatusChanged,
  TollFreeVerificationStatusChangedSchema,
  type TollFreeNumberVerified,
  TollFreeNumberVerifiedSchema,
  type BrandOtpSendStarted,
  BrandOtpSendStartedSchema,
  type BrandOtpSent,
  BrandOtpSentSchema,
  type BrandOtpVerificationStarted,
  BrandOtpVerificationStartedSchema,
  type BrandOtpVerified,
  BrandOtpVerifiedSchema,
  type BrandOtpFailed,
  BrandOtpFailedSchema,
  type BrandVettingStarted,
  BrandVettingStartedSchema,
  type BrandVettingOrdered,
  BrandVettingOrderedSchema,
  type BrandVettingFailed,
  BrandVettingFailedSchema,
} from './events/registration.events.js';
import {
  type NumberLookedUp,
  NumberLookedUpSchema,
  type NumberLookupFailed,
  NumberLookupFailedSchema,
} from './events/number-lookups.events.js';
import {
  type AutoRechargeRequested,
  AutoRechargeRequestedSchema,
  type BillingRequestRejected,
  BillingRequestRejectedSchema,
  type ChargeCaptured,
  ChargeCapturedSchema,
  type CreditPosted,
  CreditPostedSchema,
  type FundsHoldRequested,
  FundsHoldRequestedSchema,
  type HoldPlaced,
  HoldPlacedSchema,
  type HoldRejected,
  HoldRejectedSchema,
  type HoldReleased,
  HoldReleasedSchema,
  type LowBalanceReached,
  LowBalanceReachedSchema,
  type RateCardPublished,
  RateCardPublishedSchema,
  type RateCardPublishRequested,
  RateCardPublishRequestedSchema,
  type WalletCreditRequested,
  WalletCreditRequestedSchema,
  type WalletSettingsChangeRequested,
  WalletSettingsChangeRequestedSchema,
  type WalletSettingsSet,
  WalletSettingsSetSchema,
} from './events/billing.events.js';
import { type TopicName, Topics } from './topics.js';

/** Wire type name → data shape. The PascalCase part equals the TypeScript type's name. */
export interface EventDataByType {
  'gateway.TenantCreated.v1': TenantCreated;
  'gateway.SenderNumberAdded.v1': SenderNumberAdded;
  'gateway.SenderNumberRemoved.v1': SenderNumberRemoved;
  'gateway.TenantComplianceProfileSet.v1': TenantComplianceProfileSet;
  'gateway.TenantSettingsSet.v1': TenantSettingsSet;
  'gateway.ApiKeyIssued.v1': ApiKeyIssued;
  'gateway.SendRequested.v1': SendRequested;
  'gateway.MessageCancelRequested.v1': MessageCancelRequested;
  'gateway.MessageRescheduleRequested.v1': MessageRescheduleRequested;
  'gateway.CarrierWebhookReceived.v1': CarrierWebhookReceived;
  'messaging.MessageQueued.v1': MessageQueued;
  'messaging.MessageSubmissionStarted.v1': MessageSubmissionStarted;
  'messaging.MessageSubmitted.v1': MessageSubmitted;
  'messaging.MessageSent.v1': MessageSent;
  'messaging.MessageDelivered.v1': MessageDelivered;
  'messaging.MessageFailed.v1': MessageFailed;
  'messaging.MessageUndelivered.v1': MessageUndelivered;
  'messaging.InboundMessageReceived.v1': InboundMessageReceived;
  'messaging.MessageBlocked.v1': MessageBlocked;
  'messaging.MessageHeld.v1': MessageHeld;
  'messaging.MessageParked.v1': MessageParked;
  'messaging.MessageCanceled.v1': MessageCanceled;
  'messaging.MessageCancelRejected.v1': MessageCancelRejected;
  'messaging.MessageRescheduled.v1': MessageRescheduled;
  'messaging.MessageRescheduleRejected.v1': MessageRescheduleRejected;
  'gateway.ConsentGrantRequested.v1': ConsentGrantRequested;
  'gateway.ConsentRevocationRequested.v1': ConsentRevocationRequested;
  'gateway.DndChangeRequested.v1': DndChangeRequested;
  'gateway.RevocationReviewResolutionRequested.v1': RevocationReviewResolutionRequested;
  'consent.ConsentGranted.v1': ConsentGranted;
  'consent.ConsentRevoked.v1': ConsentRevoked;
  'consent.ConsentRestored.v1': ConsentRestored;
  'consent.DndSet.v1': DndSet;
  'consent.DndCleared.v1': DndCleared;
  'consent.HelpRequested.v1': HelpRequested;
  'consent.RevocationReviewOpened.v1': RevocationReviewOpened;
  'consent.RevocationReviewResolved.v1': RevocationReviewResolved;
  'consent.AutoReplyRequested.v1': AutoReplyRequested;
  'gateway.ContactUpsertRequested.v1': ContactUpsertRequested;
  'gateway.ContactDeletionRequested.v1': ContactDeletionRequested;
  'messaging.ContactUpserted.v1': ContactUpserted;
  'messaging.ContactDeleted.v1': ContactDeleted;
  'messaging.ContactRequestRejected.v1': ContactRequestRejected;
  'gateway.TemplateCreationRequested.v1': TemplateCreationRequested;
  'gateway.TemplateRevisionRequested.v1': TemplateRevisionRequested;
  'gateway.TemplateArchivalRequested.v1': TemplateArchivalRequested;
  'messaging.TemplateCreated.v1': TemplateCreated;
  'messaging.TemplateRevised.v1': TemplateRevised;
  'messaging.TemplateArchived.v1': TemplateArchived;
  'messaging.TemplateRequestRejected.v1': TemplateRequestRejected;
  'gateway.CustomValueSetRequested.v1': CustomValueSetRequested;
  'gateway.CustomValueDeletionRequested.v1': CustomValueDeletionRequested;
  'messaging.CustomValueSet.v1': CustomValueSet;
  'messaging.CustomValueDeleted.v1': CustomValueDeleted;
  'messaging.CustomValueRequestRejected.v1': CustomValueRequestRejected;
  'gateway.ContactImportStarted.v1': ContactImportStarted;
  'gateway.ContactImportRowsRejected.v1': ContactImportRowsRejected;
  'gateway.ContactImportChunkSubmitted.v1': ContactImportChunkSubmitted;
  'messaging.ContactImportChunkProcessed.v1': ContactImportChunkProcessed;
  'gateway.ConversationRead.v1': ConversationRead;
  'gateway.BulkSendRequested.v1': BulkSendRequested;
  'gateway.BulkSendRecipientsSubmitted.v1': BulkSendRecipientsSubmitted;
  'gateway.BulkSendPauseRequested.v1': BulkSendPauseRequested;
  'gateway.BulkSendResumeRequested.v1': BulkSendResumeRequested;
  'gateway.BulkSendCancelRequested.v1': BulkSendCancelRequested;
  'messaging.BulkSendCreated.v1': BulkSendCreated;
  'messaging.BulkSendRecipientsFrozen.v1': BulkSendRecipientsFrozen;
  'messaging.BulkSendBatchReleased.v1': BulkSendBatchReleased;
  'messaging.BulkSendPaused.v1': BulkSendPaused;
  'messaging.BulkSendResumed.v1': BulkSendResumed;
  'messaging.BulkSendCanceled.v1': BulkSendCanceled;
  'messaging.BulkSendCompleted.v1': BulkSendCompleted;
  'messaging.BulkSendRequestRejected.v1': BulkSendRequestRejected;
  'gateway.BrandRegistrationRequested.v1': BrandRegistrationRequested;
  'gateway.CampaignSubmissionRequested.v1': CampaignSubmissionRequested;
  'gateway.NumberAssignmentRequested.v1': NumberAssignmentRequested;
  'registration.BrandRegistrationStarted.v1': BrandRegistrationStarted;
  'registration.BrandRegistered.v1': BrandRegistered;
  'registration.BrandVetted.v1': BrandVetted;
  'registration.BrandStatusChanged.v1': BrandStatusChanged;
  'registration.CampaignSubmissionStarted.v1': CampaignSubmissionStarted;
  'registration.CampaignSubmitted.v1': CampaignSubmitted;
  'registration.CampaignStatusChanged.v1': CampaignStatusChanged;
  'registration.CampaignNumberProvisioned.v1': CampaignNumberProvisioned;
  'registration.CampaignApproved.v1': CampaignApproved;
  'registration.NumberAssignmentStarted.v1': NumberAssignmentStarted;
  'registration.NumberAssignmentSubmitted.v1': NumberAssignmentSubmitted;
  'registration.NumberAssigned.v1': NumberAssigned;
  'registration.NumberAssignmentFailed.v1': NumberAssignmentFailed;
  'gateway.NumberUnassignmentRequested.v1': NumberUnassignmentRequested;
  'registration.NumberUnassignmentStarted.v1': NumberUnassignmentStarted;
  'registration.NumberUnassignmentSubmitted.v1': NumberUnassignmentSubmitted;
  'registration.NumberUnassigned.v1': NumberUnassigned;
  'registration.NumberUnassignmentFailed.v1': NumberUnassignmentFailed;
  'registration.RegistrationRequestRejected.v1': RegistrationRequestRejected;
  'gateway.TollFreeVerificationRequested.v1': TollFreeVerificationRequested;
  'gateway.BrandOtpRequested.v1': BrandOtpRequested;
  'gateway.BrandOtpVerificationRequested.v1': BrandOtpVerificationRequested;
  'gateway.BrandVettingRequested.v1': BrandVettingRequested;
  'registration.TollFreeVerificationStarted.v1': TollFreeVerificationStarted;
  'registration.TollFreeVerificationSubmitted.v1': TollFreeVerificationSubmitted;
  'registration.TollFreeVerificationStatusChanged.v1': TollFreeVerificationStatusChanged;
  'registration.TollFreeNumberVerified.v1': TollFreeNumberVerified;
  'registration.BrandOtpSendStarted.v1': BrandOtpSendStarted;
  'registration.BrandOtpSent.v1': BrandOtpSent;
  'registration.BrandOtpVerificationStarted.v1': BrandOtpVerificationStarted;
  'registration.BrandOtpVerified.v1': BrandOtpVerified;
  'registration.BrandOtpFailed.v1': BrandOtpFailed;
  'registration.BrandVettingStarted.v1': BrandVettingStarted;
  'registration.BrandVettingOrdered.v1': BrandVettingOrdered;
  'registration.BrandVettingFailed.v1': BrandVettingFailed;
  'messaging.NumberLookedUp.v1': NumberLookedUp;
  'messaging.NumberLookupFailed.v1': NumberLookupFailed;
  'gateway.WalletCreditRequested.v1': WalletCreditRequested;
  'gateway.WalletSettingsChangeRequested.v1': WalletSettingsChangeRequested;
  'gateway.RateCardPublishRequested.v1': RateCardPublishRequested;
  'messaging.FundsHoldRequested.v1': FundsHoldRequested;
  'billing.CreditPosted.v1': CreditPosted;
  'billing.HoldPlaced.v1': HoldPlaced;
  'billing.HoldRejected.v1': HoldRejected;
  'billing.ChargeCaptured.v1': ChargeCaptured;
  'billing.HoldReleased.v1': HoldReleased;
  'billing.WalletSettingsSet.v1': WalletSettingsSet;
  'billing.LowBalanceReached.v1': LowBalanceReached;
  'billing.AutoRechargeRequested.v1': AutoRechargeRequested;
  'billing.BillingRequestRejected.v1': BillingRequestRejected;
  'billing.RateCardPublished.v1': RateCardPublished;
}
export type EventType = keyof EventDataByType;

/** A wire event: its type name and data, discriminated on `type`. */
export type WireEvent = { [K in EventType]: { type: K; data: EventDataByType[K] } }[EventType];

/** The wire events of the given types, as a discriminated union (a stream's events, by type). */
export type WireEventOf<T extends EventType> = Extract<WireEvent, { type: T }>;

/** A guard for a declared list of event types, so a service names each of its types once. */
export function eventTypeGuard<const T extends EventType>(
  types: readonly T[],
): (type: string) => type is T {
  const declared: ReadonlySet<string> = new Set(types);
  return (type: string): type is T => declared.has(type);
}

interface EventContract {
  readonly topic: TopicName;
  readonly schema: Record<string, unknown>;
}

export const eventContracts: { readonly [K in EventType]: EventContract } = {
  'gateway.TenantCreated.v1': { topic: Topics.gatewayTenants, schema: TenantCreatedSchema },
  'gateway.SenderNumberAdded.v1': { topic: Topics.gatewayTenants, schema: SenderNumberAddedSchema },
  'gateway.SenderNumberRemoved.v1': {
    topic: Topics.gatewayTenants,
    schema: SenderNumberRemovedSchema,
  },
  'gateway.TenantComplianceProfileSet.v1': {
    topic: Topics.gatewayTenants,
    schema: TenantComplianceProfileSetSchema,
  },
  'gateway.TenantSettingsSet.v1': {
    topic: Topics.gatewayTenants,
    schema: TenantSettingsSetSchema,
  },
  'gateway.ApiKeyIssued.v1': { topic: Topics.gatewayTenants, schema: ApiKeyIssuedSchema },
  'gateway.SendRequested.v1': { topic: Topics.gatewaySendRequests, schema: SendRequestedSchema },
  'gateway.MessageCancelRequested.v1': {
    topic: Topics.gatewaySendRequests,
    schema: MessageCancelRequestedSchema,
  },
  'gateway.MessageRescheduleRequested.v1': {
    topic: Topics.gatewaySendRequests,
    schema: MessageRescheduleRequestedSchema,
  },
  'gateway.CarrierWebhookReceived.v1': {
    topic: Topics.gatewayCarrierWebhooks,
    schema: CarrierWebhookReceivedSchema,
  },
  'messaging.MessageQueued.v1': { topic: Topics.messagingMessages, schema: MessageQueuedSchema },
  'messaging.MessageSubmissionStarted.v1': {
    topic: Topics.messagingMessages,
    schema: MessageSubmissionStartedSchema,
  },
  'messaging.MessageSubmitted.v1': {
    topic: Topics.messagingMessages,
    schema: MessageSubmittedSchema,
  },
  'messaging.MessageSent.v1': { topic: Topics.messagingMessages, schema: MessageSentSchema },
  'messaging.MessageDelivered.v1': {
    topic: Topics.messagingMessages,
    schema: MessageDeliveredSchema,
  },
  'messaging.MessageFailed.v1': { topic: Topics.messagingMessages, schema: MessageFailedSchema },
  'messaging.MessageUndelivered.v1': {
    topic: Topics.messagingMessages,
    schema: MessageUndeliveredSchema,
  },
  'messaging.InboundMessageReceived.v1': {
    topic: Topics.messagingMessages,
    schema: InboundMessageReceivedSchema,
  },
  'messaging.MessageBlocked.v1': { topic: Topics.messagingMessages, schema: MessageBlockedSchema },
  'messaging.MessageHeld.v1': { topic: Topics.messagingMessages, schema: MessageHeldSchema },
  'messaging.MessageParked.v1': { topic: Topics.messagingMessages, schema: MessageParkedSchema },
  'messaging.MessageCanceled.v1': {
    topic: Topics.messagingMessages,
    schema: MessageCanceledSchema,
  },
  'messaging.MessageCancelRejected.v1': {
    topic: Topics.messagingMessages,
    schema: MessageCancelRejectedSchema,
  },
  'messaging.MessageRescheduled.v1': {
    topic: Topics.messagingMessages,
    schema: MessageRescheduledSchema,
  },
  'messaging.MessageRescheduleRejected.v1': {
    topic: Topics.messagingMessages,
    schema: MessageRescheduleRejectedSchema,
  },
  'gateway.ConsentGrantRequested.v1': {
    topic: Topics.gatewayConsentRequests,
    schema: ConsentGrantRequestedSchema,
  },
  'gateway.ConsentRevocationRequested.v1': {
    topic: Topics.gatewayConsentRequests,
    schema: ConsentRevocationRequestedSchema,
  },
  'gateway.DndChangeRequested.v1': {
    topic: Topics.gatewayConsentRequests,
    schema: DndChangeRequestedSchema,
  },
  'gateway.RevocationReviewResolutionRequested.v1': {
    topic: Topics.gatewayConsentRequests,
    schema: RevocationReviewResolutionRequestedSchema,
  },
  'consent.ConsentGranted.v1': { topic: Topics.consentConsents, schema: ConsentGrantedSchema },
  'consent.ConsentRevoked.v1': { topic: Topics.consentConsents, schema: ConsentRevokedSchema },
  'consent.ConsentRestored.v1': { topic: Topics.consentConsents, schema: ConsentRestoredSchema },
  'consent.DndSet.v1': { topic: Topics.consentConsents, schema: DndSetSchema },
  'consent.DndCleared.v1': { topic: Topics.consentConsents, schema: DndClearedSchema },
  'consent.HelpRequested.v1': { topic: Topics.consentConsents, schema: HelpRequestedSchema },
  'consent.RevocationReviewOpened.v1': {
    topic: Topics.consentConsents,
    schema: RevocationReviewOpenedSchema,
  },
  'consent.RevocationReviewResolved.v1': {
    topic: Topics.consentConsents,
    schema: RevocationReviewResolvedSchema,
  },
  'consent.AutoReplyRequested.v1': {
    topic: Topics.consentConsents,
    schema: AutoReplyRequestedSchema,
  },
  'gateway.ContactUpsertRequested.v1': {
    topic: Topics.gatewayContactRequests,
    schema: ContactUpsertRequestedSchema,
  },
  'gateway.ContactDeletionRequested.v1': {
    topic: Topics.gatewayContactRequests,
    schema: ContactDeletionRequestedSchema,
  },
  'messaging.ContactUpserted.v1': {
    topic: Topics.messagingContacts,
    schema: ContactUpsertedSchema,
  },
  'messaging.ContactDeleted.v1': { topic: Topics.messagingContacts, schema: ContactDeletedSchema },
  'messaging.ContactRequestRejected.v1': {
    topic: Topics.messagingContacts,
    schema: ContactRequestRejectedSchema,
  },
  'gateway.TemplateCreationRequested.v1': {
    topic: Topics.gatewayTemplateRequests,
    schema: TemplateCreationRequestedSchema,
  },
  'gateway.TemplateRevisionRequested.v1': {
    topic: Topics.gatewayTemplateRequests,
    schema: TemplateRevisionRequestedSchema,
  },
  'gateway.TemplateArchivalRequested.v1': {
    topic: Topics.gatewayTemplateRequests,
    schema: TemplateArchivalRequestedSchema,
  },
  'messaging.TemplateCreated.v1': {
    topic: Topics.messagingTemplates,
    schema: TemplateCreatedSchema,
  },
  'messaging.TemplateRevised.v1': {
    topic: Topics.messagingTemplates,
    schema: TemplateRevisedSchema,
  },
  'messaging.TemplateArchived.v1': {
    topic: Topics.messagingTemplates,
    schema: TemplateArchivedSchema,
  },
  'messaging.TemplateRequestRejected.v1': {
    topic: Topics.messagingTemplates,
    schema: TemplateRequestRejectedSchema,
  },
  'gateway.CustomValueSetRequested.v1': {
    topic: Topics.gatewayCustomValueRequests,
    schema: CustomValueSetRequestedSchema,
  },
  'gateway.CustomValueDeletionRequested.v1': {
    topic: Topics.gatewayCustomValueRequests,
    schema: CustomValueDeletionRequestedSchema,
  },
  'messaging.CustomValueSet.v1': {
    topic: Topics.messagingCustomValues,
    schema: CustomValueSetSchema,
  },
  'messaging.CustomValueDeleted.v1': {
    topic: Topics.messagingCustomValues,
    schema: CustomValueDeletedSchema,
  },
  'messaging.CustomValueRequestRejected.v1': {
    topic: Topics.messagingCustomValues,
    schema: CustomValueRequestRejectedSchema,
  },
  'gateway.ContactImportStarted.v1': {
    topic: Topics.gatewayContactImports,
    schema: ContactImportStartedSchema,
  },
  'gateway.ContactImportRowsRejected.v1': {
    topic: Topics.gatewayContactImports,
    schema: ContactImportRowsRejectedSchema,
  },
  'gateway.ContactImportChunkSubmitted.v1': {
    topic: Topics.gatewayContactImports,
    schema: ContactImportChunkSubmittedSchema,
  },
  'messaging.ContactImportChunkProcessed.v1': {
    topic: Topics.messagingContactImports,
    schema: ContactImportChunkProcessedSchema,
  },
  'gateway.ConversationRead.v1': {
    topic: Topics.gatewayConversations,
    schema: ConversationReadSchema,
  },
  'gateway.BulkSendRequested.v1': {
    topic: Topics.gatewayBulkSendRequests,
    schema: BulkSendRequestedSchema,
  },
  'gateway.BulkSendRecipientsSubmitted.v1': {
    topic: Topics.gatewayBulkSendRequests,
    schema: BulkSendRecipientsSubmittedSchema,
  },
  'gateway.BulkSendPauseRequested.v1': {
    topic: Topics.gatewayBulkSendRequests,
    schema: BulkSendPauseRequestedSchema,
  },
  'gateway.BulkSendResumeRequested.v1': {
    topic: Topics.gatewayBulkSendRequests,
    schema: BulkSendResumeRequestedSchema,
  },
  'gateway.BulkSendCancelRequested.v1': {
    topic: Topics.gatewayBulkSendRequests,
    schema: BulkSendCancelRequestedSchema,
  },
  'messaging.BulkSendCreated.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendCreatedSchema,
  },
  'messaging.BulkSendRecipientsFrozen.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendRecipientsFrozenSchema,
  },
  'messaging.BulkSendBatchReleased.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendBatchReleasedSchema,
  },
  'messaging.BulkSendPaused.v1': { topic: Topics.messagingBulkSends, schema: BulkSendPausedSchema },
  'messaging.BulkSendResumed.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendResumedSchema,
  },
  'messaging.BulkSendCanceled.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendCanceledSchema,
  },
  'messaging.BulkSendCompleted.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendCompletedSchema,
  },
  'messaging.BulkSendRequestRejected.v1': {
    topic: Topics.messagingBulkSends,
    schema: BulkSendRequestRejectedSchema,
  },
  'gateway.BrandRegistrationRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: BrandRegistrationRequestedSchema,
  },
  'gateway.CampaignSubmissionRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: CampaignSubmissionRequestedSchema,
  },
  'gateway.NumberAssignmentRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: NumberAssignmentRequestedSchema,
  },
  'registration.BrandRegistrationStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandRegistrationStartedSchema,
  },
  'registration.BrandRegistered.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandRegisteredSchema,
  },
  'registration.BrandVetted.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandVettedSchema,
  },
  'registration.BrandStatusChanged.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandStatusChangedSchema,
  },
  'registration.CampaignSubmissionStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: CampaignSubmissionStartedSchema,
  },
  'registration.CampaignSubmitted.v1': {
    topic: Topics.registrationRegistrations,
    schema: CampaignSubmittedSchema,
  },
  'registration.CampaignStatusChanged.v1': {
    topic: Topics.registrationRegistrations,
    schema: CampaignStatusChangedSchema,
  },
  'registration.CampaignNumberProvisioned.v1': {
    topic: Topics.registrationRegistrations,
    schema: CampaignNumberProvisionedSchema,
  },
  'registration.CampaignApproved.v1': {
    topic: Topics.registrationRegistrations,
    schema: CampaignApprovedSchema,
  },
  'registration.NumberAssignmentStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberAssignmentStartedSchema,
  },
  'registration.NumberAssignmentSubmitted.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberAssignmentSubmittedSchema,
  },
  'registration.NumberAssigned.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberAssignedSchema,
  },
  'registration.NumberAssignmentFailed.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberAssignmentFailedSchema,
  },
  'gateway.NumberUnassignmentRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: NumberUnassignmentRequestedSchema,
  },
  'registration.NumberUnassignmentStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberUnassignmentStartedSchema,
  },
  'registration.NumberUnassignmentSubmitted.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberUnassignmentSubmittedSchema,
  },
  'registration.NumberUnassigned.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberUnassignedSchema,
  },
  'registration.NumberUnassignmentFailed.v1': {
    topic: Topics.registrationRegistrations,
    schema: NumberUnassignmentFailedSchema,
  },
  'registration.RegistrationRequestRejected.v1': {
    topic: Topics.registrationRegistrations,
    schema: RegistrationRequestRejectedSchema,
  },
  'gateway.TollFreeVerificationRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: TollFreeVerificationRequestedSchema,
  },
  'gateway.BrandOtpRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: BrandOtpRequestedSchema,
  },
  'gateway.BrandOtpVerificationRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: BrandOtpVerificationRequestedSchema,
  },
  'gateway.BrandVettingRequested.v1': {
    topic: Topics.gatewayRegistrationRequests,
    schema: BrandVettingRequestedSchema,
  },
  'registration.TollFreeVerificationStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: TollFreeVerificationStartedSchema,
  },
  'registration.TollFreeVerificationSubmitted.v1': {
    topic: Topics.registrationRegistrations,
    schema: TollFreeVerificationSubmittedSchema,
  },
  'registration.TollFreeVerificationStatusChanged.v1': {
    topic: Topics.registrationRegistrations,
    schema: TollFreeVerificationStatusChangedSchema,
  },
  'registration.TollFreeNumberVerified.v1': {
    topic: Topics.registrationRegistrations,
    schema: TollFreeNumberVerifiedSchema,
  },
  'registration.BrandOtpSendStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandOtpSendStartedSchema,
  },
  'registration.BrandOtpSent.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandOtpSentSchema,
  },
  'registration.BrandOtpVerificationStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandOtpVerificationStartedSchema,
  },
  'registration.BrandOtpVerified.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandOtpVerifiedSchema,
  },
  'registration.BrandOtpFailed.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandOtpFailedSchema,
  },
  'registration.BrandVettingStarted.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandVettingStartedSchema,
  },
  'registration.BrandVettingOrdered.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandVettingOrderedSchema,
  },
  'registration.BrandVettingFailed.v1': {
    topic: Topics.registrationRegistrations,
    schema: BrandVettingFailedSchema,
  },
  'messaging.NumberLookedUp.v1': {
    topic: Topics.messagingNumberLookups,
    schema: NumberLookedUpSchema,
  },
  'messaging.NumberLookupFailed.v1': {
    topic: Topics.messagingNumberLookups,
    schema: NumberLookupFailedSchema,
  },
  'gateway.WalletCreditRequested.v1': {
    topic: Topics.gatewayBillingRequests,
    schema: WalletCreditRequestedSchema,
  },
  'gateway.WalletSettingsChangeRequested.v1': {
    topic: Topics.gatewayBillingRequests,
    schema: WalletSettingsChangeRequestedSchema,
  },
  'gateway.RateCardPublishRequested.v1': {
    topic: Topics.gatewayBillingRequests,
    schema: RateCardPublishRequestedSchema,
  },
  'messaging.FundsHoldRequested.v1': {
    topic: Topics.messagingMessages,
    schema: FundsHoldRequestedSchema,
  },
  'billing.CreditPosted.v1': { topic: Topics.billingWallets, schema: CreditPostedSchema },
  'billing.HoldPlaced.v1': { topic: Topics.billingWallets, schema: HoldPlacedSchema },
  'billing.HoldRejected.v1': { topic: Topics.billingWallets, schema: HoldRejectedSchema },
  'billing.ChargeCaptured.v1': { topic: Topics.billingWallets, schema: ChargeCapturedSchema },
  'billing.HoldReleased.v1': { topic: Topics.billingWallets, schema: HoldReleasedSchema },
  'billing.WalletSettingsSet.v1': { topic: Topics.billingWallets, schema: WalletSettingsSetSchema },
  'billing.LowBalanceReached.v1': { topic: Topics.billingWallets, schema: LowBalanceReachedSchema },
  'billing.AutoRechargeRequested.v1': {
    topic: Topics.billingWallets,
    schema: AutoRechargeRequestedSchema,
  },
  'billing.BillingRequestRejected.v1': {
    topic: Topics.billingWallets,
    schema: BillingRequestRejectedSchema,
  },
  'billing.RateCardPublished.v1': {
    topic: Topics.billingRateCards,
    schema: RateCardPublishedSchema,
  },
};

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventContracts, type);
}

/** The topic an event type is published on. */
export function topicForEventType(type: string): TopicName {
  if (!isEventType(type)) throw new Error(`Unknown event type ${type}`);
  return eventContracts[type].topic;
}
