import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const brandEventTypes = [
  'registration.BrandRegistrationStarted.v1',
  'registration.BrandRegistered.v1',
  'registration.BrandVetted.v1',
  'registration.BrandStatusChanged.v1',
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
