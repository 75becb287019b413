import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const tollFreeVerificationEventTypes = [
  'registration.TollFreeVerificationStarted.v1',
  'registration.TollFreeVerificationSubmitted.v1',
  'registration.TollFreeVerificationStatusChanged.v1',
  'registration.TollFreeNumberVerified.v1',
  'registration.RegistrationRequestRejected.v1',
] as const;

export type TollFreeVerificationEventType = (typeof tollFreeVerificationEventTypes)[number];

/** The facts of one toll-free verification request, in its stream `toll-free-verification-<id>`. */
export type TollFreeVerificationEvent = WireEventOf<TollFreeVerificationEventType>;

export const isTollFreeVerificationEventType = eventTypeGuard(tollFreeVerificationEventTypes);

export function tollFreeVerificationStreamId(verificationId: string): string {
  return `toll-free-verification-${verificationId}`;
}

export const TOLL_FREE_VERIFICATION_STREAM_TYPE = 'toll-free-verification';
