import { ApiError } from '../problems/api-error.js';

/** A query parameter given at most once. */
export function singleQuery(
  value: string | string[] | undefined,
  name: string,
): string | undefined {
  if (Array.isArray(value)) {
    throw ApiError.invalid(`${name} was given more than once`, [
      { field: name, message: 'must be given at most once' },
    ]);
  }
  return value;
}

/** `limit`: digits only, else a 400 naming it; absent means the default. */
export function pageSizeQuery(value: string | string[] | undefined, fallback: number): number {
  const size = singleQuery(value, 'limit');
  if (size === undefined) return fallback;
  if (!/^\d+$/.test(size)) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: 'must be an integer' },
    ]);
  }
  return Number(size);
}
