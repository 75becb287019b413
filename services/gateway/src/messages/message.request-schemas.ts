/** The messages context's request bodies (validation and the OpenAPI document). */
import { e164, HTTP_URL_PATTERN, ianaTimeZone } from '../http/schema-parts.js';

const mediaUrls = {
  type: 'array',
  maxItems: 10,
  items: { type: 'string', format: 'uri', pattern: HTTP_URL_PATTERN, maxLength: 2000 },
  description:
    'Media to send as MMS: public http(s) URLs. Refused with 400: other schemes, localhost and ' +
    'literal IP addresses that are private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), ' +
    'link-local (169.254/16, fe80::/10, the cloud metadata address), unspecified or loopback ' +
    '(loopback only allowed when the gateway runs with MEDIA_FETCH_ALLOW_LOOPBACK=true). Host ' +
    'names are not resolved at the edge',
} as const;

const messagePurpose = {
  enum: ['conversational', 'transactional', 'marketing'],
  description: 'Why the message is sent; decides which consent it needs. Default conversational.',
} as const;

/** How far ahead a message may be scheduled, and how late a `sendAt` still means now. */
export const SEND_AT_LIMITS = { maxAheadDays: 400, pastToleranceSeconds: 60 } as const;

const sendAt = {
  type: 'string',
  format: 'date-time',
  description:
    'When to send the message: an instant with its UTC offset (RFC 3339, e.g. ' +
    `2026-07-04T09:00:00-04:00), at most ${SEND_AT_LIMITS.maxAheadDays} days ahead. Up to ` +
    `${SEND_AT_LIMITS.pastToleranceSeconds} s in the past means now; earlier, or further ahead, ` +
    'is refused with 422. Absent means now',
} as const;

const recipientTimeZone = ianaTimeZone(
  "The contact's IANA time zone (e.g. America/Denver) when you know it; quiet hours use it " +
    "before the number's area code",
);

const contactId = {
  type: 'string',
  pattern: '^[A-Za-z0-9_.:-]{1,128}$',
  description:
    "A contact's id (PUT /v1/contacts/{contactId}) instead of `to`: the message goes to the " +
    "contact's phone, quiet hours use the contact's timeZone when it has one, and the body is " +
    'rendered as Liquid merge fields against the contact ({{ contact.first_name }}, custom ' +
    'fields, {{ business.name }}). An unknown contact is refused with 422 contact_not_found',
} as const;

const templateId = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description:
    'Send a template (or snippet) instead of `body` (never both: 400): its body at the version ' +
    'used, rendered as Liquid against the contact (to a bare `to` number: contact.phone only), ' +
    "the tenant's custom values ({{ custom_values.<key> }}) and {{ business.name }}. The " +
    "template's purpose is the default purpose and its mediaUrls are sent unless the request " +
    'gives its own. The message records templateId and templateVersion. An unknown template is ' +
    '422 template_not_found, an archived one 422 template_archived',
} as const;

const templateVersion = {
  type: 'integer',
  minimum: 1,
  description:
    "The template version to send (an older one stays sendable); absent means the template's " +
    'latest version. Only with templateId; a version the template does not have is 422 ' +
    'template_version_not_found',
} as const;

export const SendMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    to: {
      ...e164,
      description:
        'Recipient phone number (E.164); required unless contactId is given, never with it. ' +
        'A body sent to a bare number is sent literally (no merge fields); a template is rendered',
    },
    contactId,
    from: { ...e164, description: "Sender number; defaults to the tenant's default sender" },
    body: {
      type: 'string',
      maxLength: 1600,
      description: 'Text of the message; or templateId, never both',
    },
    templateId,
    templateVersion,
    mediaUrls,
    purpose: messagePurpose,
    recipientTimeZone: recipientTimeZone,
    sendAt,
  },
} as const;

export const RescheduleMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sendAt'],
  properties: {
    sendAt: {
      ...sendAt,
      description:
        'The new send time of a message you scheduled, while it is still scheduled; the same ' +
        'rules as sendAt on a send',
    },
  },
} as const;

export const PreviewMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    body: {
      type: 'string',
      maxLength: 1600,
      description: 'The text to preview; required unless templateId is given, never with it',
    },
    templateId: {
      ...templateId,
      description:
        'Preview a template (or snippet) instead of `body`, rendered as the send would render ' +
        'it: against the contact, or the `to` number as contact.phone, or with no recipient no ' +
        'contact at all (a contact field without a default is then 422 missing_merge_value; ' +
        'POST /v1/templates/{id}/preview gives the best and worst case over your contacts)',
    },
    templateVersion,
    smartEncoding: {
      type: 'boolean',
      description:
        'Replace look-alike characters (curly quotes, dashes) with GSM-7 ones before counting',
    },
    to: {
      ...e164,
      description:
        "The recipient: adds consent, do-not-disturb and the recipient's quiet hours to the " +
        'compliance verdict, and tells whether this would be the first message to them. ' +
        'Without it consent is not judged; quiet hours are those of recipientTimeZone, else the tenant zone.',
    },
    contactId: {
      ...contactId,
      description:
        'Preview the send to this contact (instead of `to`, never with it): its phone as the ' +
        'recipient, its timeZone for quiet hours, and the body rendered against it',
    },
    purpose: messagePurpose,
    at: {
      type: 'string',
      format: 'date-time',
      description: 'Evaluate the verdict as if sent at this instant; default now',
    },
    mediaUrls: {
      ...mediaUrls,
      description: 'Media the message would carry; any makes it an MMS (channel mms)',
    },
    recipientTimeZone,
    sendAt: {
      ...sendAt,
      description:
        'Preview a send scheduled for this instant (the same rules as on a send): the verdict ' +
        'is evaluated at it unless `at` is given',
    },
  },
} as const;
