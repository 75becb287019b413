import { e164, eventSchema, instant, nonEmpty, uuid } from './schema-parts.js';

/**
 * The consent ledger: one stream per (tenant, phone number), `consent-<tenantId>-<phone>`,
 * on topic `consent.consents.events.v1`. Every fact carries the evidence or message that
 * caused it, so the ledger alone proves what consent existed for any message.
 */

export type ConsentPurpose = 'marketing' | 'transactional';
export type ConsentChannel = 'sms' | 'mms' | 'all';
export type ConsentSource = 'web_form' | 'keyword' | 'paper' | 'import' | 'verbal' | 'other';
/** What a revocation withdraws: everything (an opt-out), or marketing consent only. */
export type RevocationScope = 'all' | 'marketing';
export type RevocationMethod = 'keyword' | 'free_text' | 'api' | 'support_agent';
export type AutoReplyKind = 'opt_out_confirmation' | 'opt_in_confirmation' | 'help';

/** How consent was captured, kept verbatim for an auditor. */
export interface ConsentEvidence {
  source: ConsentSource;
  /** The exact consent language the person agreed to. */
  text: string;
  textVersion?: string;
  checkboxDefaultUnchecked?: boolean;
  ip?: string;
  userAgent?: string;
  pageUrl?: string;
  capturedAt: string;
}

/** A text message that caused a ledger fact (a keyword or a free-text reply). */
export interface CausingMessage {
  messageId: string;
  body: string;
  receivedAt: string;
}

export const consentPurpose = { enum: ['marketing', 'transactional'] } as const;
export const consentChannel = { enum: ['sms', 'mms', 'all'] } as const;
export const consentSource = {
  enum: ['web_form', 'keyword', 'paper', 'import', 'verbal', 'other'],
} as const;
export const revocationScope = { enum: ['all', 'marketing'] } as const;
export const revocationMethod = { enum: ['keyword', 'free_text', 'api', 'support_agent'] } as const;

export const consentEvidence = {
  type: 'object',
  properties: {
    source: consentSource,
    text: nonEmpty,
    textVersion: { type: 'string' },
    checkboxDefaultUnchecked: { type: 'boolean' },
    ip: { type: 'string' },
    userAgent: { type: 'string' },
    pageUrl: { type: 'string' },
    capturedAt: instant,
  },
  required: ['source', 'text', 'capturedAt'],
  additionalProperties: false,
} as const;

const causingMessage = {
  type: 'object',
  properties: { messageId: uuid, body: { type: 'string' }, receivedAt: instant },
  required: ['messageId', 'body', 'receivedAt'],
  additionalProperties: false,
} as const;

const subject = { tenantId: uuid, phone: e164 } as const;

export interface ConsentGranted {
  tenantId: string;
  phone: string;
  purpose: ConsentPurpose;
  channel: ConsentChannel;
  evidence: ConsentEvidence;
  /** The API request that recorded it. */
  requestId: string;
  grantedAt: string;
}
export const ConsentGrantedSchema = eventSchema(
  'consent.ConsentGranted.v1',
  {
    ...subject,
    purpose: consentPurpose,
    channel: consentChannel,
    evidence: consentEvidence,
    requestId: uuid,
    grantedAt: instant,
  },
  ['tenantId', 'phone', 'purpose', 'channel', 'evidence', 'requestId', 'grantedAt'],
);

export interface ConsentRevoked {
  tenantId: string;
  phone: string;
  scope: RevocationScope;
  channel: ConsentChannel;
  method: RevocationMethod;
  /** The opt-out keyword as matched (method `keyword`). */
  keyword?: string;
  /** The reply that revoked (methods `keyword` and `free_text`). */
  message?: CausingMessage;
  /** The API request that revoked (methods `api`, `support_agent`, or a resolved review). */
  requestId?: string;
  /** The review that concluded the reply was a revocation. */
  reviewId?: string;
  note?: string;
  revokedAt: string;
}
export const ConsentRevokedSchema = eventSchema(
  'consent.ConsentRevoked.v1',
  {
    ...subject,
    scope: revocationScope,
    channel: consentChannel,
    method: revocationMethod,
    keyword: nonEmpty,
    message: causingMessage,
    requestId: uuid,
    reviewId: uuid,
    note: { type: 'string' },
    revokedAt: instant,
  },
  ['tenantId', 'phone', 'scope', 'channel', 'method', 'revokedAt'],
);

/** START, UNSTOP or YES after an opt-out: the consents held before the opt-out apply again. */
export interface ConsentRestored {
  tenantId: string;
  phone: string;
  keyword: string;
  message: CausingMessage;
  restoredAt: string;
}
export const ConsentRestoredSchema = eventSchema(
  'consent.ConsentRestored.v1',
  { ...subject, keyword: nonEmpty, message: causingMessage, restoredAt: instant },
  ['tenantId', 'phone', 'keyword', 'message', 'restoredAt'],
);

export interface DndSet {
  tenantId: string;
  phone: string;
  channel: ConsentChannel;
  requestId: string;
  setAt: string;
}
export const DndSetSchema = eventSchema(
  'consent.DndSet.v1',
  { ...subject, channel: consentChannel, requestId: uuid, setAt: instant },
  ['tenantId', 'phone', 'channel', 'requestId', 'setAt'],
);

export interface DndCleared {
  tenantId: string;
  phone: string;
  channel: ConsentChannel;
  requestId: string;
  clearedAt: string;
}
export const DndClearedSchema = eventSchema(
  'consent.DndCleared.v1',
  { ...subject, channel: consentChannel, requestId: uuid, clearedAt: instant },
  ['tenantId', 'phone', 'channel', 'requestId', 'clearedAt'],
);

export interface HelpRequested {
  tenantId: string;
  phone: string;
  keyword: string;
  message: CausingMessage;
  requestedAt: string;
}
export const HelpRequestedSchema = eventSchema(
  'consent.HelpRequested.v1',
  { ...subject, keyword: nonEmpty, message: causingMessage, requestedAt: instant },
  ['tenantId', 'phone', 'keyword', 'message', 'requestedAt'],
);

/** A reply that may mean "stop texting me", put before an agent rather than guessed. */
export interface RevocationReviewOpened {
  reviewId: string;
  tenantId: string;
  phone: string;
  message: CausingMessage;
  /**
   * The tenant number the reply was sent to: a revoking resolution's confirmation comes from it.
   * Added in a later revision of v1; absent on older events.
   */
  to?: string;
  /** The classifier's confidence that the reply is a revocation, 0..1. */
  confidence: number;
  /** The phrase that made the classifier suspect a revocation. */
  cue: string;
  openedAt: string;
}
export const RevocationReviewOpenedSchema = eventSchema(
  'consent.RevocationReviewOpened.v1',
  {
    reviewId: uuid,
    ...subject,
    message: causingMessage,
    to: e164,
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    cue: { type: 'string' },
    openedAt: instant,
  },
  ['reviewId', 'tenantId', 'phone', 'message', 'confidence', 'cue', 'openedAt'],
);

export interface RevocationReviewResolved {
  reviewId: string;
  tenantId: string;
  phone: string;
  decision: 'revoke' | 'dismiss';
  requestId: string;
  resolvedBy?: string;
  note?: string;
  resolvedAt: string;
}
export const RevocationReviewResolvedSchema = eventSchema(
  'consent.RevocationReviewResolved.v1',
  {
    reviewId: uuid,
    ...subject,
    decision: { enum: ['revoke', 'dismiss'] },
    requestId: uuid,
    resolvedBy: { type: 'string' },
    note: { type: 'string' },
    resolvedAt: instant,
  },
  ['reviewId', 'tenantId', 'phone', 'decision', 'requestId', 'resolvedAt'],
);

/**
 * A compliance reply (opt-out or opt-in confirmation, HELP answer) to be texted once.
 * `replyId` becomes the message id, so a redelivered request never sends twice.
 */
export interface AutoReplyRequested {
  replyId: string;
  tenantId: string;
  phone: string;
  /** The tenant number the person wrote to: the reply comes from it. */
  from: string;
  kind: AutoReplyKind;
  body: string;
  inReplyTo: string;
  requestedAt: string;
}
export const AutoReplyRequestedSchema = eventSchema(
  'consent.AutoReplyRequested.v1',
  {
    replyId: uuid,
    ...subject,
    from: e164,
    kind: { enum: ['opt_out_confirmation', 'opt_in_confirmation', 'help'] },
    body: nonEmpty,
    inReplyTo: uuid,
    requestedAt: instant,
  },
  ['replyId', 'tenantId', 'phone', 'from', 'kind', 'body', 'inReplyTo', 'requestedAt'],
);
