import { findKeyword } from './keywords.js';
import { REVIEW_THRESHOLD, REVOCATION_THRESHOLD, scoreRevocation } from './revocation-scorer.js';

export type ReplyIntent =
  | { kind: 'opt_out'; keyword: string }
  | { kind: 'opt_in'; keyword: string }
  | { kind: 'help'; keyword: string }
  /** Free text read confidently as "stop texting me": revoke. */
  | { kind: 'revocation'; confidence: number; cue: string }
  /** Free text that may be a revocation: queue for a human. */
  | { kind: 'possible_revocation'; confidence: number; cue: string }
  | { kind: 'none' };

/**
 * Classifies an inbound reply. Order: an opt-out keyword; then a confident free-text revocation
 * (so "YES\nstop texting me" still revokes); then HELP; then opt-in; then the review queue.
 */
export function classifyReply(body: string): ReplyIntent {
  const keyword = findKeyword(body);
  if (keyword?.kind === 'opt_out') return { kind: 'opt_out', keyword: keyword.keyword };

  const score = scoreRevocation(body);
  if (score.confidence >= REVOCATION_THRESHOLD) {
    return { kind: 'revocation', confidence: score.confidence, cue: score.cue };
  }
  if (keyword) return { kind: keyword.kind, keyword: keyword.keyword };
  if (score.confidence >= REVIEW_THRESHOLD) {
    return { kind: 'possible_revocation', confidence: score.confidence, cue: score.cue };
  }
  return { kind: 'none' };
}
