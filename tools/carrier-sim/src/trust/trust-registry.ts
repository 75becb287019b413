import { randomUUID } from 'node:crypto';
import { type HttpAnswer } from '../carrier.js';
import { type TelnyxErrorResponse, telnyxErrorResponse } from '../telnyx-errors.js';
import { type WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import {
  type SimAssignment,
  type SimBrand,
  type SimBrandOtp,
  type SimCampaign,
  type SimTollFreeVerification,
  type SimVetting,
  type TollFreeVerificationStatus,
  type TrustWebhookType,
  trustWebhookEvent,
} from './trust-payloads.js';
import {
  DEFAULT_VETTING_SCORE,
  ORDERED_VETTING_SCORE,
  otpPinFor,
  reviewBrand,
  reviewCampaign,
  tollFreeReview,
} from './trust-review-rules.js';

export interface TrustRegistrySettings {
  /** Delay before a review's decision; 0 decides on the next turn of the event loop. */
  readonly reviewDelayMs: number;
  /** Where status webhooks go when a resource names no `webhookURL`. */
  readonly webhookUrl: string;
  /** The account's numbers: only these may be assigned to a campaign (unless any is accepted). */
  readonly numbers: ReadonlySet<string>;
  readonly acceptAnyNumber: boolean;
}

/** A forced outcome (`POST /sim/trust/decisions`), for one resource, applied at once. */
export type TrustDecision =
  | {
      kind: 'brand';
      brandId: string;
      outcome: 'approved' | 'rejected';
      reasons: string[];
      vettingScore?: number;
    }
  | {
      kind: 'campaign';
      campaignId: string;
      outcome: 'approved' | 'rejected' | 'suspended' | 'expired';
      reasons: string[];
    }
  | {
      kind: 'phone_number';
      phoneNumber: string;
      outcome: 'approved' | 'rejected';
      reasons: string[];
    }
  | {
      kind: 'toll_free_verification';
      verificationId: string;
      outcome: TollFreeOutcome;
      reasons: string[];
    }
  /** A brand's external vetting scored now: its latest order, else a new one. */
  | { kind: 'vetting'; brandId: string; vettingScore: number };

export type TollFreeOutcome = 'approved' | 'rejected' | 'in_progress' | 'waiting_for_customer';
const TOLL_FREE_STATUS: Readonly<Record<TollFreeOutcome, TollFreeVerificationStatus>> = {
  approved: 'Verified',
  rejected: 'Rejected',
  in_progress: 'In Progress',
  waiting_for_customer: 'Waiting For Customer',
};
/** Telnyx's required toll-free verification fields (telnyx SDK 7.24.0 `RequestCreateParams`). */
const TOLL_FREE_REQUIRED = [
  'businessName',
  'corporateWebsite',
  'businessAddr1',
  'businessCity',
  'businessState',
  'businessZip',
  'businessContactFirstName',
  'businessContactLastName',
  'businessContactEmail',
  'businessContactPhone',
  'messageVolume',
  'useCase',
  'useCaseSummary',
  'productionMessageContent',
  'optInWorkflow',
] as const;
const TOLL_FREE_NUMBER = /^\+18(00|33|44|55|66|77|88)\d{7}$/u;
const OTP_PIN_PLACEHOLDER = '@OTP_PIN@';
const VETTING_PROVIDERS = new Set(['AEGIS', 'WMC', 'CV']);

const CSP_ID = 'CSPSIM1';
const E164 = /^\+[1-9]\d{1,14}$/u;
const BRAND_REQUIRED = ['entityType', 'displayName', 'country', 'email', 'vertical'] as const;
const CAMPAIGN_REQUIRED = ['brandId', 'usecase', 'description'] as const;

function answer(status: number, value: unknown): HttpAnswer {
  return { status, body: JSON.stringify(value) };
}
function errorAnswer(error: TelnyxErrorResponse): HttpAnswer {
  return { status: error.status, body: JSON.stringify(error.body) };
}
function missing(field: string): HttpAnswer {
  return errorAnswer(
    telnyxErrorResponse('missingRequiredParameter', {
      detail: `${field} is required`,
      source: { pointer: `/${field}` },
    }),
  );
}
function notFound(detail: string): HttpAnswer {
  return errorAnswer(telnyxErrorResponse('resourceNotFound', { detail }));
}
function badRequest(detail: string, field?: string): HttpAnswer {
  return errorAnswer(
    telnyxErrorResponse('badRequest', {
      detail,
      ...(field ? { source: { pointer: `/${field}` } } : {}),
    }),
  );
}
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** A short alphanumeric id in the registry's style (`B` + 6 for brands, `C` + 6 for campaigns). */
function tcrId(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 6).toUpperCase()}`;
}

/**
 * The simulator's 10DLC registry: brands, campaigns and number assignments as Telnyx keeps them,
 * each reviewed asynchronously (a decision after `reviewDelayMs`, by trust-review-rules), each
 * change announced by a signed status webhook. Creating calls honour `Idempotency-Key`: the
 * same key answers the resource it created.
 */
export class TrustRegistry {
  private readonly brands = new Map<string, SimBrand>();
  private readonly vettings = new Map<string, SimVetting[]>();
  private readonly campaigns = new Map<string, SimCampaign>();
  private readonly assignments = new Map<string, SimAssignment>();
  private readonly keys = new Map<string, string>();
  private readonly tollFree = new Map<string, SimTollFreeVerification>();
  private readonly otps = new Map<string, SimBrandOtp>();
  private readonly reviews = new Map<string, NodeJS.Timeout>();
  /** Numbers whose assignment review is held (`POST /sim/trust/holds`) until a decision. */
  private readonly holds = new Set<string>();

  constructor(
    private readonly settings: TrustRegistrySettings,
    private readonly dispatcher: Pick<WebhookDispatcher, 'deliver'>,
    private readonly now: () => Date,
  ) {}

  createBrand(body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const known = this.byKey('brand', idempotencyKey);
    if (known) return answer(200, this.brands.get(known));
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    for (const field of BRAND_REQUIRED) if (!text(body[field])) return missing(field);
    const at = this.now().toISOString();
    const brand: SimBrand = {
      ...body,
      brandId: randomUUID(),
      tcrBrandId: tcrId('B'),
      cspId: CSP_ID,
      brandRelationship: 'BASIC_ACCOUNT',
      mock: false,
      status: 'REGISTRATION_PENDING',
      identityStatus: 'UNVERIFIED',
      createdAt: at,
      updatedAt: at,
    };
    this.brands.set(brand.brandId, brand);
    this.remember('brand', idempotencyKey, brand.brandId);
    this.schedule(`brand:${brand.brandId}`, () => {
      const review = reviewBrand(brand);
      this.decideBrand(
        brand,
        review.outcome === 'approved'
          ? { outcome: 'approved', reasons: [], vettingScore: review.vettingScore }
          : { outcome: 'rejected', reasons: review.reasons },
      );
    });
    return answer(200, brand);
  }

  brand(brandId: string): HttpAnswer {
    const brand = this.brands.get(brandId);
    return brand ? answer(200, brand) : notFound(`Brand ${brandId} was not found.`);
  }

  externalVettings(brandId: string): HttpAnswer {
    if (!this.brands.has(brandId)) return notFound(`Brand ${brandId} was not found.`);
    return answer(200, this.vettings.get(brandId) ?? []);
  }

  submitCampaign(body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const known = this.byKey('campaign', idempotencyKey);
    if (known) return answer(200, this.campaigns.get(known));
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    for (const field of CAMPAIGN_REQUIRED) if (!text(body[field])) return missing(field);
    const brand = this.brands.get(String(body['brandId']));
    if (!brand) return notFound(`Brand ${String(body['brandId'])} was not found.`);
    if (brand.status !== 'OK' || brand.identityStatus === 'UNVERIFIED') {
      return badRequest('The brand is not verified: campaigns need a verified brand.', 'brandId');
    }
    if (brand['entityType'] === 'SOLE_PROPRIETOR' && brand.identityStatus !== 'VERIFIED') {
      return badRequest(
        'The sole proprietor brand has not verified its OTP: campaigns need it verified.',
        'brandId',
      );
    }
    const referenceId = text(body['referenceId']);
    if (referenceId && [...this.campaigns.values()].some((c) => c['referenceId'] === referenceId)) {
      return badRequest(`referenceId ${referenceId} is used by another campaign.`, 'referenceId');
    }
    const campaign: SimCampaign = {
      subUsecases: [],
      termsAndConditions: false,
      ...body,
      campaignId: randomUUID(),
      tcrCampaignId: tcrId('C'),
      brandId: brand.brandId,
      cspId: CSP_ID,
      usecase: String(body['usecase']),
      description: String(body['description']),
      mock: false,
      campaignStatus: 'TCR_PENDING',
      submissionStatus: 'CREATED',
      createDate: this.now().toISOString(),
    };
    this.campaigns.set(campaign.campaignId, campaign);
    this.remember('campaign', idempotencyKey, campaign.campaignId);
    this.schedule(`campaign:${campaign.campaignId}`, () => {
      const review = reviewCampaign(campaign, brand);
      this.decideCampaign(
        campaign,
        review.outcome === 'approved'
          ? { outcome: 'approved', reasons: [] }
          : { outcome: 'rejected', reasons: review.reasons },
      );
    });
    return answer(200, campaign);
  }

  campaign(campaignId: string): HttpAnswer {
    const campaign = this.campaigns.get(campaignId);
    return campaign ? answer(200, campaign) : notFound(`Campaign ${campaignId} was not found.`);
  }

  assignNumber(body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const known = this.byKey('assignment', idempotencyKey);
    if (known) return answer(200, this.assignments.get(known));
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    const phoneNumber = text(body['phoneNumber']);
    const campaignId = text(body['campaignId']);
    if (!phoneNumber) return missing('phoneNumber');
    if (!campaignId) return missing('campaignId');
    if (!E164.test(phoneNumber)) return badRequest('phoneNumber must be E.164.', 'phoneNumber');
    if (!this.settings.acceptAnyNumber && !this.settings.numbers.has(phoneNumber)) {
      return badRequest(`${phoneNumber} is not a number of this account.`, 'phoneNumber');
    }
    const campaign = this.campaigns.get(campaignId);
    if (!campaign) return notFound(`Campaign ${campaignId} was not found.`);
    const current = this.assignments.get(phoneNumber);
    if (current && current.assignmentStatus !== 'FAILED_ASSIGNMENT') {
      return badRequest(
        `${phoneNumber} is assigned to campaign ${current.campaignId} already.`,
        'phoneNumber',
      );
    }
    const brand = this.brands.get(campaign.brandId);
    const at = this.now().toISOString();
    const assignment: SimAssignment = {
      phoneNumber,
      campaignId,
      telnyxCampaignId: campaignId,
      tcrCampaignId: campaign.tcrCampaignId,
      brandId: campaign.brandId,
      tcrBrandId: brand?.tcrBrandId ?? '',
      assignmentStatus: 'PENDING_ASSIGNMENT',
      createdAt: at,
      updatedAt: at,
    };
    this.assignments.set(phoneNumber, assignment);
    this.remember('assignment', idempotencyKey, phoneNumber);
    // A held number's assignment stays PENDING_ASSIGNMENT until a decision is posted for it.
    if (!this.holds.has(phoneNumber)) this.scheduleAssignmentReview(assignment);
    return answer(200, assignment);
  }

  /**
   * `DELETE /10dlc/phone_number_campaigns/{phoneNumber}`: the number's assignment, `ASSIGNED` (or
   * after a `FAILED_UNASSIGNMENT`), goes `PENDING_UNASSIGNMENT` and is removed after the review
   * delay (then a GET answers 404), announced by a `10dlc.phone_number.update` webhook of type
   * `DELETION`. A removal under way answers as it is (a retried call); a number with no assignment,
   * or a failed one, is 404; one still being assigned is 400.
   */
  unassignNumber(phoneNumber: string): HttpAnswer {
    if (!E164.test(phoneNumber)) return badRequest('phoneNumber must be E.164.', 'phoneNumber');
    const assignment = this.assignments.get(phoneNumber);
    if (!assignment || assignment.assignmentStatus === 'FAILED_ASSIGNMENT') {
      return notFound(`${phoneNumber} is not assigned to a campaign.`);
    }
    switch (assignment.assignmentStatus) {
      case 'PENDING_UNASSIGNMENT':
        return answer(200, assignment);
      case 'PENDING_ASSIGNMENT':
        return badRequest(
          `${phoneNumber} is being assigned to campaign ${assignment.campaignId}.`,
          'phoneNumber',
        );
      case 'ASSIGNED':
      case 'FAILED_UNASSIGNMENT':
        break;
    }
    assignment.assignmentStatus = 'PENDING_UNASSIGNMENT';
    assignment.updatedAt = this.now().toISOString();
    delete assignment.failureReasons;
    // A held number's removal stays PENDING_UNASSIGNMENT until a decision is posted for it.
    if (!this.holds.has(phoneNumber)) this.scheduleUnassignmentReview(assignment);
    return answer(200, assignment);
  }

  private scheduleUnassignmentReview(assignment: SimAssignment): void {
    this.schedule(`phone_number:${assignment.phoneNumber}`, () => {
      this.decideUnassignment(assignment, { outcome: 'approved', reasons: [] });
    });
  }

  /** An approved removal forgets the assignment; a rejected one leaves it FAILED_UNASSIGNMENT. */
  private decideUnassignment(
    assignment: SimAssignment,
    decision: { outcome: 'approved' | 'rejected'; reasons: string[] },
  ): void {
    assignment.updatedAt = this.now().toISOString();
    if (decision.outcome === 'approved') {
      this.assignments.delete(assignment.phoneNumber);
    } else {
      assignment.assignmentStatus = 'FAILED_UNASSIGNMENT';
      assignment.failureReasons = decision.reasons.join('; ') || 'Unassignment failed';
    }
    const campaign = this.campaigns.get(assignment.campaignId);
    this.announce('10dlc.phone_number.update', campaign ?? {}, {
      phoneNumber: assignment.phoneNumber,
      campaignId: assignment.campaignId,
      brandId: assignment.brandId,
      type: 'DELETION',
      status: decision.outcome === 'approved' ? 'success' : 'failed',
      description:
        decision.outcome === 'approved'
          ? 'Phone number unassigned from the campaign'
          : `Unassignment failed: ${assignment.failureReasons ?? ''}`,
    });
  }

  private scheduleAssignmentReview(assignment: SimAssignment): void {
    const { phoneNumber, campaignId } = assignment;
    this.schedule(`phone_number:${phoneNumber}`, () => {
      // Settled when its campaign is: provisioned assigns it, a refused campaign fails it.
      const standing = this.campaigns.get(campaignId)?.campaignStatus;
      if (standing === 'TCR_PENDING' || standing === 'TCR_ACCEPTED') {
        this.waitForCampaign(assignment);
        return;
      }
      this.decideAssignment(
        assignment,
        standing === 'MNO_PROVISIONED'
          ? { outcome: 'approved', reasons: [] }
          : {
              outcome: 'rejected',
              reasons: [`Campaign ${campaignId} is ${standing ?? 'unknown'}`],
            },
      );
    });
  }

  /**
   * `POST /sim/trust/holds {phoneNumber}`: the number's assignment review, pending now or
   * requested later, decides nothing until `POST /sim/trust/decisions` names the number (which
   * ends the hold) or the holds are cleared. A decided assignment is left as it is.
   */
  hold(phoneNumber: string): HttpAnswer {
    // Answered as the other /sim control routes are: 400 {error}.
    if (!E164.test(phoneNumber)) {
      return answer(400, { error: 'phoneNumber must be an E.164 number' });
    }
    if (!this.settings.acceptAnyNumber && !this.settings.numbers.has(phoneNumber)) {
      return answer(400, { error: `${phoneNumber} is not a number of this account` });
    }
    this.holds.add(phoneNumber);
    const assignment = this.assignments.get(phoneNumber);
    if (
      assignment?.assignmentStatus === 'PENDING_ASSIGNMENT' ||
      assignment?.assignmentStatus === 'PENDING_UNASSIGNMENT'
    ) {
      this.cancel(`phone_number:${phoneNumber}`);
      this.waiting.delete(phoneNumber);
    }
    return answer(201, { data: this.holdList() });
  }

  /** `GET /sim/trust/holds`: each held number with its assignment's status (null: none yet). */
  listHolds(): HttpAnswer {
    return answer(200, { data: this.holdList() });
  }

  /**
   * `DELETE /sim/trust/holds`: ends every hold; a held assignment still pending is reviewed
   * again as a new one is (after the review delay, by its campaign's standing).
   */
  clearHolds(): HttpAnswer {
    const released = [...this.holds];
    this.holds.clear();
    for (const phoneNumber of released) {
      const assignment = this.assignments.get(phoneNumber);
      if (assignment?.assignmentStatus === 'PENDING_ASSIGNMENT') {
        this.scheduleAssignmentReview(assignment);
      } else if (assignment?.assignmentStatus === 'PENDING_UNASSIGNMENT') {
        this.scheduleUnassignmentReview(assignment);
      }
    }
    return { status: 204, body: '' };
  }

  private holdList(): Array<{ phoneNumber: string; assignmentStatus: string | null }> {
    return [...this.holds].map((phoneNumber) => ({
      phoneNumber,
      assignmentStatus: this.assignments.get(phoneNumber)?.assignmentStatus ?? null,
    }));
  }

  assignment(phoneNumber: string): HttpAnswer {
    const assignment = this.assignments.get(phoneNumber);
    return assignment
      ? answer(200, assignment)
      : notFound(`${phoneNumber} is not assigned to a campaign.`);
  }

  /** `POST /messaging_tollfree/verification/requests`: a review follows after the delay. */
  createTollFreeVerification(body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const known = this.byKey('toll_free', idempotencyKey);
    if (known) return answer(200, this.tollFree.get(known));
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    for (const field of TOLL_FREE_REQUIRED) if (!text(body[field])) return missing(field);
    const numbers = body['phoneNumbers'];
    if (!Array.isArray(numbers) || numbers.length === 0) return missing('phoneNumbers');
    const phoneNumbers: string[] = [];
    for (const entry of numbers) {
      const phoneNumber = isObject(entry) ? text(entry['phoneNumber']) : undefined;
      if (!phoneNumber || !E164.test(phoneNumber)) {
        return badRequest(
          'phoneNumbers must be objects with an E.164 phoneNumber.',
          'phoneNumbers',
        );
      }
      if (!TOLL_FREE_NUMBER.test(phoneNumber)) {
        return badRequest(`${phoneNumber} is not a toll-free number.`, 'phoneNumbers');
      }
      if (!this.settings.acceptAnyNumber && !this.settings.numbers.has(phoneNumber)) {
        return badRequest(`${phoneNumber} is not a number of this account.`, 'phoneNumbers');
      }
      const held = [...this.tollFree.values()].find(
        (v) =>
          v.verificationStatus !== 'Rejected' &&
          v.phoneNumbers.some((n) => n.phoneNumber === phoneNumber),
      );
      if (held) {
        return badRequest(
          `${phoneNumber} is in verification request ${held.id} already.`,
          'phoneNumbers',
        );
      }
      phoneNumbers.push(phoneNumber);
    }
    const images = body['optInWorkflowImageURLs'] ?? [];
    if (!Array.isArray(images) || !images.every((i) => isObject(i) && text(i['url']))) {
      return badRequest(
        'optInWorkflowImageURLs must be objects with a url.',
        'optInWorkflowImageURLs',
      );
    }
    const at = this.now().toISOString();
    const id = randomUUID();
    const request: SimTollFreeVerification = {
      additionalInformation: '',
      ...body,
      optInWorkflowImageURLs: images,
      phoneNumbers: phoneNumbers.map((phoneNumber) => ({ phoneNumber })),
      id,
      verificationRequestId: id,
      verificationStatus: 'Waiting For Telnyx',
      createdAt: at,
      updatedAt: at,
    };
    this.tollFree.set(id, request);
    this.remember('toll_free', idempotencyKey, id);
    this.schedule(`toll_free:${id}`, () => {
      const review = tollFreeReview(request);
      this.decideTollFree(
        request,
        review.outcome === 'approved' ? 'approved' : 'rejected',
        review.outcome === 'approved' ? [] : review.reasons,
      );
    });
    return answer(200, request);
  }

  tollFreeVerification(id: string): HttpAnswer {
    const request = this.tollFree.get(id);
    return request ? answer(200, request) : notFound(`Verification request ${id} was not found.`);
  }

  /** `POST /10dlc/brand/{brandId}/smsOtp`: a sole proprietor's OTP, "sent" at once. */
  triggerBrandOtp(brandId: string, body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const known = this.byKey('otp', idempotencyKey);
    const brand = this.brands.get(brandId);
    if (!brand) return notFound(`Brand ${brandId} was not found.`);
    const current = this.otps.get(brandId);
    if (known && current?.referenceId === known) {
      return answer(200, { brandId, referenceId: current.referenceId });
    }
    if (brand['entityType'] !== 'SOLE_PROPRIETOR') {
      return badRequest('SMS OTP is only for sole proprietor brands.', 'brandId');
    }
    if (brand.status !== 'OK') return badRequest('The brand is not registered yet.', 'brandId');
    if (brand.identityStatus === 'VERIFIED') {
      return badRequest('The brand is verified already.', 'brandId');
    }
    const mobilePhone = text(brand['mobilePhone']);
    if (!mobilePhone) return badRequest('The brand has no mobilePhone.', 'mobilePhone');
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    const pinSms = text(body['pinSms']);
    const successSms = text(body['successSms']);
    if (!pinSms) return missing('pinSms');
    if (!successSms) return missing('successSms');
    if (!pinSms.includes(OTP_PIN_PLACEHOLDER)) {
      return badRequest(`pinSms must contain ${OTP_PIN_PLACEHOLDER}.`, 'pinSms');
    }
    const attempt = (current?.attempt ?? 0) + 1;
    const otpPin = otpPinFor(brandId, attempt);
    const at = this.now().toISOString();
    const otp: SimBrandOtp = {
      brandId,
      referenceId: `OTP${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`,
      mobilePhone,
      pinSms: pinSms.replaceAll(OTP_PIN_PLACEHOLDER, otpPin),
      successSms,
      otpPin,
      attempt,
      deliveryStatus: 'DELIVERED_HANDSET',
      requestDate: at,
      deliveryStatusDate: at,
    };
    this.otps.set(brandId, otp);
    this.remember('otp', idempotencyKey, otp.referenceId);
    return answer(200, { brandId, referenceId: otp.referenceId });
  }

  /** `PUT /10dlc/brand/{brandId}/smsOtp`: the right PIN verifies the brand (204, no body). */
  verifyBrandOtp(brandId: string, body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const brand = this.brands.get(brandId);
    if (!brand) return notFound(`Brand ${brandId} was not found.`);
    const otp = this.otps.get(brandId);
    if (!otp) return badRequest('No OTP was triggered for this brand.', 'otpPin');
    if (otp.verifyDate) {
      // A retried verification of the same PIN answers as the first did.
      if (this.byKey('otp_verify', idempotencyKey) === otp.referenceId)
        return { status: 204, body: '' };
      return badRequest('The OTP of this brand is verified already.', 'otpPin');
    }
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    const pin = text(body['otpPin']);
    if (!pin) return missing('otpPin');
    if (pin !== otp.otpPin) return badRequest('Invalid OTP pin.', 'otpPin');
    const at = this.now().toISOString();
    otp.verifyDate = at;
    this.remember('otp_verify', idempotencyKey, otp.referenceId);
    brand.identityStatus = 'VERIFIED';
    brand.updatedAt = at;
    this.announce('10dlc.brand.update', brand, {
      brandId,
      brandName: brand['displayName'],
      tcrBrandId: brand.tcrBrandId,
      type: 'TCR_BRAND_UPDATE',
      eventType: 'BRAND_OTP_VERIFIED',
      status: 'success',
      description: `Brand ${brand.tcrBrandId} verified its OTP`,
    });
    return { status: 204, body: '' };
  }

  brandOtpStatus(brandId: string): HttpAnswer {
    const otp = this.otps.get(brandId);
    if (!otp) return notFound(`No OTP was triggered for brand ${brandId}.`);
    const { otpPin: _pin, attempt: _attempt, pinSms: _text, successSms: _success, ...status } = otp;
    return answer(200, status);
  }

  /** `GET /sim/trust/otp/{brandId}`: the OTP as the handset got it, PIN included (tests). */
  simOtp(brandId: string): HttpAnswer {
    const otp = this.otps.get(brandId);
    return otp ? answer(200, otp) : notFound(`No OTP was triggered for brand ${brandId}.`);
  }

  /** `POST /10dlc/brand/{brandId}/externalVetting`: scored after the review delay. */
  orderVetting(brandId: string, body: unknown, idempotencyKey: string | undefined): HttpAnswer {
    const brand = this.brands.get(brandId);
    if (!brand) return notFound(`Brand ${brandId} was not found.`);
    const known = this.byKey('vetting', idempotencyKey);
    const vettings = this.vettings.get(brandId) ?? [];
    const again = known ? vettings.find((v) => v.vettingId === known) : undefined;
    if (again) return answer(200, again);
    if (brand.status !== 'OK') return badRequest('The brand is not registered yet.', 'brandId');
    if (brand['entityType'] === 'SOLE_PROPRIETOR') {
      return badRequest('Sole proprietor brands are not vetted.', 'brandId');
    }
    if (!isObject(body)) return badRequest('The body must be a JSON object.');
    const evpId = text(body['evpId']);
    const vettingClass = text(body['vettingClass']);
    if (!evpId) return missing('evpId');
    if (!vettingClass) return missing('vettingClass');
    if (!VETTING_PROVIDERS.has(evpId)) return badRequest(`Unknown evpId ${evpId}.`, 'evpId');
    const vetting: SimVetting = {
      evpId,
      vettingId: randomUUID(),
      vettingClass,
      createDate: this.now().toISOString(),
    };
    this.vettings.set(brandId, [...vettings, vetting]);
    this.remember('vetting', idempotencyKey, vetting.vettingId);
    this.schedule(`vetting:${vetting.vettingId}`, () => {
      this.scoreVetting(brand, vetting, ORDERED_VETTING_SCORE);
    });
    return answer(200, vetting);
  }

  /** Applies a forced outcome now, in place of any review still pending. */
  force(decision: TrustDecision): HttpAnswer {
    switch (decision.kind) {
      case 'brand': {
        const brand = this.brands.get(decision.brandId);
        if (!brand) return notFound(`Brand ${decision.brandId} was not found.`);
        this.cancel(`brand:${brand.brandId}`);
        this.decideBrand(brand, decision);
        return answer(200, brand);
      }
      case 'campaign': {
        const campaign = this.campaigns.get(decision.campaignId);
        if (!campaign) return notFound(`Campaign ${decision.campaignId} was not found.`);
        this.cancel(`campaign:${campaign.campaignId}`);
        this.decideCampaign(campaign, decision);
        return answer(200, campaign);
      }
      case 'phone_number': {
        const assignment = this.assignments.get(decision.phoneNumber);
        if (!assignment) return notFound(`${decision.phoneNumber} is not assigned to a campaign.`);
        this.cancel(`phone_number:${assignment.phoneNumber}`);
        this.holds.delete(assignment.phoneNumber);
        // A removal under way is what the decision settles; otherwise the assignment.
        if (assignment.assignmentStatus === 'PENDING_UNASSIGNMENT') {
          this.decideUnassignment(assignment, decision);
        } else {
          this.decideAssignment(assignment, decision);
        }
        return answer(200, assignment);
      }
      case 'toll_free_verification': {
        const request = this.tollFree.get(decision.verificationId);
        if (!request)
          return notFound(`Verification request ${decision.verificationId} was not found.`);
        // A decision ends the review; an intermediate status leaves it pending.
        if (decision.outcome === 'approved' || decision.outcome === 'rejected') {
          this.cancel(`toll_free:${request.id}`);
        }
        this.decideTollFree(request, decision.outcome, decision.reasons);
        return answer(200, request);
      }
      case 'vetting': {
        const brand = this.brands.get(decision.brandId);
        if (!brand) return notFound(`Brand ${decision.brandId} was not found.`);
        const vettings = this.vettings.get(brand.brandId) ?? [];
        const open = vettings.find((v) => v.vettingScore === undefined);
        const vetting: SimVetting = open ?? {
          evpId: 'AEGIS',
          vettingId: randomUUID(),
          vettingClass: 'STANDARD',
          createDate: this.now().toISOString(),
        };
        if (!open) this.vettings.set(brand.brandId, [...vettings, vetting]);
        this.cancel(`vetting:${vetting.vettingId}`);
        this.scoreVetting(brand, vetting, decision.vettingScore);
        return answer(200, vetting);
      }
    }
  }

  private decideTollFree(
    request: SimTollFreeVerification,
    outcome: TollFreeOutcome,
    reasons: string[],
  ): void {
    request.verificationStatus = TOLL_FREE_STATUS[outcome];
    request.updatedAt = this.now().toISOString();
    if (outcome === 'rejected') {
      request.reason = reasons.join('; ') || 'Verification request rejected';
    } else if (outcome === 'waiting_for_customer') {
      request.reason = reasons.join('; ') || 'More information is needed';
    } else {
      delete request.reason;
    }
    this.announce(
      'messaging_tollfree.verification.update',
      { webhookURL: request['webhookUrl'] },
      {
        id: request.id,
        verificationRequestId: request.id,
        verificationStatus: request.verificationStatus,
        phoneNumbers: request.phoneNumbers,
        ...(request.reason ? { reason: request.reason } : {}),
      },
    );
  }

  private scoreVetting(brand: SimBrand, vetting: SimVetting, score: number): void {
    const at = this.now().toISOString();
    vetting.vettingScore = score;
    vetting.vettedDate = at;
    brand.updatedAt = at;
    this.announce('10dlc.brand.update', brand, {
      brandId: brand.brandId,
      brandName: brand['displayName'],
      tcrBrandId: brand.tcrBrandId,
      type: 'TCR_BRAND_UPDATE',
      eventType: 'EVP_VETTING_COMPLETED',
      status: 'success',
      description: `Brand ${brand.tcrBrandId} vetted by ${vetting.evpId}: ${score}`,
    });
  }

  /** Forgets everything and cancels pending reviews (`POST /sim/reset`, close). */
  reset(): void {
    for (const timer of this.reviews.values()) clearTimeout(timer);
    this.reviews.clear();
    this.brands.clear();
    this.vettings.clear();
    this.campaigns.clear();
    this.assignments.clear();
    this.keys.clear();
    this.waiting.clear();
    this.holds.clear();
    this.tollFree.clear();
    this.otps.clear();
  }

  private decideBrand(
    brand: SimBrand,
    decision: { outcome: 'approved' | 'rejected'; reasons: string[]; vettingScore?: number },
  ): void {
    const at = this.now().toISOString();
    brand.updatedAt = at;
    if (decision.outcome === 'approved') {
      brand.status = 'OK';
      brand.identityStatus =
        brand['entityType'] === 'SOLE_PROPRIETOR' ? 'SELF_DECLARED' : 'VERIFIED';
      delete brand.failureReasons;
      this.vettings.set(brand.brandId, [
        {
          evpId: 'AEGIS',
          vettingId: randomUUID(),
          vettingClass: 'STANDARD',
          vettingScore: decision.vettingScore ?? DEFAULT_VETTING_SCORE,
          vettedDate: at,
          createDate: at,
        },
      ]);
    } else {
      brand.status = 'REGISTRATION_FAILED';
      brand.identityStatus = 'UNVERIFIED';
      brand.failureReasons = decision.reasons.join('; ') || 'Brand registration failed';
    }
    this.announce('10dlc.brand.update', brand, {
      brandId: brand.brandId,
      brandName: brand['displayName'],
      tcrBrandId: brand.tcrBrandId,
      type: 'TCR_BRAND_UPDATE',
      eventType: decision.outcome === 'approved' ? 'BRAND_ADD' : 'BRAND_REJECTED',
      status: decision.outcome === 'approved' ? 'success' : 'failed',
      description:
        decision.outcome === 'approved'
          ? `Brand ${brand.tcrBrandId} is verified`
          : `Brand ${brand.tcrBrandId} failed: ${brand.failureReasons ?? ''}`,
    });
  }

  private decideCampaign(
    campaign: SimCampaign,
    decision: { outcome: 'approved' | 'rejected' | 'suspended' | 'expired'; reasons: string[] },
  ): void {
    const status = {
      approved: 'MNO_PROVISIONED',
      rejected: 'MNO_REJECTED',
      suspended: 'TCR_SUSPENDED',
      expired: 'TCR_EXPIRED',
    } as const;
    campaign.campaignStatus = status[decision.outcome];
    if (decision.outcome === 'rejected') {
      campaign.failureReasons = decision.reasons.join('; ') || 'Campaign rejected by the carriers';
    } else {
      delete campaign.failureReasons;
    }
    this.announce('10dlc.campaign.update', campaign, {
      brandId: campaign.brandId,
      campaignId: campaign.campaignId,
      cspId: campaign.cspId,
      isTMobileRegistered: decision.outcome === 'approved',
      type:
        decision.outcome === 'approved' || decision.outcome === 'rejected'
          ? 'MNO_REVIEW'
          : 'TCR_EVENT',
      status: decision.outcome === 'approved' ? 'ACCEPTED' : 'REJECTED',
      description: `Campaign is ${campaign.campaignStatus}`,
    });
    for (const assignment of this.assignments.values()) {
      if (
        assignment.campaignId === campaign.campaignId &&
        this.waiting.has(assignment.phoneNumber)
      ) {
        this.waiting.delete(assignment.phoneNumber);
        this.decideAssignment(
          assignment,
          decision.outcome === 'approved'
            ? { outcome: 'approved', reasons: [] }
            : {
                outcome: 'rejected',
                reasons: [`Campaign ${campaign.campaignId} is ${campaign.campaignStatus}`],
              },
        );
      }
    }
  }

  private readonly waiting = new Set<string>();

  private waitForCampaign(assignment: SimAssignment): void {
    this.waiting.add(assignment.phoneNumber);
  }

  private decideAssignment(
    assignment: SimAssignment,
    decision: { outcome: 'approved' | 'rejected'; reasons: string[] },
  ): void {
    this.waiting.delete(assignment.phoneNumber);
    assignment.updatedAt = this.now().toISOString();
    if (decision.outcome === 'approved') {
      assignment.assignmentStatus = 'ASSIGNED';
      delete assignment.failureReasons;
    } else {
      assignment.assignmentStatus = 'FAILED_ASSIGNMENT';
      assignment.failureReasons = decision.reasons.join('; ') || 'Assignment failed';
    }
    const campaign = this.campaigns.get(assignment.campaignId);
    this.announce('10dlc.phone_number.update', campaign ?? {}, {
      phoneNumber: assignment.phoneNumber,
      campaignId: assignment.campaignId,
      brandId: assignment.brandId,
      type: 'ASSIGNMENT',
      status: decision.outcome === 'approved' ? 'success' : 'failed',
      description:
        decision.outcome === 'approved'
          ? 'Phone number assigned to the campaign'
          : `Assignment failed: ${assignment.failureReasons ?? ''}`,
    });
  }

  /** Posts a signed status webhook to the resource's URLs (its own, else the profile's). */
  private announce(
    eventType: TrustWebhookType,
    resource: Readonly<Record<string, unknown>>,
    payload: Record<string, unknown>,
  ): void {
    const own = [text(resource['webhookURL']), text(resource['webhookFailoverURL'])].filter(
      (url): url is string => url !== undefined,
    );
    const urls = own.length > 0 ? own : [this.settings.webhookUrl];
    void this.dispatcher.deliver(trustWebhookEvent(eventType, payload, this.now()), urls);
  }

  private schedule(key: string, decide: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.reviews.delete(key);
      decide();
    }, this.settings.reviewDelayMs);
    // A pending review never keeps the process alive.
    timer.unref();
    this.reviews.set(key, timer);
  }

  private cancel(key: string): void {
    const timer = this.reviews.get(key);
    if (timer) clearTimeout(timer);
    this.reviews.delete(key);
  }

  private byKey(kind: string, key: string | undefined): string | undefined {
    return key === undefined ? undefined : this.keys.get(`${kind}:${key}`);
  }

  private remember(kind: string, key: string | undefined, id: string): void {
    if (key !== undefined) this.keys.set(`${kind}:${key}`, id);
  }
}

/** Reads `POST /sim/trust/decisions` bodies; a bad one is refused with the reason. */
export function parseTrustDecision(
  value: unknown,
): { ok: true; decision: TrustDecision } | { ok: false; reason: string } {
  if (!isObject(value)) return { ok: false, reason: 'the body must be a JSON object' };
  const reasonsValue = value['reasons'] ?? [];
  if (!Array.isArray(reasonsValue) || !reasonsValue.every((r) => typeof r === 'string')) {
    return { ok: false, reason: 'reasons must be an array of strings' };
  }
  const reasons = reasonsValue;
  const outcome = value['outcome'];
  const targets = ['brandId', 'campaignId', 'phoneNumber', 'verificationId'].filter(
    (k) => value[k] !== undefined,
  );
  if (targets.length !== 1) {
    return {
      ok: false,
      reason: 'name exactly one of brandId, campaignId, phoneNumber, verificationId',
    };
  }
  const verificationId = text(value['verificationId']);
  if (verificationId) {
    if (
      outcome !== 'approved' &&
      outcome !== 'rejected' &&
      outcome !== 'in_progress' &&
      outcome !== 'waiting_for_customer'
    ) {
      return {
        ok: false,
        reason:
          'a toll-free verification outcome is approved, rejected, in_progress or waiting_for_customer',
      };
    }
    return {
      ok: true,
      decision: { kind: 'toll_free_verification', verificationId, outcome, reasons },
    };
  }
  const brandId = text(value['brandId']);
  if (brandId && outcome === undefined) {
    // A vetting score alone: the brand's external vetting is scored.
    const score = value['vettingScore'];
    if (!Number.isInteger(score) || (score as number) < 0 || (score as number) > 100) {
      return { ok: false, reason: 'a vetting decision needs vettingScore, an integer 0..100' };
    }
    return { ok: true, decision: { kind: 'vetting', brandId, vettingScore: score as number } };
  }
  if (brandId) {
    if (outcome !== 'approved' && outcome !== 'rejected') {
      return { ok: false, reason: 'a brand outcome is approved or rejected' };
    }
    const score = value['vettingScore'];
    if (
      score !== undefined &&
      (!Number.isInteger(score) || (score as number) < 0 || (score as number) > 100)
    ) {
      return { ok: false, reason: 'vettingScore must be an integer 0..100' };
    }
    return {
      ok: true,
      decision: {
        kind: 'brand',
        brandId,
        outcome,
        reasons,
        ...(score === undefined ? {} : { vettingScore: score as number }),
      },
    };
  }
  const campaignId = text(value['campaignId']);
  if (campaignId) {
    if (
      outcome !== 'approved' &&
      outcome !== 'rejected' &&
      outcome !== 'suspended' &&
      outcome !== 'expired'
    ) {
      return {
        ok: false,
        reason: 'a campaign outcome is approved, rejected, suspended or expired',
      };
    }
    return { ok: true, decision: { kind: 'campaign', campaignId, outcome, reasons } };
  }
  const phoneNumber = text(value['phoneNumber']);
  if (phoneNumber) {
    if (outcome !== 'approved' && outcome !== 'rejected') {
      return { ok: false, reason: 'a number assignment outcome is approved or rejected' };
    }
    return { ok: true, decision: { kind: 'phone_number', phoneNumber, outcome, reasons } };
  }
  return {
    ok: false,
    reason: 'brandId, campaignId, phoneNumber or verificationId must be a non-empty string',
  };
}

/** Reads `POST /sim/trust/holds` bodies: `{phoneNumber}`, E.164; a bad one is refused. */
export function parseTrustHold(
  value: unknown,
): { ok: true; phoneNumber: string } | { ok: false; reason: string } {
  if (!isObject(value)) return { ok: false, reason: 'the body must be a JSON object' };
  const unknown = Object.keys(value).filter((k) => k !== 'phoneNumber');
  if (unknown.length > 0) {
    return { ok: false, reason: `a hold takes only phoneNumber, not ${unknown.join(', ')}` };
  }
  const phoneNumber = value['phoneNumber'];
  if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) {
    return { ok: false, reason: 'phoneNumber must be an E.164 number' };
  }
  return { ok: true, phoneNumber };
}
