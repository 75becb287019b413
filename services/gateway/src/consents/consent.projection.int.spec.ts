import { randomUUID } from 'node:crypto';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { ListeningConsentConfirmations } from './consent-confirmations.js';
import { ConsentReadModel } from './consent-read-model.js';
import { ConsentProjection } from './consent.projection.js';
import { ConsentsApplication } from './consents.application.js';

let database: TestDatabase;
let projection: ConsentProjection;
let readModel: ConsentReadModel;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  projection = new ConsentProjection(new Inbox(database.dataSource), 'gateway.consent-read-models');
  readModel = new ConsentReadModel(database.dataSource);
});

afterAll(async () => {
  await database.drop();
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 12, minute)).toISOString();

function ledger(tenantId: string, phone: string) {
  let offset = 0;
  const event = (type: string, data: Record<string, unknown>): ConsumedEvent => ({
    id: randomUUID(),
    type,
    source: '/textplane/consent',
    subject: `consent-${tenantId}-${phone}`,
    time: new Date().toISOString(),
    tenantId,
    correlationId: randomUUID(),
    data: { tenantId, phone, ...data },
    topic: 'consent.consents.events.v1',
    partition: 0,
    offset: String((offset += 1)),
  });
  const requestId = randomUUID();
  const reviewId = randomUUID();
  const message = { messageId: randomUUID(), body: 'please stop texting me', receivedAt: at(3) };
  return {
    requestId,
    reviewId,
    granted: event('consent.ConsentGranted.v1', {
      purpose: 'marketing',
      channel: 'all',
      evidence: {
        source: 'web_form',
        text: 'I agree to marketing texts',
        capturedAt: at(0),
        checkboxDefaultUnchecked: true,
      },
      requestId,
      grantedAt: at(1),
    }),
    dnd: event('consent.DndSet.v1', { channel: 'mms', requestId: randomUUID(), setAt: at(2) }),
    reviewOpened: event('consent.RevocationReviewOpened.v1', {
      reviewId,
      message,
      confidence: 0.55,
      cue: 'stop texting',
      openedAt: at(3),
    }),
    reviewResolved: event('consent.RevocationReviewResolved.v1', {
      reviewId,
      decision: 'revoke',
      requestId: randomUUID(),
      resolvedBy: 'agent-7',
      resolvedAt: at(4),
    }),
    revoked: event('consent.ConsentRevoked.v1', {
      scope: 'all',
      channel: 'all',
      method: 'free_text',
      message,
      reviewId,
      revokedAt: at(4),
    }),
  };
}

describe('ConsentProjection (real Postgres)', () => {
  it('keeps every fact in stream order, folds the standing and tracks the review', async () => {
    const tenantId = randomUUID();
    const phone = '+15555550111';
    const l = ledger(tenantId, phone);
    await projection.handle(l.granted);
    await projection.handle(l.dnd);
    await projection.handle(l.reviewOpened);

    expect(await readModel.openReviewCount(tenantId, phone)).toBe(1);
    const open = await readModel.reviews(tenantId, { status: 'open', after: null, limit: 10 });
    expect(open.items).toMatchObject([{ id: l.reviewId, status: 'open', confidence: 0.55 }]);

    await projection.handle(l.reviewResolved);
    await projection.handle(l.revoked);

    const history = await readModel.history(tenantId, phone);
    expect(history.map((e) => [e.sequence, e.type])).toEqual([
      [1, 'ConsentGranted'],
      [2, 'DndSet'],
      [3, 'RevocationReviewOpened'],
      [4, 'RevocationReviewResolved'],
      [5, 'ConsentRevoked'],
    ]);
    expect(history[0]).toMatchObject({
      occurredAt: at(1),
      requestId: l.requestId,
      evidence: { source: 'web_form', text: 'I agree to marketing texts', capturedAt: at(0) },
    });
    expect(history[4]).toMatchObject({ method: 'free_text', reviewId: l.reviewId });

    const standing = await readModel.standing(tenantId, phone);
    expect(standing.grants.marketing).toEqual({ sms: true, mms: true });
    expect(standing.dnd).toEqual({ sms: false, mms: true });
    expect(standing.optedOut).toEqual({ sms: true, mms: true });
    expect(await readModel.openReviewCount(tenantId, phone)).toBe(0);
    expect(await readModel.review(tenantId, l.reviewId)).toMatchObject({
      status: 'resolved',
      decision: 'revoke',
      resolvedBy: 'agent-7',
    });
    expect(await readModel.entryForRequest(tenantId, l.requestId)).toMatchObject({
      sequence: 1,
      type: 'ConsentGranted',
    });
  });

  it('ignores redelivery, one by one or in a batch', async () => {
    const tenantId = randomUUID();
    const phone = '+15555550112';
    const l = ledger(tenantId, phone);
    await projection.handleBatch([l.granted, l.dnd, l.granted]);
    await projection.handle(l.dnd);
    await projection.handleBatch([l.granted, l.reviewOpened, l.reviewOpened]);
    expect((await readModel.history(tenantId, phone)).map((e) => e.type)).toEqual([
      'ConsentGranted',
      'DndSet',
      'RevocationReviewOpened',
    ]);
    expect(await readModel.openReviewCount(tenantId, phone)).toBe(1);
  });

  it('keeps numbers and tenants apart; an unknown number has no consent', async () => {
    const tenantId = randomUUID();
    const l = ledger(tenantId, '+15555550113');
    await projection.handle(l.granted);
    expect(await readModel.history(randomUUID(), '+15555550113')).toEqual([]);
    expect((await readModel.standing(tenantId, '+15555550999')).grants.marketing).toEqual({
      sms: false,
      mms: false,
    });
  });
});

describe('ConsentsApplication (real Postgres)', () => {
  function application(timeoutMs: number) {
    const options = database.dataSource.options as {
      host?: string;
      port?: number;
      username?: string;
      database?: string;
    };
    const url = `postgres://${options.username ?? 'postgres'}@${options.host ?? '127.0.0.1'}:${options.port ?? 5432}/${options.database ?? ''}`;
    const confirmations = new ListeningConsentConfirmations(url, readModel, {
      warn: () => undefined,
    });
    const app = new ConsentsApplication(
      new EventStore(database.dataSource),
      readModel,
      { authenticate: () => Promise.resolve(null) },
      new IdempotencyStore(database.dataSource),
      confirmations,
      { now: () => new Date() },
      timeoutMs,
    );
    return { app, confirmations };
  }

  async function requestsOf(tenantId: string) {
    return database.dataSource.query<Array<{ stream_id: string; type: string; data: unknown }>>(
      `SELECT stream_id, type, data FROM events WHERE data->>'tenantId' = $1 ORDER BY global_position`,
      [tenantId],
    );
  }

  it('appends the request once per Idempotency-Key, answers 201 once the fact is projected', async () => {
    const { app, confirmations } = application(5_000);
    await confirmations.start();
    try {
      const tenant = { tenantId: randomUUID(), keyId: 'k' };
      const phone = '+15555550114';
      const body = {
        phone,
        purpose: 'transactional',
        evidence: { source: 'paper', text: 'Signed form #12', capturedAt: at(0) },
      };
      const first = await application(0).app.grant(tenant, body, 'grant-1');
      expect(first.status).toBe('pending');

      // The consent service records the fact; the projection brings it back.
      const recordedLater = setTimeout(() => {
        const l = ledger(tenant.tenantId, phone);
        void projection.handle({
          ...l.granted,
          data: {
            ...(l.granted.data as object),
            purpose: 'transactional',
            requestId: first.requestId,
          },
        });
      }, 300);
      const replay = await app.grant(tenant, body, 'grant-1');
      clearTimeout(recordedLater);
      expect(replay).toMatchObject({
        status: 'recorded',
        replayed: true,
        requestId: first.requestId,
        entry: { type: 'ConsentGranted', requestId: first.requestId, sequence: 1 },
      });

      const events = await requestsOf(tenant.tenantId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        stream_id: `consent-request-${first.requestId}`,
        type: 'gateway.ConsentGrantRequested.v1',
        data: { phone, purpose: 'transactional', channel: 'all', evidence: body.evidence },
      });

      const reused = await app
        .grant(tenant, { ...body, purpose: 'marketing' }, 'grant-1')
        .catch((e: unknown) => e);
      expect(reused).toBeInstanceOf(ApiError);
      expect(await requestsOf(tenant.tenantId)).toHaveLength(1);
    } finally {
      await confirmations.stop();
    }
  });

  it('lets exactly one of competing resolutions of a review through; the others get 409', async () => {
    const { app } = application(0);
    const tenant = { tenantId: randomUUID(), keyId: 'k' };
    const phone = '+15555550116';
    const l = ledger(tenant.tenantId, phone);
    await projection.handle(l.reviewOpened);

    // Different agents (different Idempotency-Keys) resolve the same open review at once.
    const decisions = ['revoke', 'dismiss', 'revoke', 'dismiss', 'revoke'] as const;
    const outcomes = await Promise.allSettled(
      decisions.map((decision, i) =>
        app.resolveReview(tenant, l.reviewId, { decision }, `resolve-${i}`),
      ),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o): unknown[] => (o.status === 'rejected' ? [o.reason] : []));
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(decisions.length - 1);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ kind: 'conflict', code: 'review_already_resolved' });
    }
    const requests = await requestsOf(tenant.tenantId);
    expect(requests).toHaveLength(1);
    const winner = accepted[0]?.status === 'fulfilled' ? accepted[0].value : undefined;
    expect(winner).toMatchObject({ status: 'pending', phone });

    // The winner's retry (same key) replays its answer rather than meeting its own claim.
    const retried = await app.resolveReview(
      tenant,
      l.reviewId,
      { decision: decisions[outcomes.findIndex((o) => o.status === 'fulfilled')] },
      `resolve-${outcomes.findIndex((o) => o.status === 'fulfilled')}`,
    );
    expect(retried).toMatchObject({ replayed: true, requestId: winner?.requestId });

    // Until the ledger has the resolution the review is still open to readers.
    expect(await readModel.review(tenant.tenantId, l.reviewId)).toMatchObject({ status: 'open' });
    expect(await readModel.openReviewCount(tenant.tenantId, phone)).toBe(1);

    // The consent service records the winner's resolution; the projection closes the review,
    // and a redelivery changes nothing.
    const resolved = {
      ...l.reviewResolved,
      data: { ...(l.reviewResolved.data as object), requestId: winner?.requestId },
    };
    await projection.handle(resolved);
    await projection.handle(resolved);
    expect(await readModel.review(tenant.tenantId, l.reviewId)).toMatchObject({
      status: 'resolved',
      decision: 'revoke',
    });
    expect(await readModel.openReviewCount(tenant.tenantId, phone)).toBe(0);
    const late = await app
      .resolveReview(tenant, l.reviewId, { decision: 'dismiss' }, 'resolve-late')
      .catch((e: unknown) => e);
    expect(late).toMatchObject({ kind: 'conflict', code: 'review_already_resolved' });
    expect(await requestsOf(tenant.tenantId)).toHaveLength(1);
  });

  it('rebuilds a claimed review from the events alone', async () => {
    const { app } = application(0);
    const tenant = { tenantId: randomUUID(), keyId: 'k' };
    const phone = '+15555550117';
    const l = ledger(tenant.tenantId, phone);
    await projection.handle(l.reviewOpened);
    await app.resolveReview(tenant, l.reviewId, { decision: 'dismiss' }, 'claim-1');
    // A rebuild replays the topic into empty tables: the review opens, then resolves.
    await database.dataSource.query(`DELETE FROM revocation_reviews WHERE review_id = $1`, [
      l.reviewId,
    ]);
    await database.dataSource.query(`DELETE FROM consent_ledger WHERE tenant_id = $1`, [
      tenant.tenantId,
    ]);
    const rebuilt = new ConsentProjection(
      new Inbox(database.dataSource),
      `rebuild-${randomUUID()}`,
    );
    await rebuilt.handle(l.reviewOpened);
    expect(await readModel.review(tenant.tenantId, l.reviewId)).toMatchObject({ status: 'open' });
    await rebuilt.handle(l.reviewResolved);
    expect(await readModel.review(tenant.tenantId, l.reviewId)).toMatchObject({
      status: 'resolved',
    });
  });

  it('records nothing for bad input', async () => {
    const { app } = application(0);
    const tenant = { tenantId: randomUUID(), keyId: 'k' };
    await app.grant(tenant, { phone: '+15555550115', purpose: 'marketing' }, 'k').catch(() => null);
    await app.changeDnd(tenant, '+15555550115', 'fax', true, undefined).catch(() => null);
    await app.revoke(tenant, 'not-a-phone', {}, undefined).catch(() => null);
    expect(await requestsOf(tenant.tenantId)).toEqual([]);
  });
});
