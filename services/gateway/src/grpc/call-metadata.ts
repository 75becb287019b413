import type * as grpc from '@grpc/grpc-js';
import { checkIdempotencyKey } from '../idempotency/idempotency-key.js';
import { ApiError } from '../problems/api-error.js';

function firstText(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The API key from `authorization: Bearer <key>`, else from `x-api-key`; null when neither. */
export function readApiKey(metadata: grpc.Metadata): string | null {
  const authorization = firstText(metadata, 'authorization');
  if (authorization !== undefined) {
    return BEARER.exec(authorization)?.[1] ?? null;
  }
  const apiKey = firstText(metadata, 'x-api-key')?.trim();
  return apiKey === undefined || apiKey === '' ? null : apiKey;
}

export const IDEMPOTENCY_KEY_METADATA = 'idempotency-key';

/**
 * The idempotency key from the request field or the `idempotency-key` metadata (the REST header's
 * twin). Both may be given only when equal: silently picking one could replay the wrong request.
 * The key follows the REST header's rule (`checkIdempotencyKey`), so a key valid on one transport
 * is valid on the other.
 */
export function resolveIdempotencyKey(
  metadata: grpc.Metadata,
  fromRequest: string | undefined,
): string | undefined {
  const fromMetadata = firstText(metadata, IDEMPOTENCY_KEY_METADATA);
  if (fromRequest !== undefined && fromMetadata !== undefined && fromRequest !== fromMetadata) {
    throw ApiError.invalid('The idempotency key in the request and in the metadata differ.', [
      {
        field: 'idempotency_key',
        message: `differs from the ${IDEMPOTENCY_KEY_METADATA} metadata`,
      },
    ]);
  }
  if (fromRequest !== undefined) return checkIdempotencyKey(fromRequest, 'idempotency_key');
  if (fromMetadata !== undefined)
    return checkIdempotencyKey(fromMetadata, IDEMPOTENCY_KEY_METADATA);
  return undefined;
}
