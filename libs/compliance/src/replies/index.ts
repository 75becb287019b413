export {
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  findKeyword,
  type KeywordKind,
  type KeywordMatch,
} from './keywords.js';
export { classifyReply, type ReplyIntent } from './classify-reply.js';
export {
  REVIEW_THRESHOLD,
  REVOCATION_THRESHOLD,
  scoreRevocation,
  type RevocationScore,
} from './revocation-scorer.js';
export {
  evaluateClassifier,
  isRevoked,
  parseLabelledReplies,
  type ClassifierEvaluation,
  type LabelledReply,
  type Misclassified,
} from './evaluate-classifier.js';
