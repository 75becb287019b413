import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const contactEventTypes = [
  'messaging.ContactUpserted.v1',
  'messaging.ContactDeleted.v1',
  'messaging.ContactRequestRejected.v1',
] as const;

export type ContactEventType = (typeof contactEventTypes)[number];

/** The facts of one contact, as stored in its stream `contact-<tenantId>-<contactId>`. */
export type ContactEvent = WireEventOf<ContactEventType>;

export const isContactEventType = eventTypeGuard(contactEventTypes);

/** One stream per tenant and CRM id: the Kafka key, so one contact's facts stay in order. */
export function contactStreamId(tenantId: string, contactId: string): string {
  return `contact-${tenantId}-${contactId}`;
}

export const CONTACT_STREAM_TYPE = 'contact';
