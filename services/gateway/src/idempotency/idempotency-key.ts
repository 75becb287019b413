import { ApiError } from '../problems/api-error.js';

/** The longest idempotency key accepted, on REST and gRPC alike (the OpenAPI `maxLength`). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/**
 * The one rule for an idempotency key, whether it comes as the REST `Idempotency-Key` header or
 * as gRPC's `idempotency_key` field or metadata: 1 to 255 visible ASCII characters. `field`
 * names where the caller put it.
 */
export function checkIdempotencyKey(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw ApiError.invalid(`The idempotency key (${field}) is not valid`, [
      {
        field,
        message: `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters`,
      },
    ]);
  }
  return value;
}
