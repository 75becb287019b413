import {
  type BillingCarrier,
  DEFAULT_FUNDS_WAIT_LIMIT_SECONDS,
  type FundsHoldRequested,
  type HoldRejectionReason,
} from '@textplane/contracts';
import type { KnownNumber } from '../number-lookups/known-number.js';
import { senderClassOf } from '../sender-registrations/sender-registration-gate.js';
import type { SenderRegistration } from '../sender-registrations/sender-registration.js';
import type { DispatchFacts, Gate, GateAnswer } from '../messages/dispatch/gates.js';

/**
 * What a message waiting for its hold wakes on (key: the message id): billing's answer, placed
 * or rejected, both of which FundsProjection turns into this one wake-up.
 */
export const HOLD_ANSWERED_EVENT = 'billing.HoldAnswered';
/** What a message refused for insufficient funds waits for (key: its tenant id). */
export const CREDIT_POSTED_EVENT = 'billing.CreditPosted.v1';

/**
 * The message's hold as messaging knows it: never asked, asked and not answered yet, placed, or
 * rejected (with billing's reason and the wallet's ledger sequence at the time, which a later
 * credit's exceeds).
 */
export type FundsHold =
  | { status: 'none' }
  | { status: 'requested'; firstRequestedAt: Date }
  | { status: 'placed' }
  | { status: 'rejected'; reason: HoldRejectionReason; sequence: number; firstRequestedAt: Date };

/** What the funds gate looks at for one message. */
export interface FundsFacts {
  hold: FundsHold;
  /** The wallet's ledger sequence after the tenant's last credit (billing.CreditPosted); null: none seen. */
  lastCreditSequence: number | null;
  /** From billing.WalletSettingsSet; absent: DEFAULT_FUNDS_WAIT_LIMIT_SECONDS. */
  fundsWaitLimitSeconds?: number;
}

/** Billing's last answer about one message's hold (funds_holds), and how many answers came. */
export interface HoldAnswer {
  status: 'placed' | 'rejected';
  reason: HoldRejectionReason | null;
  sequence: number;
  answers: number;
}

/**
 * The hold from the message's own requests (its stream) and billing's answers (FundsProjection):
 * billing answers every request once, so more requests than answers means one is unanswered.
 */
export function fundsHoldOf(
  requested: { firstRequestedAt: string; requests: number } | null,
  answer: HoldAnswer | null,
): FundsHold {
  if (answer?.status === 'placed') return { status: 'placed' };
  if (requested === null) return { status: 'none' };
  const firstRequestedAt = new Date(requested.firstRequestedAt);
  if (answer === null || requested.requests > answer.answers) {
    return { status: 'requested', firstRequestedAt };
  }
  return {
    status: 'rejected',
    reason: answer.reason ?? 'insufficient_funds',
    sequence: answer.sequence,
    firstRequestedAt,
  };
}

/**
 * The funds gate (issue 13): a message goes to the carrier only once billing has held its
 * worst-case cost. It waits for the hold (asked once), for a credit after a rejection, and is
 * blocked when no card prices its destination or it has waited for funds longer than the
 * tenant's limit. The wait counts from the first request, not from queueing: a message scheduled
 * a week ahead has not waited for funds meanwhile. Auto-replies go the same way (billing holds
 * zero for them at once), so there is one path.
 */
export function fundsGate(): Gate {
  return { name: FUNDS_GATE_NAME, decide: (facts) => fundsAnswer(facts) };
}

export const FUNDS_GATE_NAME = 'funds';

export function fundsAnswer(facts: DispatchFacts): GateAnswer {
  const { message, now } = facts;
  const funds = facts.funds ?? { hold: { status: 'none' }, lastCreditSequence: null };
  const hold = funds.hold;
  // Billing answers a hold request in moments: the message is not shown waiting for it (no
  // MessageParked), only for a credit once the wallet could not cover it.
  const waitForHold = (request: boolean): GateAnswer => ({
    answer: 'wait',
    until: {
      kind: 'event',
      event: HOLD_ANSWERED_EVENT,
      key: message.messageId,
      ...(request ? { holdRequest: holdRequestOf(facts) } : {}),
    },
  });
  switch (hold.status) {
    case 'placed':
      return { answer: 'pass' };
    case 'none':
      return waitForHold(true);
    case 'requested':
      return waitForHold(false);
    case 'rejected': {
      if (hold.reason === 'destination_not_priced') {
        return {
          answer: 'block',
          reasons: ['destination_not_priced'],
          detail: `no rate card in force prices the destination of ${message.to}`,
        };
      }
      const limitMs = (funds.fundsWaitLimitSeconds ?? DEFAULT_FUNDS_WAIT_LIMIT_SECONDS) * 1000;
      const deadline = new Date(hold.firstRequestedAt.getTime() + limitMs);
      if (now.getTime() >= deadline.getTime()) {
        return {
          answer: 'block',
          reasons: ['insufficient_funds'],
          detail: `the wallet did not cover the message within the funds wait limit (${limitMs / 1000} s)`,
        };
      }
      if (funds.lastCreditSequence !== null && funds.lastCreditSequence > hold.sequence) {
        return waitForHold(true);
      }
      return {
        answer: 'wait',
        until: {
          kind: 'event',
          event: CREDIT_POSTED_EVENT,
          key: message.tenantId,
          waitingFor: 'funds',
          releaseAt: deadline,
        },
      };
    }
  }
}

/** The hold request for a message at the funds gate, sized on its final content. */
export function holdRequestOf(facts: DispatchFacts): FundsHoldRequested {
  const { message, now } = facts;
  const mms = message.mediaUrls.length > 0;
  const tollFree = senderClassOf(message.from) === 'us_toll_free';
  const registration = facts.senderRegistration ?? null;
  const carrier = billingCarrierOf(facts.recipientNumber);
  return {
    messageId: message.messageId,
    tenantId: message.tenantId,
    to: message.to,
    from: message.from,
    channel: mms ? 'mms' : 'sms',
    segments: mms ? 1 : Math.max(1, message.segments),
    fromNumberType: tollFree ? 'toll_free' : 'long_code',
    registered: tollFree
      ? facts.tollFreeVerification === 'approved'
      : registeredLongCode(registration),
    ...(carrier ? { recipientCarrier: carrier } : {}),
    ...(message.bulkSendId !== undefined ? { bulkSendId: message.bulkSendId } : {}),
    ...(registration ? { campaignId: registration.campaignId } : {}),
    ...(message.autoReply !== null ? { autoReply: true as const } : {}),
    requestedAt: now.toISOString(),
  };
}

function registeredLongCode(registration: SenderRegistration | null): boolean {
  return (
    registration !== null &&
    registration.assignment === 'provisioned' &&
    registration.campaign?.status === 'approved'
  );
}

/** The recipient's network in billing's names, when a lookup told it. */
export function billingCarrierOf(known: KnownNumber | null | undefined): BillingCarrier | null {
  switch (known?.lookup?.carrier) {
    case 'att':
      return 'att';
    case 'tmobile':
      return 't-mobile';
    case 'verizon':
      return 'verizon';
    case 'other':
    case undefined:
      return null;
  }
}
