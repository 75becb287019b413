/**
 * The errors the API reports, independent of transport: REST maps them to RFC 9457 problem
 * details, gRPC to status codes. `kind` decides the status; `code` is a stable machine-readable
 * slug shown to callers.
 */
export type ApiErrorKind =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** A condition the request set (`If-Match`) does not hold: 412, FAILED_PRECONDITION. */
  | 'precondition_failed'
  | 'unprocessable'
  /** The wallet cannot cover what the request would cost (issue 13): 402, FAILED_PRECONDITION. */
  | 'payment_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable';

/** How much of a caller's value an error detail repeats back. */
export const ECHO_LIMIT = 100;

/**
 * A caller's value as an error detail may quote it: whole up to `ECHO_LIMIT` characters, else
 * cut there with an ellipsis, so a 100 kB id cannot make a 100 kB error (nor overflow a gRPC
 * trailer). Cut between code points, never inside a surrogate pair.
 */
export function echoed(value: string, limit: number = ECHO_LIMIT): string {
  if (value.length <= limit) return value;
  let kept = '';
  let count = 0;
  for (const codePoint of value) {
    if (count === limit) return `${kept}…`;
    kept += codePoint;
    count += 1;
  }
  return value;
}

export interface FieldViolation {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly code: string,
    readonly detail: string,
    readonly violations: readonly FieldViolation[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  static invalid(detail: string, violations: readonly FieldViolation[] = []): ApiError {
    return new ApiError('invalid_request', 'invalid_request', detail, violations);
  }

  static notFound(detail: string): ApiError {
    return new ApiError('not_found', 'not_found', detail);
  }

  static unauthenticated(
    detail = 'A valid API key is required (Authorization: Bearer <key>).',
  ): ApiError {
    return new ApiError('unauthenticated', 'unauthenticated', detail);
  }
}
