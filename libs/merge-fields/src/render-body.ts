import type { ContactFields, CustomFieldValue } from './merge-context.js';
import type { MergeFieldRenderer, RenderResult } from './merge-field-renderer.js';

/** A contact's custom field as contacts store it: a calendar date or an instant is `{ date }`. */
export type StoredFieldValue = string | number | boolean | { date: string };

/** A contact as contacts store it (the contact record of the contracts; phone and names). */
export interface StoredContact {
  phone: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  companyName?: string | null;
  customFields: Readonly<Record<string, StoredFieldValue>>;
}

/** A custom field as merge fields take it: a calendar date stays a date, an instant a Date. */
export function mergeValueOf(value: StoredFieldValue): CustomFieldValue {
  if (typeof value !== 'object') return value;
  return /^\d{4}-\d{2}-\d{2}$/u.test(value.date) ? value.date : new Date(value.date);
}

/** A stored contact as merge fields see it (`contact.*`). */
export function mergeFieldsOf(contact: StoredContact): ContactFields {
  return {
    firstName: contact.firstName ?? null,
    lastName: contact.lastName ?? null,
    email: contact.email ?? null,
    phone: contact.phone,
    companyName: contact.companyName ?? null,
    customFields: Object.fromEntries(
      Object.entries(contact.customFields).map(([key, value]) => [key, mergeValueOf(value)]),
    ),
  };
}

/** What one send's text is rendered against. */
export interface BodyContext {
  /** The contact the send names; null for a bare phone number (then only `contact.phone`). */
  contact: StoredContact | null;
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
 * The text a rendered send carries, the one function the gateway (single sends, previews) and
 * messaging (bulk sends, at release) both render with: the body as Liquid against the contact,
 * the tenant's custom values and the business. Without a contact, the contact has only the
 * number as its phone.
 */
export function renderBody(
  renderer: MergeFieldRenderer,
  body: string,
  context: BodyContext,
): RenderResult {
  const contact: ContactFields | null = context.contact
    ? mergeFieldsOf(context.contact)
    : context.phone !== undefined
      ? { phone: context.phone }
      : null;
  return renderer.render(body, {
    contact,
    customValues: context.customValues ?? {},
    business: { name: context.businessName },
    timeZone: context.timeZone,
    now: context.now,
  });
}
