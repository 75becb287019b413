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

export type MessagePurpose = 'conversational' | 'transactional' | 'marketing';
export type SmsEncodingName = 'GSM-7' | 'UCS-2';

/** A tenant was created with its sender numbers. Stream: `tenant-<tenantId>`. */
export interface TenantCreated {
  tenantId: string;
  name: string;
  brandName: string;
  timeZone: string;
  defaultSender: string;
  senderNumbers: string[];
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

/** A verified webhook from the carrier, kept as received. Stream: `carrier-webhook-<webhookId>`. */
export interface CarrierWebhookReceived {
  webhookId: string;
  carrier: 'telnyx';
  eventType: string;
  occurredAt: string;
  payload: Record<string, unknown>;
  receivedAt: string;
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
  },
  ['webhookId', 'carrier', 'eventType', 'occurredAt', 'payload', 'receivedAt'],
);
