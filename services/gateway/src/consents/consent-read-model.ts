import type { ConsentStanding } from '@textplane/compliance';
import type { CausingMessage } from '@textplane/contracts';
import { encodePageCursor, type PagePosition } from '../http/page-cursor.js';
import { consentStandings } from './consent.projection.js';
import type { DataSource, EntityManager } from 'typeorm';
import {
  evolveRevocationReview,
  lockedReview,
  type ResolutionRequestedEvent,
  type RevocationReviewRow,
  saveReview,
} from './revocation-reviews.js';
import type {
  ConsentLedgerEntry,
  ReviewStatus,
  RevocationReviewPage,
  RevocationReviewResource,
} from './consent.resource.js';

interface LedgerRow {
  sequence: number;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

interface ReviewRow {
  review_id: string;
  phone: string;
  message: CausingMessage;
  confidence: number;
  cue: string;
  /** `resolving`: a resolution request claimed it and the ledger has not recorded it yet. */
  status: ReviewStatus | 'resolving';
  decision: 'revoke' | 'dismiss' | null;
  resolved_by: string | null;
  note: string | null;
  opened_at: Date;
  resolved_at: Date | null;
}

/** `consent.ConsentGranted.v1` → `ConsentGranted`: the name an auditor reads. */
export function shortTypeOf(type: string): string {
  return type.replace(/^[a-z-]+\./, '').replace(/\.v\d+$/, '');
}

export function ledgerEntryOf(row: LedgerRow): ConsentLedgerEntry {
  const { sequence: _s, type: _t, occurredAt: _o, eventId: _e, ...fields } = row.data;
  return {
    sequence: row.sequence,
    type: shortTypeOf(row.type),
    occurredAt: row.occurred_at.toISOString(),
    eventId: row.event_id,
    ...fields,
  };
}

/** A projected row as `SELECT *` would give it. */
function selectedOf(row: RevocationReviewRow): ReviewRow {
  return {
    ...row,
    opened_at: new Date(row.opened_at),
    resolved_at: row.resolved_at === null ? null : new Date(row.resolved_at),
  };
}

function reviewOf(row: ReviewRow): RevocationReviewResource {
  return {
    id: row.review_id,
    phone: row.phone,
    message: row.message,
    confidence: row.confidence,
    cue: row.cue,
    // Claimed but not yet resolved on the ledger: still open to a reader.
    status: row.status === 'resolving' ? 'open' : row.status,
    decision: row.decision,
    resolvedBy: row.resolved_by,
    note: row.note,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

/**
 * The outcome of claiming a review for one resolution request: `claimed` (the caller's request
 * may be recorded), `taken` (resolved, or claimed by another request) or `not_found`.
 */
export type ReviewClaim =
  | { outcome: 'claimed'; review: RevocationReviewResource }
  | { outcome: 'taken'; review: RevocationReviewResource }
  | { outcome: 'not_found' };

/** What the consent use cases read; the read model below, or a fake in unit tests. */
export interface ConsentQueries {
  standing(tenantId: string, phone: string): Promise<ConsentStanding>;
  history(tenantId: string, phone: string): Promise<ConsentLedgerEntry[]>;
  /** The first fact caused by an API request (of one of `types`, when given). */
  entryForRequest(
    tenantId: string,
    requestId: string,
    types?: readonly string[],
  ): Promise<ConsentLedgerEntry | null>;
  openReviewCount(tenantId: string, phone: string): Promise<number>;
  review(tenantId: string, reviewId: string): Promise<RevocationReviewResource | null>;
  /**
   * Claims an open review for one resolution request, inside the caller's transaction (the one
   * that records the request), so that of competing resolutions exactly one is recorded: the
   * request event (`requestOf` the review, as it will be recorded) is applied to the review.
   */
  claimReview(
    manager: EntityManager,
    tenantId: string,
    reviewId: string,
    requestOf: (review: RevocationReviewResource) => ResolutionRequestedEvent,
  ): Promise<ReviewClaim>;
  reviews(
    tenantId: string,
    page: { status?: ReviewStatus; after: PagePosition | null; limit: number },
  ): Promise<RevocationReviewPage>;
}

/** The gateway's queryable view of the consent ledger, projected from consent's events. */
export class ConsentReadModel implements ConsentQueries {
  constructor(private readonly dataSource: DataSource) {}

  standing(tenantId: string, phone: string): Promise<ConsentStanding> {
    return consentStandings.standingOf(this.dataSource.manager, tenantId, phone);
  }

  async history(tenantId: string, phone: string): Promise<ConsentLedgerEntry[]> {
    const rows = await this.dataSource.query<LedgerRow[]>(
      `SELECT sequence, event_id, type, data, occurred_at FROM consent_ledger
       WHERE tenant_id = $1 AND phone = $2 ORDER BY sequence`,
      [tenantId, phone],
    );
    return rows.map(ledgerEntryOf);
  }

  async entryForRequest(
    tenantId: string,
    requestId: string,
    types?: readonly string[],
  ): Promise<ConsentLedgerEntry | null> {
    const rows = await this.dataSource.query<LedgerRow[]>(
      `SELECT sequence, event_id, type, data, occurred_at FROM consent_ledger
       WHERE tenant_id = $1 AND request_id = $2 AND ($3::text[] IS NULL OR type = ANY($3::text[]))
       ORDER BY sequence LIMIT 1`,
      [tenantId, requestId, types ? [...types] : null],
    );
    return rows[0] ? ledgerEntryOf(rows[0]) : null;
  }

  async openReviewCount(tenantId: string, phone: string): Promise<number> {
    const rows = await this.dataSource.query<Array<{ count: number }>>(
      `SELECT count(*)::integer AS count FROM revocation_reviews
       WHERE tenant_id = $1 AND phone = $2 AND status IN ('open', 'resolving')`,
      [tenantId, phone],
    );
    return rows[0]?.count ?? 0;
  }

  async review(tenantId: string, reviewId: string): Promise<RevocationReviewResource | null> {
    const rows = await this.dataSource.query<ReviewRow[]>(
      `SELECT * FROM revocation_reviews WHERE tenant_id = $1 AND review_id = $2`,
      [tenantId, reviewId],
    );
    return rows[0] ? reviewOf(rows[0]) : null;
  }

  async claimReview(
    manager: EntityManager,
    tenantId: string,
    reviewId: string,
    requestOf: (review: RevocationReviewResource) => ResolutionRequestedEvent,
  ): Promise<ReviewClaim> {
    // The claim is the request event, projected into the row in the transaction that records
    // it. The row is read locked: under READ COMMITTED a competing claim waits for it, then reads
    // it claimed and changes nothing.
    const before = await lockedReview(manager, tenantId, reviewId);
    if (before === null) return { outcome: 'not_found' };
    const review = reviewOf(selectedOf(before));
    const after = evolveRevocationReview(before, requestOf(review));
    if (after === null || after === before) return { outcome: 'taken', review };
    await saveReview(manager, after);
    return { outcome: 'claimed', review: reviewOf(selectedOf(after)) };
  }

  /** Oldest first: the queue is worked from its head. */
  async reviews(
    tenantId: string,
    page: { status?: ReviewStatus; after: PagePosition | null; limit: number },
  ): Promise<RevocationReviewPage> {
    const rows = await this.dataSource.query<ReviewRow[]>(
      `SELECT * FROM revocation_reviews
       WHERE tenant_id = $1
         AND ($2::text IS NULL OR status = $2 OR ($2 = 'open' AND status = 'resolving'))
         AND ($3::timestamptz IS NULL OR (opened_at, review_id) > ($3::timestamptz, $4::uuid))
       ORDER BY opened_at, review_id
       LIMIT $5`,
      [
        tenantId,
        page.status ?? null,
        page.after?.[0] ?? null,
        page.after?.[1] ?? null,
        page.limit + 1,
      ],
    );
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(reviewOf),
      nextCursor:
        rows.length > page.limit && last ? encodePageCursor(last.opened_at, last.review_id) : null,
    };
  }
}
