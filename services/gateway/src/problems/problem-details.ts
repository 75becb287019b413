import { HttpException } from '@nestjs/common';
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
const TYPE_BASE = 'https://docs.textplane.dev/problems/';

const STATUS: Record<ApiErrorKind, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Fastify's own request errors (raised before a controller runs), by their codes. */
const FASTIFY_ERRORS: Record<string, { kind: ApiErrorKind; code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    kind: 'invalid_request',
    code: 'malformed_json',
    detail: 'The body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    kind: 'invalid_request',
    code: 'malformed_json',
    detail: 'The body is empty but Content-Type says JSON',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    kind: 'payload_too_large',
    code: 'payload_too_large',
    detail: 'The request body is larger than this API accepts',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    kind: 'unsupported_media_type',
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    kind: 'invalid_request',
    code: 'invalid_content_length',
    detail: 'Content-Length does not match the body',
  },
};

export function problemOf(error: unknown, instance?: string): ProblemDetails {
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
    if (known) return fromApiError(new ApiError(known.kind, known.code, known.detail), instance);
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
  return {
    type: `${TYPE_BASE}internal_error`,
    title: TITLES[500] ?? 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side; the request may be retried',
    code: 'internal_error',
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
