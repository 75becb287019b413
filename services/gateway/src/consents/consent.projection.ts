import { type ConsentLedgerEvent, isConsentLedgerEvent } from '@textplane/compliance';
import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { ConsentStandingReplica } from '@textplane/replicas';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { applyToReview, type ResolutionRequestedEvent } from './revocation-reviews.js';

/** NOTIFY channel: a ledger fact caused by an API request was projected (payload: the notice). */
export const CONSENT_FACTS_CHANNEL = 'gateway_consent_facts';

/** The gateway keeps the standing and when it last changed, for its query side. */
export const consentStandings = new ConsentStandingReplica({ keeps: 'standing' });

export interface ConsentFactNotice {
  tenantId: string;
  requestId: string;
  type: string;
  sequence: number;
}

/** When the fact happened, by its own timestamp field. */
export function occurredAtOf(event: ConsentLedgerEvent): string {
  switch (event.type) {
    case 'consent.ConsentGranted.v1':
      return event.data.grantedAt;
    case 'consent.ConsentRevoked.v1':
      return event.data.revokedAt;
    case 'consent.ConsentRestored.v1':
      return event.data.restoredAt;
    case 'consent.DndSet.v1':
      return event.data.setAt;
    case 'consent.DndCleared.v1':
      return event.data.clearedAt;
    case 'consent.HelpRequested.v1':
    case 'consent.AutoReplyRequested.v1':
      return event.data.requestedAt;
    case 'consent.RevocationReviewOpened.v1':
      return event.data.openedAt;
    case 'consent.RevocationReviewResolved.v1':
      return event.data.resolvedAt;
  }
}

function requestIdOf(event: ConsentLedgerEvent): string | null {
  const data = event.data as { requestId?: string };
  return data.requestId ?? null;
}

/**
 * Projects consent's ledger facts into the gateway's read models: the ledger itself (one row per
 * fact, numbered in stream order: a stream's events arrive in order on one partition), the
 * standing folded with `evolveConsentStanding`, and the revocation review queue. Each event's
 * writes and its inbox record commit together, so a redelivery changes nothing; everything here
 * can be rebuilt by replaying the topic into empty tables.
 */
export class ConsentProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(inbox: Inbox, consumerGroup: string) {
    this.handlers = onceThroughInbox(inbox, consumerGroup, (event, manager) =>
      this.apply(event, manager),
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }

  private async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (consumed.type === 'gateway.RevocationReviewResolutionRequested.v1') {
      // A review's claim: applied inline where the request is recorded, and through here when
      // the review queue is rebuilt from the gateway's own requests.
      await applyToReview(manager, {
        type: consumed.type,
        data: consumed.data as ResolutionRequestedEvent['data'],
      });
      return;
    }
    if (!isConsentLedgerEvent(consumed)) return;
    const event = { type: consumed.type, data: consumed.data } as ConsentLedgerEvent;
    const { tenantId, phone } = event.data;
    const occurredAt = occurredAtOf(event);
    const requestId = requestIdOf(event);

    const inserted = await manager.query<Array<{ sequence: number }>>(
      `INSERT INTO consent_ledger (tenant_id, phone, sequence, event_id, type, data, occurred_at, recorded_at, request_id)
       SELECT $1, $2, COALESCE(MAX(sequence), 0) + 1, $3, $4, $5::jsonb, $6, $7, $8
       FROM consent_ledger WHERE tenant_id = $1 AND phone = $2
       ON CONFLICT (event_id) DO NOTHING
       RETURNING sequence`,
      [
        tenantId,
        phone,
        consumed.id,
        event.type,
        JSON.stringify(event.data),
        occurredAt,
        consumed.time,
        requestId,
      ],
    );
    const sequence = inserted[0]?.sequence;
    // Already in the ledger (a rebuild over rows that survived): the rest was applied with it.
    if (sequence === undefined) return;

    await consentStandings.project(manager, [event]);

    if (
      event.type === 'consent.RevocationReviewOpened.v1' ||
      event.type === 'consent.RevocationReviewResolved.v1'
    ) {
      await applyToReview(manager, event);
    }

    if (requestId !== null) {
      const notice: ConsentFactNotice = { tenantId, requestId, type: event.type, sequence };
      // Delivered at commit: a waiter never hears of a fact it cannot read yet.
      await manager.query(`SELECT pg_notify($1, $2)`, [
        CONSENT_FACTS_CHANNEL,
        JSON.stringify(notice),
      ]);
    }
  }
}
