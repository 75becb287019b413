import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const campaignEventTypes = [
  'registration.CampaignSubmissionStarted.v1',
  'registration.CampaignSubmitted.v1',
  'registration.CampaignStatusChanged.v1',
  'registration.CampaignNumberProvisioned.v1',
  'registration.CampaignApproved.v1',
  'registration.RegistrationRequestRejected.v1',
] as const;

export type CampaignEventType = (typeof campaignEventTypes)[number];

/** The facts of one campaign, in its stream `campaign-<campaignId>`, published as they are. */
export type CampaignEvent = WireEventOf<CampaignEventType>;

export const isCampaignEventType = eventTypeGuard(campaignEventTypes);

export function campaignStreamId(campaignId: string): string {
  return `campaign-${campaignId}`;
}

export const CAMPAIGN_STREAM_TYPE = 'campaign';
