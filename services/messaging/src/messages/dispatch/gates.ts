import {
  type ComplianceCheck,
  type ConsentStanding,
  evaluateCompliance,
  nextAllowedSendTime,
  recipientLocale,
} from '@textplane/compliance';
import type {
  ComplianceReason,
  FundsHoldRequested,
  HoldReason,
  MessageWaitingFor,
  NumberValidationSetting,
  RestrictedContentPolicy,
} from '@textplane/contracts';
import type { SenderRegistration } from '../../sender-registrations/sender-registration.js';
import {
  senderRegistrationGate,
  type TollFreeVerification,
  type UseCaseMismatchPolicy,
} from '../../sender-registrations/sender-registration-gate.js';
import type { KnownNumber } from '../../number-lookups/known-number.js';
import { type FundsFacts, fundsGate } from '../../funds/funds-gate.js';
import {
  type NumberValidationPolicy,
  numberValidationGate,
} from '../../number-lookups/number-validation-gate.js';
import type { SubmissionClearance } from '../message.commands.js';
import type { OutboundMessage } from '../message.decider.js';
import { timeWindowGate } from './time-window-gate.js';

/**
 * The dispatcher's gates: each asks one question about a message that is about to go to the
 * carrier and answers `pass`, `wait` (until a time, or until an event opens the gate) or
 * `block`. Pure: what they look at (the message, the clock, messaging's local projections of
 * consent, tenants and sender numbers) is read by the dispatcher and handed in as facts.
 */
export type GateAnswer =
  | { answer: 'pass'; flags?: readonly string[] }
  | { answer: 'wait'; until: WaitCondition }
  | { answer: 'block'; reasons: ComplianceReason[]; detail: string };

/** What a waiting message waits for. */
export type WaitCondition =
  | { kind: 'time'; at: Date; reason: HoldReason; timeZone?: string }
  /**
   * An event that opens the gate (a billing hold placed, media transcoded, a campaign
   * approved), by its type name; `key` narrows it to one occurrence (the campaign, the hold).
   * `waitingFor`: what the message is shown waiting for meanwhile (MessageParked; absent: its
   * turn).
   */
  | {
      kind: 'event';
      event: string;
      key?: string;
      waitingFor?: MessageWaitingFor;
      /** Looked at again at this time even if the event never comes (the funds wait limit). */
      releaseAt?: Date;
      /** Ask billing for the message's hold as it starts waiting (the funds gate). */
      holdRequest?: FundsHoldRequested;
    }
  /**
   * Its turn at a known time that is no hold (still `queued`, shown waiting for `waitingFor`):
   * the carrier's rate window has room again at `at`.
   */
  | { kind: 'turn'; at: Date; waitingFor: MessageWaitingFor };

/** What the gates look at for one message, right now. */
export interface DispatchFacts {
  message: OutboundMessage;
  now: Date;
  /** The recipient's consent standing (messaging's consent view). */
  standing: ConsentStanding;
  tenant: {
    timeZone: string;
    restrictedContent: RestrictedContentPolicy;
    /** Marketing from a transactional campaign: flagged (absent: the default) or blocked. */
    campaignUseCaseMismatch?: UseCaseMismatchPolicy;
    /** The tenant's number validation (absent: off). */
    numberValidation?: Readonly<NumberValidationSetting>;
  };
  /** Whether the message's tenant still holds its `from` number (tenant_numbers). */
  senderHeld: boolean;
  /**
   * The `from` number's 10DLC registration as messaging's projection of registration's facts
   * has it (sender_registration_*); null or absent: on no campaign.
   */
  senderRegistration?: SenderRegistration | null;
  /**
   * A toll-free `from` number's latest verification status (sender_toll_free_verifications);
   * null or absent: none.
   */
  tollFreeVerification?: TollFreeVerification;
  /** What a lookup told of the recipient's number (number_lookups); null or absent: nothing. */
  recipientNumber?: KnownNumber | null;
  /**
   * The message belongs to a bulk send that is paused now, or canceled and its message not swept
   * yet (bulk_send_runs): it waits.
   */
  bulkSendPaused?: boolean;
  /** The message's hold and its tenant's funds as messaging's projection of billing has them. */
  funds?: FundsFacts;
}

export interface Gate {
  readonly name: string;
  decide(facts: DispatchFacts): GateAnswer;
}

const PASS: GateAnswer = { answer: 'pass' };

/** The event that opens the bulk-pause gate, for one bulk send (the key: its id). */
export const BULK_SEND_RESUMED_EVENT = 'messaging.BulkSendResumed.v1';

/**
 * A released message of a paused bulk send waits (still queued or scheduled) until the bulk send
 * is resumed; a cancel cancels it instead. Not a block: the pause is the client's to lift.
 */
export const bulkPauseGate: Gate = {
  name: 'bulk-pause',
  decide({ message, bulkSendPaused }) {
    if (message.bulkSendId === undefined || bulkSendPaused !== true) return PASS;
    return {
      answer: 'wait',
      until: { kind: 'event', event: BULK_SEND_RESUMED_EVENT, key: message.bulkSendId },
    };
  },
};

/** The client's `sendAt`: nothing goes before it. */
export const scheduleGate: Gate = {
  name: 'schedule',
  decide({ message, now }) {
    if (message.requestedSendAt === null) return PASS;
    const at = new Date(message.requestedSendAt);
    return at.getTime() > now.getTime()
      ? { answer: 'wait', until: { kind: 'time', at, reason: 'scheduled' } }
      : PASS;
  },
};

/**
 * The tenant still holds the `from` number: a message queued or held before the number was
 * released must not leave from it (perhaps another tenant's number by then). Ahead of consent
 * and content, whose reasons do not matter from a released number.
 */
export const senderGate: Gate = {
  name: 'sender',
  decide({ message, senderHeld }) {
    return senderHeld
      ? PASS
      : {
          answer: 'block',
          reasons: ['sender_not_owned'],
          detail: `the tenant no longer holds the sender number ${message.from}`,
        };
  },
};

/** Consent, DND and content (libs/compliance); restricted content let through is a flag. */
export const consentAndContentGate: Gate = {
  name: 'consent-and-content',
  decide(facts) {
    const verdict = evaluateCompliance(complianceCheckOf(facts));
    return verdict.verdict === 'block'
      ? { answer: 'block', reasons: verdict.reasons, detail: verdict.detail }
      : { answer: 'pass', flags: verdict.flags };
  },
};

/** Marketing waits for the recipient's allowed hours (federal and state windows). */
export const quietHoursGate: Gate = {
  name: 'quiet-hours',
  decide({ message, now, tenant }) {
    if (message.autoReply !== null || message.purpose !== 'marketing') return PASS;
    const locale = recipientLocale({
      phone: message.to,
      contactTimeZone: message.recipientTimeZone ?? undefined,
      tenantTimeZone: tenant.timeZone,
    });
    const at = nextAllowedSendTime(now, locale);
    return at.getTime() === now.getTime()
      ? PASS
      : {
          answer: 'wait',
          until: { kind: 'time', at, reason: 'quiet_hours_held', timeZone: locale.timeZone },
        };
  },
};

/** Switches of the gate list, from messaging's configuration. */
export interface DispatchGateSwitches {
  /**
   * The sender-registration gate (MESSAGING_ENFORCE_SENDER_REGISTRATION, default true). Off
   * only while a test harness sends from senders it has not registered.
   */
  enforceSenderRegistration: boolean;
  /** The number-validation gate's policy (NUMBER_LOOKUP_FAILURE_REUSE_MS); absent: the default. */
  numberValidation?: NumberValidationPolicy;
  /**
   * The funds gate (MESSAGING_ENFORCE_FUNDS, default true): nothing reaches the carrier before
   * billing holds its worst-case cost. Off only for a harness that runs no billing.
   */
  enforceFunds?: boolean;
}

/**
 * The gates in the order a message meets them (DESIGN.md: schedule, consent and content, quiet
 * hours, sender registration, media, funds, throughput). A new gate goes in here, in its place;
 * the first answer that is not `pass` decides.
 */
export function dispatchGates(switches: DispatchGateSwitches): readonly Gate[] {
  return [
    bulkPauseGate,
    scheduleGate,
    timeWindowGate,
    senderGate,
    consentAndContentGate,
    quietHoursGate,
    ...(switches.enforceSenderRegistration ? [senderRegistrationGate()] : []),
    numberValidationGate(switches.numberValidation),
    ...(switches.enforceFunds === true ? [fundsGate()] : []),
  ];
}

/**
 * The gates without sender registration: DispatchGates' default, for tests whose senders are not
 * registered. The service builds its list with dispatchGates(config).
 */
export const DISPATCH_GATES: readonly Gate[] = dispatchGates({ enforceSenderRegistration: false });

/** The gates' joint answer: the first that did not pass (by name), or pass with every flag. */
export type DispatchVerdict =
  | { answer: 'pass'; flags: string[] }
  | (Exclude<GateAnswer, { answer: 'pass' }> & { gate: string });

export function runGates(gates: readonly Gate[], facts: DispatchFacts): DispatchVerdict {
  const flags: string[] = [];
  for (const gate of gates) {
    const answer = gate.decide(facts);
    if (answer.answer !== 'pass') return { ...answer, gate: gate.name };
    flags.push(...(answer.flags ?? []));
  }
  return { answer: 'pass', flags };
}

/**
 * The verdict as the message decider takes it. `retried`: an earlier attempt may have reached
 * the carrier before a restart, which a block says.
 */
export function clearanceOf(verdict: DispatchVerdict, retried: boolean): SubmissionClearance {
  switch (verdict.answer) {
    case 'pass':
      return { verdict: 'send', flags: verdict.flags };
    case 'wait': {
      const until = verdict.until;
      if (until.kind === 'event') {
        return {
          verdict: 'wait',
          event: until.event,
          ...(until.waitingFor ? { waitingFor: until.waitingFor } : {}),
          ...(until.holdRequest ? { holdRequest: until.holdRequest } : {}),
        };
      }
      if (until.kind === 'turn') {
        return { verdict: 'wait', until: until.at, waitingFor: until.waitingFor };
      }
      return {
        verdict: 'hold',
        sendAt: until.at,
        reason: until.reason,
        ...(until.timeZone ? { timeZone: until.timeZone } : {}),
      };
    }
    case 'block':
      return {
        verdict: 'block',
        reasons: verdict.reasons,
        detail: retried
          ? `${verdict.detail}; an attempt before a restart may have reached the carrier`
          : verdict.detail,
      };
  }
}

/** The compliance check of a message about to go out now. */
export function complianceCheckOf(
  facts: Pick<DispatchFacts, 'message' | 'now' | 'standing' | 'tenant'>,
): ComplianceCheck {
  const { message, now, standing, tenant } = facts;
  return {
    body: message.body,
    purpose: message.purpose,
    channel: message.mediaUrls.length > 0 ? 'mms' : 'sms',
    to: message.to,
    at: now,
    standing,
    tenant: { timeZone: tenant.timeZone, restrictedContent: tenant.restrictedContent },
    contactTimeZone: message.recipientTimeZone ?? undefined,
    autoReply: message.autoReply !== null,
  };
}
