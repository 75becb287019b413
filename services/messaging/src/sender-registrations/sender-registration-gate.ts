import type {
  CampaignUseCaseMismatchPolicy,
  ComplianceReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { TRANSACTIONAL_USECASES } from '@textplane/trust-rules';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { DispatchFacts, Gate, GateAnswer } from '../messages/dispatch/gates.js';
import type { OutboundMessage } from '../messages/message.decider.js';
import {
  SENDER_REGISTRATION_EVENT,
  type SenderRegistration,
  senderRegistrationKey,
} from './sender-registration.js';

/**
 * What carriers ask of a sender before its texts reach US handsets: a US long code (10DLC) an
 * approved campaign, a US toll-free number a verification; anything else is not theirs to ask.
 */
export type SenderClass = 'us_long_code' | 'us_toll_free' | 'other';

/** The NANP's toll-free area codes (shared by the US and Canada). */
const TOLL_FREE_AREA_CODES: ReadonlySet<string> = new Set([
  '800',
  '833',
  '844',
  '855',
  '866',
  '877',
  '888',
]);

/**
 * A +1 number on a toll-free area code is a toll-free sender; another +1 number is a US long
 * code unless libphonenumber's full metadata places it in another NANP country (Canada, the
 * Caribbean, which 10DLC does not cover). A +1 number it cannot place at all (a fictional 555
 * number, an area code newer than its metadata) counts as a US long code: a sender has to be
 * shown to be exempt, not the reverse.
 */
export function senderClassOf(phoneNumber: string): SenderClass {
  if (!/^\+1\d{10}$/u.test(phoneNumber)) return 'other';
  if (TOLL_FREE_AREA_CODES.has(phoneNumber.slice(2, 5))) return 'us_toll_free';
  const country = parsePhoneNumberFromString(phoneNumber)?.country;
  return country === undefined || country === 'US' ? 'us_long_code' : 'other';
}

/**
 * What a message from a campaign of a transactional use case must not be: marketing. `flag`
 * lets it through noted, `block` stops it: the tenant's `campaignUseCaseMismatch` setting.
 */
export type UseCaseMismatchPolicy = CampaignUseCaseMismatchPolicy;
export const DEFAULT_USE_CASE_MISMATCH_POLICY: UseCaseMismatchPolicy = 'flag';

const SENDER_NOT_REGISTERED: ComplianceReason = 'sender_not_registered';
const SENDER_NOT_VERIFIED: ComplianceReason = 'sender_not_verified';
const CAMPAIGN_USE_CASE_MISMATCH: ComplianceReason = 'campaign_use_case_mismatch';

const PASS: GateAnswer = { answer: 'pass' };

function waitForRegistration(message: OutboundMessage): GateAnswer {
  return {
    answer: 'wait',
    until: {
      kind: 'event',
      event: SENDER_REGISTRATION_EVENT,
      key: senderRegistrationKey(message.tenantId, message.from),
      // Shown as `queued` with `waitingFor: "registration"` (MessageParked).
      waitingFor: 'registration',
    },
  };
}

function notRegistered(detail: string): GateAnswer {
  return { answer: 'block', reasons: [SENDER_NOT_REGISTERED], detail };
}

const REFUSED: ReadonlySet<RegistrationStatus> = new Set(['rejected', 'suspended', 'expired']);

/**
 * A US long code's 10DLC rule (issue 12 §2): it sends once assigned to an `approved` campaign
 * (the assignment provisioned); while its assignment or campaign is `pending`, its messages wait
 * for the approval; on no campaign, a failed assignment or a rejected, suspended or expired
 * campaign, they are blocked `sender_not_registered`. A marketing message from a campaign of a
 * transactional use case is `campaign_use_case_mismatch` under `policy`.
 */
export function longCodeAnswer(
  message: OutboundMessage,
  registration: SenderRegistration | null,
  policy: UseCaseMismatchPolicy,
): GateAnswer {
  const from = message.from;
  if (registration === null) {
    return notRegistered(`the sender ${from} is not assigned to a 10DLC campaign`);
  }
  const { campaign, campaignId } = registration;
  if (registration.assignment === 'failed') {
    return notRegistered(`the assignment of ${from} to campaign ${campaignId} failed`);
  }
  if (registration.assignment === 'removed') {
    return notRegistered(`the sender ${from} was removed from campaign ${campaignId}`);
  }
  if (campaign !== null && REFUSED.has(campaign.status)) {
    return notRegistered(`the campaign ${campaignId} of sender ${from} is ${campaign.status}`);
  }
  if (registration.assignment === 'pending' || campaign === null || campaign.status === 'pending') {
    return waitForRegistration(message);
  }
  // Approved, and the number provisioned on it.
  return useCaseAnswer(message, campaign.usecase, policy);
}

/**
 * Marketing from a `2FA`, `ACCOUNT_NOTIFICATION` or other transactional campaign
 * (@textplane/trust-rules' TRANSACTIONAL_USECASES): carriers suspend campaigns for it. An
 * automatic reply (HELP, STOP) is never marketing.
 */
export function useCaseAnswer(
  message: Pick<OutboundMessage, 'purpose' | 'autoReply' | 'from'>,
  usecase: string,
  policy: UseCaseMismatchPolicy,
): GateAnswer {
  const transactional = (TRANSACTIONAL_USECASES as readonly string[]).includes(usecase);
  if (!transactional || message.purpose !== 'marketing' || message.autoReply !== null) return PASS;
  switch (policy) {
    case 'flag':
      return { answer: 'pass', flags: [CAMPAIGN_USE_CASE_MISMATCH] };
    case 'block':
      return {
        answer: 'block',
        reasons: [CAMPAIGN_USE_CASE_MISMATCH],
        detail: `a marketing message from ${message.from}, whose campaign's use case is ${usecase}`,
      };
  }
}

/**
 * A toll-free verification's status, or null when none was requested for the number.
 */
export type TollFreeVerification = RegistrationStatus | null;

/**
 * The toll-free rule (issue 12 §2): a US toll-free number sends once its verification is
 * `approved`; while `pending` its messages wait (keyed like a long code's), and with none, or a
 * rejected, suspended or expired one, they are blocked `sender_not_verified`. The status is
 * messaging's own projection of registration's verifications (sender_toll_free_verifications).
 */
export function tollFreeAnswer(
  message: OutboundMessage,
  verification: TollFreeVerification,
): GateAnswer {
  switch (verification) {
    case 'approved':
      return PASS;
    case 'pending':
      return waitForRegistration(message);
    case null:
      return {
        answer: 'block',
        reasons: [SENDER_NOT_VERIFIED],
        detail: `the toll-free sender ${message.from} has no verification`,
      };
    case 'rejected':
    case 'suspended':
    case 'expired':
      return {
        answer: 'block',
        reasons: [SENDER_NOT_VERIFIED],
        detail: `the toll-free verification of ${message.from} is ${verification}`,
      };
  }
}

/**
 * The sender-registration gate (DESIGN.md: after quiet hours, before media, funds and
 * throughput). Its input is messaging's own projection of registration's facts
 * (`facts.senderRegistration`; absent or null: none known).
 */
export function senderRegistrationGate(): Gate {
  return {
    name: 'sender-registration',
    decide(facts: DispatchFacts): GateAnswer {
      const { message } = facts;
      const policy = facts.tenant.campaignUseCaseMismatch ?? DEFAULT_USE_CASE_MISMATCH_POLICY;
      switch (senderClassOf(message.from)) {
        case 'us_long_code':
          return longCodeAnswer(message, facts.senderRegistration ?? null, policy);
        case 'us_toll_free':
          return tollFreeAnswer(message, facts.tollFreeVerification ?? null);
        case 'other':
          return PASS;
      }
    },
  };
}
