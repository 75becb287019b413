import { describeStanding } from '@textplane/compliance';
import type {
  ConsentChannel,
  ConsentEvidence,
  EventDataByType,
  EventType,
} from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { validateRequest } from '../http/request-validator.js';
import { E164_PATTERN } from '../http/schema-parts.js';
import {
  type IdempotencyStore,
  type IdempotentRoute,
  requestHash,
  tenantScope,
} from '../idempotency/idempotency-store.js';
import type { Clock } from '@textplane/service-runtime';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError, echoed } from '../problems/api-error.js';
import type { ConsentConfirmations } from './consent-confirmations.js';
import type { ConsentQueries } from './consent-read-model.js';
import { pagePositionAfter } from '../http/page-cursor.js';
import type {
  AcceptedConsentRequest,
  ConsentHistory,
  ConsentRequestOutcome,
  ConsentStateResource,
  GrantConsentInput,
  ResolveReviewInput,
  ReviewStatus,
  RevocationReviewPage,
  RevocationReviewResource,
  RevokeConsentInput,
} from './consent.resource.js';
import type { ResolutionRequestedEvent } from './revocation-reviews.js';

export const CONSENT_REQUEST_STREAM_TYPE = 'consent-request';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = new RegExp(E164_PATTERN);
const CHANNELS: readonly ConsentChannel[] = ['sms', 'mms', 'all'];
const REVIEW_STATUSES: readonly ReviewStatus[] = ['open', 'resolved'];
export const REVIEW_PAGE_SIZE = { default: 50, max: 100 } as const;
/** A capture time a little ahead of our clock is the caller's clock skew, not the future. */
const CAPTURED_AT_SKEW_MS = 60_000;
/**
 * The earliest capture time taken. TCPA consent records are kept for years, not decades, and SMS
 * opt-in forms did not exist before it: an older instant (e.g. 0000-01-01) is a client's bug.
 */
export const EARLIEST_CAPTURED_AT = '2000-01-01T00:00:00Z';

type ConsentRequestType =
  | 'gateway.ConsentGrantRequested.v1'
  | 'gateway.ConsentRevocationRequested.v1'
  | 'gateway.DndChangeRequested.v1'
  | 'gateway.RevocationReviewResolutionRequested.v1';

type ConsentRequestEvent = {
  [K in ConsentRequestType]: { type: K; data: EventDataByType[K] };
}[ConsentRequestType];

type LedgerFactType = Extract<EventType, `consent.${string}`>;

export type ConsentOutcome = ConsentRequestOutcome & { replayed: boolean };

/** Where a request's events go: the gateway's own event store. */
export type ConsentRequestLog = Pick<EventStore, 'append'>;
export type IdempotentRunner = Pick<IdempotencyStore, 'run'>;
export interface TenantAuthenticator {
  authenticate(apiKey: string): Promise<AuthenticatedTenant | null>;
}

/** The consent use cases REST and gRPC share. */
export interface ConsentApi {
  authenticate(apiKey: string): Promise<AuthenticatedTenant | null>;
  grant(
    tenant: AuthenticatedTenant,
    input: unknown,
    key: string | undefined,
  ): Promise<ConsentOutcome>;
  get(tenant: AuthenticatedTenant, phone: string): Promise<ConsentStateResource>;
  history(tenant: AuthenticatedTenant, phone: string): Promise<ConsentHistory>;
  revoke(
    tenant: AuthenticatedTenant,
    phone: string,
    input: unknown,
    key: string | undefined,
  ): Promise<ConsentOutcome>;
  changeDnd(
    tenant: AuthenticatedTenant,
    phone: string,
    channel: string,
    dnd: boolean,
    key: string | undefined,
  ): Promise<ConsentOutcome>;
  listReviews(
    tenant: AuthenticatedTenant,
    page: { status?: string; cursor?: string; limit: number },
  ): Promise<RevocationReviewPage>;
  resolveReview(
    tenant: AuthenticatedTenant,
    reviewId: string,
    input: unknown,
    key: string | undefined,
  ): Promise<ConsentOutcome>;
}

export function requirePhone(phone: string, field = 'phone'): string {
  if (!E164.test(phone)) {
    throw ApiError.invalid('The phone number is not valid', [
      { field, message: 'must be an E.164 phone number such as +15555550123' },
    ]);
  }
  return phone;
}

export function requireChannel(channel: string): ConsentChannel {
  const known = CHANNELS.find((c) => c === channel);
  if (!known) {
    throw ApiError.invalid(`Unknown channel ${echoed(channel)}`, [
      { field: 'channel', message: 'must be one of sms, mms, all' },
    ]);
  }
  return known;
}

/**
 * What the schema cannot say: a capture time to come, or one before any SMS consent record
 * (blank texts and non-http(s) page URLs are refused by the schema).
 */
export function checkEvidence(evidence: ConsentEvidence, now: Date): void {
  const capturedAt = Date.parse(evidence.capturedAt);
  // A date-time the schema takes but Date cannot read (a leap second "23:59:60") is no instant.
  if (!Number.isFinite(capturedAt) || capturedAt < Date.parse(EARLIEST_CAPTURED_AT)) {
    throw ApiError.invalid('The consent capture time is not plausible', [
      { field: 'evidence.capturedAt', message: `must not be before ${EARLIEST_CAPTURED_AT}` },
    ]);
  }
  if (capturedAt > now.getTime() + CAPTURED_AT_SKEW_MS) {
    throw ApiError.invalid('Consent cannot have been captured in the future', [
      { field: 'evidence.capturedAt', message: 'must not be in the future' },
    ]);
  }
}

export function historyLocation(phone: string): string {
  return `/v1/consents/${encodeURIComponent(phone)}/history`;
}

/**
 * Consent requests made through the API. Each is validated, then recorded as a request event in
 * the gateway's event store (published to the consent service, which keeps the ledger), under
 * the caller's Idempotency-Key. The answer waits a bounded time for the ledger fact the request
 * caused; nothing is recorded for a request that fails validation.
 */
export class ConsentsApplication implements ConsentApi {
  constructor(
    private readonly store: ConsentRequestLog,
    private readonly queries: ConsentQueries,
    private readonly tenants: TenantAuthenticator,
    private readonly idempotency: IdempotentRunner,
    private readonly confirmations: ConsentConfirmations,
    private readonly clock: Clock,
    private readonly confirmTimeoutMs: number,
  ) {}

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return this.tenants.authenticate(apiKey);
  }

  async grant(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
    key: string | undefined,
  ): Promise<ConsentOutcome> {
    const input = validateRequest<GrantConsentInput>('GrantConsentRequest', rawInput);
    checkEvidence(input.evidence, this.clock.now());
    const channel = input.channel ?? 'all';
    return this.request(
      tenant,
      'POST /v1/consents',
      key,
      { op: 'grant-consent', input },
      input.phone,
      (requestId, requestedAt) => ({
        type: 'gateway.ConsentGrantRequested.v1',
        data: {
          requestId,
          tenantId: tenant.tenantId,
          phone: input.phone,
          purpose: input.purpose,
          channel,
          evidence: input.evidence,
          requestedAt,
        },
      }),
      ['consent.ConsentGranted.v1'],
    );
  }

  async get(tenant: AuthenticatedTenant, phone: string): Promise<ConsentStateResource> {
    requirePhone(phone);
    const [standing, openReviewCount] = await Promise.all([
      this.queries.standing(tenant.tenantId, phone),
      this.queries.openReviewCount(tenant.tenantId, phone),
    ]);
    return { phone, openReviewCount, ...describeStanding(standing) };
  }

  async history(tenant: AuthenticatedTenant, phone: string): Promise<ConsentHistory> {
    requirePhone(phone);
    return { phone, entries: await this.queries.history(tenant.tenantId, phone) };
  }

  async revoke(
    tenant: AuthenticatedTenant,
    phone: string,
    rawInput: unknown,
    key: string | undefined,
  ): Promise<ConsentOutcome> {
    requirePhone(phone);
    // Every field has a default, so a revocation may come without a body.
    const input = validateRequest<RevokeConsentInput>('RevokeConsentRequest', rawInput ?? {});
    const data = {
      tenantId: tenant.tenantId,
      phone,
      scope: input.scope ?? 'all',
      channel: input.channel ?? 'all',
      method: input.method ?? 'api',
      ...(input.note !== undefined ? { note: input.note } : {}),
    } as const;
    return this.request(
      tenant,
      'POST /v1/consents/{phone}/revocations',
      key,
      { op: 'revoke-consent', ...data },
      phone,
      (requestId, requestedAt) => ({
        type: 'gateway.ConsentRevocationRequested.v1',
        data: { requestId, ...data, requestedAt },
      }),
      ['consent.ConsentRevoked.v1'],
    );
  }

  async changeDnd(
    tenant: AuthenticatedTenant,
    phone: string,
    rawChannel: string,
    dnd: boolean,
    key: string | undefined,
  ): Promise<ConsentOutcome> {
    requirePhone(phone);
    const channel = requireChannel(rawChannel);
    return this.request(
      tenant,
      dnd ? 'PUT /v1/consents/{phone}/dnd/{channel}' : 'DELETE /v1/consents/{phone}/dnd/{channel}',
      key,
      { op: 'change-dnd', phone, channel, dnd },
      phone,
      (requestId, requestedAt) => ({
        type: 'gateway.DndChangeRequested.v1',
        data: { requestId, tenantId: tenant.tenantId, phone, channel, dnd, requestedAt },
      }),
      [dnd ? 'consent.DndSet.v1' : 'consent.DndCleared.v1'],
    );
  }

  async listReviews(
    tenant: AuthenticatedTenant,
    page: { status?: string; cursor?: string; limit: number },
  ): Promise<RevocationReviewPage> {
    const status =
      page.status === undefined ? undefined : REVIEW_STATUSES.find((s) => s === page.status);
    if (page.status !== undefined && status === undefined) {
      throw ApiError.invalid(`Unknown review status ${echoed(page.status)}`, [
        { field: 'status', message: 'must be open or resolved' },
      ]);
    }
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > REVIEW_PAGE_SIZE.max) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${REVIEW_PAGE_SIZE.max}` },
      ]);
    }
    const after = pagePositionAfter(page.cursor);
    return this.queries.reviews(tenant.tenantId, {
      ...(status ? { status } : {}),
      after,
      limit: page.limit,
    });
  }

  async resolveReview(
    tenant: AuthenticatedTenant,
    reviewId: string,
    rawInput: unknown,
    key: string | undefined,
  ): Promise<ConsentOutcome> {
    const input = validateRequest<ResolveReviewInput>('ResolveRevocationReviewRequest', rawInput);
    const id = reviewId.toLowerCase();
    let phone = '';
    const resolve = () =>
      this.request(
        tenant,
        'POST /v1/consent-reviews/{reviewId}/resolution',
        key,
        { op: 'resolve-review', reviewId: id, ...input },
        () => phone,
        async (requestId, requestedAt, manager) => {
          // Claimed inside the idempotent step, in the transaction that records the request: of
          // competing resolutions exactly one is recorded (the consent service would drop the
          // others, leaving their callers "pending" for ever), and a retry of a resolution that
          // went through replays its answer instead of meeting its own claim as a conflict.
          const requestOf = (review: RevocationReviewResource): ResolutionRequestedEvent => ({
            type: 'gateway.RevocationReviewResolutionRequested.v1',
            data: {
              requestId,
              tenantId: tenant.tenantId,
              reviewId: id,
              phone: review.phone,
              decision: input.decision,
              ...(input.resolvedBy !== undefined ? { resolvedBy: input.resolvedBy } : {}),
              ...(input.note !== undefined ? { note: input.note } : {}),
              requestedAt,
            },
          });
          const claim = UUID.test(id)
            ? await this.queries.claimReview(manager, tenant.tenantId, id, requestOf)
            : ({ outcome: 'not_found' } as const);
          if (claim.outcome === 'not_found') {
            throw ApiError.notFound(`Revocation review ${echoed(reviewId)} not found`);
          }
          if (claim.outcome === 'taken') {
            const { review } = claim;
            throw new ApiError(
              'conflict',
              'review_already_resolved',
              review.status === 'open'
                ? `Revocation review ${reviewId} is already being resolved by another request`
                : `Revocation review ${reviewId} was already resolved (${review.decision ?? 'unknown'})`,
            );
          }
          phone = claim.review.phone;
          return requestOf(claim.review);
        },
        ['consent.RevocationReviewResolved.v1'],
      );
    try {
      return await resolve();
    } catch (error) {
      // A concurrent retry under the same key waited for the first one's claim: once that has
      // committed, looking the key up again replays its answer (another key meets 409 again).
      if (key === undefined || !(error instanceof ApiError)) throw error;
      if (error.code !== 'review_already_resolved') throw error;
      return resolve();
    }
  }

  private async request(
    tenant: AuthenticatedTenant,
    route: IdempotentRoute,
    key: string | undefined,
    hashParts: Record<string, unknown>,
    phoneOf: string | (() => string),
    eventOf: (
      requestId: string,
      requestedAt: string,
      manager: EntityManager,
    ) => ConsentRequestEvent | Promise<ConsentRequestEvent>,
    factTypes: readonly LedgerFactType[],
  ): Promise<ConsentOutcome> {
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, route),
      key,
      requestHash(hashParts),
      async (manager) => {
        const requestId = uuidv7();
        const event = await eventOf(requestId, this.clock.now().toISOString(), manager);
        const traceparent = currentTraceparent();
        await this.store.append(
          `consent-request-${requestId}`,
          CONSENT_REQUEST_STREAM_TYPE,
          0,
          [
            {
              type: event.type,
              data: event.data,
              metadata: {
                tenantId: tenant.tenantId,
                correlationId: requestId,
                ...(traceparent ? { traceparent } : {}),
              },
            },
          ],
          manager,
        );
        const accepted: AcceptedConsentRequest = {
          requestId,
          phone: typeof phoneOf === 'string' ? phoneOf : phoneOf(),
        };
        return { statusCode: 202, body: accepted };
      },
    );
    const { requestId, phone } = result.body as AcceptedConsentRequest;
    const entry = await this.confirmations.waitFor(
      tenant.tenantId,
      requestId,
      factTypes,
      this.confirmTimeoutMs,
    );
    return entry
      ? { status: 'recorded', requestId, phone, entry, replayed: result.replayed }
      : { status: 'pending', requestId, phone, replayed: result.replayed };
  }
}
