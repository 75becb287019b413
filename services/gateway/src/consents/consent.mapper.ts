import type {
  ConsentHistory,
  ConsentLedgerEntry,
  ConsentStateResource,
  RevocationReviewPage,
  RevocationReviewResource,
} from './consent.resource.js';
import type { ConsentOutcome } from './consents.application.js';
import { ApiError } from '../problems/api-error.js';
import type {
  ConsentLedgerEntryProto,
  ConsentRequestResponseProto,
  DecodedConsentEvidenceProto,
  DecodedGrantConsentRequestProto,
  DecodedResolveRevocationReviewRequestProto,
  DecodedRevokeConsentRequestProto,
  GetConsentHistoryResponseProto,
  GetConsentResponseProto,
  ListRevocationReviewsResponseProto,
  RevocationReviewProto,
  StructProto,
  ValueProto,
} from './consent-proto.js';
import type { DecodedEnum } from '../grpc/proto-shapes.js';
import { fromRequestTimestamp, toTimestampProto } from '../grpc/timestamps.js';

/**
 * Proto enums → the REST values, so a gRPC request is validated by the same schema as a REST
 * body. UNSPECIFIED leaves the field out (the server's default, or "is required").
 */
const PURPOSES = {
  CONSENT_PURPOSE_UNSPECIFIED: undefined,
  CONSENT_PURPOSE_MARKETING: 'marketing',
  CONSENT_PURPOSE_TRANSACTIONAL: 'transactional',
} as const;
const CHANNELS = {
  CONSENT_CHANNEL_UNSPECIFIED: undefined,
  CONSENT_CHANNEL_SMS: 'sms',
  CONSENT_CHANNEL_MMS: 'mms',
  CONSENT_CHANNEL_ALL: 'all',
} as const;
const SOURCES = {
  EVIDENCE_SOURCE_UNSPECIFIED: undefined,
  EVIDENCE_SOURCE_WEB_FORM: 'web_form',
  EVIDENCE_SOURCE_KEYWORD: 'keyword',
  EVIDENCE_SOURCE_PAPER: 'paper',
  EVIDENCE_SOURCE_IMPORT: 'import',
  EVIDENCE_SOURCE_VERBAL: 'verbal',
  EVIDENCE_SOURCE_OTHER: 'other',
} as const;
const SCOPES = {
  REVOCATION_SCOPE_UNSPECIFIED: undefined,
  REVOCATION_SCOPE_ALL: 'all',
  REVOCATION_SCOPE_MARKETING: 'marketing',
} as const;
const METHODS = {
  REVOCATION_METHOD_UNSPECIFIED: undefined,
  REVOCATION_METHOD_API: 'api',
  REVOCATION_METHOD_SUPPORT_AGENT: 'support_agent',
} as const;
const REVIEW_STATUSES = {
  REVIEW_STATUS_UNSPECIFIED: undefined,
  REVIEW_STATUS_OPEN: 'open',
  REVIEW_STATUS_RESOLVED: 'resolved',
} as const;
const DECISIONS = {
  REVIEW_DECISION_UNSPECIFIED: undefined,
  REVIEW_DECISION_REVOKE: 'revoke',
  REVIEW_DECISION_DISMISS: 'dismiss',
} as const;

/** The REST value of a decoded enum; an unknown value (a newer client) is the caller's error. */
export function enumValue<T extends Record<string, string | undefined>>(
  table: T,
  value: DecodedEnum,
  field: string,
): T[keyof T] {
  if (typeof value === 'string' && Object.hasOwn(table, value)) return table[value as keyof T];
  throw ApiError.invalid(`The request has an unknown ${field}.`, [
    { field, message: `unknown value ${String(value)}` },
  ]);
}

function present<V>(key: string, value: V | undefined): Record<string, V> {
  return value === undefined ? {} : { [key]: value };
}

function evidenceOf(evidence: DecodedConsentEvidenceProto): Record<string, unknown> {
  return {
    ...present('source', enumValue(SOURCES, evidence.source, 'evidence.source')),
    text: evidence.text,
    ...present(
      'capturedAt',
      evidence.captured_at
        ? fromRequestTimestamp(evidence.captured_at, 'evidence.captured_at')
        : undefined,
    ),
    ...present('textVersion', evidence.text_version),
    ...present('checkboxDefaultUnchecked', evidence.checkbox_default_unchecked),
    ...present('ip', evidence.ip),
    ...present('userAgent', evidence.user_agent),
    ...present('pageUrl', evidence.page_url),
  };
}

/** The REST body a GrantConsentRequest stands for. */
export function toGrantConsentBody(request: DecodedGrantConsentRequestProto): unknown {
  return {
    phone: request.phone,
    ...present('purpose', enumValue(PURPOSES, request.purpose, 'purpose')),
    ...present('channel', enumValue(CHANNELS, request.channel, 'channel')),
    ...present('evidence', request.evidence ? evidenceOf(request.evidence) : undefined),
  };
}

export function toRevokeConsentBody(request: DecodedRevokeConsentRequestProto): unknown {
  return {
    ...present('scope', enumValue(SCOPES, request.scope, 'scope')),
    ...present('channel', enumValue(CHANNELS, request.channel, 'channel')),
    ...present('method', enumValue(METHODS, request.method, 'method')),
    ...present('note', request.note),
  };
}

/** DND needs its channel named, as in the REST path. */
export function toDndChannel(channel: DecodedEnum): string {
  const value = enumValue(CHANNELS, channel, 'channel');
  if (value === undefined) {
    throw ApiError.invalid('The channel is required.', [
      { field: 'channel', message: 'is required' },
    ]);
  }
  return value;
}

export function toReviewStatus(status: DecodedEnum): string | undefined {
  return enumValue(REVIEW_STATUSES, status, 'status');
}

export function toResolveReviewBody(request: DecodedResolveRevocationReviewRequestProto): unknown {
  return {
    ...present('decision', enumValue(DECISIONS, request.decision, 'decision')),
    ...present('resolvedBy', request.resolved_by),
    ...present('note', request.note),
  };
}

function valueOf(value: unknown): ValueProto {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(valueOf) } };
  if (typeof value === 'object') return { structValue: toStructProto(value) };
  // JSON has nothing else (bigint, symbol, function never come from a ledger fact).
  return { nullValue: 'NULL_VALUE' };
}

/** A JSON object as google.protobuf.Struct; undefined members are left out. */
export function toStructProto(object: object): StructProto {
  const fields: Record<string, ValueProto> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value !== undefined) fields[key] = valueOf(value);
  }
  return { fields };
}

/**
 * google.protobuf.Struct back to JSON (for clients and tests). A decoder with `defaults` fills
 * every member of the oneof, so the `kind` it names decides, when present.
 */
export function fromStructProto(struct: StructProto): Record<string, unknown> {
  const fromValue = (decoded: ValueProto): unknown => {
    const kind = (decoded as { kind?: string }).kind;
    const value = (
      kind ? { [kind]: (decoded as Record<string, unknown>)[kind] } : decoded
    ) as ValueProto;
    if ('nullValue' in value) return null;
    if ('numberValue' in value) return value.numberValue;
    if ('stringValue' in value) return value.stringValue;
    if ('boolValue' in value) return value.boolValue;
    if ('structValue' in value) return fromStructProto(value.structValue);
    return value.listValue.values.map(fromValue);
  };
  return Object.fromEntries(
    Object.entries(struct.fields).map(([key, value]) => [key, fromValue(value)]),
  );
}

export function toLedgerEntryProto(entry: ConsentLedgerEntry): ConsentLedgerEntryProto {
  const requestId = entry['requestId'];
  return {
    sequence: entry.sequence,
    type: entry.type,
    occur_time: toTimestampProto(entry.occurredAt),
    event_id: entry.eventId,
    request_id: typeof requestId === 'string' ? requestId : null,
    fact: toStructProto(entry),
  };
}

export function toConsentRequestResponse(outcome: ConsentOutcome): ConsentRequestResponseProto {
  return outcome.status === 'recorded'
    ? {
        request_id: outcome.requestId,
        status: 'CONSENT_REQUEST_STATUS_RECORDED',
        entry: toLedgerEntryProto(outcome.entry),
      }
    : { request_id: outcome.requestId, status: 'CONSENT_REQUEST_STATUS_PENDING', entry: null };
}

export function toGetConsentResponse(state: ConsentStateResource): GetConsentResponseProto {
  return {
    phone: state.phone,
    marketing: state.marketing,
    transactional: state.transactional,
    opted_out: state.optedOut,
    dnd: state.dnd,
    opt_out_time: state.optedOutAt ? toTimestampProto(state.optedOutAt) : null,
    update_time: state.updatedAt ? toTimestampProto(state.updatedAt) : null,
    open_review_count: state.openReviewCount,
  };
}

export function toHistoryResponse(history: ConsentHistory): GetConsentHistoryResponseProto {
  return { phone: history.phone, entries: history.entries.map(toLedgerEntryProto) };
}

export function toReviewProto(review: RevocationReviewResource): RevocationReviewProto {
  return {
    id: review.id,
    phone: review.phone,
    message: {
      message_id: review.message.messageId,
      body: review.message.body,
      receive_time: toTimestampProto(review.message.receivedAt),
    },
    confidence: review.confidence,
    cue: review.cue,
    status: review.status === 'open' ? 'REVIEW_STATUS_OPEN' : 'REVIEW_STATUS_RESOLVED',
    decision:
      review.decision === 'revoke'
        ? 'REVIEW_DECISION_REVOKE'
        : review.decision === 'dismiss'
          ? 'REVIEW_DECISION_DISMISS'
          : 'REVIEW_DECISION_UNSPECIFIED',
    resolved_by: review.resolvedBy,
    note: review.note,
    open_time: toTimestampProto(review.openedAt),
    resolve_time: review.resolvedAt ? toTimestampProto(review.resolvedAt) : null,
  };
}

export function toListReviewsResponse(
  page: RevocationReviewPage,
): ListRevocationReviewsResponseProto {
  return { reviews: page.items.map(toReviewProto), next_page_token: page.nextCursor ?? '' };
}
