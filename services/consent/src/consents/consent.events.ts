import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const consentEventTypes = [
  'consent.ConsentGranted.v1',
  'consent.ConsentRevoked.v1',
  'consent.ConsentRestored.v1',
  'consent.DndSet.v1',
  'consent.DndCleared.v1',
  'consent.HelpRequested.v1',
  'consent.RevocationReviewOpened.v1',
  'consent.RevocationReviewResolved.v1',
  'consent.AutoReplyRequested.v1',
] as const;

export type ConsentEventType = (typeof consentEventTypes)[number];

/**
 * The facts of one consent ledger, stored in its stream `consent-<tenantId>-<phone>` and
 * published as they are on `consent.consents.events.v1`.
 */
export type ConsentEvent = WireEventOf<ConsentEventType>;

export const isConsentEventType = eventTypeGuard(consentEventTypes);

/** One ledger per tenant and phone number: a person's consent to one business. */
export function consentStreamId(tenantId: string, phone: string): string {
  return `consent-${tenantId}-${phone}`;
}

export const CONSENT_STREAM_TYPE = 'consent';
