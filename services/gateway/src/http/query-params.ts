import { ApiError } from '../problems/api-error.js';

/** A query parameter given at most once (Fastify makes a repeated one an array): 400 otherwise. */
export function single(value: string | string[] | undefined, name: string): string | undefined {
  if (Array.isArray(value)) {
    throw ApiError.invalid(`${name} was given more than once`, [
      { field: name, message: 'must be given at most once' },
    ]);
  }
  return value;
}
