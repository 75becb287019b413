import {
  e164,
  encoding,
  eventSchema,
  instant,
  mediaUrls,
  nonEmpty,
  purpose,
  uuid,
} from './schema-parts.js';
import { CONTACT_ID_SCHEMA_PATTERN } from './contacts.events.js';
import {
  type ConsentChannel,
  type ConsentEvidence,
  type ConsentPurpose,
  type RevocationScope,
  consentChannel,
  consentEvidence,
  consentPurpose,
  revocationScope,
} from './consent.events.js';

export type MessagePurpose = 'conversational' | 'transactional' | 'marketing';
export type SmsEncodingName = 'GSM-7' | 'UCS-2';

/** What to do with a message whose content falls in a SHAFT or high-risk financial category. */
export type RestrictedContentPolicy = 'flag' | 'block';

/** A tenant's compliance settings: the texts of its automatic replies and its content policy. */
export interface TenantComplianceProfile {
  /** How a recipient gets help, e.g. "support@acme.example or 800-555-0100". */
  supportContact?: string;
  /** e.g. "Msg frequency varies" or "Up to 4 msgs/month". */
  messageFrequency?: string;
  helpText?: string;
  optOutConfirmationText?: string;
  optInConfirmationText?: string;
  restrictedContent?: RestrictedContentPolicy;
}

const tenantComplianceProfile = {
  type: 'object',
  properties: {
    supportContact: nonEmpty,
    messageFrequency: nonEmpty,
    helpText: nonEmpty,
    optOutConfirmationText: nonEmpty,
    optInConfirmationText: nonEmpty,
    restrictedContent: { enum: ['flag', 'block'] },
  },
  additionalProperties: false,
} as const;

/** A tenant was created with its sender numbers. Stream: `tenant-<tenantId>`. */
export interface TenantCreated {
  tenantId: string;
  name: string;
  brandName: string;
  timeZone: string;
  defaultSender: string;
  senderNumbers: string[];
  /** Added in a later revision of v1; absent means the defaults. */
  compliance?: TenantComplianceProfile;
  createdAt: string;
}
export const TenantCreatedSchema = eventSchema(
  'gateway.TenantCreated.v1',
  {
    tenantId: uuid,
    name: nonEmpty,
    brandName: nonEmpty,
    timeZone: nonEmpty,
    defaultSender: e164,
    senderNumbers: { type: 'array', items: e164, minItems: 1 },
    compliance: tenantComplianceProfile,
    createdAt: instant,
  },
  ['tenantId', 'name', 'brandName', 'timeZone', 'defaultSender', 'senderNumbers', 'createdAt'],
);

/** A sender number was added to a tenant. Stream: `tenant-<tenantId>`. */
export interface SenderNumberAdded {
  tenantId: string;
  phoneNumber: string;
  addedAt: string;
}
export const SenderNumberAddedSchema = eventSchema(
  'gateway.SenderNumberAdded.v1',
  { tenantId: uuid, phoneNumber: e164, addedAt: instant },
  ['tenantId', 'phoneNumber', 'addedAt'],
);

/**
 * A sender number was released by its tenant (so that it can move to another tenant): the
 * tenant no longer sends from it, and texts to it no longer reach the tenant. Stream:
 * `tenant-<tenantId>`.
 */
export interface SenderNumberRemoved {
  tenantId: string;
  phoneNumber: string;
  removedAt: string;
}
export const SenderNumberRemovedSchema = eventSchema(
  'gateway.SenderNumberRemoved.v1',
  { tenantId: uuid, phoneNumber: e164, removedAt: instant },
  ['tenantId', 'phoneNumber', 'removedAt'],
);

/**
 * A tenant's compliance profile was replaced: the whole new profile, fields left out take the
 * defaults (as in TenantCreated). Stream: `tenant-<tenantId>`.
 */
export interface TenantComplianceProfileSet {
  tenantId: string;
  compliance: TenantComplianceProfile;
  setAt: string;
}
export const TenantComplianceProfileSetSchema = eventSchema(
  'gateway.TenantComplianceProfileSet.v1',
  { tenantId: uuid, compliance: tenantComplianceProfile, setAt: instant },
  ['tenantId', 'compliance', 'setAt'],
);

/**
 * A tenant's settings (`/v1/settings`), each key added by the issue that needs it. Only keys the
 * tenant set are present: an absent key takes its default.
 */
export interface TenantSettings {
  /**
   * Adds the opt-out line to a transactional or conversational text when the contact has not
   * been sent one in the last `everyDays` days (marketing gets it every time). Absent: off.
   */
  optOutReminder?: { everyDays: number };
  /**
   * A message whose purpose does not fit its sender's campaign use case (marketing from a `2FA`
   * campaign): `flag` lets it through with the flag `campaign_use_case_mismatch`, `block` blocks
   * it. Absent: flag.
   */
  campaignUseCaseMismatch?: CampaignUseCaseMismatchPolicy;
  /** Look up each new recipient's line type before the first text to it. Absent: off. */
  numberValidation?: NumberValidationSetting;
  /**
   * The operator's overrides of the carriers' throughput limits for this tenant
   * (`PUT /admin/v1/tenants/{id}/limits`; not a tenant's to change). Absent: the carriers'.
   */
  throughputLimits?: ThroughputLimitOverrides;
}

/** Per channel, a count (messages or segments per window). */
export interface PerChannelLimit {
  sms?: number;
  mms?: number;
}

/** Overrides of the throughput table's values (libs/trust-rules), each a positive integer. */
export interface ThroughputLimitOverrides {
  /** AT&T, per campaign, per minute. */
  attPerMinute?: PerChannelLimit;
  /** T-Mobile, per brand, per day (Los Angeles). */
  tMobilePerDay?: number;
  tollFreePerNumberPerSecond?: number;
  /** The carrier account's, per second. */
  accountPerSecond?: PerChannelLimit;
}

export const THROUGHPUT_OVERRIDE_MAX = 1_000_000_000;

export type CampaignUseCaseMismatchPolicy = 'flag' | 'block';

/** A recipient's line type, as a number lookup tells it. */
export type LineType = 'mobile' | 'landline' | 'voip' | 'toll_free' | 'unknown';
export const LINE_TYPES: readonly LineType[] = [
  'mobile',
  'landline',
  'voip',
  'toll_free',
  'unknown',
];

export interface NumberValidationSetting {
  enabled: boolean;
  /** A message to a recipient of one of these line types is blocked `recipient_not_mobile`. */
  skipLineTypes: LineType[];
  /** How long a lookup is reused before the number is looked up again. */
  cacheDays: number;
}

export const OPT_OUT_REMINDER_MAX_DAYS = 365;
export const NUMBER_VALIDATION_MAX_CACHE_DAYS = 365;
const defaultNumberValidation: NumberValidationSetting = {
  enabled: false,
  skipLineTypes: ['landline'],
  cacheDays: 30,
};
export const NUMBER_VALIDATION_DEFAULTS: Readonly<NumberValidationSetting> =
  Object.freeze(defaultNumberValidation);

const overrideCount = { type: 'integer', minimum: 1, maximum: 1_000_000_000 } as const;
const perChannelLimit = {
  type: 'object',
  properties: { sms: overrideCount, mms: overrideCount },
  additionalProperties: false,
} as const;

const tenantSettings = {
  type: 'object',
  properties: {
    optOutReminder: {
      type: 'object',
      properties: {
        everyDays: { type: 'integer', minimum: 1, maximum: OPT_OUT_REMINDER_MAX_DAYS },
      },
      required: ['everyDays'],
      additionalProperties: false,
    },
    campaignUseCaseMismatch: { enum: ['flag', 'block'] },
    throughputLimits: {
      type: 'object',
      properties: {
        attPerMinute: perChannelLimit,
        tMobilePerDay: overrideCount,
        tollFreePerNumberPerSecond: overrideCount,
        accountPerSecond: perChannelLimit,
      },
      additionalProperties: false,
    },
    numberValidation: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        skipLineTypes: { type: 'array', uniqueItems: true, items: { enum: LINE_TYPES } },
        cacheDays: { type: 'integer', minimum: 1, maximum: NUMBER_VALIDATION_MAX_CACHE_DAYS },
      },
      required: ['enabled', 'skipLineTypes', 'cacheDays'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/**
 * A tenant's settings were changed: the whole new settings object, keys left out take their
 * defaults. Stream: `tenant-<tenantId>`.
 */
export interface TenantSettingsSet {
  tenantId: string;
  settings: TenantSettings;
  setAt: string;
}
export const TenantSettingsSetSchema = eventSchema(
  'gateway.TenantSettingsSet.v1',
  { tenantId: uuid, settings: tenantSettings, setAt: instant },
  ['tenantId', 'settings', 'setAt'],
);

/** An API key was issued to a tenant; only its SHA-256 hash is ever stored. Stream: `tenant-<tenantId>`. */
export interface ApiKeyIssued {
  tenantId: string;
  keyId: string;
  keyHash: string;
  label: string;
  issuedAt: string;
}
export const ApiKeyIssuedSchema = eventSchema(
  'gateway.ApiKeyIssued.v1',
  {
    tenantId: uuid,
    keyId: uuid,
    keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    label: { type: 'string' },
    issuedAt: instant,
  },
  ['tenantId', 'keyId', 'keyHash', 'label', 'issuedAt'],
);

/**
 * When a workflow step may send (issue 11 §2): local time `start ≤ t < end` (`HH:MM`, `end` up to
 * `24:00`) on one of `days`, in `timeZone`, an IANA zone the gateway resolved at the request
 * ("recipient" and "tenant" are resolved there). Outside it the message waits for the next opening.
 */
export interface SendTimeWindow {
  days: Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>;
  start: string;
  end: string;
  timeZone: string;
}
export const sendTimeWindow = {
  type: 'object',
  properties: {
    days: {
      type: 'array',
      minItems: 1,
      items: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    },
    start: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
    end: { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' },
    timeZone: nonEmpty,
  },
  required: ['days', 'start', 'end', 'timeZone'],
} as const;

/** A partner asked to send a message. Stream: `send-request-<messageId>`. */
export interface SendRequested {
  messageId: string;
  tenantId: string;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  purpose: MessagePurpose;
  encoding: SmsEncodingName;
  segments: number;
  /** The contact's IANA time zone when the caller knows it (quiet hours). */
  recipientTimeZone?: string;
  /** When the client wants it sent (an instant); absent means now. */
  sendAt?: string;
  /** The CRM contact the message was sent to, when the client named one (`to` is its phone). */
  contactId?: string;
  /** The template the body was rendered from, when the send named one. */
  templateId?: string;
  /** That template's version (the latest at the send, or the one the client pinned). */
  templateVersion?: number;
  /** A workflow step's time window (POST /v1/workflow-actions/send-sms); absent means any time. */
  timeWindow?: SendTimeWindow;
  /** The bulk send this message is a recipient's text of (queued by messaging's bulk run). */
  bulkSendId?: string;
  requestedAt: string;
}
export const SendRequestedSchema = eventSchema(
  'gateway.SendRequested.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    to: e164,
    from: e164,
    body: { type: 'string' },
    mediaUrls,
    purpose,
    encoding,
    segments: { type: 'integer', minimum: 0 },
    recipientTimeZone: nonEmpty,
    sendAt: instant,
    contactId: { type: 'string', pattern: CONTACT_ID_SCHEMA_PATTERN },
    templateId: uuid,
    templateVersion: { type: 'integer', minimum: 1 },
    timeWindow: sendTimeWindow,
    bulkSendId: uuid,
    requestedAt: instant,
  },
  [
    'messageId',
    'tenantId',
    'to',
    'from',
    'body',
    'mediaUrls',
    'purpose',
    'encoding',
    'segments',
    'requestedAt',
  ],
);

/**
 * A client asked to cancel a message it sent. Stream: `send-request-<messageId>` (the send's own
 * stream, so the request follows the send on its partition). Messaging answers with
 * `messaging.MessageCanceled.v1` or `messaging.MessageCancelRejected.v1`.
 */
export interface MessageCancelRequested {
  messageId: string;
  tenantId: string;
  requestedAt: string;
}
export const MessageCancelRequestedSchema = eventSchema(
  'gateway.MessageCancelRequested.v1',
  { messageId: uuid, tenantId: uuid, requestedAt: instant },
  ['messageId', 'tenantId', 'requestedAt'],
);

/**
 * A client asked to move a message it scheduled to a new `sendAt`. Stream:
 * `send-request-<messageId>`. Messaging answers with `messaging.MessageRescheduled.v1` or
 * `messaging.MessageRescheduleRejected.v1`.
 */
export interface MessageRescheduleRequested {
  messageId: string;
  tenantId: string;
  sendAt: string;
  requestedAt: string;
}
export const MessageRescheduleRequestedSchema = eventSchema(
  'gateway.MessageRescheduleRequested.v1',
  { messageId: uuid, tenantId: uuid, sendAt: instant, requestedAt: instant },
  ['messageId', 'tenantId', 'sendAt', 'requestedAt'],
);

/** A verified webhook from the carrier, kept as received. Stream: `carrier-webhook-<webhookId>`. */
export interface CarrierWebhookReceived {
  webhookId: string;
  carrier: 'telnyx';
  eventType: string;
  occurredAt: string;
  /** Every string as sent, except U+0000 and lone surrogates (which Postgres refuses) as U+FFFD. */
  payload: Record<string, unknown>;
  receivedAt: string;
  /** The exact signed body, present only when the payload had such characters replaced. */
  rawBody?: string;
}
export const CarrierWebhookReceivedSchema = eventSchema(
  'gateway.CarrierWebhookReceived.v1',
  {
    webhookId: nonEmpty,
    carrier: { const: 'telnyx' },
    eventType: nonEmpty,
    occurredAt: instant,
    payload: { type: 'object' },
    receivedAt: instant,
    rawBody: { type: 'string' },
  },
  ['webhookId', 'carrier', 'eventType', 'occurredAt', 'payload', 'receivedAt'],
);

/*
 * Consent requests made through the API, for the consent service to record in its ledger.
 * Stream: `consent-request-<requestId>`, topic `gateway.consent-requests.events.v1`.
 */

export interface ConsentGrantRequested {
  requestId: string;
  tenantId: string;
  phone: string;
  purpose: ConsentPurpose;
  channel: ConsentChannel;
  evidence: ConsentEvidence;
  requestedAt: string;
}
export const ConsentGrantRequestedSchema = eventSchema(
  'gateway.ConsentGrantRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    phone: e164,
    purpose: consentPurpose,
    channel: consentChannel,
    evidence: consentEvidence,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'phone', 'purpose', 'channel', 'evidence', 'requestedAt'],
);

export interface ConsentRevocationRequested {
  requestId: string;
  tenantId: string;
  phone: string;
  scope: RevocationScope;
  channel: ConsentChannel;
  method: 'api' | 'support_agent';
  note?: string;
  requestedAt: string;
}
export const ConsentRevocationRequestedSchema = eventSchema(
  'gateway.ConsentRevocationRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    phone: e164,
    scope: revocationScope,
    channel: consentChannel,
    method: { enum: ['api', 'support_agent'] },
    note: { type: 'string' },
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'phone', 'scope', 'channel', 'method', 'requestedAt'],
);

export interface DndChangeRequested {
  requestId: string;
  tenantId: string;
  phone: string;
  channel: ConsentChannel;
  dnd: boolean;
  requestedAt: string;
}
export const DndChangeRequestedSchema = eventSchema(
  'gateway.DndChangeRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    phone: e164,
    channel: consentChannel,
    dnd: { type: 'boolean' },
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'phone', 'channel', 'dnd', 'requestedAt'],
);

export interface RevocationReviewResolutionRequested {
  requestId: string;
  tenantId: string;
  reviewId: string;
  phone: string;
  decision: 'revoke' | 'dismiss';
  resolvedBy?: string;
  note?: string;
  requestedAt: string;
}
export const RevocationReviewResolutionRequestedSchema = eventSchema(
  'gateway.RevocationReviewResolutionRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    reviewId: uuid,
    phone: e164,
    decision: { enum: ['revoke', 'dismiss'] },
    resolvedBy: { type: 'string' },
    note: { type: 'string' },
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'reviewId', 'phone', 'decision', 'requestedAt'],
);

/**
 * A client marked its conversation with a phone number read, up to a message: inbound messages
 * after that message (by time, then id) stay unread. Stream: `conversation-<tenantId>-<phone>`,
 * topic `gateway.conversations.events.v1`.
 */
export interface ConversationRead {
  tenantId: string;
  /** The other party, E.164. */
  phone: string;
  /** The last message read: the one named, or the conversation's latest when marked. */
  upToMessageId: string;
  /** That message's time (its position in the conversation). */
  upToAt: string;
  readAt: string;
}
export const ConversationReadSchema = eventSchema(
  'gateway.ConversationRead.v1',
  { tenantId: uuid, phone: e164, upToMessageId: uuid, upToAt: instant, readAt: instant },
  ['tenantId', 'phone', 'upToMessageId', 'upToAt', 'readAt'],
);
