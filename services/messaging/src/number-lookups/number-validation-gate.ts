import type { ComplianceReason, NumberValidationSetting } from '@textplane/contracts';
import type { Gate, GateAnswer } from '../messages/dispatch/gates.js';
import type { OutboundMessage } from '../messages/message.decider.js';
import { type KnownNumber, NUMBER_LOOKUP_EVENT, numberLookupWaitKey } from './known-number.js';

/** The flag of a message let through because its recipient's lookup failed. */
export const NUMBER_LOOKUP_FAILED_FLAG = 'number_lookup_failed';
const RECIPIENT_NOT_MOBILE: ComplianceReason = 'recipient_not_mobile';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface NumberValidationPolicy {
  /**
   * How long a failed lookup lets the number's messages through flagged before the number is
   * looked up again (the tenant's cacheDays is for successful lookups only).
   */
  failureReuseMs: number;
}
export const DEFAULT_NUMBER_VALIDATION_POLICY: NumberValidationPolicy = Object.freeze({
  failureReuseMs: 60 * 60 * 1000,
});

/**
 * What the number-validation gate looks at. Every field the dispatcher's DispatchFacts does not
 * carry yet is optional, so the gate is a `Gate` as it stands; absent means off / nothing known.
 */
export interface NumberValidationFacts {
  message: Pick<OutboundMessage, 'to' | 'autoReply'>;
  now: Date;
  /** The tenant profile (its zone only names the type: DispatchFacts' tenant carries it). */
  tenant: { timeZone: string; numberValidation?: Readonly<NumberValidationSetting> };
  /** What messaging knows of the recipient's number (NumberLookups.knownNumbers); null: nothing. */
  recipientNumber?: KnownNumber | null;
}

const PASS: GateAnswer = { answer: 'pass' };

/**
 * The tenant's number validation (issue 12 §4), pure:
 * - off (the default), or an automatic reply (HELP, STOP confirmations answer a number that just
 *   texted in, and must go out): pass;
 * - a successful lookup younger than the tenant's `cacheDays`: blocked `recipient_not_mobile`
 *   when its line type is one the tenant skips, else pass;
 * - else a failed lookup younger than `failureReuseMs`: pass, flagged `number_lookup_failed`;
 * - else (never looked up, or only long ago): wait for the number's lookup (the event
 *   NUMBER_LOOKUP_EVENT, keyed by the number), which NumberLookups makes and records.
 */
export function numberValidationAnswer(
  facts: NumberValidationFacts,
  policy: NumberValidationPolicy = DEFAULT_NUMBER_VALIDATION_POLICY,
): GateAnswer {
  const { message, now, tenant } = facts;
  const setting = tenant.numberValidation;
  if (setting?.enabled !== true || message.autoReply !== null) return PASS;
  const known = facts.recipientNumber ?? null;
  const lookup = known?.lookup ?? null;
  if (lookup !== null && now.getTime() - lookup.lookedUpAt.getTime() < setting.cacheDays * DAY_MS) {
    if (!setting.skipLineTypes.includes(lookup.lineType)) return PASS;
    return {
      answer: 'block',
      reasons: [RECIPIENT_NOT_MOBILE],
      detail:
        `the recipient ${message.to} is a ${lookup.lineType} number (looked up ` +
        `${lookup.lookedUpAt.toISOString()}), a line type the tenant's number validation skips`,
    };
  }
  const failure = known?.failure ?? null;
  if (failure !== null && now.getTime() - failure.failedAt.getTime() < policy.failureReuseMs) {
    return { answer: 'pass', flags: [NUMBER_LOOKUP_FAILED_FLAG] };
  }
  return {
    answer: 'wait',
    until: { kind: 'event', event: NUMBER_LOOKUP_EVENT, key: numberLookupWaitKey(message.to) },
  };
}

/**
 * The number-validation gate for the dispatcher's list (after sender registration, before media,
 * funds and throughput: a blocked landline holds no funds, and throughput counts the recipient's
 * carrier this gate's lookup found). Its input: `facts.recipientNumber` and
 * `facts.tenant.numberValidation` (the tenant profile's).
 */
export function numberValidationGate(
  policy: NumberValidationPolicy = DEFAULT_NUMBER_VALIDATION_POLICY,
): Gate {
  return {
    name: 'number-validation',
    decide: (facts: NumberValidationFacts) => numberValidationAnswer(facts, policy),
  };
}
