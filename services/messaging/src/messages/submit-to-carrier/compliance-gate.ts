import {
  type ComplianceCheck,
  type ConsentStanding,
  evaluateCompliance,
} from '@textplane/compliance';
import type { ComplianceReason } from '@textplane/contracts';
import type { EntityManager } from 'typeorm';
import type { ConsentView } from '../../consents/consent-view.js';
import type { MessageStore } from '../../infrastructure/message-store.js';
import type { TenantProfile, TenantProfiles } from '../../tenants/tenant-profiles.js';
import type { SubmissionClearance } from '../message.commands.js';
import type { MessageState, OutboundMessage } from '../message.decider.js';

/**
 * The compliance check right before a carrier call: consent and DND from messaging's consent
 * view (locked for the caller's transaction), content, and the recipient's quiet hours.
 */
export class ComplianceGate {
  constructor(
    private readonly messages: MessageStore,
    private readonly consents: ConsentView,
    private readonly tenants: TenantProfiles,
    /** For reads outside a transaction (the last look before a carrier call). */
    private readonly reader: EntityManager,
  ) {}

  /**
   * The last look right before a carrier call: a block that appeared since the clearance
   * (an opt-out, DND, withdrawn marketing consent), or null when the call may go ahead.
   */
  async recheck(
    message: OutboundMessage,
    now: Date,
  ): Promise<{ reasons: ComplianceReason[]; detail: string } | null> {
    if (message.autoReply !== null) return null;
    const [profile, standing] = await Promise.all([
      this.tenants.require(this.reader, message.tenantId),
      this.consents.standingOf(this.reader, message.tenantId, message.to),
    ]);
    const verdict = evaluateCompliance(checkOf(message, now, standing, profile));
    return verdict.verdict === 'block'
      ? { reasons: verdict.reasons, detail: verdict.detail }
      : null;
  }

  /** A clearance for each message that is waiting for the carrier; others are left out. */
  async clear(
    manager: EntityManager,
    messageIds: readonly string[],
    now: Date,
  ): Promise<Map<string, SubmissionClearance>> {
    const waiting: OutboundMessage[] = [];
    const retried = new Set<string>();
    for (const messageId of messageIds) {
      const { state } = await this.messages.load(messageId, manager);
      if (!awaitsCarrier(state)) continue;
      waiting.push(state.message);
      if (state.status === 'sending') retried.add(messageId);
    }
    const byTenant = new Map<string, OutboundMessage[]>();
    for (const message of waiting) {
      byTenant.set(message.tenantId, [...(byTenant.get(message.tenantId) ?? []), message]);
    }
    const clearances = new Map<string, SubmissionClearance>();
    // Tenants in a fixed order, so the per-recipient locks are always taken in one order.
    for (const tenantId of [...byTenant.keys()].sort()) {
      const messages = byTenant.get(tenantId) ?? [];
      const profile = await this.tenants.require(manager, tenantId);
      const standings = await this.consents.standingsForSubmission(
        manager,
        tenantId,
        messages.map((m) => m.to),
      );
      for (const message of messages) {
        const standing = standings.get(message.to);
        if (!standing) continue;
        const verdict = evaluateCompliance(checkOf(message, now, standing, profile));
        switch (verdict.verdict) {
          case 'send':
            clearances.set(message.messageId, { verdict: 'send', flags: verdict.flags });
            break;
          case 'hold':
            clearances.set(message.messageId, {
              verdict: 'hold',
              sendAt: verdict.sendAt,
              timeZone: verdict.locale.timeZone,
            });
            break;
          case 'block':
            clearances.set(message.messageId, {
              verdict: 'block',
              reasons: verdict.reasons,
              detail: retried.has(message.messageId)
                ? `${verdict.detail}; an attempt before a restart may have reached the carrier`
                : verdict.detail,
            });
            break;
        }
      }
    }
    return clearances;
  }
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
