import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify-reply.js';
import {
  evaluateClassifier,
  isRevoked,
  parseLabelledReplies,
  type LabelledReply,
} from './evaluate-classifier.js';

const load = (name: string): LabelledReply[] =>
  parseLabelledReplies(readFileSync(new URL(`../../testdata/${name}`, import.meta.url), 'utf8'));

describe('labelled replies (written before the scorer)', () => {
  const samples = load('replies.labelled.jsonl');
  const evaluation = evaluateClassifier(samples);

  it('is a set of realistic size and balance', () => {
    expect(samples.length).toBeGreaterThanOrEqual(220);
    expect(samples.filter((s) => s.label === 'revocation').length).toBeGreaterThanOrEqual(90);
    expect(samples.filter((s) => s.label === 'not_revocation').length).toBeGreaterThanOrEqual(130);
  });

  it('has the counts reported in README.md (update both together)', () => {
    const { misclassified: _misclassified, ...figures } = evaluation;
    expect(figures).toEqual({
      truePositives: 124,
      falsePositives: 0,
      falseNegatives: 0,
      trueNegatives: 143,
      precision: 1,
      recall: 1,
      reviewed: 8,
      revocationsSentToReview: 0,
    });
  });

  it('meets precision and recall floors (measured: 1.00 / 1.00)', () => {
    expect(evaluation.misclassified).toEqual([]);
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.recall).toBeGreaterThanOrEqual(1);
  });

  it('misses no keyword-only revocation', () => {
    const keywordOnly = samples.filter((s) => s.note?.startsWith('keyword') === true);
    expect(keywordOnly.length).toBeGreaterThanOrEqual(30);
    expect(keywordOnly.filter((s) => classifyReply(s.text).kind !== 'opt_out')).toEqual([]);
  });
});

describe('held-out replies (written after the scorer was frozen, never tuned against)', () => {
  const evaluation = evaluateClassifier(load('replies.holdout.jsonl'));

  it('has the counts reported in README.md (update both together)', () => {
    const { misclassified, ...figures } = evaluation;
    expect(figures).toEqual({
      truePositives: 43,
      falsePositives: 3,
      falseNegatives: 7,
      trueNegatives: 47,
      precision: 43 / 46,
      recall: 0.86,
      reviewed: 2,
      revocationsSentToReview: 1,
    });
    expect(misclassified.filter((m) => m.label === 'not_revocation').map((m) => m.text)).toEqual([
      'Can you take me off the schedule Friday?',
      'Can I unsubscribe from the emails but keep texts?',
      'How do I stop my car alarm lol',
    ]);
  });

  it('keeps the measured figures (0.93 precision, 0.86 recall) as a regression floor', () => {
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.93);
    expect(evaluation.recall).toBeGreaterThanOrEqual(0.86);
  });
});

describe('evaluateClassifier', () => {
  it('counts review as not revoked, and reports revocations sent to review', () => {
    const result = evaluateClassifier([
      { text: 'STOP', label: 'revocation' },
      { text: 'not interested', label: 'revocation' },
      { text: 'no thanks', label: 'not_revocation' },
      { text: 'see you at 3', label: 'revocation' },
      { text: 'please stop texting me', label: 'not_revocation' },
      { text: 'ok', label: 'not_revocation' },
    ]);
    expect(result).toMatchObject({
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 2,
      trueNegatives: 2,
      precision: 0.5,
      recall: 1 / 3,
      reviewed: 2,
      revocationsSentToReview: 1,
    });
    expect(result.misclassified.map((m) => m.text)).toEqual([
      'not interested',
      'see you at 3',
      'please stop texting me',
    ]);
  });

  it('treats an empty prediction set as precise', () => {
    expect(evaluateClassifier([])).toMatchObject({ precision: 1, recall: 1 });
  });

  it('isRevoked is true only for opt_out and revocation', () => {
    expect(isRevoked({ kind: 'opt_out', keyword: 'STOP' })).toBe(true);
    expect(isRevoked({ kind: 'revocation', confidence: 0.9, cue: 'x' })).toBe(true);
    expect(isRevoked({ kind: 'possible_revocation', confidence: 0.5, cue: 'x' })).toBe(false);
    expect(isRevoked({ kind: 'help', keyword: 'HELP' })).toBe(false);
  });
});

describe('parseLabelledReplies', () => {
  it('skips blank lines and rejects a bad label with its line number', () => {
    expect(parseLabelledReplies('{"text":"a","label":"revocation"}\n\n')).toEqual([
      { text: 'a', label: 'revocation' },
    ]);
    expect(() => parseLabelledReplies('\n{"text":"a","label":"maybe"}')).toThrow(/line 2/);
  });
});
