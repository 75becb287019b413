/**
 * A Telnyx 10DLC status webhook (`data.event_type`, `data.payload`, as the gateway verified and
 * recorded it) read into the registration resource it is about. Telnyx's payloads are thin
 * (`{brandId, campaignId, type, status: ACCEPTED | REJECTED | success | failed, description}`):
 * a webhook is taken as the signal to read the resource's status again (the same path as the
 * polling fallback), so the raw status recorded is always the carrier's full one. Unknown or
 * malformed events are ignored with the reason, never thrown, so they never block a partition.
 */
export type RegistrationWebhook =
  | { kind: 'brand'; carrierBrandId: string; description: string | null }
  | { kind: 'campaign'; carrierCampaignId: string; description: string | null }
  | {
      kind: 'phone_number';
      phoneNumber: string;
      carrierCampaignId: string | null;
      description: string | null;
    }
  | { kind: 'toll_free_verification'; carrierVerificationId: string; status: string | null }
  | { kind: 'ignored'; reason: string };

/**
 * Toll-free verification updates: Telnyx posts them to the request's `webhookUrl` with the
 * request's `id` and its `verificationStatus` (the gateway keys them by `payload.id`).
 */
export const TOLL_FREE_VERIFICATION_WEBHOOK_TYPE = 'messaging_tollfree.verification.update';

export const REGISTRATION_WEBHOOK_TYPES = [
  '10dlc.brand.update',
  '10dlc.campaign.update',
  '10dlc.phone_number.update',
  TOLL_FREE_VERIFICATION_WEBHOOK_TYPE,
] as const;

const E164 = /^\+[1-9]\d{1,14}$/u;

export function parseTelnyxRegistrationWebhook(
  eventType: string,
  payload: Record<string, unknown>,
): RegistrationWebhook {
  const description = str(payload['description']);
  switch (eventType) {
    case '10dlc.brand.update': {
      const carrierBrandId = str(payload['brandId']);
      return carrierBrandId
        ? { kind: 'brand', carrierBrandId, description }
        : { kind: 'ignored', reason: '10dlc.brand.update without payload.brandId' };
    }
    case '10dlc.campaign.update': {
      const carrierCampaignId = str(payload['campaignId']);
      return carrierCampaignId
        ? { kind: 'campaign', carrierCampaignId, description }
        : { kind: 'ignored', reason: '10dlc.campaign.update without payload.campaignId' };
    }
    case '10dlc.phone_number.update': {
      const phoneNumber = str(payload['phoneNumber']) ?? str(payload['phone_number']);
      if (!phoneNumber || !E164.test(phoneNumber)) {
        return {
          kind: 'ignored',
          reason: '10dlc.phone_number.update without an E.164 payload.phoneNumber',
        };
      }
      return {
        kind: 'phone_number',
        phoneNumber,
        carrierCampaignId: str(payload['campaignId']),
        description,
      };
    }
    case TOLL_FREE_VERIFICATION_WEBHOOK_TYPE: {
      const carrierVerificationId = str(payload['id']) ?? str(payload['verificationRequestId']);
      return carrierVerificationId
        ? {
            kind: 'toll_free_verification',
            carrierVerificationId,
            status: str(payload['verificationStatus']),
          }
        : { kind: 'ignored', reason: `${eventType} without payload.id` };
    }
    default:
      return {
        kind: 'ignored',
        reason: `event type ${eventType} is not a 10DLC or toll-free status update`,
      };
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
