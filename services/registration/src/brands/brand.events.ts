import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const brandEventTypes = [
  'registration.BrandRegistrationStarted.v1',
  'registration.BrandRegistered.v1',
  'registration.BrandVetted.v1',
  'registration.BrandStatusChanged.v1',
  'registration.BrandOtpSendStarted.v1',
  'registration.BrandOtpSent.v1',
  'registration.BrandOtpVerificationStarted.v1',
  'registration.BrandOtpVerified.v1',
  'registration.BrandOtpFailed.v1',
  'registration.BrandVettingStarted.v1',
  'registration.BrandVettingOrdered.v1',
  'registration.BrandVettingFailed.v1',
  'registration.RegistrationRequestRejected.v1',
] as const;

export type BrandEventType = (typeof brandEventTypes)[number];

/** The facts of one brand, in its stream `brand-<brandId>`, published as they are. */
export type BrandEvent = WireEventOf<BrandEventType>;

export const isBrandEventType = eventTypeGuard(brandEventTypes);

export function brandStreamId(brandId: string): string {
  return `brand-${brandId}`;
}

export const BRAND_STREAM_TYPE = 'brand';
