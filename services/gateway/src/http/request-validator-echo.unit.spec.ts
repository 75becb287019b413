import { describe, expect, it } from 'vitest';
import { ApiError, ECHO_LIMIT } from '../problems/api-error.js';
import { validateRequest } from './request-validator.js';

describe('validateRequest quoting the caller', () => {
  it('names an unknown field of any length by its first characters only', () => {
    const key = 'k'.repeat(100_000);
    let thrown: unknown;
    try {
      validateRequest('SendMessageRequest', { to: '+15555550123', body: 'hi', [key]: 1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const violations = thrown instanceof ApiError ? thrown.violations : [];
    expect(violations).toEqual([
      { field: `${'k'.repeat(ECHO_LIMIT)}…`, message: 'is not a known field' },
    ]);
  });
});
