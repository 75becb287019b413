import { type ConsentStanding, noConsent } from '@textplane/compliance';
import type { NewEvent } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyScope, StoredResponse } from '../idempotency/idempotency-store.js';
import { ApiError } from '../problems/api-error.js';
import type { ConsentConfirmations } from './consent-confirmations.js';
import type { ConsentQueries } from './consent-read-model.js';
import type { ConsentLedgerEntry, RevocationReviewResource } from './consent.resource.js';
import { type ConsentRequestLog, ConsentsApplication } from './consents.application.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const tenant = { tenantId: '0193a1b2-0000-7000-8000-0000000000aa', keyId: 'key' };
const phone = '+15555550123';
const openReviewId = '0193a1b2-0000-7000-8000-000000000001';
const resolvedReviewId = '0193a1b2-0000-7000-8000-000000000002';

function review(id: string, status: 'open' | 'resolved'): RevocationReviewResource {
  return {
    id,
    phone,
    message: { messageId: id, body: 'pls no more', receivedAt: NOW.toISOString() },
    confidence: 0.6,
    cue: 'no more',
    status,
    decision: status === 'resolved' ? 'dismiss' : null,
    resolvedBy: null,
    note: null,
    openedAt: NOW.toISOString(),
    resolvedAt: null,
  };
}

class FakeQueries implements ConsentQueries {
  standings = new Map<string, ConsentStanding>();
  standing(_t: string, p: string) {
    return Promise.resolve(this.standings.get(p) ?? noConsent);
  }
  history() {
    return Promise.resolve([]);
  }
  entryForRequest() {
    return Promise.resolve(null);
  }
  openReviewCount() {
    return Promise.resolve(2);
  }
  review(_t: string, id: string) {
    const reviews = [review(openReviewId, 'open'), review(resolvedReviewId, 'resolved')];
    return Promise.resolve(reviews.find((r) => r.id === id) ?? null);
  }
  claimReview(_m: EntityManager, t: string, id: string) {
    return this.review(t, id).then((review) =>
      review === null
        ? ({ outcome: 'not_found' } as const)
        : review.status === 'open'
          ? ({ outcome: 'claimed', review } as const)
          : ({ outcome: 'taken', review } as const),
    );
  }
  reviews() {
    return Promise.resolve({ items: [], nextCursor: null });
  }
}

let appended: NewEvent[];
let recorded: ConsentLedgerEntry | null;
let app: ConsentsApplication;

beforeEach(() => {
  appended = [];
  recorded = null;
  const store: ConsentRequestLog = {
    append: (_stream, _type, _expected, events) => {
      appended.push(...events);
      return Promise.resolve({ nextVersion: 1, events: [] });
    },
  };
  const idempotency = {
    run: async (
      _scope: IdempotencyScope,
      _key: string | undefined,
      _hash: string,
      work: (manager: EntityManager) => Promise<StoredResponse>,
    ) => ({ ...(await work({} as EntityManager)), replayed: false }),
  };
  const confirmations: ConsentConfirmations = {
    waitFor: () => Promise.resolve(recorded),
  };
  app = new ConsentsApplication(
    store,
    new FakeQueries(),
    { authenticate: () => Promise.resolve(tenant) },
    idempotency,
    confirmations,
    { now: () => NOW },
    50,
  );
});

const evidence = {
  source: 'web_form',
  text: 'I agree to receive marketing texts from Acme. Msg & data rates may apply.',
  capturedAt: '2026-11-25T18:30:00Z',
  textVersion: 'v3',
  checkboxDefaultUnchecked: true,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  pageUrl: 'https://acme.example/signup',
};
const grant = { phone, purpose: 'marketing', channel: 'sms', evidence };

async function refusal(run: () => Promise<unknown>): Promise<ApiError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('GrantConsent: bad input is refused and records nothing', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no body', undefined, '(body)'],
    ['unknown channel', { ...grant, channel: 'fax' }, 'channel'],
    ['unknown purpose', { ...grant, purpose: 'promotional' }, 'purpose'],
    [
      'unknown evidence source',
      { ...grant, evidence: { ...evidence, source: 'rumour' } },
      'evidence.source',
    ],
    ['a phone number without +', { ...grant, phone: '5555550123' }, 'phone'],
    ['a phone number with spaces', { ...grant, phone: '+1 555 555 0123' }, 'phone'],
    ['a phone number too long', { ...grant, phone: '+1555555012345678' }, 'phone'],
    ['a phone number starting with 0', { ...grant, phone: '+0555550123' }, 'phone'],
    ['no evidence', { phone, purpose: 'marketing' }, 'evidence'],
    [
      'evidence without text',
      { ...grant, evidence: { ...evidence, text: undefined } },
      'evidence.text',
    ],
    [
      'evidence with empty text',
      { ...grant, evidence: { ...evidence, text: '' } },
      'evidence.text',
    ],
    [
      'evidence with blank text',
      { ...grant, evidence: { ...evidence, text: '   ' } },
      'evidence.text',
    ],
    [
      'evidence without capturedAt',
      { ...grant, evidence: { ...evidence, capturedAt: undefined } },
      'evidence.capturedAt',
    ],
    [
      'capturedAt not a date-time',
      { ...grant, evidence: { ...evidence, capturedAt: 'yesterday' } },
      'evidence.capturedAt',
    ],
    [
      'capturedAt without a zone',
      { ...grant, evidence: { ...evidence, capturedAt: '2026-11-25T18:30:00' } },
      'evidence.capturedAt',
    ],
    [
      'capturedAt in the future',
      { ...grant, evidence: { ...evidence, capturedAt: '2026-11-27T12:00:00Z' } },
      'evidence.capturedAt',
    ],
    [
      'capturedAt at year 0',
      { ...grant, evidence: { ...evidence, capturedAt: '0000-01-01T00:00:00Z' } },
      'evidence.capturedAt',
    ],
    [
      'capturedAt before 2000',
      { ...grant, evidence: { ...evidence, capturedAt: '1999-12-31T23:59:59Z' } },
      'evidence.capturedAt',
    ],
    [
      'a javascript: page URL',
      { ...grant, evidence: { ...evidence, pageUrl: 'javascript:alert(1)' } },
      'evidence.pageUrl',
    ],
    [
      'a file: page URL',
      { ...grant, evidence: { ...evidence, pageUrl: 'file:///etc/passwd' } },
      'evidence.pageUrl',
    ],
    [
      'evidence text with NUL',
      { ...grant, evidence: { ...evidence, text: 'I agree\u0000' } },
      'evidence.text',
    ],
    ['an unknown field', { ...grant, priority: 'high' }, 'priority'],
    [
      'an unknown evidence field',
      { ...grant, evidence: { ...evidence, signature: 'x' } },
      'evidence.signature',
    ],
    [
      'an IP that is not one',
      { ...grant, evidence: { ...evidence, ip: 'localhost' } },
      'evidence.ip',
    ],
  ];
  it.each(cases)('%s', async (_name, body, field) => {
    const error = await refusal(() => app.grant(tenant, body, undefined));
    expect(error.kind).toBe('invalid_request');
    expect(error.violations.map((v) => v.field)).toContain(field);
    expect(appended).toEqual([]);
  });
});

describe('GrantConsent', () => {
  it('appends the request with its evidence verbatim, channel all by default', async () => {
    const { channel: _omitted, ...withoutChannel } = grant;
    const outcome = await app.grant(tenant, withoutChannel, 'key-1');
    expect(outcome).toMatchObject({ status: 'pending', phone, replayed: false });
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({
      type: 'gateway.ConsentGrantRequested.v1',
      data: {
        requestId: outcome.requestId,
        tenantId: tenant.tenantId,
        phone,
        purpose: 'marketing',
        channel: 'all',
        evidence,
        requestedAt: NOW.toISOString(),
      },
      metadata: { tenantId: tenant.tenantId, correlationId: outcome.requestId },
    });
  });

  it('answers with the ledger fact when the consent service recorded it in time', async () => {
    recorded = { sequence: 1, type: 'ConsentGranted', occurredAt: NOW.toISOString(), eventId: 'e' };
    const outcome = await app.grant(tenant, grant, undefined);
    expect(outcome).toMatchObject({ status: 'recorded', entry: recorded });
  });

  it('accepts a capture time a few seconds ahead (clock skew)', async () => {
    const skewed = { ...evidence, capturedAt: '2026-11-26T12:00:30Z' };
    await app.grant(tenant, { ...grant, evidence: skewed }, undefined);
    expect(appended).toHaveLength(1);
  });
});

describe('RevokeConsent', () => {
  it.each([
    ['a malformed phone', 'tel:555', {}, 'phone'],
    ['an unknown scope', phone, { scope: 'transactional' }, 'scope'],
    ['an unknown channel', phone, { channel: 'email' }, 'channel'],
    ['an unknown method', phone, { method: 'keyword' }, 'method'],
    ['an unknown field', phone, { reason: 'x' }, 'reason'],
  ])('refuses %s and records nothing', async (_name, number, body, field) => {
    const error = await refusal(() => app.revoke(tenant, number, body, undefined));
    expect(error.violations.map((v) => v.field)).toContain(field);
    expect(appended).toEqual([]);
  });

  it('takes no body: an API opt-out of everything', async () => {
    await app.revoke(tenant, phone, undefined, undefined);
    expect(appended[0]).toMatchObject({
      type: 'gateway.ConsentRevocationRequested.v1',
      data: { phone, scope: 'all', channel: 'all', method: 'api' },
    });
  });

  it('keeps a support agent note', async () => {
    await app.revoke(
      tenant,
      phone,
      { scope: 'marketing', channel: 'mms', method: 'support_agent', note: 'called in' },
      undefined,
    );
    expect(appended[0]?.data).toMatchObject({
      scope: 'marketing',
      channel: 'mms',
      method: 'support_agent',
      note: 'called in',
    });
  });
});

describe('DND', () => {
  it('refuses an unknown channel or phone and records nothing', async () => {
    expect(
      (await refusal(() => app.changeDnd(tenant, phone, 'email', true, undefined))).violations[0]
        ?.field,
    ).toBe('channel');
    expect(
      (await refusal(() => app.changeDnd(tenant, '123', 'sms', true, undefined))).violations[0]
        ?.field,
    ).toBe('phone');
    expect(appended).toEqual([]);
  });

  it('sets and clears per channel', async () => {
    await app.changeDnd(tenant, phone, 'sms', true, undefined);
    await app.changeDnd(tenant, phone, 'all', false, undefined);
    expect(appended.map((e) => e.data)).toMatchObject([
      { channel: 'sms', dnd: true },
      { channel: 'all', dnd: false },
    ]);
  });
});

describe('Revocation reviews', () => {
  it('refuses an unknown decision, an unknown review (404) and a resolved one (409)', async () => {
    expect(
      (
        await refusal(() =>
          app.resolveReview(tenant, openReviewId, { decision: 'maybe' }, undefined),
        )
      ).kind,
    ).toBe('invalid_request');
    expect(
      (await refusal(() => app.resolveReview(tenant, 'nope', { decision: 'revoke' }, undefined)))
        .kind,
    ).toBe('not_found');
    expect(
      (
        await refusal(() =>
          app.resolveReview(
            tenant,
            '0193a1b2-0000-7000-8000-0000000000ff',
            { decision: 'revoke' },
            undefined,
          ),
        )
      ).kind,
    ).toBe('not_found');
    const conflict = await refusal(() =>
      app.resolveReview(tenant, resolvedReviewId, { decision: 'revoke' }, undefined),
    );
    expect(conflict).toMatchObject({ kind: 'conflict', code: 'review_already_resolved' });
    expect(appended).toEqual([]);
  });

  it('records the decision on an open review, with the review phone', async () => {
    const outcome = await app.resolveReview(
      tenant,
      openReviewId.toUpperCase(),
      { decision: 'revoke', resolvedBy: 'agent-7' },
      undefined,
    );
    expect(outcome.phone).toBe(phone);
    expect(appended[0]).toMatchObject({
      type: 'gateway.RevocationReviewResolutionRequested.v1',
      data: { reviewId: openReviewId, phone, decision: 'revoke', resolvedBy: 'agent-7' },
    });
  });

  it('refuses a bad status, page size or cursor', async () => {
    expect(
      (await refusal(() => app.listReviews(tenant, { status: 'closed', limit: 10 }))).violations[0]
        ?.field,
    ).toBe('status');
    expect((await refusal(() => app.listReviews(tenant, { limit: 0 }))).violations[0]?.field).toBe(
      'limit',
    );
    expect(
      (await refusal(() => app.listReviews(tenant, { limit: 10, cursor: 'zzz' }))).violations[0]
        ?.field,
    ).toBe('cursor');
  });
});

describe('GetConsent', () => {
  it('answers for a number with no ledger: nothing granted, transactional allowed', async () => {
    const state = await app.get(tenant, phone);
    expect(state).toMatchObject({
      phone,
      openReviewCount: 2,
      optedOut: { sms: false, mms: false },
      marketing: { sms: { consented: false, allowed: false } },
      transactional: { sms: { consented: false, allowed: true } },
    });
  });

  it('refuses a malformed number', async () => {
    expect((await refusal(() => app.get(tenant, '+1-555'))).kind).toBe('invalid_request');
  });
});
