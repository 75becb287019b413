import { textProblem } from '@textplane/contacts';
import { ApiError } from '../problems/api-error.js';

/**
 * A free-text list filter (`q`, `tag`), trimmed: held to the rule for stored text, so no control
 * character (a NUL, which Postgres cannot compare against text, would be an internal error), no
 * unpaired surrogate, not blank, at most `max` characters. Refused with the field named.
 */
export function requireFilterText(
  value: string | undefined,
  field: string,
  max: number,
): string | undefined {
  if (value === undefined) return undefined;
  const problem = textProblem(value, max, 'single-line');
  if (problem !== undefined) {
    throw ApiError.invalid(`The ${field} filter is not valid`, [{ field, message: problem }]);
  }
  return value.trim();
}
