import { parseContact, type Contact, type ContactFieldError } from '../contact.js';
import type { ContactRowRejection } from './contact-import-errors.js';

export type ContactRowOutcome = { contact: Contact } | { error: ContactRowRejection };

/**
 * One imported record through the contact's rules. `earlier` holds the problems the format found
 * first (a CSV cell that is not the column's type); they are reported with the rest.
 */
export function contactRowOf(
  id: unknown,
  input: Record<string, unknown>,
  earlier: readonly ContactFieldError[] = [],
): ContactRowOutcome {
  const idProblem: ContactFieldError | undefined =
    id === undefined || id === null || id === ''
      ? { field: 'id', message: 'is required' }
      : typeof id !== 'string'
        ? { field: 'id', message: 'must be a string' }
        : undefined;
  const parsed = parseContact(idProblem ? '' : (id as string), input);
  const errors = [
    ...earlier,
    ...(idProblem ? [idProblem] : []),
    ...(parsed.ok ? [] : parsed.errors.filter((error) => !(idProblem && error.field === 'id'))),
  ];
  if (parsed.ok && errors.length === 0) return { contact: parsed.contact };
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    error: {
      reason: 'invalid_contact',
      message: first ? `${first.field} ${first.message}${more}` : 'is not a valid contact',
      ...(first ? { field: first.field } : {}),
      errors,
    },
  };
}
