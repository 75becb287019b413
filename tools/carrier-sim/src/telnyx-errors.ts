/**
 * Every error the simulator answers with, in Telnyx API v2 form: `{errors: [{code, title, detail,
 * source?}]}`; codes are strings on the wire, as Telnyx sends them.
 *
 * Sources: developers.telnyx.com "API error codes" (10xxx), the messaging error pages
 * (40310 "Invalid 'to' address", HTTP 400; 40305 "Invalid 'from' address", HTTP 400), the
 * messaging delivery error table (40006, 40008: reported in `message.finalized`), and the
 * idempotency page (same key with another body answers 422 while the first record lives).
 * Telnyx documents no dedicated code for "neither text nor media": 40005 is a delivery error
 * ("Message expired"), so the generic 10004 "Missing required parameter" is used instead.
 * The idempotency pages name no code for a reused key; 10015 "Bad Request" is the closest one.
 */

export interface TelnyxErrorSource {
  readonly pointer?: string;
  readonly parameter?: string;
}

export interface TelnyxError {
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly source?: TelnyxErrorSource;
}

export interface TelnyxErrorResponse {
  readonly status: number;
  readonly body: { readonly errors: readonly TelnyxError[] };
}

interface CatalogueEntry {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
}

export const telnyxErrorCatalogue = {
  authenticationFailed: {
    status: 401,
    code: '10009',
    title: 'Authentication failed',
    detail:
      'The required authentication headers were either invalid or not included in the request.',
  },
  resourceNotFound: {
    status: 404,
    code: '10005',
    title: 'Resource not found',
    detail: 'The requested resource or URL could not be found.',
  },
  badRequest: {
    status: 400,
    code: '10015',
    title: 'Bad Request',
    detail: 'The request failed because it was not well-formed.',
  },
  missingRequiredParameter: {
    status: 400,
    code: '10004',
    title: 'Missing required parameter',
    detail: 'A required parameter was missing.',
  },
  invalidUrl: {
    status: 400,
    code: '10003',
    title: 'Invalid URL',
    detail: 'The URL provided was invalid, malformed, or too long.',
  },
  invalidFromAddress: {
    status: 400,
    code: '40305',
    title: "Invalid 'from' address",
    detail:
      "The 'from' address should be a +E.164 formatted number, short code or alphanumeric sender ID on your account.",
  },
  invalidToAddress: {
    status: 400,
    code: '40310',
    title: "Invalid 'to' address",
    detail: "The 'to' address should be a single valid number.",
  },
  idempotencyKeyReused: {
    status: 422,
    code: '10015',
    title: 'Bad Request',
    detail: 'The Idempotency-Key was already used with a different request body.',
  },
  invalidIdempotencyKey: {
    status: 400,
    code: '10015',
    title: 'Bad Request',
    detail:
      'The Idempotency-Key must be 1 to 255 letters, numbers, hyphens, underscores or colons.',
  },
  unexpectedError: {
    status: 500,
    code: '10007',
    title: 'Unexpected error',
    detail: 'An unexpected error occured.',
  },
  // developers.telnyx.com/api/errors/40318: HTTP 429, "the queue limits the rate messages can
  // be sent per account and per number"; the simulator's configured send caps answer it.
  messageQueueFull: {
    status: 429,
    code: '40318',
    title: 'Message queue full',
    detail: 'Message queue is full. Wait before resending.',
  },
  tooManyRequests: {
    status: 429,
    code: '10011',
    title: 'Too many requests',
    detail: 'You have exceeded the maximum number of allowed requests.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type TelnyxErrorKind = keyof typeof telnyxErrorCatalogue;

export function telnyxErrorResponse(
  kind: TelnyxErrorKind,
  overrides: { detail?: string; source?: TelnyxErrorSource } = {},
): TelnyxErrorResponse {
  const entry: CatalogueEntry = telnyxErrorCatalogue[kind];
  const error: TelnyxError = {
    code: entry.code,
    title: entry.title,
    detail: overrides.detail ?? entry.detail,
    ...(overrides.source ? { source: overrides.source } : {}),
  };
  return { status: entry.status, body: { errors: [error] } };
}

/** Errors carried by a failed `message.finalized` (not HTTP answers). */
export const deliveryErrorCatalogue = {
  delivery_failed: {
    code: '40008',
    title: 'Undeliverable',
    detail: 'The recipient carrier did not accept the message.',
  },
  sending_failed: {
    code: '40006',
    title: 'Recipient server unavailable',
    detail: 'The recipient server is unavailable or not responding.',
  },
} as const satisfies Record<string, TelnyxError>;
