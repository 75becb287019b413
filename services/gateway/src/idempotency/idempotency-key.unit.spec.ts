import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { checkIdempotencyKey, IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency-key.js';

describe('checkIdempotencyKey', () => {
  it('accepts 1 to 255 visible ASCII characters', () => {
    for (const key of ['a', '~!order-42', 'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH)]) {
      expect(checkIdempotencyKey(key, 'Idempotency-Key')).toBe(key);
    }
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['300 characters', 'k'.repeat(300)],
    ['a space', 'order 42'],
    ['non-ASCII', 'ключ'],
    ['a control character', 'order\u000042'],
    ['not a string', ['a', 'b']],
  ])('refuses %s, naming where the key came from', (_case, key) => {
    let thrown: unknown;
    try {
      checkIdempotencyKey(key, 'idempotency_key');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({
      kind: 'invalid_request',
      violations: [
        { field: 'idempotency_key', message: 'must be 1 to 255 visible ASCII characters' },
      ],
    });
  });
});
