import type { BulkMessageContent } from '@textplane/contracts';
import type { EventStore, NewEvent } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { Clock } from '@textplane/service-runtime';
import { v7 as uuidv7 } from 'uuid';
import { encodePageCursor, pagePositionAfter } from '../http/page-cursor.js';
import { validateRequest } from '../http/request-validator.js';
import {
  type IdempotencyStore,
  type IdempotentRoute,
  requestHash,
  tenantScope,
} from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { BulkSendProjection } from './bulk-send.projection.js';
import { lockBulkSendRow } from './bulk-send.projection.js';
import {
  type BulkRecipientResource,
  type BulkSendQueries,
  type BulkSendResource,
  hasWaitingMessages,
} from './bulk-send-read-model.js';
import {
  BULK_SEND_STREAM_TYPE,
  type BulkSendControl,
  type BulkSendStatus,
  bulkSendRequestEvents,
  bulkSendStreamId,
  controlEvent,
  controlRefusal,
  type GatewayBulkSendEvent,
  wireDelivery,
} from './bulk-send-record.js';
import type { BulkSendsApplication, PreviewBulkSendInput } from './bulk-sends.application.js';

export const BULK_SEND_PAGE_SIZE = { default: 20, max: 100 } as const;
export const BULK_RECIPIENT_PAGE_SIZE = { default: 100, max: 1000 } as const;
/** Events per append statement: 16 chunks of 2,000 recipients. */
const EVENTS_PER_APPEND = 16;

const STATUSES: readonly BulkSendStatus[] = [
  'scheduled',
  'running',
  'paused',
  'completed',
  'canceled',
];
const RECIPIENT_STATES = [
  'skipped',
  'pending',
  'queued',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'blocked',
  'canceled',
] as const;

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function bulkSendLocation(bulkSendId: string): string {
  return `/v1/bulk-sends/${bulkSendId}`;
}

export interface BulkSendAccepted {
  bulkSend: BulkSendResource;
  replayed: boolean;
}

export interface BulkSendPage {
  data: BulkSendResource[];
  nextCursor: string | null;
}

export interface BulkRecipientPage {
  data: BulkRecipientResource[];
  nextCursor: string | null;
}

/** A recipients cursor: the last position of a page (`p<n>`, base64url), exactly as issued. */
export function encodeRecipientCursor(position: number): string {
  return Buffer.from(`p${position}`).toString('base64url');
}

export function decodeRecipientCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return null;
  const refused = new ApiError(
    'invalid_request',
    'invalid_cursor',
    'The cursor is not one this API issued: pass back a page’s nextCursor unchanged',
    [{ field: 'cursor', message: 'is not a cursor we issued' }],
  );
  if (cursor.length > 32 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^p(0|[1-9]\d{0,8})$/.exec(text);
  if (!match || encodeRecipientCursor(Number(match[1])) !== cursor) throw refused;
  return Number(match[1]);
}

function requireBulkSendId(id: string): string {
  if (!CANONICAL_UUID.test(id)) {
    throw ApiError.invalid('The bulk send id is not valid', [
      { field: 'id', message: 'must be a bulk send id as this API returns it (a lower-case UUID)' },
    ]);
  }
  return id;
}

function requireLimit(limit: number, max: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: `must be an integer from 1 to ${max}` },
    ]);
  }
  return limit;
}

const CONTROL_ROUTES: Record<BulkSendControl, IdempotentRoute> = {
  pause: 'POST /v1/bulk-sends/{id}/pause',
  resume: 'POST /v1/bulk-sends/{id}/resume',
  cancel: 'POST /v1/bulk-sends/{id}/cancel',
};

const REFUSAL_DETAIL = {
  bulk_send_not_running: 'The bulk send is not running: only a scheduled or running one pauses',
  bulk_send_not_paused: 'The bulk send is not paused: only a paused one resumes',
  bulk_send_finished:
    'The bulk send is finished (canceled, or completed with no message left waiting)',
} as const;

/**
 * Bulk sends recorded (issue 11 §1): the request checked and its recipients frozen as the preview
 * selects them (BulkSendsApplication.prepare and freeze), appended on `bulk-send-<id>` with its
 * read model and its Idempotency-Key record in one transaction; reads of `bulk_sends` and
 * `bulk_send_recipients`; pause, resume and cancel as requests messaging decides, refused here
 * when the read model's status makes them meaningless.
 */
export class BulkSendLifecycle {
  constructor(
    private readonly bulkSends: Pick<BulkSendsApplication, 'prepare' | 'freeze'>,
    private readonly store: Pick<EventStore, 'append'>,
    private readonly projection: Pick<BulkSendProjection, 'applyAll'>,
    private readonly queries: BulkSendQueries,
    private readonly idempotency: Pick<IdempotencyStore, 'run'>,
    private readonly clock: Clock,
  ) {}

  async create(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<BulkSendAccepted> {
    const input = validateRequest<PreviewBulkSendInput>('CreateBulkSendRequest', rawInput);
    const traceparent = currentTraceparent();
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/bulk-sends'),
      idempotencyKey,
      requestHash(input),
      async (manager) => {
        const prepared = await this.bulkSends.prepare(tenant, input);
        const frozen = this.bulkSends.freeze(prepared);
        if (frozen.recipients.length === 0) {
          throw new ApiError(
            'unprocessable',
            'no_recipients',
            'The selection matches no contact of this tenant: nothing would be sent',
            [{ field: 'recipients', message: 'matches no contact' }],
          );
        }
        const bulkSendId = uuidv7();
        const { message, template } = prepared;
        const content: BulkMessageContent = {
          ...(message.body !== undefined ? { body: message.body } : {}),
          ...(template !== null
            ? { templateId: template.templateId, templateVersion: template.templateVersion }
            : {}),
          mediaUrls: message.mediaUrls ?? [],
          purpose: message.purpose ?? template?.purpose ?? 'marketing',
          ...(message.from !== undefined ? { from: message.from } : {}),
        };
        const events = bulkSendRequestEvents({
          bulkSendId,
          tenantId: tenant.tenantId,
          message: content,
          delivery: wireDelivery(prepared.delivery),
          frozen,
          defaultSender: prepared.profile.defaultSender,
          requestedAt: prepared.now.toISOString(),
        });
        const metadata = {
          tenantId: tenant.tenantId,
          correlationId: bulkSendId,
          ...(traceparent ? { traceparent } : {}),
        };
        for (let start = 0; start < events.length; start += EVENTS_PER_APPEND) {
          const slice = events.slice(start, start + EVENTS_PER_APPEND);
          await this.store.append(
            bulkSendStreamId(bulkSendId),
            BULK_SEND_STREAM_TYPE,
            start,
            slice.map((event): NewEvent => ({ type: event.type, data: event.data, metadata })),
            manager,
          );
        }
        await this.projection.applyAll(manager, events);
        return { statusCode: 202, body: { bulkSendId } };
      },
    );
    const { bulkSendId } = result.body as { bulkSendId: string };
    return { bulkSend: await this.recorded(tenant, bulkSendId), replayed: result.replayed };
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<BulkSendResource> {
    const found = await this.queries.get(tenant.tenantId, requireBulkSendId(id));
    if (!found) throw ApiError.notFound(`Bulk send ${id} not found`);
    return found;
  }

  async list(
    tenant: AuthenticatedTenant,
    query: { status?: string; cursor?: string; limit: number },
  ): Promise<BulkSendPage> {
    const limit = requireLimit(query.limit, BULK_SEND_PAGE_SIZE.max);
    if (query.status !== undefined && !STATUSES.includes(query.status as BulkSendStatus)) {
      throw ApiError.invalid('The status filter is not valid', [
        { field: 'status', message: `must be one of ${STATUSES.join(', ')}` },
      ]);
    }
    const after = pagePositionAfter(query.cursor);
    const page = await this.queries.list(
      tenant.tenantId,
      (query.status as BulkSendStatus | undefined) ?? null,
      after,
      limit,
    );
    const last = page.items.at(-1);
    return {
      data: page.items,
      nextCursor: page.more && last ? encodePageCursor(new Date(last.createdAt), last.id) : null,
    };
  }

  async recipients(
    tenant: AuthenticatedTenant,
    id: string,
    query: { state?: string; cursor?: string; limit: number },
  ): Promise<BulkRecipientPage> {
    requireBulkSendId(id);
    const limit = requireLimit(query.limit, BULK_RECIPIENT_PAGE_SIZE.max);
    if (
      query.state !== undefined &&
      !(RECIPIENT_STATES as readonly string[]).includes(query.state)
    ) {
      throw ApiError.invalid('The state filter is not valid', [
        { field: 'state', message: `must be one of ${RECIPIENT_STATES.join(', ')}` },
      ]);
    }
    const after = decodeRecipientCursor(query.cursor);
    const page = await this.queries.recipients(
      tenant.tenantId,
      id,
      query.state ?? null,
      after,
      limit,
    );
    if (!page) throw ApiError.notFound(`Bulk send ${id} not found`);
    const last = page.items.at(-1);
    return {
      data: page.items,
      nextCursor: page.more && last ? encodeRecipientCursor(last.position) : null,
    };
  }

  /** 200 in the new state; 409 where it makes no sense; 404 for an unknown id. */
  async control(
    tenant: AuthenticatedTenant,
    id: string,
    request: BulkSendControl,
    idempotencyKey: string | undefined,
  ): Promise<BulkSendResource> {
    requireBulkSendId(id);
    const traceparent = currentTraceparent();
    await this.idempotency.run(
      tenantScope(tenant.tenantId, CONTROL_ROUTES[request]),
      idempotencyKey,
      requestHash({ id }),
      async (manager) => {
        const row = await lockBulkSendRow(manager, id);
        if (!row || row.tenant_id !== tenant.tenantId) {
          throw ApiError.notFound(`Bulk send ${id} not found`);
        }
        const waiting =
          row.status === 'completed' && request === 'cancel'
            ? await hasWaitingMessages(manager, id)
            : false;
        const refusal = controlRefusal(row.status, request, waiting);
        if (refusal !== null) {
          throw new ApiError('conflict', refusal, REFUSAL_DETAIL[refusal]);
        }
        const event: GatewayBulkSendEvent = controlEvent(request, {
          bulkSendId: id,
          tenantId: tenant.tenantId,
          requestedAt: this.clock.now().toISOString(),
        });
        await this.store.append(
          bulkSendStreamId(id),
          BULK_SEND_STREAM_TYPE,
          row.stream_version,
          [
            {
              type: event.type,
              data: event.data,
              metadata: {
                tenantId: tenant.tenantId,
                correlationId: id,
                ...(traceparent ? { traceparent } : {}),
              },
            },
          ],
          manager,
        );
        await this.projection.applyAll(manager, [event]);
        return { statusCode: 200, body: { bulkSendId: id } };
      },
    );
    return this.recorded(tenant, id);
  }

  private async recorded(tenant: AuthenticatedTenant, id: string): Promise<BulkSendResource> {
    const found = await this.queries.get(tenant.tenantId, id);
    if (!found) throw new Error(`Bulk send ${id} was recorded but is not in the read model`);
    return found;
  }
}
