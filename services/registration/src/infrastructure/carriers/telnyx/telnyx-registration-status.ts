import type { RegistrationReason } from '@textplane/contracts';
import {
  type CampaignCarrierReading,
  type CarrierReading,
  OTP_REQUIRED_REASON,
} from '../../../registration-status.js';

/**
 * Telnyx's raw 10DLC statuses read into textplane's, and its failure reasons into reasons with a
 * suggested fix. Raw values are the unions of the telnyx SDK 7.24.0
 * (resources/messaging-10dlc: `TelnyxBrand.status` / `identityStatus`,
 * `TelnyxCampaignCsp.campaignStatus`, `PhoneNumberCampaign.assignmentStatus`).
 */

/**
 * A brand: `REGISTRATION_PENDING` is under review; `REGISTRATION_FAILED` rejected; `OK` with an
 * identity `VERIFIED`, `VETTED_VERIFIED` or (a sole proprietor after OTP) `SELF_DECLARED` is
 * approved, `UNVERIFIED` rejected (TCR could not verify the identity: campaigns are refused).
 * The raw value shown is the identity status once the brand is `OK`, else the brand status.
 */
export function brandReadingOf(brand: {
  status?: string | undefined;
  identityStatus?: string | undefined;
  failureReasons?: string | undefined;
  entityType?: string | undefined;
}): CarrierReading {
  const reasons = reasonsOf(brand.failureReasons);
  switch (brand.status) {
    case 'OK':
      // A sole proprietor's brand is verified by its OTP (identity VERIFIED); until then it waits
      // (Telnyx: "campaigns cannot be created until OTP verification is complete").
      if (brand.entityType === 'SOLE_PROPRIETOR' && brand.identityStatus !== 'VERIFIED') {
        return {
          status: 'pending',
          carrierStatus: brand.identityStatus ?? 'OK',
          reasons: [OTP_REQUIRED_REASON],
        };
      }
      switch (brand.identityStatus) {
        case 'VERIFIED':
        case 'VETTED_VERIFIED':
        case 'SELF_DECLARED':
          return { status: 'approved', carrierStatus: brand.identityStatus, reasons: [] };
        case 'UNVERIFIED':
          return {
            status: 'rejected',
            carrierStatus: 'UNVERIFIED',
            reasons: reasons.length > 0 ? reasons : [unverifiedReason],
          };
        default:
          return { status: 'pending', carrierStatus: 'OK', reasons: [] };
      }
    case 'REGISTRATION_FAILED':
      return {
        status: 'rejected',
        carrierStatus: 'REGISTRATION_FAILED',
        reasons: reasons.length > 0 ? reasons : [unspecified('REGISTRATION_FAILED')],
      };
    case 'REGISTRATION_PENDING':
    case undefined:
      return { status: 'pending', carrierStatus: brand.status ?? 'REGISTRATION_PENDING', reasons };
    default:
      // A value the SDK does not know yet: shown raw, read as still under review.
      return { status: 'pending', carrierStatus: brand.status, reasons };
  }
}

/** Statuses after which the carriers have accepted the campaign (approval waits for a number). */
const CARRIER_ACCEPTED = new Set(['MNO_ACCEPTED', 'MNO_PROVISIONED']);

/**
 * A campaign: the registry's (`TCR_*`), Telnyx's (`TELNYX_*`) and the carriers' (`MNO_*`)
 * reviews in turn. Failures at any step are `rejected`; `TCR_SUSPENDED` suspended;
 * `TCR_EXPIRED` expired (not renewed); everything else is under review, accepted by the
 * carriers from `MNO_ACCEPTED` on.
 */
export function campaignReadingOf(campaign: {
  campaignStatus?: string | undefined;
  failureReasons?: string | undefined;
}): CampaignCarrierReading {
  const carrierStatus = campaign.campaignStatus ?? 'TCR_PENDING';
  const reasons = reasonsOf(campaign.failureReasons);
  switch (carrierStatus) {
    case 'TCR_FAILED':
    case 'TELNYX_FAILED':
    case 'MNO_REJECTED':
    case 'MNO_PROVISIONING_FAILED':
      return {
        status: 'rejected',
        carrierAccepted: false,
        carrierStatus,
        reasons: reasons.length > 0 ? reasons : [unspecified(carrierStatus)],
      };
    case 'TCR_SUSPENDED':
      return { status: 'suspended', carrierAccepted: false, carrierStatus, reasons };
    case 'TCR_EXPIRED':
      return { status: 'expired', carrierAccepted: false, carrierStatus, reasons };
    default:
      return {
        status: 'pending',
        carrierAccepted: CARRIER_ACCEPTED.has(carrierStatus),
        carrierStatus,
        reasons: [],
      };
  }
}

/**
 * A number's assignment: `ASSIGNED` is provisioned (approved), `FAILED_ASSIGNMENT` rejected,
 * `PENDING_ASSIGNMENT` under way. Its removal: `PENDING_UNASSIGNMENT` under way (pending),
 * `FAILED_UNASSIGNMENT` refused (rejected, with the reasons; the number stays assigned); a
 * removed assignment is no longer there to read (the adapter's 404).
 */
export function assignmentReadingOf(assignment: {
  assignmentStatus?: string | undefined;
  failureReasons?: string | undefined;
}): CarrierReading {
  const carrierStatus = assignment.assignmentStatus ?? 'PENDING_ASSIGNMENT';
  switch (carrierStatus) {
    case 'ASSIGNED':
      return { status: 'approved', carrierStatus, reasons: [] };
    case 'FAILED_ASSIGNMENT':
    case 'FAILED_UNASSIGNMENT': {
      const reasons = reasonsOf(assignment.failureReasons);
      return {
        status: 'rejected',
        carrierStatus,
        reasons: reasons.length > 0 ? reasons : [unspecified(carrierStatus)],
      };
    }
    default:
      return { status: 'pending', carrierStatus, reasons: [] };
  }
}

interface ReasonRule {
  code: string;
  field?: string;
  /** Matches the carrier's words (case-insensitive). */
  pattern: RegExp;
  suggestedFix: string;
}

/**
 * textplane's fix for each kind of carrier reason, first match wins. The lint codes come first
 * as written (`code: text`, as the simulator and textplane's own lint spell them), then the
 * registry's usual wording. Suggestions are what to change before resubmitting.
 */
export const REASON_RULES: readonly ReasonRule[] = [
  {
    code: 'ein_mismatch',
    field: 'ein',
    pattern: /\bein\b|tax id|employer identification/iu,
    suggestedFix:
      'Give the EIN and the legal company name exactly as the IRS letter (CP 575 or 147C) shows them.',
  },
  {
    code: 'public_url_shortener',
    field: 'sampleMessages',
    pattern: /public_url_shortener|shortener|shortened (?:url|link)/iu,
    suggestedFix:
      'Use links on your own domain instead of a public URL shortener (bit.ly, tinyurl).',
  },
  {
    code: 'embedded_link_mismatch',
    field: 'embeddedLink',
    pattern: /embedded_link_mismatch|embedded link/iu,
    suggestedFix:
      'Set embeddedLink to true when a sample contains a link, and to false when none does.',
  },
  {
    code: 'embedded_phone_mismatch',
    field: 'embeddedPhone',
    pattern: /embedded_phone_mismatch|embedded phone/iu,
    suggestedFix:
      'Set embeddedPhone to true when a sample contains a phone number, and to false when none does.',
  },
  {
    code: 'missing_brand_name',
    field: 'sampleMessages',
    pattern: /missing_brand_name|brand name/iu,
    suggestedFix: 'Start every sample message with the brand name, e.g. "Acme Dental: ...".',
  },
  {
    code: 'missing_opt_out_language',
    field: 'sampleMessages',
    pattern: /missing_opt_out_language|opt[- ]?out language|opt[- ]?out instructions/iu,
    suggestedFix: 'End a sample message and the opt-in message with "Reply STOP to opt out."',
  },
  {
    code: 'help_without_contact',
    field: 'helpMessage',
    pattern: /help_without_contact|help message/iu,
    suggestedFix: 'Put an e-mail address, a phone number or a website in the help message.',
  },
  {
    code: 'opt_in_flow_unclear',
    field: 'messageFlow',
    pattern: /opt_in_flow_unclear|message flow|call to action|\bcta\b|opt[- ]?in/iu,
    suggestedFix:
      'Describe where and how consent is collected: the form or keyword, its public URL, and the consent text the person sees.',
  },
  {
    code: 'use_case_content_mismatch',
    field: 'usecase',
    pattern: /use_case_content_mismatch|use ?case/iu,
    suggestedFix:
      'Choose the use case that fits the samples (MARKETING or MIXED for promotions), or make the samples fit it.',
  },
  {
    code: 'restricted_content',
    field: 'sampleMessages',
    pattern: /restricted_content|restricted|prohibited|shaft|cannabis|firearm|gambling/iu,
    suggestedFix:
      'Remove restricted content (SHAFT: sex, hate, alcohol, firearms, tobacco; cannabis; high-risk lending) or register the special use case it needs.',
  },
  {
    code: 'website_unverifiable',
    field: 'website',
    pattern: /website|url/iu,
    suggestedFix:
      'Give a working public website that shows the business name and its privacy policy.',
  },
];

const UNSPECIFIED_FIX =
  "Correct what the carrier's reason names and resubmit; ask support when the reason is unclear.";

function unspecified(carrierStatus: string): RegistrationReason {
  return {
    code: 'unspecified',
    carrierReason: `${carrierStatus} without a reason`,
    suggestedFix: UNSPECIFIED_FIX,
  };
}

const unverifiedReason: RegistrationReason = {
  code: 'identity_unverified',
  carrierReason: 'UNVERIFIED',
  suggestedFix:
    'Check that the legal name, EIN, address and country match the official records, then ask for a revet.',
};

/** Telnyx sends reasons as one string; several are separated by semicolons or new lines. */
export function reasonsOf(failureReasons: string | undefined): RegistrationReason[] {
  if (!failureReasons) return [];
  return failureReasons
    .split(/[;\n]+/u)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((carrierReason) => {
      // A reason spelled with its code (`missing_brand_name: ...`) is that code, whatever it says.
      const rule =
        REASON_RULES.find((r) => carrierReason.startsWith(`${r.code}:`)) ??
        REASON_RULES.find((r) => r.pattern.test(carrierReason));
      return rule
        ? {
            code: rule.code,
            carrierReason,
            suggestedFix: rule.suggestedFix,
            ...(rule.field ? { field: rule.field } : {}),
          }
        : { code: 'unspecified', carrierReason, suggestedFix: UNSPECIFIED_FIX };
    });
}

/**
 * A toll-free verification request (`verificationStatus`, telnyx SDK 7.24.0 `TfVerificationStatus`):
 * `Verified` is approved, `Rejected` rejected with its `reason`; `Waiting For Telnyx`,
 * `Waiting For Vendor` and `In Progress` are under review, and so is `Waiting For Customer`, which
 * carries what the reviewer asks for as its reasons. The raw value is kept as sent.
 */
export function tollFreeReadingOf(request: {
  verificationStatus?: string | undefined;
  reason?: string | null | undefined;
}): CarrierReading {
  const carrierStatus = request.verificationStatus ?? 'Waiting For Telnyx';
  const reasons = tollFreeReasonsOf(request.reason ?? undefined);
  switch (carrierStatus) {
    case 'Verified':
      return { status: 'approved', carrierStatus, reasons: [] };
    case 'Rejected':
      return {
        status: 'rejected',
        carrierStatus,
        reasons: reasons.length > 0 ? reasons : [unspecified(carrierStatus)],
      };
    case 'Waiting For Customer':
      return { status: 'pending', carrierStatus, reasons };
    default:
      // Waiting For Telnyx / Vendor, In Progress, or a value the SDK does not know yet.
      return { status: 'pending', carrierStatus, reasons: [] };
  }
}

/**
 * textplane's fix for the toll-free reviewers' usual reasons, first match wins; then the 10DLC
 * rules (restricted content, shorteners, ...) as for campaigns.
 */
export const TOLL_FREE_REASON_RULES: readonly ReasonRule[] = [
  {
    code: 'opt_in_image_missing',
    field: 'optInWorkflowImageURLs',
    pattern: /opt_in_image_missing|image|screenshot/iu,
    suggestedFix:
      'Add public URLs of screenshots that show the opt-in: the form or keyword, the consent text and where it appears.',
  },
  {
    code: 'opt_in_workflow_unclear',
    field: 'optInWorkflow',
    pattern: /opt_in_workflow_unclear|opt[- ]?in|consent/iu,
    suggestedFix:
      'Describe where and how each person opts in (web form, keyword, paper form), the consent text they see, and that consent is not a condition of purchase.',
  },
  {
    code: 'production_message_mismatch',
    field: 'productionMessageContent',
    pattern: /production_message_mismatch|production message|message content|sample/iu,
    suggestedFix:
      'Give a real message as it will be sent: the business name, the content of the use case, and "Reply STOP to opt out."',
  },
  {
    code: 'business_unverifiable',
    field: 'businessName',
    pattern:
      /business_unverifiable|business (?:name|information|could not)|legal name|unable to verify/iu,
    suggestedFix:
      'Give the legal business name, address and registration number exactly as the official records show them.',
  },
  {
    code: 'message_volume_unlikely',
    field: 'messageVolume',
    pattern: /message_volume_unlikely|volume/iu,
    suggestedFix: 'Give the monthly volume the business really expects to send.',
  },
];

/** Telnyx gives one `reason` string; several are separated by semicolons or new lines. */
export function tollFreeReasonsOf(reason: string | undefined): RegistrationReason[] {
  if (!reason) return [];
  return reason
    .split(/[;\n]+/u)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((carrierReason) => {
      const rules = [...TOLL_FREE_REASON_RULES, ...REASON_RULES];
      const rule =
        rules.find((r) => carrierReason.startsWith(`${r.code}:`)) ??
        TOLL_FREE_REASON_RULES.find((r) => r.pattern.test(carrierReason)) ??
        REASON_RULES.filter((r) => r.code !== 'ein_mismatch').find((r) =>
          r.pattern.test(carrierReason),
        );
      return rule
        ? {
            code: rule.code,
            carrierReason,
            suggestedFix: rule.suggestedFix,
            ...(rule.field ? { field: rule.field } : {}),
          }
        : { code: 'unspecified', carrierReason, suggestedFix: UNSPECIFIED_FIX };
    });
}

/** The carrier's refusal of an OTP call, read into reasons with a fix. */
export function otpReasonsOf(detail: string, step: 'send' | 'verification'): RegistrationReason[] {
  if (step === 'verification') {
    const expired = /expired/iu.test(detail);
    return [
      {
        code: expired ? 'otp_expired' : 'otp_invalid',
        carrierReason: detail,
        suggestedFix: expired
          ? 'Request a new OTP and submit its PIN before it expires.'
          : "Submit the PIN exactly as the brand's mobile phone received it, or request a new OTP.",
        field: 'otpPin',
      },
    ];
  }
  return [
    {
      code: 'otp_not_sent',
      carrierReason: detail,
      suggestedFix:
        "Check the brand's mobilePhone (a US or Canadian mobile number) and that the brand is a registered sole proprietor, then request the OTP again.",
      field: 'mobilePhone',
    },
  ];
}
