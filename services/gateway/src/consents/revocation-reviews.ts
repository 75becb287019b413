import type { CausingMessage, EventDataByType } from '@textplane/contracts';
import type { EntityManager } from 'typeorm';
import type { ReviewStatus } from './consent.resource.js';

/** A row of the gateway's `revocation_reviews` read model (timestamps as ISO strings). */
export interface RevocationReviewRow {
  review_id: string;
  tenant_id: string;
  phone: string;
  message: CausingMessage;
  confidence: number;
  cue: string;
  /** `resolving`: a resolution request claimed it and the ledger has not recorded it yet. */
  status: ReviewStatus | 'resolving';
  decision: 'revoke' | 'dismiss' | null;
  resolved_by: string | null;
  note: string | null;
  opened_at: string;
  resolved_at: string | null;
  /** The request that claimed (and then resolved) the review. */
  resolution_request_id: string | null;
}

export type ResolutionRequestedEvent = {
  type: 'gateway.RevocationReviewResolutionRequested.v1';
  data: EventDataByType['gateway.RevocationReviewResolutionRequested.v1'];
};

/**
 * What writes the review queue: consent's ledger facts about reviews, and the gateway's own
 * resolution request, which is the claim (applied inline where the request is recorded, so of
 * competing resolutions exactly one is accepted, and replayed from the store on a rebuild).
 */
export type RevocationReviewEvent =
  | {
      type: 'consent.RevocationReviewOpened.v1';
      data: EventDataByType['consent.RevocationReviewOpened.v1'];
    }
  | ResolutionRequestedEvent
  | {
      type: 'consent.RevocationReviewResolved.v1';
      data: EventDataByType['consent.RevocationReviewResolved.v1'];
    };

/**
 * The one writer of the review queue: `evolve(row | null, event) -> row`, returning the row it
 * was given when the event changes nothing. A review opens once; a request claims an open review
 * (a second request finds it claimed: the caller's conflict); the ledger's resolution is final,
 * whichever state it finds, and names the request that caused it.
 */
export function evolveRevocationReview(
  row: RevocationReviewRow | null,
  event: RevocationReviewEvent,
): RevocationReviewRow | null {
  switch (event.type) {
    case 'consent.RevocationReviewOpened.v1': {
      const d = event.data;
      if (row !== null) return row;
      return {
        review_id: d.reviewId,
        tenant_id: d.tenantId,
        phone: d.phone,
        message: d.message,
        confidence: d.confidence,
        cue: d.cue,
        status: 'open',
        decision: null,
        resolved_by: null,
        note: null,
        opened_at: iso(d.openedAt),
        resolved_at: null,
        resolution_request_id: null,
      };
    }
    case 'gateway.RevocationReviewResolutionRequested.v1': {
      if (row === null || row.status !== 'open') return row;
      return { ...row, status: 'resolving', resolution_request_id: event.data.requestId };
    }
    case 'consent.RevocationReviewResolved.v1': {
      const d = event.data;
      if (row === null || row.status === 'resolved') return row;
      return {
        ...row,
        status: 'resolved',
        decision: d.decision,
        resolved_by: d.resolvedBy ?? null,
        note: d.note ?? null,
        resolved_at: iso(d.resolvedAt),
        resolution_request_id: d.requestId,
      };
    }
  }
}

/** The review an event is about, within its tenant. */
function keyOf(event: RevocationReviewEvent): { tenantId: string; reviewId: string } {
  return { tenantId: event.data.tenantId, reviewId: event.data.reviewId };
}

type SelectedReviewRow = Omit<RevocationReviewRow, 'opened_at' | 'resolved_at'> & {
  opened_at: Date;
  resolved_at: Date | null;
};

/** A review's row, locked for the caller's transaction (a competing writer waits for it). */
export async function lockedReview(
  manager: EntityManager,
  tenantId: string,
  reviewId: string,
): Promise<RevocationReviewRow | null> {
  const rows = await manager.query<SelectedReviewRow[]>(
    `SELECT * FROM revocation_reviews WHERE tenant_id = $1 AND review_id = $2 FOR UPDATE`,
    [tenantId, reviewId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    opened_at: row.opened_at.toISOString(),
    resolved_at: row.resolved_at?.toISOString() ?? null,
  };
}

/** Writes an evolved row. */
export async function saveReview(manager: EntityManager, row: RevocationReviewRow): Promise<void> {
  await manager.query(
    `INSERT INTO revocation_reviews (review_id, tenant_id, phone, message, confidence, cue, status,
                                     decision, resolved_by, note, opened_at, resolved_at,
                                     resolution_request_id)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (review_id) DO UPDATE SET
       status = EXCLUDED.status, decision = EXCLUDED.decision,
       resolved_by = EXCLUDED.resolved_by, note = EXCLUDED.note,
       resolved_at = EXCLUDED.resolved_at, resolution_request_id = EXCLUDED.resolution_request_id`,
    [
      row.review_id,
      row.tenant_id,
      row.phone,
      JSON.stringify(row.message),
      row.confidence,
      row.cue,
      row.status,
      row.decision,
      row.resolved_by,
      row.note,
      row.opened_at,
      row.resolved_at,
      row.resolution_request_id,
    ],
  );
}

/**
 * Applies one event to its review (read locked, evolved, written back when it changed): the
 * projection's step for consent's facts, and the claim's for the gateway's request. Returns the
 * row before and after.
 */
export async function applyToReview(
  manager: EntityManager,
  event: RevocationReviewEvent,
): Promise<{ before: RevocationReviewRow | null; after: RevocationReviewRow | null }> {
  const { tenantId, reviewId } = keyOf(event);
  const before = await lockedReview(manager, tenantId, reviewId);
  const after = evolveRevocationReview(before, event);
  if (after !== null && after !== before) await saveReview(manager, after);
  return { before, after };
}

function iso(instant: string): string {
  return new Date(instant).toISOString();
}
