import * as grpc from '@grpc/grpc-js';
import { ApiError, echoed, type ApiErrorKind, type FieldViolation } from '../problems/api-error.js';
import { UNAVAILABLE_RETRY_AFTER_S, unavailableApiError } from '../problems/problem-details.js';
import { encodeRpcStatus } from './rpc-status-details.js';

/** google.rpc.ErrorInfo.domain of every error the gateway reports. */
export const ERROR_DOMAIN = 'textplane';

export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** Metadata of an UNAVAILABLE status: seconds to wait before retrying (as HTTP's Retry-After). */
export const RETRY_AFTER_KEY = 'retry-after';

/** What a handler hands to grpc-js to fail a call. */
export interface GrpcFailure {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

/**
 * - conflict → FAILED_PRECONDITION: it reports an idempotency key reused with another request (or
 *   a state clash); retrying the same call cannot succeed, and nothing "already exists" from the
 *   caller's view since a true retry returns the original message.
 * - payload_too_large / unsupported_media_type → INVALID_ARGUMENT: the caller must change the
 *   request; RESOURCE_EXHAUSTED would read as a quota worth retrying after a back-off.
 */
export function grpcStatusOf(kind: ApiErrorKind): grpc.status {
  switch (kind) {
    case 'invalid_request':
    case 'unprocessable':
    case 'payload_too_large':
    case 'unsupported_media_type':
      return grpc.status.INVALID_ARGUMENT;
    case 'unauthenticated':
      return grpc.status.UNAUTHENTICATED;
    case 'forbidden':
      return grpc.status.PERMISSION_DENIED;
    case 'not_found':
      return grpc.status.NOT_FOUND;
    case 'conflict':
    case 'precondition_failed':
    case 'payment_required':
      return grpc.status.FAILED_PRECONDITION;
    case 'unavailable':
      return grpc.status.UNAVAILABLE;
  }
}

/** REST reports JSON paths in camelCase; gRPC callers know the .proto's snake_case names. */
export function toProtoFieldPath(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Bounds on what a status carries. Details are built from the caller's input in places, and
 * they travel in trailers (`grpc-message`, `grpc-status-details-bin`), which a client refuses past
 * its header-list limit (8 to 16 kB): the caller would see a transport error instead of the status.
 */
const MAX_DETAIL_LENGTH = 1000;
const MAX_VIOLATIONS = 20;
const MAX_VIOLATION_PART_LENGTH = 200;

function describe(detail: string, violations: readonly FieldViolation[]): string {
  if (violations.length === 0) return echoed(detail, MAX_DETAIL_LENGTH);
  const listed = violations
    .map((violation) => `${violation.field}: ${violation.message}`)
    .join('; ');
  return echoed(`${detail} (${listed})`, MAX_DETAIL_LENGTH);
}

/**
 * The status for an error thrown while serving a call. Only `ApiError`s are described to the
 * caller, and an unavailable database or Kafka, which is UNAVAILABLE with when to retry
 * (`retry-after` metadata and google.rpc.RetryInfo); anything else is an internal fault whose
 * text could leak internals, so it becomes a bare INTERNAL (the gateway logs the original).
 */
export function toGrpcFailure(thrown: unknown): GrpcFailure {
  const metadata = new grpc.Metadata();
  const error = thrown instanceof ApiError ? thrown : unavailableApiError(thrown);
  if (error === undefined) {
    return { code: grpc.status.INTERNAL, details: 'Internal error.', metadata };
  }
  const code = grpcStatusOf(error.kind);
  const retryDelaySeconds =
    code === grpc.status.UNAVAILABLE ? UNAVAILABLE_RETRY_AFTER_S : undefined;
  if (retryDelaySeconds !== undefined) metadata.set(RETRY_AFTER_KEY, String(retryDelaySeconds));
  const violations = error.violations.slice(0, MAX_VIOLATIONS).map((violation) => ({
    field: echoed(toProtoFieldPath(violation.field), MAX_VIOLATION_PART_LENGTH),
    message: echoed(violation.message, MAX_VIOLATION_PART_LENGTH),
  }));
  const details = describe(error.detail, violations);
  metadata.set(
    STATUS_DETAILS_KEY,
    encodeRpcStatus({
      code,
      message: details,
      reason: error.code.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase(),
      domain: ERROR_DOMAIN,
      violations,
      ...(retryDelaySeconds === undefined ? {} : { retryDelaySeconds }),
    }),
  );
  return { code, details, metadata };
}
