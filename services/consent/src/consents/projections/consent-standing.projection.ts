import {
  type ConsentStanding,
  evolveConsentStanding,
  isOptedOut,
  noConsent,
} from '@textplane/compliance';
import type { EntityManager } from 'typeorm';
import type { ConsentEvent } from '../consent.events.js';

/**
 * The current standing of each (tenant, phone), for the service's own queries: the fold of the
 * ledger with the same rules messaging and the gateway use, so it can be rebuilt from events.
 */
export class ConsentStandingProjection {
  follows(event: ConsentEvent): boolean {
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

  /** Applies the new events of one ledger (all of one stream), inside its append's transaction. */
  async apply(manager: EntityManager, events: readonly ConsentEvent[]): Promise<void> {
    const relevant = events.filter((event) => this.follows(event));
    const first = relevant[0];
    if (!first) return;
    const { tenantId, phone } = first.data;
    const rows = await manager.query<Array<{ standing: ConsentStanding }>>(
      `SELECT standing FROM consent_standings WHERE tenant_id = $1 AND phone = $2 FOR UPDATE`,
      [tenantId, phone],
    );
    const standing = relevant.reduce(evolveConsentStanding, rows[0]?.standing ?? noConsent);
    await manager.query(
      `INSERT INTO consent_standings (tenant_id, phone, standing, opted_out, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, phone) DO UPDATE
         SET standing = EXCLUDED.standing, opted_out = EXCLUDED.opted_out, updated_at = EXCLUDED.updated_at`,
      [tenantId, phone, JSON.stringify(standing), isOptedOut(standing), standing.updatedAt],
    );
  }

  async standingOf(
    manager: EntityManager,
    tenantId: string,
    phone: string,
  ): Promise<ConsentStanding | null> {
    const rows = await manager.query<Array<{ standing: ConsentStanding }>>(
      `SELECT standing FROM consent_standings WHERE tenant_id = $1 AND phone = $2`,
      [tenantId, phone],
    );
    return rows[0]?.standing ?? null;
  }
}
