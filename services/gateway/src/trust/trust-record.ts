import type {
  BrandDetails,
  BrandOtpFailed,
  BrandOtpRequested,
  BrandOtpSendStarted,
  BrandOtpSent,
  BrandOtpVerificationRequested,
  BrandOtpVerificationStarted,
  BrandOtpVerified,
  BrandVettingFailed,
  BrandVettingOrdered,
  BrandVettingRequested,
  BrandVettingStarted,
  BrandRegistered,
  BrandRegistrationRequested,
  BrandRegistrationStarted,
  BrandStatusChanged,
  BrandVetted,
  CampaignApproved,
  CampaignDetails,
  CampaignNumberProvisioned,
  CampaignStatusChanged,
  CampaignSubmissionRequested,
  CampaignSubmissionStarted,
  CampaignSubmitted,
  NumberAssigned,
  NumberAssignmentFailed,
  NumberAssignmentRequested,
  NumberAssignmentStarted,
  NumberAssignmentSubmitted,
  NumberUnassigned,
  NumberUnassignmentFailed,
  NumberUnassignmentRequested,
  NumberUnassignmentStarted,
  NumberUnassignmentSubmitted,
  RegistrationFieldError,
  RegistrationReason,
  RegistrationRequestRejected,
  RegistrationStatus,
} from '@textplane/contracts';

/**
 * The Trust Center on the gateway's side (issue 12 §1): the requests it records, and the one
 * writer of each read model (`trust_brands`, `trust_campaigns`, `trust_campaign_numbers`): the
 * gateway's own requests inline, registration's facts from `registration.registrations`.
 * Everything here is pure: the application and the projection do the reading and writing.
 */

export const TRUST_BRAND_STREAM_TYPE = 'trust-brand';
export const TRUST_CAMPAIGN_STREAM_TYPE = 'trust-campaign';

export function trustBrandStreamId(brandId: string): string {
  return `trust-brand-${brandId}`;
}

/** A campaign's request and the requests to assign numbers to it, in order on one stream. */
export function trustCampaignStreamId(campaignId: string): string {
  return `trust-campaign-${campaignId}`;
}

/** The gateway's own events (gateway.registration-requests). */
export type GatewayTrustEvent =
  | { type: 'gateway.BrandRegistrationRequested.v1'; data: BrandRegistrationRequested }
  | { type: 'gateway.CampaignSubmissionRequested.v1'; data: CampaignSubmissionRequested }
  | { type: 'gateway.NumberAssignmentRequested.v1'; data: NumberAssignmentRequested }
  | { type: 'gateway.NumberUnassignmentRequested.v1'; data: NumberUnassignmentRequested }
  | { type: 'gateway.BrandOtpRequested.v1'; data: BrandOtpRequested }
  | { type: 'gateway.BrandOtpVerificationRequested.v1'; data: BrandOtpVerificationRequested }
  | { type: 'gateway.BrandVettingRequested.v1'; data: BrandVettingRequested };

/** Registration's facts (registration.registrations). */
export type RegistrationFact =
  | { type: 'registration.BrandRegistrationStarted.v1'; data: BrandRegistrationStarted }
  | { type: 'registration.BrandRegistered.v1'; data: BrandRegistered }
  | { type: 'registration.BrandVetted.v1'; data: BrandVetted }
  | { type: 'registration.BrandStatusChanged.v1'; data: BrandStatusChanged }
  | { type: 'registration.CampaignSubmissionStarted.v1'; data: CampaignSubmissionStarted }
  | { type: 'registration.CampaignSubmitted.v1'; data: CampaignSubmitted }
  | { type: 'registration.CampaignStatusChanged.v1'; data: CampaignStatusChanged }
  | { type: 'registration.CampaignNumberProvisioned.v1'; data: CampaignNumberProvisioned }
  | { type: 'registration.CampaignApproved.v1'; data: CampaignApproved }
  | { type: 'registration.NumberAssignmentStarted.v1'; data: NumberAssignmentStarted }
  | { type: 'registration.NumberAssignmentSubmitted.v1'; data: NumberAssignmentSubmitted }
  | { type: 'registration.NumberAssigned.v1'; data: NumberAssigned }
  | { type: 'registration.NumberAssignmentFailed.v1'; data: NumberAssignmentFailed }
  | { type: 'registration.NumberUnassignmentStarted.v1'; data: NumberUnassignmentStarted }
  | { type: 'registration.NumberUnassignmentSubmitted.v1'; data: NumberUnassignmentSubmitted }
  | { type: 'registration.NumberUnassigned.v1'; data: NumberUnassigned }
  | { type: 'registration.NumberUnassignmentFailed.v1'; data: NumberUnassignmentFailed }
  | { type: 'registration.RegistrationRequestRejected.v1'; data: RegistrationRequestRejected }
  | { type: 'registration.BrandOtpSendStarted.v1'; data: BrandOtpSendStarted }
  | { type: 'registration.BrandOtpSent.v1'; data: BrandOtpSent }
  | { type: 'registration.BrandOtpVerificationStarted.v1'; data: BrandOtpVerificationStarted }
  | { type: 'registration.BrandOtpVerified.v1'; data: BrandOtpVerified }
  | { type: 'registration.BrandOtpFailed.v1'; data: BrandOtpFailed }
  | { type: 'registration.BrandVettingStarted.v1'; data: BrandVettingStarted }
  | { type: 'registration.BrandVettingOrdered.v1'; data: BrandVettingOrdered }
  | { type: 'registration.BrandVettingFailed.v1'; data: BrandVettingFailed };

export type TrustEvent = GatewayTrustEvent | RegistrationFact;

const TRUST_EVENT_TYPES: ReadonlySet<string> = new Set<TrustEvent['type']>([
  'gateway.BrandRegistrationRequested.v1',
  'gateway.CampaignSubmissionRequested.v1',
  'gateway.NumberAssignmentRequested.v1',
  'registration.BrandRegistrationStarted.v1',
  'registration.BrandRegistered.v1',
  'registration.BrandVetted.v1',
  'registration.BrandStatusChanged.v1',
  'registration.CampaignSubmissionStarted.v1',
  'registration.CampaignSubmitted.v1',
  'registration.CampaignStatusChanged.v1',
  'registration.CampaignNumberProvisioned.v1',
  'registration.CampaignApproved.v1',
  'registration.NumberAssignmentStarted.v1',
  'registration.NumberAssignmentSubmitted.v1',
  'registration.NumberAssigned.v1',
  'registration.NumberAssignmentFailed.v1',
  'gateway.NumberUnassignmentRequested.v1',
  'registration.NumberUnassignmentStarted.v1',
  'registration.NumberUnassignmentSubmitted.v1',
  'registration.NumberUnassigned.v1',
  'registration.NumberUnassignmentFailed.v1',
  'registration.RegistrationRequestRejected.v1',
  'gateway.BrandOtpRequested.v1',
  'gateway.BrandOtpVerificationRequested.v1',
  'gateway.BrandVettingRequested.v1',
  'registration.BrandOtpSendStarted.v1',
  'registration.BrandOtpSent.v1',
  'registration.BrandOtpVerificationStarted.v1',
  'registration.BrandOtpVerified.v1',
  'registration.BrandOtpFailed.v1',
  'registration.BrandVettingStarted.v1',
  'registration.BrandVettingOrdered.v1',
  'registration.BrandVettingFailed.v1',
]);

export function isTrustEventType(type: string): type is TrustEvent['type'] {
  return TRUST_EVENT_TYPES.has(type);
}

/** One change of a resource's status, as its `history` lists it. */
export interface StatusChange {
  at: string;
  status: RegistrationStatus;
  /** The carrier's raw value; null while the carrier has not seen the resource. */
  carrierStatus: string | null;
  reasons: RegistrationReason[];
  /** The fields a request was refused for before any carrier call (RegistrationRequestRejected). */
  errors: RegistrationFieldError[];
}

interface Tracked {
  tenant_id: string;
  request_id: string;
  status: RegistrationStatus;
  carrier_status: string | null;
  reasons: RegistrationReason[];
  errors: RegistrationFieldError[];
  history: StatusChange[];
  updated_at: string;
}

/**
 * The sole proprietor's latest OTP request: `requested` (to send), `sent`, `verifying` (a PIN
 * given), `verified`, `failed` (the carrier refused to send it or the PIN, with its reasons) or
 * `rejected` (registration refused the request, with the fields).
 */
export interface BrandOtpState {
  requestId: string;
  status: 'requested' | 'sent' | 'verifying' | 'verified' | 'failed' | 'rejected';
  /** Which step failed. */
  failedStep: 'send' | 'verification' | null;
  reasons: RegistrationReason[];
  errors: RegistrationFieldError[];
  updatedAt: string;
}

/**
 * The latest external vetting request: `requested`, `ordered` (its score arrives as the brand's
 * vettingScore), `failed` (the carrier refused the order) or `rejected` (registration refused).
 */
export interface BrandVettingState {
  requestId: string;
  status: 'requested' | 'ordered' | 'failed' | 'rejected';
  evpId: string | null;
  vettingClass: string | null;
  vettingId: string | null;
  reasons: RegistrationReason[];
  errors: RegistrationFieldError[];
  updatedAt: string;
}

export interface TrustBrandRow extends Tracked {
  brand_id: string;
  /** The version of the gateway's `trust-brand-<id>` stream (its requests), for appends. */
  stream_version: number;
  otp: BrandOtpState | null;
  vetting: BrandVettingState | null;
  details: BrandDetails;
  carrier_brand_id: string | null;
  tcr_brand_id: string | null;
  vetting_score: number | null;
  vetting_provider: string | null;
  vetted_at: string | null;
  created_at: string;
}

export interface TrustCampaignRow extends Tracked {
  campaign_id: string;
  brand_id: string;
  details: CampaignDetails;
  carrier_campaign_id: string | null;
  tcr_campaign_id: string | null;
  carrier_accepted: boolean;
  /** The version of the gateway's `trust-campaign-<id>` stream (its requests), for appends. */
  stream_version: number;
  created_at: string;
}

/** One request to assign a number to a campaign (`request_id` is its key). */
export interface TrustCampaignNumberRow extends Tracked {
  campaign_id: string;
  phone_number: string;
  requested_at: string;
  /** When registration started it (the carrier call follows); null before. */
  started_at: string | null;
  /** The latest request to remove the number from the campaign; null while none was made. */
  removal: NumberRemovalState | null;
}

/**
 * A request to remove an assigned number from its campaign: `requested` (recorded), `pending`
 * (registration started it; the carrier at work, `carrierStatus` its word), `removed` (the
 * assignment itself is then `expired`: over, a new request may assign the number again),
 * `failed` (the carrier kept the number on the campaign, with its reasons) or `rejected`
 * (registration refused the request, with the fields). The number stays `approved`, and sends,
 * until the removal is done.
 */
export interface NumberRemovalState {
  requestId: string;
  status: 'requested' | 'pending' | 'removed' | 'failed' | 'rejected';
  carrierStatus: string | null;
  reasons: RegistrationReason[];
  errors: RegistrationFieldError[];
  requestedAt: string;
  updatedAt: string;
}

/** A status change: the new state with one more history entry (none when nothing changed). */
function changed<R extends Tracked>(
  row: R,
  at: string,
  status: RegistrationStatus,
  carrierStatus: string | null,
  reasons: RegistrationReason[] = [],
  errors: RegistrationFieldError[] = [],
): R {
  return {
    ...row,
    status,
    carrier_status: carrierStatus,
    reasons,
    errors,
    history: [...row.history, { at, status, carrierStatus, reasons, errors }],
    updated_at: at,
  };
}

function pendingRow(tenantId: string, requestId: string, at: string): Tracked {
  return {
    tenant_id: tenantId,
    request_id: requestId,
    status: 'pending',
    carrier_status: null,
    reasons: [],
    errors: [],
    history: [{ at, status: 'pending', carrierStatus: null, reasons: [], errors: [] }],
    updated_at: at,
  };
}

function newBrand(
  brandId: string,
  tenantId: string,
  requestId: string,
  details: BrandDetails,
  at: string,
): TrustBrandRow {
  return {
    brand_id: brandId,
    stream_version: 0,
    otp: null,
    vetting: null,
    details,
    carrier_brand_id: null,
    tcr_brand_id: null,
    vetting_score: null,
    vetting_provider: null,
    vetted_at: null,
    created_at: at,
    ...pendingRow(tenantId, requestId, at),
  };
}

/**
 * `trust_brands`: a brand from the gateway's request, then registration's facts about it. A
 * brand registration never seen requested here (registered by other means) starts at its
 * BrandRegistrationStarted, which carries its details; other facts of an unknown brand have
 * nothing to attach to and leave it unknown.
 */
export function evolveBrand(row: TrustBrandRow | null, event: TrustEvent): TrustBrandRow | null {
  switch (event.type) {
    case 'gateway.BrandRegistrationRequested.v1': {
      const e = event.data;
      return (
        row ?? {
          ...newBrand(e.brandId, e.tenantId, e.requestId, e.brand, e.requestedAt),
          stream_version: 1,
        }
      );
    }
    case 'registration.BrandRegistrationStarted.v1': {
      const e = event.data;
      if (row) return { ...row, details: e.brand };
      return newBrand(e.brandId, e.tenantId, e.requestId, e.brand, e.startedAt);
    }
    case 'registration.BrandRegistered.v1': {
      if (!row) return null;
      const e = event.data;
      return {
        ...changed(row, e.registeredAt, e.status, e.carrierStatus, row.reasons),
        carrier_brand_id: e.carrierBrandId,
        tcr_brand_id: e.tcrBrandId ?? row.tcr_brand_id,
      };
    }
    case 'registration.BrandVetted.v1': {
      if (!row) return null;
      const e = event.data;
      return {
        ...row,
        vetting_score: e.vettingScore,
        vetting_provider: e.vettingProvider ?? null,
        vetted_at: e.vettedAt,
        updated_at: e.vettedAt,
      };
    }
    case 'registration.BrandStatusChanged.v1': {
      if (!row) return null;
      const e = event.data;
      return changed(row, e.changedAt, e.status, e.carrierStatus, e.reasons);
    }
    case 'registration.RegistrationRequestRejected.v1': {
      const e = event.data;
      if (e.resource === 'brand_otp') {
        return withOtp(row, e.requestId, (otp) => ({
          ...otp,
          status: 'rejected',
          errors: e.errors,
          updatedAt: e.rejectedAt,
        }));
      }
      if (e.resource === 'brand_vetting') {
        return withVetting(row, e.requestId, (vetting) => ({
          ...vetting,
          status: 'rejected',
          errors: e.errors,
          updatedAt: e.rejectedAt,
        }));
      }
      if (!row || e.resource !== 'brand' || e.requestId !== row.request_id) return row;
      return changed(row, e.rejectedAt, 'rejected', row.carrier_status, [], e.errors);
    }
    case 'gateway.BrandOtpRequested.v1':
    case 'gateway.BrandOtpVerificationRequested.v1': {
      if (!row) return null;
      const e = event.data;
      const status = event.type === 'gateway.BrandOtpRequested.v1' ? 'requested' : 'verifying';
      return {
        ...row,
        stream_version: row.stream_version + 1,
        otp: otpState(e.requestId, status, e.requestedAt),
      };
    }
    case 'gateway.BrandVettingRequested.v1': {
      if (!row) return null;
      const e = event.data;
      return {
        ...row,
        stream_version: row.stream_version + 1,
        vetting: {
          requestId: e.requestId,
          status: 'requested',
          evpId: e.evpId ?? null,
          vettingClass: e.vettingClass ?? null,
          vettingId: null,
          reasons: [],
          errors: [],
          updatedAt: e.requestedAt,
        },
      };
    }
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
      // The attempts: the outcome follows.
      return row;
    case 'registration.BrandOtpSent.v1':
      return withOtp(row, event.data.requestId, (otp) => ({
        ...otp,
        status: 'sent',
        updatedAt: event.data.sentAt,
      }));
    case 'registration.BrandOtpVerified.v1':
      return withOtp(row, event.data.requestId, (otp) => ({
        ...otp,
        status: 'verified',
        updatedAt: event.data.verifiedAt,
      }));
    case 'registration.BrandOtpFailed.v1':
      return withOtp(row, event.data.requestId, (otp) => ({
        ...otp,
        status: 'failed',
        failedStep: event.data.step,
        reasons: event.data.reasons,
        updatedAt: event.data.failedAt,
      }));
    case 'registration.BrandVettingStarted.v1':
      return withVetting(row, event.data.requestId, (vetting) => ({
        ...vetting,
        evpId: event.data.evpId,
        vettingClass: event.data.vettingClass,
      }));
    case 'registration.BrandVettingOrdered.v1':
      return withVetting(row, event.data.requestId, (vetting) => ({
        ...vetting,
        status: 'ordered',
        evpId: event.data.evpId,
        vettingClass: event.data.vettingClass,
        vettingId: event.data.vettingId ?? null,
        updatedAt: event.data.orderedAt,
      }));
    case 'registration.BrandVettingFailed.v1':
      return withVetting(row, event.data.requestId, (vetting) => ({
        ...vetting,
        status: 'failed',
        reasons: event.data.reasons,
        updatedAt: event.data.failedAt,
      }));
    case 'gateway.CampaignSubmissionRequested.v1':
    case 'gateway.NumberAssignmentRequested.v1':
    case 'registration.CampaignSubmissionStarted.v1':
    case 'registration.CampaignSubmitted.v1':
    case 'registration.CampaignStatusChanged.v1':
    case 'registration.CampaignNumberProvisioned.v1':
    case 'registration.CampaignApproved.v1':
    case 'registration.NumberAssignmentStarted.v1':
    case 'registration.NumberAssignmentSubmitted.v1':
    case 'registration.NumberAssigned.v1':
    case 'registration.NumberAssignmentFailed.v1':
    case 'gateway.NumberUnassignmentRequested.v1':
    case 'registration.NumberUnassignmentStarted.v1':
    case 'registration.NumberUnassignmentSubmitted.v1':
    case 'registration.NumberUnassigned.v1':
    case 'registration.NumberUnassignmentFailed.v1':
      // Not about a brand.
      return row;
  }
}

function otpState(requestId: string, status: BrandOtpState['status'], at: string): BrandOtpState {
  return { requestId, status, failedStep: null, reasons: [], errors: [], updatedAt: at };
}

/** The brand with its OTP changed, when the fact is about its latest OTP request. */
function withOtp(
  row: TrustBrandRow | null,
  requestId: string,
  change: (otp: BrandOtpState) => BrandOtpState,
): TrustBrandRow | null {
  if (!row || row.otp?.requestId !== requestId) return row;
  const otp = change(row.otp);
  return { ...row, otp, updated_at: otp.updatedAt };
}

/** The brand with its vetting changed, when the fact is about its latest vetting request. */
function withVetting(
  row: TrustBrandRow | null,
  requestId: string,
  change: (vetting: BrandVettingState) => BrandVettingState,
): TrustBrandRow | null {
  if (!row || row.vetting?.requestId !== requestId) return row;
  const vetting = change(row.vetting);
  return { ...row, vetting, updated_at: vetting.updatedAt };
}

function newCampaign(
  campaignId: string,
  tenantId: string,
  requestId: string,
  details: CampaignDetails,
  at: string,
): TrustCampaignRow {
  return {
    campaign_id: campaignId,
    brand_id: details.brandId,
    details,
    carrier_campaign_id: null,
    tcr_campaign_id: null,
    carrier_accepted: false,
    stream_version: 0,
    created_at: at,
    ...pendingRow(tenantId, requestId, at),
  };
}

/**
 * `trust_campaigns`: a campaign from the gateway's request (its stream's version counted: the
 * number requests are appended after it), then registration's facts about it. The numbers of a
 * campaign are `trust_campaign_numbers` (evolveCampaignNumber).
 */
export function evolveCampaign(
  row: TrustCampaignRow | null,
  event: TrustEvent,
): TrustCampaignRow | null {
  switch (event.type) {
    case 'gateway.CampaignSubmissionRequested.v1': {
      const e = event.data;
      if (row) return row;
      return {
        ...newCampaign(e.campaignId, e.tenantId, e.requestId, e.campaign, e.requestedAt),
        stream_version: 1,
      };
    }
    case 'gateway.NumberAssignmentRequested.v1':
    case 'gateway.NumberUnassignmentRequested.v1':
      // Appended to the campaign's stream: its version moves on.
      return row ? { ...row, stream_version: row.stream_version + 1 } : null;
    case 'registration.CampaignSubmissionStarted.v1': {
      const e = event.data;
      if (row) return { ...row, details: e.campaign };
      return newCampaign(e.campaignId, e.tenantId, e.requestId, e.campaign, e.startedAt);
    }
    case 'registration.CampaignSubmitted.v1': {
      if (!row) return null;
      const e = event.data;
      return {
        ...changed(row, e.submittedAt, e.status, e.carrierStatus, row.reasons),
        carrier_campaign_id: e.carrierCampaignId,
        tcr_campaign_id: e.tcrCampaignId ?? row.tcr_campaign_id,
      };
    }
    case 'registration.CampaignStatusChanged.v1': {
      if (!row) return null;
      const e = event.data;
      return {
        ...changed(row, e.changedAt, e.status, e.carrierStatus, e.reasons),
        carrier_accepted: e.carrierAccepted ?? row.carrier_accepted,
      };
    }
    case 'registration.RegistrationRequestRejected.v1': {
      const e = event.data;
      if (!row || e.resource !== 'campaign' || e.requestId !== row.request_id) return row;
      return changed(row, e.rejectedAt, 'rejected', row.carrier_status, [], e.errors);
    }
    case 'registration.CampaignNumberProvisioned.v1':
    case 'registration.CampaignApproved.v1':
      // The status change that approves the campaign is its CampaignStatusChanged; the numbers
      // are evolveCampaignNumber's.
      return row;
    case 'gateway.BrandOtpRequested.v1':
    case 'gateway.BrandOtpVerificationRequested.v1':
    case 'gateway.BrandVettingRequested.v1':
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpSent.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
    case 'registration.BrandOtpVerified.v1':
    case 'registration.BrandOtpFailed.v1':
    case 'registration.BrandVettingStarted.v1':
    case 'registration.BrandVettingOrdered.v1':
    case 'registration.BrandVettingFailed.v1':
    case 'gateway.BrandRegistrationRequested.v1':
    case 'registration.BrandRegistrationStarted.v1':
    case 'registration.BrandRegistered.v1':
    case 'registration.BrandVetted.v1':
    case 'registration.BrandStatusChanged.v1':
    case 'registration.NumberAssignmentStarted.v1':
    case 'registration.NumberAssignmentSubmitted.v1':
    case 'registration.NumberAssigned.v1':
    case 'registration.NumberAssignmentFailed.v1':
    case 'registration.NumberUnassignmentStarted.v1':
    case 'registration.NumberUnassignmentSubmitted.v1':
    case 'registration.NumberUnassigned.v1':
    case 'registration.NumberUnassignmentFailed.v1':
      return row;
  }
}

/** Which assignment request an event is about, for `trust_campaign_numbers`. */
export type NumberAssignmentTarget =
  /**
   * The request the event names; a refusal may name a removal instead (its request id is the
   * `removal`'s of the tenant number's assignment row, not a row's own).
   */
  | { kind: 'request'; requestId: string; removalOf?: { tenantId: string; phoneNumber: string } }
  /**
   * The latest request for the campaign and number, started or not: what the gateway's removal
   * request ends (the assignment it found holding the number; replayed in a rebuild before
   * registration's facts, when no request is started yet).
   */
  | { kind: 'latest'; tenantId: string; campaignId: string; phoneNumber: string }
  /**
   * The latest request registration started for the campaign and number: its facts after the
   * start name no request, and registration's stream of the number keeps them in order.
   */
  | { kind: 'started'; tenantId: string; campaignId: string; phoneNumber: string };

export function numberAssignmentTargetOf(event: TrustEvent): NumberAssignmentTarget | null {
  switch (event.type) {
    case 'gateway.NumberAssignmentRequested.v1':
    case 'registration.NumberAssignmentStarted.v1':
      return { kind: 'request', requestId: event.data.requestId };
    case 'registration.RegistrationRequestRejected.v1':
      return event.data.resource === 'number_assignment'
        ? {
            kind: 'request',
            requestId: event.data.requestId,
            removalOf: { tenantId: event.data.tenantId, phoneNumber: event.data.resourceId },
          }
        : null;
    case 'gateway.NumberUnassignmentRequested.v1':
      return {
        kind: 'latest',
        tenantId: event.data.tenantId,
        campaignId: event.data.campaignId,
        phoneNumber: event.data.phoneNumber,
      };
    case 'registration.NumberUnassignmentStarted.v1':
    case 'registration.NumberUnassignmentSubmitted.v1':
    case 'registration.NumberUnassigned.v1':
    case 'registration.NumberUnassignmentFailed.v1':
    case 'registration.CampaignNumberProvisioned.v1':
    case 'registration.NumberAssignmentSubmitted.v1':
    case 'registration.NumberAssigned.v1':
    case 'registration.NumberAssignmentFailed.v1':
      return {
        kind: 'started',
        tenantId: event.data.tenantId,
        campaignId: event.data.campaignId,
        phoneNumber: event.data.phoneNumber,
      };
    case 'gateway.BrandOtpRequested.v1':
    case 'gateway.BrandOtpVerificationRequested.v1':
    case 'gateway.BrandVettingRequested.v1':
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpSent.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
    case 'registration.BrandOtpVerified.v1':
    case 'registration.BrandOtpFailed.v1':
    case 'registration.BrandVettingStarted.v1':
    case 'registration.BrandVettingOrdered.v1':
    case 'registration.BrandVettingFailed.v1':
    case 'gateway.BrandRegistrationRequested.v1':
    case 'gateway.CampaignSubmissionRequested.v1':
    case 'registration.BrandRegistrationStarted.v1':
    case 'registration.BrandRegistered.v1':
    case 'registration.BrandVetted.v1':
    case 'registration.BrandStatusChanged.v1':
    case 'registration.CampaignSubmissionStarted.v1':
    case 'registration.CampaignSubmitted.v1':
    case 'registration.CampaignStatusChanged.v1':
    case 'registration.CampaignApproved.v1':
      // An approval lists numbers each provisioned already (CampaignNumberProvisioned).
      return null;
  }
}

function newAssignment(
  e: { requestId: string; tenantId: string; campaignId: string; phoneNumber: string },
  at: string,
  startedAt: string | null,
): TrustCampaignNumberRow {
  return {
    campaign_id: e.campaignId,
    phone_number: e.phoneNumber,
    requested_at: at,
    started_at: startedAt,
    removal: null,
    ...pendingRow(e.tenantId, e.requestId, at),
  };
}

/**
 * `trust_campaign_numbers`: one row per request to assign a number to a campaign (a number asked
 * again after a failure is a new request; the campaign shows each number's requests), from the
 * gateway's request, then registration's facts: `approved` once the carrier assigned it
 * (NumberAssigned) or the campaign counts it provisioned; `rejected` when the carrier failed it
 * or registration refused the request; `expired` once removed from the campaign (its `removal`
 * tracks the request to remove it, from the gateway's request and registration's
 * NumberUnassignment* facts). Each request evolves from its own facts only, so a
 * rebuild that replays the gateway's requests before registration's facts gives the same rows.
 */
export function evolveCampaignNumber(
  row: TrustCampaignNumberRow | null,
  event: TrustEvent,
): TrustCampaignNumberRow | null {
  switch (event.type) {
    case 'gateway.NumberAssignmentRequested.v1':
      return row ?? newAssignment(event.data, event.data.requestedAt, null);
    case 'registration.NumberAssignmentStarted.v1': {
      const e = event.data;
      if (row) return { ...row, started_at: e.startedAt };
      return newAssignment(e, e.startedAt, e.startedAt);
    }
    case 'registration.NumberAssignmentSubmitted.v1': {
      if (!row) return null;
      const e = event.data;
      return changed(row, e.submittedAt, row.status, e.carrierStatus);
    }
    case 'registration.NumberAssigned.v1': {
      if (!row) return null;
      const e = event.data;
      return changed(row, e.assignedAt, 'approved', e.carrierStatus);
    }
    case 'registration.NumberAssignmentFailed.v1': {
      if (!row) return null;
      const e = event.data;
      return changed(row, e.failedAt, 'rejected', e.carrierStatus, e.reasons);
    }
    case 'registration.CampaignNumberProvisioned.v1': {
      if (!row || row.status === 'approved') return row;
      const e = event.data;
      return changed(row, e.provisionedAt, 'approved', row.carrier_status);
    }
    case 'registration.RegistrationRequestRejected.v1': {
      const e = event.data;
      if (!row || e.resource !== 'number_assignment') return row;
      if (row.removal?.requestId === e.requestId) {
        return withRemoval(row, e.requestId, e.rejectedAt, (removal) => ({
          ...removal,
          status: 'rejected',
          errors: e.errors,
        }));
      }
      if (e.requestId !== row.request_id) return row;
      return changed(row, e.rejectedAt, 'rejected', row.carrier_status, [], e.errors);
    }
    case 'gateway.NumberUnassignmentRequested.v1': {
      const e = event.data;
      if (!row || row.removal?.requestId === e.requestId) return row;
      return { ...row, removal: newRemoval(e.requestId, e.requestedAt), updated_at: e.requestedAt };
    }
    case 'registration.NumberUnassignmentStarted.v1': {
      const e = event.data;
      if (!row) return null;
      const removal =
        row.removal?.requestId === e.requestId ? row.removal : newRemoval(e.requestId, e.startedAt);
      return {
        ...row,
        removal: { ...removal, status: 'pending', updatedAt: e.startedAt },
        updated_at: e.startedAt,
      };
    }
    case 'registration.NumberUnassignmentSubmitted.v1': {
      const e = event.data;
      if (!row?.removal) return row;
      return withRemoval(row, row.removal.requestId, e.submittedAt, (removal) => ({
        ...removal,
        status: 'pending',
        carrierStatus: e.carrierStatus,
      }));
    }
    case 'registration.NumberUnassigned.v1': {
      const e = event.data;
      if (!row?.removal) return row;
      const removed = withRemoval(row, row.removal.requestId, e.unassignedAt, (removal) => ({
        ...removal,
        status: 'removed',
        carrierStatus: e.carrierStatus ?? removal.carrierStatus,
      }));
      // The assignment is over: it no longer holds the number.
      return changed(removed, e.unassignedAt, 'expired', e.carrierStatus ?? row.carrier_status);
    }
    case 'registration.NumberUnassignmentFailed.v1': {
      const e = event.data;
      if (!row?.removal) return row;
      return withRemoval(row, row.removal.requestId, e.failedAt, (removal) => ({
        ...removal,
        status: 'failed',
        carrierStatus: e.carrierStatus,
        reasons: e.reasons,
      }));
    }
    case 'gateway.BrandOtpRequested.v1':
    case 'gateway.BrandOtpVerificationRequested.v1':
    case 'gateway.BrandVettingRequested.v1':
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpSent.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
    case 'registration.BrandOtpVerified.v1':
    case 'registration.BrandOtpFailed.v1':
    case 'registration.BrandVettingStarted.v1':
    case 'registration.BrandVettingOrdered.v1':
    case 'registration.BrandVettingFailed.v1':
    case 'gateway.BrandRegistrationRequested.v1':
    case 'gateway.CampaignSubmissionRequested.v1':
    case 'registration.BrandRegistrationStarted.v1':
    case 'registration.BrandRegistered.v1':
    case 'registration.BrandVetted.v1':
    case 'registration.BrandStatusChanged.v1':
    case 'registration.CampaignSubmissionStarted.v1':
    case 'registration.CampaignSubmitted.v1':
    case 'registration.CampaignStatusChanged.v1':
    case 'registration.CampaignApproved.v1':
      return row;
  }
}

function newRemoval(requestId: string, at: string): NumberRemovalState {
  return {
    requestId,
    status: 'requested',
    carrierStatus: null,
    reasons: [],
    errors: [],
    requestedAt: at,
    updatedAt: at,
  };
}

/** The row with its removal changed, when the event is about its current removal. */
function withRemoval(
  row: TrustCampaignNumberRow,
  requestId: string,
  at: string,
  change: (removal: NumberRemovalState) => NumberRemovalState,
): TrustCampaignNumberRow {
  if (row.removal?.requestId !== requestId) return row;
  return { ...row, removal: { ...change(row.removal), updatedAt: at }, updated_at: at };
}

/** A removal that still stands: the number is being removed (another removal is refused). */
export function isRemovalUnderWay(removal: NumberRemovalState | null): boolean {
  return removal?.status === 'requested' || removal?.status === 'pending';
}

/** An assignment that holds its number: another request for it is refused. */
export function holdsNumber(status: RegistrationStatus): boolean {
  return status === 'pending' || status === 'approved';
}

/** A campaign that takes no more numbers. */
export function isClosedCampaign(status: RegistrationStatus): boolean {
  return status === 'rejected' || status === 'expired';
}
