import {
  type ConsentLedgerEvent,
  type ConsentStanding,
  isConsentLedgerEvent,
  isOptedOut,
} from '@textplane/compliance';
import { lockKeys } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import {
  type ConsentStandingFact,
  type ConsentStandingRecord,
  effectiveStanding,
  evolveConsentStandingRecord,
  noConsentStandingRecord,
  type PendingOptOut,
} from './consent-standing-record.js';

/**
 * What a service keeps of the standing, in its `consent_standings` table:
 * - `standing`: the fold and when it last changed (the gateway's query side);
 * - `standing-and-opted-out`: also an `opted_out` column for the service's own queries (consent);
 * - `gate`: also the inbound opt-outs the ledger has not confirmed and the latest START, guarded
 *   by an advisory lock per recipient instead of a row lock, so a submission can lock a number
 *   that has no row yet (messaging's compliance gate, see `standingsForSubmission`).
 */
export type ConsentStandingsKept = 'standing' | 'standing-and-opted-out' | 'gate';

export interface ConsentStandingReplicaOptions {
  keeps: ConsentStandingsKept;
}

interface StandingRow {
  phone: string;
  standing: ConsentStanding | null;
  pending_opt_outs?: PendingOptOut[];
  restored_through?: Date | null;
}

/** The table a service's migration creates for the replica it keeps. */
export function consentStandingsTable(keeps: ConsentStandingsKept): string {
  const columns = (() => {
    switch (keeps) {
      case 'standing':
        return `standing jsonb NOT NULL,
        updated_at timestamptz NOT NULL,`;
      case 'standing-and-opted-out':
        return `standing jsonb NOT NULL,
        opted_out boolean NOT NULL,
        updated_at timestamptz,`;
      case 'gate':
        return `standing jsonb,
        pending_opt_outs jsonb NOT NULL DEFAULT '[]'::jsonb,
        restored_through timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),`;
    }
  })();
  return `CREATE TABLE consent_standings (
        tenant_id uuid NOT NULL,
        phone text NOT NULL,
        ${columns}
        PRIMARY KEY (tenant_id, phone)
      )`;
}

/**
 * A service's replica of the consent ledger's standing per (tenant, phone), folded from consent's
 * events with `evolveConsentStandingRecord` inside the caller's transaction, so it can be rebuilt
 * by replaying the topic into an empty table.
 *
 * With `gate`, ordering is guaranteed: a submission takes a shared advisory lock per recipient,
 * reads the standing and records its start in one transaction; every change takes the lock
 * exclusively. So a change, once committed, is seen by every submission that has not started yet.
 */
export class ConsentStandingReplica {
  constructor(private readonly options: ConsentStandingReplicaOptions) {}

  /** Whether a ledger fact can change a standing (the rest are for the record). */
  follows(event: ConsentLedgerEvent): boolean {
    switch (event.type) {
      case 'consent.ConsentGranted.v1':
      case 'consent.ConsentRevoked.v1':
      case 'consent.ConsentRestored.v1':
      case 'consent.DndSet.v1':
      case 'consent.DndCleared.v1':
        return true;
      case 'consent.HelpRequested.v1':
      case 'consent.RevocationReviewOpened.v1':
      case 'consent.RevocationReviewResolved.v1':
      case 'consent.AutoReplyRequested.v1':
        return false;
    }
  }

  /** The effect of one consumed event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: { type: string; data: unknown }, manager: EntityManager): Promise<void> {
    if (!isConsentLedgerEvent(event)) return;
    await this.project(manager, [{ type: event.type, data: event.data } as ConsentLedgerEvent]);
  }

  /** Blocks the number at once for an opt-out read from an inbound reply (`gate` only). */
  async recordInboundOptOut(
    manager: EntityManager,
    tenantId: string,
    phone: string,
    message: PendingOptOut,
  ): Promise<void> {
    this.requireGate('recordInboundOptOut');
    await this.project(manager, [
      { type: 'InboundOptOutRead', data: { tenantId, phone, message } },
    ]);
  }

  /** Folds facts into the replica, each (tenant, phone) read, locked and written once. */
  async project(manager: EntityManager, facts: readonly ConsentStandingFact[]): Promise<void> {
    const byRecipient = new Map<string, ConsentStandingFact[]>();
    for (const fact of facts) {
      const key = lockKey(fact.data.tenantId, fact.data.phone);
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), fact]);
    }
    // A fixed order, so concurrent projections of overlapping recipients cannot deadlock.
    const keys = [...byRecipient.keys()].sort();
    if (this.options.keeps === 'gate') await lockKeys(manager, keys, 'exclusive');
    for (const key of keys) {
      const recipientFacts = byRecipient.get(key) ?? [];
      const first = recipientFacts[0];
      if (!first) continue;
      const { tenantId, phone } = first.data;
      const row = (await this.read(manager, tenantId, [phone], this.options.keeps !== 'gate'))[0];
      // No row reads as no consent; a fact that changes nothing writes nothing.
      const before = row ? recordOf(row) : noConsentStandingRecord;
      const after = recipientFacts.reduce<ConsentStandingRecord>(
        evolveConsentStandingRecord,
        before,
      );
      if (after !== before) await this.write(manager, tenantId, phone, after);
    }
  }

  /**
   * One recipient's standing as committed now, without a lock (for `gate`: the last look right
   * before a carrier call, after the locked read in the submission's transaction).
   */
  async standingOf(
    manager: EntityManager,
    tenantId: string,
    phone: string,
  ): Promise<ConsentStanding> {
    const row = (await this.read(manager, tenantId, [phone], false))[0];
    return effectiveStanding(row ? recordOf(row) : null);
  }

  /**
   * The standings of the given recipients, locked against concurrent changes until the caller's
   * transaction ends (`gate` only). Locks are taken in a fixed order so batches cannot deadlock.
   */
  async standingsForSubmission(
    manager: EntityManager,
    tenantId: string,
    phones: readonly string[],
  ): Promise<Map<string, ConsentStanding>> {
    this.requireGate('standingsForSubmission');
    const unique = [...new Set(phones)].sort();
    await lockKeys(
      manager,
      unique.map((phone) => lockKey(tenantId, phone)),
      'shared',
    );
    const rows = await this.read(manager, tenantId, unique, false);
    const standings = new Map<string, ConsentStanding>();
    for (const phone of unique) {
      const row = rows.find((r) => r.phone === phone);
      standings.set(phone, effectiveStanding(row ? recordOf(row) : null));
    }
    return standings;
  }

  private requireGate(operation: string): void {
    if (this.options.keeps !== 'gate') {
      throw new Error(`${operation} needs a consent-standing replica that keeps 'gate'`);
    }
  }

  private read(
    manager: EntityManager,
    tenantId: string,
    phones: readonly string[],
    forUpdate: boolean,
  ): Promise<StandingRow[]> {
    const columns =
      this.options.keeps === 'gate'
        ? 'phone, standing, pending_opt_outs, restored_through'
        : 'phone, standing';
    return manager.query<StandingRow[]>(
      `SELECT ${columns} FROM consent_standings
       WHERE tenant_id = $1 AND phone = ANY($2::text[])${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId, phones],
    );
  }

  private async write(
    manager: EntityManager,
    tenantId: string,
    phone: string,
    record: ConsentStandingRecord,
  ): Promise<void> {
    const { standing } = record;
    switch (this.options.keeps) {
      case 'standing':
        await manager.query(
          `INSERT INTO consent_standings (tenant_id, phone, standing, updated_at)
           VALUES ($1, $2, $3::jsonb, $4)
           ON CONFLICT (tenant_id, phone) DO UPDATE
             SET standing = EXCLUDED.standing, updated_at = EXCLUDED.updated_at`,
          [tenantId, phone, JSON.stringify(standing), standing.updatedAt],
        );
        return;
      case 'standing-and-opted-out':
        await manager.query(
          `INSERT INTO consent_standings (tenant_id, phone, standing, opted_out, updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (tenant_id, phone) DO UPDATE
             SET standing = EXCLUDED.standing, opted_out = EXCLUDED.opted_out,
                 updated_at = EXCLUDED.updated_at`,
          [tenantId, phone, JSON.stringify(standing), isOptedOut(standing), standing.updatedAt],
        );
        return;
      case 'gate':
        await manager.query(
          `INSERT INTO consent_standings (tenant_id, phone, standing, pending_opt_outs, restored_through, updated_at)
           VALUES ($1, $2, $3, $4, $5, now())
           ON CONFLICT (tenant_id, phone) DO UPDATE SET standing = EXCLUDED.standing,
             pending_opt_outs = EXCLUDED.pending_opt_outs,
             restored_through = EXCLUDED.restored_through, updated_at = now()`,
          [
            tenantId,
            phone,
            JSON.stringify(standing),
            JSON.stringify(record.pendingOptOuts),
            record.restoredThrough,
          ],
        );
        return;
    }
  }
}

function recordOf(row: StandingRow): ConsentStandingRecord {
  return {
    standing: row.standing ?? noConsentStandingRecord.standing,
    pendingOptOuts: row.pending_opt_outs ?? [],
    restoredThrough: row.restored_through?.toISOString() ?? null,
  };
}

/** One lock per (tenant, recipient); a separate namespace from other advisory locks. */
function lockKey(tenantId: string, phone: string): string {
  return `consent:${tenantId}:${phone}`;
}
