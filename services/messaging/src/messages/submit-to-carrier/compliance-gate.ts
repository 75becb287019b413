import {
  type ComplianceCheck,
  type ComplianceVerdict,
  type ConsentStanding,
  evaluateCompliance,
} from '@textplane/compliance';
import type { ComplianceReason } from '@textplane/contracts';
import type { EntityManager } from 'typeorm';
import type { ConsentView } from '../../consents/consent-view.js';
import type { MessageStore } from '../../infrastructure/message-store.js';
import type { TenantNumbers } from '../../tenants/tenant-numbers.js';
import type { TenantProfile, TenantProfiles } from '../../tenants/tenant-profiles.js';
import type { SubmissionClearance } from '../message.commands.js';
import type { MessageState, OutboundMessage } from '../message.decider.js';

/**
 * The compliance check right before a carrier call: consent and DND from messaging's consent
 * view (locked for the caller's transaction), content, the recipient's quiet hours, and that
 * the tenant still holds the `from` number (a message queued or held before the number was
 * released must not leave from it, perhaps as another tenant's number by then).
 */
export class ComplianceGate {
  constructor(
    private readonly messages: MessageStore,
    private readonly consents: ConsentView,
    private readonly tenants: TenantProfiles,
    private readonly numbers: TenantNumbers,
    /** For reads outside a transaction (the last look before a carrier call). */
    private readonly reader: EntityManager,
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
    const verdict = evaluateCompliance(checkOf(message, now, standing, profile));
    return verdict.verdict === 'block'
      ? { reasons: verdict.reasons, detail: verdict.detail }
      : null;
  }

  /**
   * A clearance for each message that is waiting for the carrier (others are left out), with
   * the stream as read here, so the submission does not read it again, and the tenant profile
   * for the last look before the call.
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
    const decisions = new Map<string, GateDecision>();
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
      for (const message of messages) {
        const standing = standings.get(message.to);
        if (!standing) continue;
        const stream = streams.get(message.messageId);
        if (!stream) continue;
        const retried = stream.state.status === 'sending';
        decisions.set(message.messageId, {
          clearance: held.has(message.from)
            ? clearanceOf(evaluateCompliance(checkOf(message, now, standing, profile)), retried)
            : senderNotOwned(message, retried),
          loaded: stream,
          profile,
        });
      }
    }
    return decisions;
  }
}

/** What the gate decided for one message, with what the submission needs to act on it. */
export interface GateDecision {
  clearance: SubmissionClearance;
  loaded: { state: MessageState; version: number };
  profile: TenantProfile;
}

function clearanceOf(verdict: ComplianceVerdict, retried: boolean): SubmissionClearance {
  switch (verdict.verdict) {
    case 'send':
      return { verdict: 'send', flags: verdict.flags };
    case 'hold':
      return { verdict: 'hold', sendAt: verdict.sendAt, timeZone: verdict.locale.timeZone };
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

/** A block ahead of every other check: the other reasons do not matter from a released number. */
function senderNotOwned(message: OutboundMessage, retried: boolean): SubmissionClearance {
  const detail = `the tenant no longer holds the sender number ${message.from}`;
  return {
    verdict: 'block',
    reasons: ['sender_not_owned'],
    detail: retried
      ? `${detail}; an attempt before a restart may have reached the carrier`
      : detail,
  };
}

function checkOf(
  message: OutboundMessage,
  now: Date,
  standing: ConsentStanding,
  profile: TenantProfile,
): ComplianceCheck {
  return {
    body: message.body,
    purpose: message.purpose,
    channel: message.mediaUrls.length > 0 ? 'mms' : 'sms',
    to: message.to,
    at: now,
    standing,
    tenant: { timeZone: profile.timeZone, restrictedContent: profile.restrictedContent },
    contactTimeZone: message.recipientTimeZone ?? undefined,
    autoReply: message.autoReply !== null,
  };
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
