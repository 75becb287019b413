import { ApiError } from '../problems/api-error.js';

/** Page size follows AIP-158: 0 means the default, too large is capped, negative is refused. */
export function pageSizeOf(requested: number, bounds: { default: number; max: number }): number {
  if (requested < 0) {
    throw ApiError.invalid('The page size must not be negative.', [
      { field: 'page_size', message: 'must not be negative' },
    ]);
  }
  return requested === 0 ? bounds.default : Math.min(requested, bounds.max);
}

/** A string field the call cannot do without; proto3 cannot mark it required. */
export function requireField(value: string, field: string, detail: string): string {
  if (value.trim() === '') throw ApiError.invalid(detail, [{ field, message: 'is required' }]);
  return value;
}
