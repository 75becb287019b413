import { evaluateCompliance } from '@textplane/compliance';
import type { ComplianceReason } from '@textplane/contracts';
import type { LimitOverrides } from '@textplane/trust-rules';
import type { EntityManager } from 'typeorm';
import type { ConsentView } from '../../consents/consent-view.js';
import type { MessageStore } from '../../infrastructure/message-store.js';
import { senderClassOf } from '../../sender-registrations/sender-registration-gate.js';
import {
  senderRegistrationsOf,
  tollFreeVerificationsOf,
} from '../../sender-registrations/sender-registration.projection.js';
import type { SenderRegistration } from '../../sender-registrations/sender-registration.js';
import { type KnownNumber, throughputCarrierOf } from '../../number-lookups/known-number.js';
import type { TenantNumbers } from '../../tenants/tenant-numbers.js';
import {
  THROUGHPUT_GATE_NAME,
  type ThroughputFacts,
  throughputFactsOf,
  throughputGateAnswer,
  type ThroughputLedger,
} from '../../throughput/index.js';
import type { TenantProfile, TenantProfiles } from '../../tenants/tenant-profiles.js';
import type { MessageState, OutboundMessage } from '../message.decider.js';
import { FUNDS_GATE_NAME, type FundsFacts } from '../../funds/funds-gate.js';
import {
  fundsFactsOf,
  fundsHoldLockKey,
  fundsTenantLockKey,
} from '../../funds/funds.projection.js';
import { lockKeys } from '@textplane/event-store';
import {
  complianceCheckOf,
  DISPATCH_GATES,
  type DispatchVerdict,
  type Gate,
  runGates,
} from './gates.js';

/**
 * The gates' inputs, read from messaging's own projections for a batch of messages: each stream,
 * the tenant's profile, the recipients' consent standings (locked for the caller's transaction,
 * so a STOP recorded meanwhile waits for it), the tenant's sender numbers and their 10DLC
 * registrations; then the gates' verdict for each message. Which gates: `gates`, the service's
 * from dispatchGates(config) (DISPATCH_GATES, without sender registration, by default).
 */
export class DispatchGates {
  constructor(
    private readonly messages: MessageStore,
    private readonly consents: ConsentView,
    private readonly tenants: TenantProfiles,
    private readonly numbers: TenantNumbers,
    /** For reads outside a transaction (the last look before a carrier call). */
    private readonly reader: EntityManager,
    private readonly gates: readonly Gate[] = DISPATCH_GATES,
    private readonly extras: DispatchGatesExtras = {},
  ) {}

  /**
   * The last look right before a carrier call: a block that appeared since the clearance
   * (an opt-out, DND, withdrawn marketing consent), or null when the call may go ahead.
   */
  async recheck(
    message: OutboundMessage,
    profile: TenantProfile,
    now: Date,
  ): Promise<{ reasons: ComplianceReason[]; detail: string } | null> {
    if (message.autoReply !== null) return null;
    const standing = await this.consents.standingOf(this.reader, message.tenantId, message.to);
    const verdict = evaluateCompliance(
      complianceCheckOf({ message, now, standing, tenant: profile }),
    );
    return verdict.verdict === 'block'
      ? { reasons: verdict.reasons, detail: verdict.detail }
      : null;
  }

  /**
   * The gates' verdict for each message that is waiting for the carrier (others are left out),
   * with the stream as read here, so the submission does not read it again, and the tenant
   * profile for the last look before the call.
   */
  async clear(
    manager: EntityManager,
    messageIds: readonly string[],
    now: Date,
  ): Promise<Map<string, GateDecision>> {
    const waiting: OutboundMessage[] = [];
    const streams = await this.messages.loadAll(messageIds, manager);
    for (const messageId of messageIds) {
      const stream = streams.get(messageId);
      if (!stream || !awaitsCarrier(stream.state)) continue;
      waiting.push(stream.state.message);
    }
    const byTenant = new Map<string, OutboundMessage[]>();
    for (const message of waiting) {
      byTenant.set(message.tenantId, [...(byTenant.get(message.tenantId) ?? []), message]);
    }
    const fundsGated = this.gates.some((gate) => gate.name === FUNDS_GATE_NAME);
    if (fundsGated) await lockFundsFacts(manager, waiting, streams);
    const paused = await pausedBulkSends(manager, waiting);
    const decisions = new Map<string, GateDecision>();
    const passed: Passed[] = [];
    // Tenants in a fixed order, so the per-recipient locks are always taken in one order.
    for (const tenantId of [...byTenant.keys()].sort()) {
      const messages = byTenant.get(tenantId) ?? [];
      const profile = await this.tenants.require(manager, tenantId);
      const standings = await this.consents.standingsForSubmission(
        manager,
        tenantId,
        messages.map((m) => m.to),
      );
      // One read for the batch's sender numbers: tenant_numbers is messaging's own replica.
      const held = await this.numbers.heldBy(
        manager,
        tenantId,
        messages.map((m) => m.from),
      );
      // And one for their registrations (messaging's projection of registration's facts), one
      // more for toll-free senders' verifications when the batch has any.
      const registrations = await senderRegistrationsOf(
        manager,
        tenantId,
        messages.map((m) => m.from),
      );
      const tollFree = messages
        .map((m) => m.from)
        .filter((from) => senderClassOf(from) === 'us_toll_free');
      const verifications = await tollFreeVerificationsOf(manager, tenantId, tollFree);
      // What is known of the recipients, for a tenant that validates numbers.
      const known =
        this.extras.lookups !== undefined && profile.numberValidation.enabled
          ? await this.extras.lookups.knownNumbers(
              manager,
              messages.map((m) => m.to),
            )
          : new Map<string, KnownNumber>();
      // The holds billing answered and the tenant's funds, when the funds gate is on.
      const funds = fundsGated
        ? await fundsFactsOf(
            manager,
            tenantId,
            messages.map((m) => ({
              messageId: m.messageId,
              requested: fundsRequestedOf(streams.get(m.messageId)?.state),
            })),
          )
        : new Map<string, FundsFacts>();
      for (const message of messages) {
        const standing = standings.get(message.to);
        const stream = streams.get(message.messageId);
        if (!standing || !stream) continue;
        const registration = registrations.get(message.from) ?? null;
        const verdict = runGates(this.gates, {
          message,
          now,
          standing,
          tenant: profile,
          senderHeld: held.has(message.from),
          senderRegistration: registration,
          tollFreeVerification: verifications.get(message.from) ?? null,
          recipientNumber: known.get(message.to) ?? null,
          bulkSendPaused: message.bulkSendId !== undefined && paused.has(message.bulkSendId),
          ...(funds.has(message.messageId) ? { funds: funds.get(message.messageId) } : {}),
        });
        if (verdict.answer === 'pass') {
          passed.push({ message, registration, profile, recipient: known.get(message.to) });
        }
        decisions.set(message.messageId, {
          verdict,
          retried: stream.state.status === 'sending',
          loaded: stream,
          profile,
        });
      }
    }
    if (this.extras.throughput !== undefined && passed.length > 0) {
      await this.countThroughput(manager, this.extras.throughput, passed, decisions, now);
    }
    return decisions;
  }

  /**
   * The throughput gate over every message that passed the others, in one admission (its
   * advisory locks are the last the gating transaction takes): a message over a cap waits for
   * its turn, or for the T-Mobile reset when the day's cap is spent; the others are counted.
   */
  private async countThroughput(
    manager: EntityManager,
    ledger: ThroughputLedger,
    passed: readonly Passed[],
    decisions: Map<string, GateDecision>,
    now: Date,
  ): Promise<void> {
    const facts = passed.map(({ message, registration, profile, recipient }): ThroughputFacts => {
      const overrides = withOverrides(this.extras.platformLimits ?? {}, profile.throughputLimits);
      const recipientCarrier = throughputCarrierOf(recipient);
      const input = { message, registration, now, overrides, recipientCarrier };
      const known = throughputFactsOf({ ...input, senderClass: senderClassOf(message.from) });
      if (known.ok) return known.facts;
      // A long code whose campaign messaging does not know (sender registration not enforced):
      // it counts against the account's limits only.
      const account = throughputFactsOf({ ...input, senderClass: 'other' });
      if (!account.ok) throw new Error(`no throughput facts for ${message.messageId}`);
      return account.facts;
    });
    const admitted = await ledger.admitAll(manager, facts);
    passed.forEach(({ message }, index) => {
      const decision = admitted[index];
      const gated = decisions.get(message.messageId);
      if (decision === undefined || gated === undefined) return;
      const answer = throughputGateAnswer(decision);
      if (answer.answer === 'pass') return;
      gated.verdict = { answer: 'wait', until: answer.until, gate: THROUGHPUT_GATE_NAME };
    });
  }
}

/** What the number-validation gate reads of recipients (NumberLookups). */
export interface RecipientLookups {
  knownNumbers(
    manager: EntityManager,
    phoneNumbers: readonly string[],
  ): Promise<Map<string, KnownNumber>>;
}

export interface DispatchGatesExtras {
  /**
   * The throughput gate, the last (DESIGN.md): what passed every other gate is counted against
   * the carriers' caps here, all at once; absent: no caps (tests of the other gates).
   */
  throughput?: ThroughputLedger;
  /** The platform's own limits (its carrier account's), under each tenant's overrides. */
  platformLimits?: LimitOverrides;
  /**
   * What is known of recipients, read for tenants that validate numbers (the number-validation
   * gate's input) and for the throughput gate's recipient carrier; absent: nothing known.
   */
  lookups?: RecipientLookups;
}

/** A message that passed every gate but throughput, with what its limits depend on. */
interface Passed {
  message: OutboundMessage;
  registration: SenderRegistration | null;
  profile: TenantProfile;
  /** What a lookup told of the recipient, when one was read. */
  recipient: KnownNumber | undefined;
}

/** The platform's limits with a tenant's overrides over them (per channel, key by key). */
function withOverrides(platform: LimitOverrides, tenant: LimitOverrides): LimitOverrides {
  const merged: LimitOverrides = { ...platform, ...tenant };
  if (platform.attPerMinute || tenant.attPerMinute) {
    merged.attPerMinute = { ...platform.attPerMinute, ...tenant.attPerMinute };
  }
  if (platform.accountPerSecond || tenant.accountPerSecond) {
    merged.accountPerSecond = { ...platform.accountPerSecond, ...tenant.accountPerSecond };
  }
  return merged;
}

/** What the gates decided for one message, with what the submission needs to act on it. */
export interface GateDecision {
  verdict: DispatchVerdict;
  /** An earlier attempt may have reached the carrier before a restart. */
  retried: boolean;
  loaded: { state: MessageState; version: number };
  profile: TenantProfile;
}

/**
 * The bulk sends among these messages' that are paused or canceled now, in one read: a canceled
 * one's released messages wait like a paused one's until BulkSendCancelSweeper cancels them. The
 * rows are `FOR KEY SHARE` locked for the gating transaction: a pause or cancel (which takes its
 * run's row `FOR UPDATE`) waits for a message being let through now, and once it commits, every
 * later gating sees it; a batch release (`FOR NO KEY UPDATE`) does not conflict, so the gating
 * of a running bulk send's messages never waits for the next batch's release.
 */
async function pausedBulkSends(
  manager: EntityManager,
  messages: readonly OutboundMessage[],
): Promise<Set<string>> {
  const ids = [...new Set(messages.flatMap((m) => (m.bulkSendId ? [m.bulkSendId] : [])))];
  if (ids.length === 0) return new Set();
  const rows = await manager.query<Array<{ bulk_send_id: string; status: string }>>(
    `SELECT bulk_send_id, status FROM bulk_send_runs WHERE bulk_send_id = ANY($1::uuid[])
     ORDER BY bulk_send_id FOR KEY SHARE`,
    [ids],
  );
  return new Set(
    rows
      .filter((row) => row.status === 'paused' || row.status === 'canceled')
      .map((row) => row.bulk_send_id),
  );
}

/**
 * The funds locks of the messages whose hold was asked (and their tenants'), shared and first
 * in the gating transaction (see fundsHoldLockKey): a message asked for the first time now
 * cannot have an answer yet, so it needs none.
 */
async function lockFundsFacts(
  manager: EntityManager,
  messages: readonly OutboundMessage[],
  streams: ReadonlyMap<string, { state: MessageState }>,
): Promise<void> {
  const keys = new Set<string>();
  for (const message of messages) {
    if (fundsRequestedOf(streams.get(message.messageId)?.state) === null) continue;
    keys.add(fundsHoldLockKey(message.messageId));
    keys.add(fundsTenantLockKey(message.tenantId));
  }
  await lockKeys(manager, [...keys].sort(), 'shared');
}

/** The message's hold requests, from its stream (FundsHoldRequested). */
function fundsRequestedOf(
  state: MessageState | undefined,
): { firstRequestedAt: string; requests: number } | null {
  return state !== undefined && 'funds' in state ? state.funds : null;
}

function awaitsCarrier(
  state: MessageState,
): state is Extract<MessageState, { message: OutboundMessage }> {
  if (!('message' in state)) return false;
  return (
    state.status === 'queued' ||
    state.status === 'scheduled' ||
    (state.status === 'sending' && state.carrierMessageId === null)
  );
}
