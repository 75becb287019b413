import { randomUUID } from 'node:crypto';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ListeningConsentConfirmations } from './consent-confirmations.js';
import { ConsentReadModel } from './consent-read-model.js';
import { ConsentProjection } from './consent.projection.js';
import { ConsentsApplication } from './consents.application.js';

/**
 * The gateway's consent read models (the ledger behind the history, the standings and the review
 * queue) are projections only: after a run of the real use cases (a resolution's claim applied
 * inline) and of consent's facts through the real projection, the tables dropped and rebuilt from
 * the consumed facts and the gateway's stored requests are the same, row for row.
 */

const GROUP = 'gateway.consent-read-models';
const TABLES = {
  consent_ledger: 'tenant_id, phone, sequence',
  consent_standings: 'tenant_id, phone',
  revocation_reviews: 'review_id',
} as const;

let database: TestDatabase;
let projection: ConsentProjection;
let app: ConsentsApplication;
const tenant = { tenantId: randomUUID(), keyId: 'k' };

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  projection = new ConsentProjection(new Inbox(database.dataSource), GROUP);
  const readModel = new ConsentReadModel(database.dataSource);
  app = new ConsentsApplication(
    new EventStore(database.dataSource),
    readModel,
    { authenticate: () => Promise.resolve(null) },
    new IdempotencyStore(database.dataSource),
    // Never started, and never waited for (a timeout of 0): requests answer "pending".
    new ListeningConsentConfirmations('postgres://unused', readModel, { warn: () => undefined }),
    { now: () => new Date('2026-11-26T12:30:00.000Z') },
    0,
  );
});

afterAll(async () => {
  await database.drop();
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 12, minute)).toISOString();
let offset = 0;
/** A ledger fact as consent publishes it, in the order the topic holds them. */
const published: ConsumedEvent[] = [];
async function fact(phone: string, type: string, data: Record<string, unknown>): Promise<void> {
  offset += 1;
  const event: ConsumedEvent = {
    id: randomUUID(),
    type,
    source: '/textplane/consent',
    subject: `consent-${tenant.tenantId}-${phone}`,
    time: new Date(Date.parse(at(40)) + offset).toISOString(),
    tenantId: tenant.tenantId,
    correlationId: randomUUID(),
    data: { tenantId: tenant.tenantId, phone, ...data },
    topic: 'consent.consents.events.v1',
    partition: 0,
    offset: String(offset),
  };
  published.push(event);
  await projection.handle(event);
}

const granted = (phone: string, minute: number) =>
  fact(phone, 'consent.ConsentGranted.v1', {
    purpose: 'marketing',
    channel: 'all',
    evidence: {
      source: 'web_form',
      text: 'I agree to marketing texts',
      capturedAt: at(minute),
      checkboxDefaultUnchecked: true,
    },
    requestId: randomUUID(),
    grantedAt: at(minute),
  });

async function opened(phone: string, minute: number): Promise<string> {
  const reviewId = randomUUID();
  await fact(phone, 'consent.RevocationReviewOpened.v1', {
    reviewId,
    message: { messageId: randomUUID(), body: 'please stop texting me', receivedAt: at(minute) },
    confidence: 0.55,
    cue: 'stop texting',
    openedAt: at(minute),
  });
  return reviewId;
}

async function snapshot(): Promise<Record<string, unknown[]>> {
  const entries = await Promise.all(
    Object.entries(TABLES).map(
      async ([table, order]) =>
        [
          table,
          await database.dataSource.query(`SELECT * FROM ${table} ORDER BY ${order}`),
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** The gateway's own requests about reviews, as its store holds them (and relays them). */
async function storedResolutionRequests(): Promise<ConsumedEvent[]> {
  const rows = await database.dataSource.query<
    Array<{ event_id: string; type: string; data: Record<string, unknown>; occurred_at: Date }>
  >(
    `SELECT event_id, type, data, occurred_at FROM events
     WHERE type = 'gateway.RevocationReviewResolutionRequested.v1' ORDER BY global_position`,
  );
  return rows.map((row, index) => ({
    id: row.event_id,
    type: row.type,
    source: '/textplane/gateway',
    subject: `consent-request-${String(row.data['requestId'])}`,
    time: row.occurred_at.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: String(row.data['requestId']),
    data: row.data,
    topic: 'gateway.consent-requests.v1',
    partition: 0,
    offset: String(index),
  }));
}

describe('the gateway consent read models, rebuilt from their events (real Postgres)', () => {
  it('are the same row for row after a run as after dropping them and replaying the events', async () => {
    const [revoked, claimed, open] = ['+15555550131', '+15555550132', '+15555550133'];

    // Resolved: the claim, then the ledger's resolution and the revocation it caused.
    await granted(revoked, 1);
    await fact(revoked, 'consent.DndSet.v1', {
      channel: 'mms',
      requestId: randomUUID(),
      setAt: at(2),
    });
    const resolvedReview = await opened(revoked, 3);
    const resolution = await app.resolveReview(
      tenant,
      resolvedReview,
      { decision: 'revoke', resolvedBy: 'agent-7', note: 'clear opt-out' },
      'resolve-1',
    );
    await fact(revoked, 'consent.RevocationReviewResolved.v1', {
      reviewId: resolvedReview,
      decision: 'revoke',
      requestId: resolution.requestId,
      resolvedBy: 'agent-7',
      note: 'clear opt-out',
      resolvedAt: at(5),
    });
    await fact(revoked, 'consent.ConsentRevoked.v1', {
      scope: 'all',
      channel: 'all',
      method: 'free_text',
      message: { messageId: randomUUID(), body: 'please stop texting me', receivedAt: at(3) },
      reviewId: resolvedReview,
      revokedAt: at(5),
    });

    // Claimed, and the ledger has not recorded it yet: a competing resolution meets the claim.
    await granted(claimed, 6);
    const claimedReview = await opened(claimed, 7);
    await app.resolveReview(tenant, claimedReview, { decision: 'dismiss' }, 'resolve-2');
    const competing = await app
      .resolveReview(tenant, claimedReview, { decision: 'revoke' }, 'resolve-3')
      .catch((error: unknown) => error);
    expect(competing).toMatchObject({ kind: 'conflict', code: 'review_already_resolved' });

    // Open, with DND set and cleared.
    await opened(open, 8);
    await fact(open, 'consent.DndSet.v1', {
      channel: 'all',
      requestId: randomUUID(),
      setAt: at(9),
    });
    await fact(open, 'consent.DndCleared.v1', {
      channel: 'all',
      requestId: randomUUID(),
      clearedAt: at(10),
    });

    const live = await snapshot();
    expect(live['revocation_reviews']).toMatchObject([
      expect.anything(),
      expect.anything(),
      expect.anything(),
    ]);
    expect(live['revocation_reviews']).toContainEqual(
      expect.objectContaining({ review_id: claimedReview, status: 'resolving' }),
    );
    expect(live['consent_ledger']).toHaveLength(10);

    // Dropped: the rows and what the projection's inbox remembers. Replayed: consent's topic
    // from its start, then the gateway's stored requests.
    await database.dataSource.query(`TRUNCATE ${Object.keys(TABLES).join(', ')}`);
    await database.dataSource.query(`DELETE FROM inbox WHERE consumer_group = $1`, [GROUP]);
    await projection.handleBatch(published);
    await projection.handleBatch(await storedResolutionRequests());

    expect(await snapshot()).toEqual(live);
  });
});
