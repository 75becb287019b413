import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../idempotency/idempotency-key.js';

/**
 * What a context declares of the REST API: its paths (in the order the document lists them) and
 * the response schemas they name. The request schemas come from `http/request-schemas.ts`, which
 * validation uses too.
 */
export interface OpenApiOperations {
  paths: Record<string, object>;
  schemas: Record<string, object>;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object) => ({ 'application/json': { schema } });
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
export const nullable = (type: string, extra: object = {}) => ({
  type: [type, 'null'],
  ...extra,
});

export const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a POST safe to retry: the same key and body within 24 h returns the first answer; ' +
    'the same key with another body is refused with 422. A key is scoped to the tenant (or ' +
    'the admin token) and the route template (e.g. POST /v1/messages): the same key on ' +
    'another route, or of another tenant, is another request. A gRPC method shares the scope ' +
    'of the REST route it mirrors.',
  schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH },
};

export const commonErrors = {
  '400': problem('The request is malformed or a field is invalid (see `errors`)'),
  '401': problem('Missing or invalid credentials'),
  '413': problem('The request body is too large'),
  '415': problem(
    'The body is not application/json in UTF-8 (charset=utf-8 or none), or has a Content-Encoding other than identity',
  ),
  '422': problem('The request is well-formed but cannot be applied'),
};
