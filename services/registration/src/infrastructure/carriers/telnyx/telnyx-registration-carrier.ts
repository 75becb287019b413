import type {
  BrandDetails,
  CampaignDetails,
  RegistrationReason,
  TollFreeVerificationDetails,
} from '@textplane/contracts';
import { APIConnectionError, APIError, type ClientOptions, NotFoundError, Telnyx } from 'telnyx';
import type { CampaignCarrierReading, CarrierReading } from '../../../registration-status.js';
import type {
  BrandStanding,
  CarrierCall,
  CreatedBrand,
  RegistrationCarrier,
  SubmittedCampaign,
  SubmittedTollFreeVerification,
} from '../registration-carrier.js';
import {
  brandCreateParamsOf,
  campaignSubmitParamsOf,
  tollFreeVerificationParamsOf,
} from './telnyx-registration-payloads.js';
import {
  assignmentReadingOf,
  brandReadingOf,
  campaignReadingOf,
  otpReasonsOf,
  reasonsOf,
  tollFreeReadingOf,
  tollFreeReasonsOf,
} from './telnyx-registration-status.js';

export interface TelnyxRegistrationCarrierOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  /** Where Telnyx posts 10DLC status webhooks (the gateway's `/webhooks/telnyx`). */
  webhookUrl?: string;
  logger?: CarrierLogger;
  logLevel?: ClientOptions['logLevel'];
}

/** The service's logger, as far as the SDK needs it (pino's `(object, message)` form). */
export interface CarrierLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

function sdkLoggerOf(logger: CarrierLogger): NonNullable<ClientOptions['logger']> {
  const at =
    (level: keyof CarrierLogger) =>
    (message: string, ...details: unknown[]): void => {
      logger[level]({ carrier: 'telnyx', details }, message);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/**
 * 10DLC registration through the official Telnyx SDK (`client.messaging10dlc`): brand create
 * and retrieve with its external vetting, campaign builder submit and campaign retrieve, phone
 * number campaign create, retrieve and delete. Every creating call carries textplane's id as its
 * `Idempotency-Key` (and a campaign's as its `referenceId`, which Telnyx keeps unique), so a
 * call repeated after a crash creates nothing twice.
 */
export class TelnyxRegistrationCarrier implements RegistrationCarrier {
  private readonly client: Telnyx;

  constructor(private readonly options: TelnyxRegistrationCarrierOptions) {
    this.client = new Telnyx({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      ...(options.logger ? { logger: sdkLoggerOf(options.logger) } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    });
  }

  createBrand(brandId: string, brand: BrandDetails): Promise<CarrierCall<CreatedBrand>> {
    return call(async () => {
      const created = await this.client.messaging10dlc.brand.create(
        brandCreateParamsOf(brand, this.options.webhookUrl),
        { headers: { 'Idempotency-Key': brandId } },
      );
      if (!created.brandId) throw new MissingField('brandId');
      return {
        carrierBrandId: created.brandId,
        ...(created.tcrBrandId ? { tcrBrandId: created.tcrBrandId } : {}),
        reading: brandReadingOf(created),
      };
    }, 'REGISTRATION_FAILED');
  }

  brandStatus(carrierBrandId: string): Promise<CarrierCall<BrandStanding>> {
    return call(async () => {
      const brand = await this.client.messaging10dlc.brand.retrieve(carrierBrandId);
      const vettings = await this.client.messaging10dlc.brand.externalVetting.list(carrierBrandId);
      // The latest vetting with a score decides the class.
      const latest = vettings
        .filter((v) => typeof v.vettingScore === 'number')
        .sort((a, b) => (b.vettedDate ?? '').localeCompare(a.vettedDate ?? ''))[0];
      return {
        reading: brandReadingOf(brand),
        ...(latest?.vettingScore === undefined
          ? {}
          : {
              vetting: {
                score: latest.vettingScore,
                ...(latest.evpId ? { provider: latest.evpId } : {}),
              },
            }),
      };
    }, 'REGISTRATION_FAILED');
  }

  submitCampaign(
    campaignId: string,
    carrierBrandId: string,
    campaign: CampaignDetails,
  ): Promise<CarrierCall<SubmittedCampaign>> {
    return call(async () => {
      const submitted = await this.client.messaging10dlc.campaignBuilder.submit(
        campaignSubmitParamsOf(campaignId, carrierBrandId, campaign, this.options.webhookUrl),
        { headers: { 'Idempotency-Key': campaignId } },
      );
      return {
        carrierCampaignId: submitted.campaignId,
        ...(submitted.tcrCampaignId ? { tcrCampaignId: submitted.tcrCampaignId } : {}),
        reading: campaignReadingOf(submitted),
      };
    }, 'TCR_FAILED');
  }

  campaignStatus(carrierCampaignId: string): Promise<CarrierCall<CampaignCarrierReading>> {
    return call(async () => {
      const campaign = await this.client.messaging10dlc.campaign.retrieve(carrierCampaignId);
      return campaignReadingOf(campaign);
    }, 'TCR_FAILED');
  }

  assignNumber(
    assignmentKey: string,
    phoneNumber: string,
    carrierCampaignId: string,
  ): Promise<CarrierCall<CarrierReading>> {
    return call(async () => {
      const assignment = await this.client.messaging10dlc.phoneNumberCampaigns.create(
        { phoneNumber, campaignId: carrierCampaignId },
        { headers: { 'Idempotency-Key': assignmentKey } },
      );
      return assignmentReadingOf(assignment);
    }, 'FAILED_ASSIGNMENT');
  }

  assignmentStatus(phoneNumber: string): Promise<CarrierCall<CarrierReading | null>> {
    return call(
      () =>
        orNoneWhenNotFound(async () =>
          assignmentReadingOf(
            await this.client.messaging10dlc.phoneNumberCampaigns.retrieve(phoneNumber),
          ),
        ),
      'FAILED_ASSIGNMENT',
    );
  }

  /** `phoneNumberCampaigns.delete(phoneNumber)`: DELETE /10dlc/phone_number_campaigns/{phone}. */
  unassignNumber(
    requestKey: string,
    phoneNumber: string,
  ): Promise<CarrierCall<CarrierReading | null>> {
    return call(
      () =>
        orNoneWhenNotFound(async () =>
          assignmentReadingOf(
            await this.client.messaging10dlc.phoneNumberCampaigns.delete(phoneNumber, {
              headers: { 'Idempotency-Key': requestKey },
            }),
          ),
        ),
      'FAILED_UNASSIGNMENT',
    );
  }

  submitTollFreeVerification(
    verificationId: string,
    verification: TollFreeVerificationDetails,
  ): Promise<CarrierCall<SubmittedTollFreeVerification>> {
    return call(
      async () => {
        const created = await this.client.messagingTollfree.verification.requests.create(
          tollFreeVerificationParamsOf(verification, this.options.webhookUrl),
          { headers: { 'Idempotency-Key': verificationId } },
        );
        if (!created.id) throw new MissingField('id');
        return { carrierVerificationId: created.id, reading: tollFreeReadingOf(created) };
      },
      'Rejected',
      tollFreeReasonsOf,
    );
  }

  tollFreeVerificationStatus(carrierVerificationId: string): Promise<CarrierCall<CarrierReading>> {
    return call(
      async () =>
        tollFreeReadingOf(
          await this.client.messagingTollfree.verification.requests.retrieve(carrierVerificationId),
        ),
      'Rejected',
      tollFreeReasonsOf,
    );
  }

  sendBrandOtp(
    requestKey: string,
    carrierBrandId: string,
    texts: { pinSms: string; successSms: string },
  ): Promise<CarrierCall<{ referenceId: string }>> {
    return call(
      async () => {
        const sent = await this.client.messaging10dlc.brand.triggerSMSOtp(carrierBrandId, texts, {
          headers: { 'Idempotency-Key': requestKey },
        });
        if (!sent.referenceId) throw new MissingField('referenceId');
        return { referenceId: sent.referenceId };
      },
      'OTP_FAILED',
      (detail) => otpReasonsOf(detail, 'send'),
    );
  }

  verifyBrandOtp(
    requestKey: string,
    carrierBrandId: string,
    otpPin: string,
  ): Promise<CarrierCall<{ verified: true }>> {
    return call(
      async () => {
        await this.client.messaging10dlc.brand.verifySMSOtp(
          carrierBrandId,
          { otpPin },
          { headers: { 'Idempotency-Key': requestKey } },
        );
        return { verified: true as const };
      },
      'OTP_FAILED',
      (detail) => otpReasonsOf(detail, 'verification'),
    );
  }

  orderBrandVetting(
    requestKey: string,
    carrierBrandId: string,
    order: { evpId: string; vettingClass: string },
  ): Promise<CarrierCall<{ vettingId?: string }>> {
    return call(async () => {
      const ordered = await this.client.messaging10dlc.brand.externalVetting.order(
        carrierBrandId,
        order,
        { headers: { 'Idempotency-Key': requestKey } },
      );
      return ordered.vettingId ? { vettingId: ordered.vettingId } : {};
    }, 'VETTING_FAILED');
  }
}

class MissingField extends Error {
  constructor(readonly field: string) {
    super(`carrier answered without ${field}`);
  }
}

/** 408, 429 and 5xx mean "not now", not "never". */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Runs one SDK call: an answer is `done`; a coded 4xx is the carrier's final `refused` with its
 * errors as reasons (under `refusedStatus`, the raw status the refusal amounts to); the rest is
 * `unavailable`, to be tried again.
 */
async function call<T>(
  run: () => Promise<T>,
  refusedStatus: string,
  reasonsFor: (detail: string) => RegistrationReason[] = reasonsOf,
): Promise<CarrierCall<T>> {
  try {
    return { outcome: 'done', value: await run() };
  } catch (error) {
    if (error instanceof MissingField) {
      return { outcome: 'unavailable', errorDetail: error.message };
    }
    if (error instanceof APIConnectionError) {
      return { outcome: 'unavailable', errorDetail: error.message };
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const details = errorDetailsOf(error.error);
      if (isRetryable(error.status)) {
        return {
          outcome: 'unavailable',
          errorDetail: details[0] ?? `carrier answered HTTP ${error.status}`,
        };
      }
      return {
        outcome: 'refused',
        carrierStatus: refusedStatus,
        reasons: reasonsFor(
          details.length > 0 ? details.join('; ') : `carrier answered HTTP ${error.status}`,
        ),
      };
    }
    throw error;
  }
}

/** Telnyx answers 404 for a number it holds no campaign assignment for: none, not a refusal. */
async function orNoneWhenNotFound<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Telnyx error bodies: `{"errors":[{"code","title","detail","source":{"pointer"}}]}`. */
function errorDetailsOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return [];
  const { errors } = body;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { detail, title } = e as Record<string, unknown>;
    const text = typeof detail === 'string' ? detail : typeof title === 'string' ? title : null;
    return text ? [text.replaceAll(/[;\n]+/gu, ',')] : [];
  });
}
