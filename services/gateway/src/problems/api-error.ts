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
  | 'unprocessable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable';

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
