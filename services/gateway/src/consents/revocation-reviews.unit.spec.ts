import { projectionSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import {
  evolveRevocationReview,
  type RevocationReviewEvent,
  type RevocationReviewRow,
} from './revocation-reviews.js';

const given = projectionSpecification(evolveRevocationReview);
const tenantId = '0193a0f0-0000-7000-8000-0000000000aa';
const reviewId = '0193a0f0-0000-7000-8000-000000000001';
const phone = '+15555550123';
const [winner, loser] = [
  '0193a0f0-0000-7000-8000-0000000000b1',
  '0193a0f0-0000-7000-8000-0000000000b2',
];
const message = {
  messageId: reviewId,
  body: 'please stop texting me',
  receivedAt: '2026-11-26T12:00:00.000Z',
};

const opened: RevocationReviewEvent = {
  type: 'consent.RevocationReviewOpened.v1',
  data: {
    reviewId,
    tenantId,
    phone,
    message,
    confidence: 0.55,
    cue: 'stop texting',
    openedAt: '2026-11-26T12:00:01.000Z',
  },
};
const requested = (requestId: string): RevocationReviewEvent => ({
  type: 'gateway.RevocationReviewResolutionRequested.v1',
  data: {
    requestId,
    tenantId,
    reviewId,
    phone,
    decision: 'revoke',
    requestedAt: '2026-11-26T12:01:00.000Z',
  },
});
const resolved: RevocationReviewEvent = {
  type: 'consent.RevocationReviewResolved.v1',
  data: {
    reviewId,
    tenantId,
    phone,
    decision: 'revoke',
    requestId: winner,
    resolvedBy: 'agent-7',
    resolvedAt: '2026-11-26T12:01:01.000Z',
  },
};

const open: RevocationReviewRow = {
  review_id: reviewId,
  tenant_id: tenantId,
  phone,
  message,
  confidence: 0.55,
  cue: 'stop texting',
  status: 'open',
  decision: null,
  resolved_by: null,
  note: null,
  opened_at: '2026-11-26T12:00:01.000Z',
  resolved_at: null,
  resolution_request_id: null,
};
const closed: RevocationReviewRow = {
  ...open,
  status: 'resolved',
  decision: 'revoke',
  resolved_by: 'agent-7',
  resolved_at: '2026-11-26T12:01:01.000Z',
  resolution_request_id: winner,
};

describe('evolveRevocationReview', () => {
  it('is claimed by the first resolution request; a second one finds it claimed', () => {
    given([opened, requested(winner)]).then({
      ...open,
      status: 'resolving',
      resolution_request_id: winner,
    });
    given([opened, requested(winner), requested(loser)]).then({
      ...open,
      status: 'resolving',
      resolution_request_id: winner,
    });
  });

  it('is resolved for good by the ledger, naming its request, in whichever order a rebuild replays', () => {
    given([opened, requested(winner), resolved]).then(closed);
    given([opened, resolved, requested(winner)]).then(closed);
    given([opened, resolved, requested(loser)]).then(closed);
  });

  it('claims nothing that was never opened', () => {
    given([requested(winner)]).then(null);
  });
});
