import type { StandingView } from '@textplane/compliance';
import type {
  CausingMessage,
  ConsentChannel,
  ConsentEvidence,
  ConsentPurpose,
  RevocationScope,
} from '@textplane/contracts';

/**
 * One fact of a number's consent ledger as the API shows it: its place in the ledger, its short
 * type name (`ConsentGranted`), when it happened, and every field of the fact as recorded.
 */
export type ConsentLedgerEntry = {
  sequence: number;
  type: string;
  occurredAt: string;
  eventId: string;
} & Record<string, unknown>;

export interface ConsentHistory {
  phone: string;
  entries: ConsentLedgerEntry[];
}

/** A number's current consent state per purpose and channel. */
export type ConsentStateResource = {
  phone: string;
  /** Replies of this number waiting for an agent to say whether they revoke. */
  openReviewCount: number;
} & StandingView;

export type ReviewStatus = 'open' | 'resolved';

export interface RevocationReviewResource {
  id: string;
  phone: string;
  message: CausingMessage;
  confidence: number;
  cue: string;
  status: ReviewStatus;
  decision: 'revoke' | 'dismiss' | null;
  resolvedBy: string | null;
  note: string | null;
  openedAt: string;
  resolvedAt: string | null;
}

export interface RevocationReviewPage {
  items: RevocationReviewResource[];
  nextCursor: string | null;
}

export interface GrantConsentInput {
  phone: string;
  purpose: ConsentPurpose;
  channel?: ConsentChannel;
  evidence: ConsentEvidence;
}

export interface RevokeConsentInput {
  scope?: RevocationScope;
  channel?: ConsentChannel;
  method?: 'api' | 'support_agent';
  note?: string;
}

export interface ResolveReviewInput {
  decision: 'revoke' | 'dismiss';
  resolvedBy?: string;
  note?: string;
}

/**
 * The answer to a consent request. The consent service records it; the gateway waits a little
 * for the ledger fact: `recorded` carries it, `pending` means it was accepted but not seen yet.
 */
export type ConsentRequestOutcome =
  | { status: 'recorded'; requestId: string; phone: string; entry: ConsentLedgerEntry }
  | { status: 'pending'; requestId: string; phone: string };

/** What a consent request's Idempotency-Key replays: the request, whose fact is looked up again. */
export interface AcceptedConsentRequest {
  requestId: string;
  phone: string;
}
