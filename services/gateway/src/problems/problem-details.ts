import { HttpException } from '@nestjs/common';
import { dependencyUnavailable } from '@textplane/service-runtime';
import { ApiError, type ApiErrorKind, type FieldViolation } from './api-error.js';

/** RFC 9457 problem details, as every REST error is answered. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: readonly FieldViolation[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Seconds a client is asked to wait (Retry-After, gRPC retry-after) before retrying while the
 * database or Kafka is unavailable: a restart takes a few, and the work is safe to retry.
 */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * The API's error for a failure caused by an unavailable database or Kafka (restarting,
 * unreachable, a connection killed): 503 / UNAVAILABLE, so clients and the carrier retry, instead
 * of an internal error. Undefined for any other failure.
 */
export function unavailableApiError(error: unknown): ApiError | undefined {
  const unavailable = dependencyUnavailable(error);
  if (unavailable === undefined) return undefined;
  const what = unavailable.dependency === 'kafka' ? 'its event log' : 'its database';
  return new ApiError(
    'unavailable',
    'service_unavailable',
    `The service cannot reach ${what} right now. Retry in ${UNAVAILABLE_RETRY_AFTER_S} seconds; a retry with the same Idempotency-Key is safe.`,
  );
}

/** The headers a problem is sent with: its media type, and Retry-After on a 503. */
export function problemHeaders(problem: ProblemDetails): Record<string, string> {
  return {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    ...(problem.status === 503 ? { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_S) } : {}),
  };
}
const TYPE_BASE = 'https://docs.textplane.dev/problems/';

const STATUS: Record<ApiErrorKind, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  payment_required: 402,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Fastify's own request errors (raised before a controller runs: by its router, through the
 * `frameworkErrors` option, or by its body parsing), by their codes.
 */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'malformed_url',
    detail: 'The path has a malformed percent-encoding (such as %ff)',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri_too_long',
    detail: 'A path parameter is longer than any this API accepts',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    detail: 'The body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    detail: 'The body is empty but Content-Type says JSON',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    detail: 'The request body is larger than this API accepts',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json (UTF-8)',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    detail: 'Content-Length does not match the body',
  },
};

/**
 * What Node's HTTP parser refuses before Fastify has a request (Fastify's `clientErrorHandler`),
 * by Node's error code; anything else it refuses is a plain 400.
 */
const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    detail: 'The request line and headers together are larger than this API accepts',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    detail: 'The request was not received in time',
  },
};

/** The problem for a request Node's HTTP parser refused (no route, no URL to name). */
export function clientErrorProblem(nodeErrorCode: string | undefined): ProblemDetails {
  const known = nodeErrorCode === undefined ? undefined : CLIENT_ERRORS[nodeErrorCode];
  return problem(
    known ?? {
      status: 400,
      code: 'malformed_request',
      detail: 'The request is not valid HTTP/1.1',
    },
  );
}

export function problemOf(error: unknown, instance?: string): ProblemDetails {
  // Nest re-throws Fastify's own 4xx errors (body parsing) as HttpExceptions; their code says more.
  if (error instanceof HttpException && isFrameworkError(error.cause)) {
    return problemOf(error.cause, instance);
  }
  if (error instanceof ApiError) return fromApiError(error, instance);
  if (error instanceof SyntaxError) {
    return fromApiError(
      new ApiError('invalid_request', 'malformed_json', 'The body is not valid JSON'),
      instance,
    );
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_ERRORS) {
    const known = FASTIFY_ERRORS[fastifyCode];
    if (known) return problem(known, instance);
  }
  const frameworkStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  if (
    typeof fastifyCode === 'string' &&
    fastifyCode.startsWith('FST_ERR_') &&
    typeof frameworkStatus === 'number' &&
    frameworkStatus >= 400 &&
    frameworkStatus < 500
  ) {
    // A request error of Fastify's not listed above: its status, with our wording.
    return problem(
      {
        status: frameworkStatus,
        code: slug(frameworkStatus),
        detail: `The request was refused (${TITLES[frameworkStatus] ?? `HTTP ${frameworkStatus}`})`,
      },
      instance,
    );
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      type: `${TYPE_BASE}${slug(status)}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: status === 404 ? 'No such resource or route' : error.message,
      code: slug(status),
      ...(instance ? { instance } : {}),
    };
  }
  const unavailable = unavailableApiError(error);
  if (unavailable) return fromApiError(unavailable, instance);
  return {
    type: `${TYPE_BASE}internal_error`,
    title: TITLES[500] ?? 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side; the request may be retried',
    code: 'internal_error',
    ...(instance ? { instance } : {}),
  };
}

function isFrameworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('FST_ERR_');
}

function problem(
  known: { status: number; code: string; detail: string },
  instance?: string,
): ProblemDetails {
  return {
    type: `${TYPE_BASE}${known.code}`,
    title: TITLES[known.status] ?? 'Error',
    status: known.status,
    detail: known.detail,
    code: known.code,
    ...(instance ? { instance } : {}),
  };
}

function fromApiError(error: ApiError, instance?: string): ProblemDetails {
  const status = STATUS[error.kind];
  return {
    type: `${TYPE_BASE}${error.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.detail,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.violations.length > 0 ? { errors: error.violations } : {}),
  };
}

function slug(status: number): string {
  return (TITLES[status] ?? `http_${status}`).toLowerCase().replaceAll(' ', '_');
}
