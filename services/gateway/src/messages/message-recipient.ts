import {
  type ContactFields,
  type MergeFieldError,
  type MergeFieldRenderer,
  mergeFieldsOf as storedMergeFieldsOf,
  renderBody,
} from '@textplane/merge-fields';
import type { ContactResource } from '../contacts/contact.resource.js';
import { ApiError, echoed } from '../problems/api-error.js';

/** The contacts a send may name, as the gateway's contacts read model knows them. */
export interface ContactLookup {
  contact(tenantId: string, contactId: string): Promise<ContactResource | null>;
}

/** A lookup that knows no contact (a messages application built without the contacts context). */
export const NO_CONTACTS: ContactLookup = { contact: () => Promise.resolve(null) };

/** Who a send goes to: a bare phone number, or a contact and its phone. */
export type Recipient = { to: string; contact: null } | { to: string; contact: ContactResource };

/**
 * The recipient of a send or preview: `to`, or the contact `contactId` names (its phone), never
 * both. Neither is left to the caller (a send needs one, a preview may go without).
 */
export async function recipientOf(
  contacts: ContactLookup,
  tenantId: string,
  input: { to?: string; contactId?: string },
): Promise<Recipient | null> {
  if (input.to !== undefined && input.contactId !== undefined) {
    throw ApiError.invalid('Give either to or contactId, not both', [
      { field: 'to', message: 'must not be given with contactId' },
      { field: 'contactId', message: 'must not be given with to' },
    ]);
  }
  if (input.contactId === undefined) {
    return input.to === undefined ? null : { to: input.to, contact: null };
  }
  const contact = await contacts.contact(tenantId, input.contactId);
  if (contact === null) {
    // 422, not 404: the route exists; the body names something this tenant does not have (as
    // sender_not_owned does for `from`).
    throw new ApiError(
      'unprocessable',
      'contact_not_found',
      `Contact ${echoed(input.contactId)} not found`,
      [{ field: 'contactId', message: 'is not a contact of this tenant' }],
    );
  }
  return { to: contact.phone, contact };
}

/** A contact as merge fields see it (`contact.*`): the one mapping of @textplane/merge-fields. */
export function mergeFieldsOf(contact: ContactResource): ContactFields {
  return storedMergeFieldsOf(contact);
}

/** A merge-field failure as the API reports it: 400 for the body itself, 422 for this recipient. */
export function mergeFieldProblem(error: MergeFieldError): ApiError {
  const where = `line ${error.line}, column ${error.column}`;
  if (error.code === 'invalid_template') {
    return new ApiError(
      'invalid_request',
      'invalid_template',
      `The body is not a valid template at ${where}: ${error.message}`,
      [{ field: 'body', message: `${where}: ${error.reason}: ${error.message}` }],
    );
  }
  return new ApiError(
    'unprocessable',
    'missing_merge_value',
    `${error.variable} has no value and no default (${where})`,
    [{ field: error.variable, message: 'has no value for this recipient and no default' }],
  );
}

export interface ContentContext {
  renderer: MergeFieldRenderer;
  /** The contact the send names; null for a bare phone number (then only `contact.phone`). */
  contact: ContactResource | null;
  /** The bare number a send without a contact goes to (`contact.phone`). */
  phone?: string;
  /** The tenant's custom values (`custom_values.<key>`). */
  customValues?: Readonly<Record<string, string>>;
  businessName: string;
  /** The recipient's zone, for the `date` filter. */
  timeZone: string;
  now: Date;
}

/**
 * The text a rendered send carries: its body (or template) rendered as Liquid against the
 * contact, the tenant's custom values and the business. Without a contact (a template sent to a
 * bare number, or previewed without a recipient) the contact has only the number as its phone.
 */
export function renderedBody(body: string, context: ContentContext): string {
  // The one rendering messaging's bulk releases use too (renderBody of @textplane/merge-fields).
  const result = renderBody(context.renderer, body, context);
  if (!result.ok) throw mergeFieldProblem(result.error);
  return result.text;
}
