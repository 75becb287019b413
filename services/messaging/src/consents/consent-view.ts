import {
  type ConsentLedgerEvent,
  type ConsentStanding,
  evolveConsentStanding,
  isConsentLedgerEvent,
  noConsent,
} from '@textplane/compliance';
import { lockKeys } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';

/** An opt-out read from an inbound reply that the consent ledger has not confirmed yet. */
interface PendingOptOut {
  messageId: string;
  receivedAt: string;
}

interface StandingRow {
  phone: string;
  standing: ConsentStanding | null;
  pending_opt_outs: PendingOptOut[];
  /** When the person's latest START was sent: an opt-out read from an older text is stale. */
  restored_through: Date | null;
}

/**
 * Messaging's own projection of the consent ledger, checked right before every carrier call.
 *
 * Ordering guarantee: a submission takes a shared advisory lock per recipient, reads this view
 * and records its start in one transaction; every change here takes the lock exclusively. So a
 * change, once committed, is seen by every submission that has not started yet. An inbound
 * STOP is written here in the transaction that records the inbound text, which commits before
 * the consent service can even read that text: by the time the ledger records the revocation,
 * no further submission to that number can start.
 */
export class ConsentView {
  /** The effect of one ledger fact, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (!isConsentLedgerEvent(event)) return;
    const fact = { type: event.type, data: event.data } as ConsentLedgerEvent;
    const { tenantId, phone } = fact.data;
    await this.lockExclusive(manager, tenantId, phone);
    const row = (await this.read(manager, tenantId, [phone]))[0];
    const standing = evolveConsentStanding(row?.standing ?? noConsent, fact);
    let pending = row?.pending_opt_outs ?? [];
    let restoredThrough = row?.restored_through ?? null;
    if (fact.type === 'consent.ConsentRevoked.v1' && fact.data.message) {
      const confirmed = fact.data.message.messageId;
      pending = pending.filter((p) => p.messageId !== confirmed);
    }
    if (fact.type === 'consent.ConsentRestored.v1') {
      // START lifts the opt-outs the person sent before it, confirmed or not.
      const restoredAt = new Date(fact.data.message.receivedAt);
      pending = pending.filter((p) => Date.parse(p.receivedAt) > restoredAt.getTime());
      if (!restoredThrough || restoredAt > restoredThrough) restoredThrough = restoredAt;
    }
    await this.write(manager, tenantId, phone, standing, pending, restoredThrough);
  }

  /** Blocks the number at once for an opt-out read from an inbound reply. */
  async recordInboundOptOut(
    manager: EntityManager,
    tenantId: string,
    phone: string,
    message: PendingOptOut,
  ): Promise<void> {
    await this.lockExclusive(manager, tenantId, phone);
    const row = (await this.read(manager, tenantId, [phone]))[0];
    const pending = row?.pending_opt_outs ?? [];
    if (pending.some((p) => p.messageId === message.messageId)) return;
    // Read again after a START it preceded (a replay, or texts processed out of order).
    const restoredThrough = row?.restored_through ?? null;
    if (restoredThrough && Date.parse(message.receivedAt) <= restoredThrough.getTime()) return;
    await this.write(
      manager,
      tenantId,
      phone,
      row?.standing ?? null,
      [...pending, message],
      restoredThrough,
    );
  }

  /**
   * One recipient's standing as committed now, without a lock: the last look right before a
   * carrier call (the locked read in the submission's transaction came first).
   */
  async standingOf(
    manager: EntityManager,
    tenantId: string,
    phone: string,
  ): Promise<ConsentStanding> {
    const row = (await this.read(manager, tenantId, [phone]))[0];
    return effectiveStanding(row);
  }

  /**
   * The standings of the given recipients, locked against concurrent changes until the
   * caller's transaction ends. Locks are taken in a fixed order so batches cannot deadlock.
   */
  async standingsForSubmission(
    manager: EntityManager,
    tenantId: string,
    phones: readonly string[],
  ): Promise<Map<string, ConsentStanding>> {
    const unique = [...new Set(phones)].sort();
    await lockKeys(
      manager,
      unique.map((phone) => lockKey(tenantId, phone)),
      'shared',
    );
    const rows = await this.read(manager, tenantId, unique);
    const standings = new Map<string, ConsentStanding>();
    for (const phone of unique) {
      standings.set(phone, effectiveStanding(rows.find((r) => r.phone === phone)));
    }
    return standings;
  }

  private async lockExclusive(
    manager: EntityManager,
    tenantId: string,
    phone: string,
  ): Promise<void> {
    await lockKeys(manager, [lockKey(tenantId, phone)], 'exclusive');
  }

  private read(
    manager: EntityManager,
    tenantId: string,
    phones: readonly string[],
  ): Promise<StandingRow[]> {
    return manager.query<StandingRow[]>(
      `SELECT phone, standing, pending_opt_outs, restored_through FROM consent_standings
       WHERE tenant_id = $1 AND phone = ANY($2::text[])`,
      [tenantId, phones],
    );
  }

  private async write(
    manager: EntityManager,
    tenantId: string,
    phone: string,
    standing: ConsentStanding | null,
    pending: PendingOptOut[],
    restoredThrough: Date | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO consent_standings (tenant_id, phone, standing, pending_opt_outs, restored_through, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (tenant_id, phone) DO UPDATE SET standing = EXCLUDED.standing,
         pending_opt_outs = EXCLUDED.pending_opt_outs,
         restored_through = EXCLUDED.restored_through, updated_at = now()`,
      [
        tenantId,
        phone,
        standing ? JSON.stringify(standing) : null,
        JSON.stringify(pending),
        restoredThrough?.toISOString() ?? null,
      ],
    );
  }
}

/** The ledger's standing, opted out on every channel while an inbound opt-out awaits it. */
function effectiveStanding(row: StandingRow | undefined): ConsentStanding {
  const standing = row?.standing ?? noConsent;
  return row && row.pending_opt_outs.length > 0
    ? { ...standing, optedOut: { sms: true, mms: true } }
    : standing;
}

/** One lock per (tenant, recipient); a separate namespace from other advisory locks. */
function lockKey(tenantId: string, phone: string): string {
  return `consent:${tenantId}:${phone}`;
}
