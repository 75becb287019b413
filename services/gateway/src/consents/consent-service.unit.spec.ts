import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { fileURLToPath } from 'node:url';
import type { NewEvent } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentQueries } from './consent-read-model.js';
import type { ConsentLedgerEntry, RevocationReviewResource } from './consent.resource.js';
import { ConsentsApplication } from './consents.application.js';
import type { StoredResponse } from '../idempotency/idempotency-store.js';
import { PROTO_LOADER_OPTIONS } from '../grpc/proto-contracts.js';
import { GrpcEdge } from '../grpc/grpc-edge.js';
import { consentGrpc } from './consent.grpc-controller.js';
import { STATUS_DETAILS_KEY } from '../grpc/grpc-status.js';
import {
  CONSENT_SERVICE_NAME,
  consentServiceDefinition,
  loadConsentPackage,
} from './consent-proto.js';
import { fromStructProto } from './consent.mapper.js';
import type { StructProto } from './consent-proto.js';

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const API_KEY = 'tp_test_consent';
const tenant = { tenantId: '0193a1b2-0000-7000-8000-0000000000aa', keyId: 'k' };
const phone = '+15555550123';
const openReview = '0193a1b2-0000-7000-8000-000000000001';
const resolvedReview = '0193a1b2-0000-7000-8000-000000000002';

const granted: ConsentLedgerEntry = {
  sequence: 1,
  type: 'ConsentGranted',
  occurredAt: '2026-11-26T12:00:00.000Z',
  eventId: '0193a1b2-0000-7000-8000-0000000000e1',
  requestId: '0193a1b2-0000-7000-8000-0000000000b1',
  purpose: 'marketing',
  channel: 'all',
  evidence: {
    source: 'paper',
    text: 'Signed',
    capturedAt: '2026-11-25T00:00:00Z',
    checkboxDefaultUnchecked: true,
  },
};

function review(id: string, status: 'open' | 'resolved'): RevocationReviewResource {
  return {
    id,
    phone,
    message: { messageId: id, body: 'stop pls', receivedAt: '2026-11-26T12:00:00.000Z' },
    confidence: 0.5,
    cue: 'stop',
    status,
    decision: status === 'resolved' ? 'revoke' : null,
    resolvedBy: null,
    note: null,
    openedAt: '2026-11-26T12:00:00.000Z',
    resolvedAt: null,
  };
}

const queries: ConsentQueries = {
  standing: () => Promise.reject(new Error('not used')),
  history: () => Promise.resolve([granted]),
  entryForRequest: () => Promise.resolve(null),
  openReviewCount: () => Promise.resolve(0),
  review: (_t, id) =>
    Promise.resolve(
      [review(openReview, 'open'), review(resolvedReview, 'resolved')].find((r) => r.id === id) ??
        null,
    ),
  reviews: () => Promise.resolve({ items: [review(openReview, 'open')], nextCursor: null }),
  claimReview: async (_m, t, id) => {
    const found = await queries.review(t, id);
    if (!found) return { outcome: 'not_found' };
    return found.status === 'open'
      ? { outcome: 'claimed', review: found }
      : { outcome: 'taken', review: found };
  },
};

type Callback = (error: grpc.ServiceError | null, response?: Record<string, unknown>) => void;
type ConsentClient = grpc.Client &
  Record<string, (request: object, metadata: grpc.Metadata, callback: Callback) => void>;

let appended: NewEvent[];
let gateway: GrpcEdge;
let client: ConsentClient;

function call(method: string, request: object, key: string | null = API_KEY) {
  const metadata = new grpc.Metadata();
  if (key !== null) metadata.set('authorization', `Bearer ${key}`);
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const fn = client[method];
    if (!fn) throw new Error(`no method ${method}`);
    fn.call(client, request, metadata, (error, response) =>
      error ? reject(error) : resolve(response ?? {}),
    );
  });
}

async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as grpc.ServiceError,
  );
  if (!error) throw new Error('the call succeeded');
  return error;
}

beforeEach(async () => {
  appended = [];
  const consents = new ConsentsApplication(
    {
      append: (_s, _t, _e, events) => {
        appended.push(...events);
        return Promise.resolve({ nextVersion: 1, events: [] });
      },
    },
    queries,
    { authenticate: (key) => Promise.resolve(key === API_KEY ? tenant : null) },
    {
      run: async (
        _scope: unknown,
        _key: string | undefined,
        _hash: string,
        work: (m: EntityManager) => Promise<StoredResponse>,
      ) => ({ ...(await work({} as EntityManager)), replayed: false }),
    },
    { waitFor: () => Promise.resolve(null) },
    { now: () => new Date('2026-11-26T12:00:00.000Z') },
    0,
  );
  gateway = await GrpcEdge.start({
    contexts: [consentGrpc(PROTO_DIR, consents)],
    authenticator: { authenticate: (key) => Promise.resolve(key === API_KEY ? tenant : null) },
    port: 0,
    host: '127.0.0.1',
  });
  const Client = grpc.makeClientConstructor(
    consentServiceDefinition(loadConsentPackage(PROTO_DIR)),
    'ConsentService',
  );
  client = new Client(
    `127.0.0.1:${gateway.port}`,
    grpc.credentials.createInsecure(),
  ) as ConsentClient;
});

afterEach(async () => {
  client.close();
  await gateway.stop();
});

const evidence = {
  source: 'EVIDENCE_SOURCE_WEB_FORM',
  text: 'I agree',
  captured_at: { seconds: '1795600000', nanos: 0 },
  ip: '198.51.100.4',
};

describe('ConsentService over gRPC', () => {
  it('refuses a call without a valid API key', async () => {
    expect((await failure(call('GetConsentHistory', { phone }, null))).code).toBe(
      grpc.status.UNAUTHENTICATED,
    );
    expect((await failure(call('GetConsentHistory', { phone }, 'nope'))).code).toBe(
      grpc.status.UNAUTHENTICATED,
    );
  });

  it('grants: the request is appended and the answer is PENDING until the fact is seen', async () => {
    const response = await call('GrantConsent', {
      phone,
      purpose: 'CONSENT_PURPOSE_MARKETING',
      evidence,
    });
    expect(response).toMatchObject({ status: 'CONSENT_REQUEST_STATUS_PENDING', entry: null });
    expect(appended[0]).toMatchObject({
      type: 'gateway.ConsentGrantRequested.v1',
      data: {
        phone,
        purpose: 'marketing',
        channel: 'all',
        evidence: { source: 'web_form', text: 'I agree', ip: '198.51.100.4' },
      },
    });
  });

  it.each([
    ['no purpose', { phone, evidence }, 'purpose'],
    ['no evidence', { phone, purpose: 'CONSENT_PURPOSE_MARKETING' }, 'evidence'],
    [
      'evidence without its capture time',
      { phone, purpose: 'CONSENT_PURPOSE_MARKETING', evidence: { ...evidence, captured_at: null } },
      'evidence.captured_at',
    ],
    [
      'a malformed phone',
      { phone: '555', purpose: 'CONSENT_PURPOSE_MARKETING', evidence },
      'phone',
    ],
    ['an unknown channel number', { phone, purpose: 1, channel: 42, evidence }, 'channel'],
    [
      'a capture time past year 9999',
      {
        phone,
        purpose: 1,
        evidence: { ...evidence, captured_at: { seconds: '99999999999999', nanos: 0 } },
      },
      'evidence.captured_at.seconds',
    ],
    [
      'a capture time with negative nanos',
      { phone, purpose: 1, evidence: { ...evidence, captured_at: { seconds: '0', nanos: -5 } } },
      'evidence.captured_at.nanos',
    ],
  ])(
    'refuses %s with INVALID_ARGUMENT and details, recording nothing',
    async (_n, request, field) => {
      const error = await failure(call('GrantConsent', request));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toContain(field);
      expect(error.metadata.get(STATUS_DETAILS_KEY)).toHaveLength(1);
      expect(appended).toEqual([]);
    },
  );

  it('needs a channel for DND', async () => {
    expect((await failure(call('SetDnd', { phone }))).code).toBe(grpc.status.INVALID_ARGUMENT);
    await call('ClearDnd', { phone, channel: 'CONSENT_CHANNEL_SMS' });
    expect(appended[0]?.data).toMatchObject({ channel: 'sms', dnd: false });
  });

  it('maps an unknown review to NOT_FOUND and a resolved one to FAILED_PRECONDITION', async () => {
    const decision = 'REVIEW_DECISION_DISMISS';
    expect(
      (
        await failure(
          call('ResolveRevocationReview', {
            review_id: '0193a1b2-0000-7000-8000-0000000000ff',
            decision,
          }),
        )
      ).code,
    ).toBe(grpc.status.NOT_FOUND);
    expect(
      (await failure(call('ResolveRevocationReview', { review_id: resolvedReview, decision })))
        .code,
    ).toBe(grpc.status.FAILED_PRECONDITION);
    expect((await failure(call('ResolveRevocationReview', { review_id: openReview }))).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    await call('ResolveRevocationReview', { review_id: openReview, decision });
    expect(appended).toHaveLength(1);
  });

  it('returns the history with every field of each fact', async () => {
    const response = await call('GetConsentHistory', { phone });
    const entries = response['entries'] as Array<{
      sequence: number;
      type: string;
      fact: StructProto;
    }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      sequence: 1,
      type: 'ConsentGranted',
      request_id: granted['requestId'],
    });
    expect(fromStructProto(entries[0]!.fact)).toEqual(granted);
  });

  it('lists reviews', async () => {
    const response = await call('ListRevocationReviews', { status: 'REVIEW_STATUS_OPEN' });
    expect(response['reviews']).toMatchObject([{ id: openReview, status: 'REVIEW_STATUS_OPEN' }]);
    expect((await failure(call('ListRevocationReviews', { page_size: -1 }))).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('is reported SERVING by the health service', async () => {
    const health = protoLoader.loadSync(healthProtoPath, PROTO_LOADER_OPTIONS)[
      'grpc.health.v1.Health'
    ] as protoLoader.ServiceDefinition;
    const Health = grpc.makeClientConstructor(health, 'Health');
    const healthClient = new Health(
      client.getChannel().getTarget().replace(/^dns:/, ''),
      grpc.credentials.createInsecure(),
    ) as ConsentClient;
    const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
      healthClient['Check']?.call(
        healthClient,
        { service: CONSENT_SERVICE_NAME },
        new grpc.Metadata(),
        (error, response) => (error ? reject(error) : resolve(response ?? {})),
      );
    });
    healthClient.close();
    expect(answer['status']).toBe('SERVING');
  });
});
