import type {
  AutoReplyRequested,
  ConsentGranted,
  ConsentRestored,
  ConsentRevoked,
  DndCleared,
  DndSet,
  HelpRequested,
  RevocationReviewOpened,
  RevocationReviewResolved,
} from '@textplane/contracts';

/**
 * The facts of one consent ledger, stored in its stream `consent-<tenantId>-<phone>` and
 * published as they are on `consent.consents.events.v1`.
 */
export type ConsentEvent =
  | { type: 'consent.ConsentGranted.v1'; data: ConsentGranted }
  | { type: 'consent.ConsentRevoked.v1'; data: ConsentRevoked }
  | { type: 'consent.ConsentRestored.v1'; data: ConsentRestored }
  | { type: 'consent.DndSet.v1'; data: DndSet }
  | { type: 'consent.DndCleared.v1'; data: DndCleared }
  | { type: 'consent.HelpRequested.v1'; data: HelpRequested }
  | { type: 'consent.RevocationReviewOpened.v1'; data: RevocationReviewOpened }
  | { type: 'consent.RevocationReviewResolved.v1'; data: RevocationReviewResolved }
  | { type: 'consent.AutoReplyRequested.v1'; data: AutoReplyRequested };

export type ConsentEventType = ConsentEvent['type'];

const consentEventTypes: ReadonlySet<string> = new Set<ConsentEventType>([
  'consent.ConsentGranted.v1',
  'consent.ConsentRevoked.v1',
  'consent.ConsentRestored.v1',
  'consent.DndSet.v1',
  'consent.DndCleared.v1',
  'consent.HelpRequested.v1',
  'consent.RevocationReviewOpened.v1',
  'consent.RevocationReviewResolved.v1',
  'consent.AutoReplyRequested.v1',
]);

export function isConsentEventType(type: string): type is ConsentEventType {
  return consentEventTypes.has(type);
}

/** One ledger per tenant and phone number: a person's consent to one business. */
export function consentStreamId(tenantId: string, phone: string): string {
  return `consent-${tenantId}-${phone}`;
}

export const CONSENT_STREAM_TYPE = 'consent';
