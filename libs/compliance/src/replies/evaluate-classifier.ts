import { classifyReply, type ReplyIntent } from './classify-reply.js';

export interface LabelledReply {
  text: string;
  label: 'revocation' | 'not_revocation';
  note?: string;
}

export interface Misclassified {
  text: string;
  label: LabelledReply['label'];
  predicted: ReplyIntent['kind'];
}

export interface ClassifierEvaluation {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** TP / (TP + FP); 1 when nothing was predicted. */
  precision: number;
  /** TP / (TP + FN); 1 when there were no revocations. */
  recall: number;
  /** Samples classified `possible_revocation` (sent to human review), whatever their label. */
  reviewed: number;
  /** True revocations that went to review: counted as false negatives, but not silently missed. */
  revocationsSentToReview: number;
  /** False positives and false negatives, for test failure messages. */
  misclassified: Misclassified[];
}

/** Revoked means an opt-out keyword or a confident free-text revocation; review is not revoked. */
export function isRevoked(intent: ReplyIntent): boolean {
  return intent.kind === 'opt_out' || intent.kind === 'revocation';
}

export function evaluateClassifier(samples: readonly LabelledReply[]): ClassifierEvaluation {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  let reviewed = 0;
  let revocationsSentToReview = 0;
  const misclassified: Misclassified[] = [];
  for (const sample of samples) {
    const intent = classifyReply(sample.text);
    const revoked = isRevoked(intent);
    const isRevocation = sample.label === 'revocation';
    if (intent.kind === 'possible_revocation') {
      reviewed += 1;
      if (isRevocation) revocationsSentToReview += 1;
    }
    if (revoked && isRevocation) truePositives += 1;
    else if (revoked) falsePositives += 1;
    else if (isRevocation) falseNegatives += 1;
    else trueNegatives += 1;
    if (revoked !== isRevocation) {
      misclassified.push({ text: sample.text, label: sample.label, predicted: intent.kind });
    }
  }
  const predicted = truePositives + falsePositives;
  const actual = truePositives + falseNegatives;
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
    precision: predicted === 0 ? 1 : truePositives / predicted,
    recall: actual === 0 ? 1 : truePositives / actual,
    reviewed,
    revocationsSentToReview,
    misclassified,
  };
}

/** Parses JSON Lines of labelled replies; blank lines are skipped, a malformed line throws. */
export function parseLabelledReplies(jsonl: string): LabelledReply[] {
  return jsonl
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      const value: unknown = JSON.parse(line);
      if (!isLabelledReply(value)) throw new Error(`line ${number}: not a labelled reply: ${line}`);
      return value;
    });
}

function isLabelledReply(value: unknown): value is LabelledReply {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['text'] === 'string' &&
    (record['label'] === 'revocation' || record['label'] === 'not_revocation') &&
    (record['note'] === undefined || typeof record['note'] === 'string')
  );
}
