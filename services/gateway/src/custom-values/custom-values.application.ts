import type { EventDataByType } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { isCustomValueKey } from '@textplane/merge-fields';
import { currentTraceparent } from '@textplane/observability';
import type { Clock } from '@textplane/service-runtime';
import { v7 as uuidv7 } from 'uuid';
import { validateRequest } from '../http/request-validator.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError, echoed } from '../problems/api-error.js';
import type { TemplateConfirmations } from '../templates/template-confirmations.js';
import { decodeCursor, encodeCursor } from '../templates/template-cursor.js';
import type { CustomValueQueries } from './custom-value-read-model.js';
import type { CustomValueResource } from './custom-value-row.js';

export const CUSTOM_VALUE_REQUEST_STREAM_TYPE = 'custom-value-request';
export const CUSTOM_VALUE_PAGE_SIZE = { default: 50, max: 100 } as const;
const KEY_PATTERN = '^[a-z][a-z0-9_]{0,63}$';

export function customValueRequestStreamId(tenantId: string, key: string): string {
  return `custom-value-requests-${tenantId}-${key}`;
}

export function customValueLocation(key: string): string {
  return `/v1/custom-values/${key}`;
}

export function requireCustomValueKey(key: string, field = 'key'): string {
  if (!isCustomValueKey(key)) {
    throw ApiError.invalid(`The custom value key ${echoed(key)} is not valid`, [
      { field, message: `must match ${KEY_PATTERN}` },
    ]);
  }
  return key;
}

export interface PendingCustomValueRequest {
  status: 'pending';
  requestId: string;
  key: string;
}

export type CustomValueSetOutcome =
  { status: 'set'; created: boolean; value: CustomValueResource } | PendingCustomValueRequest;

export type CustomValueDeleteOutcome =
  { status: 'deleted'; key: string } | PendingCustomValueRequest;

export interface CustomValuePage {
  items: CustomValueResource[];
  nextCursor: string | null;
}

/** The custom value use cases REST and gRPC share. */
export interface CustomValueApi {
  set(tenant: AuthenticatedTenant, key: string, body: unknown): Promise<CustomValueSetOutcome>;
  get(tenant: AuthenticatedTenant, key: string): Promise<CustomValueResource>;
  list(
    tenant: AuthenticatedTenant,
    query: { cursor?: string; limit: number },
  ): Promise<CustomValuePage>;
  delete(tenant: AuthenticatedTenant, key: string): Promise<CustomValueDeleteOutcome>;
}

type CustomValueRequestEvent =
  | {
      type: 'gateway.CustomValueSetRequested.v1';
      data: EventDataByType['gateway.CustomValueSetRequested.v1'];
    }
  | {
      type: 'gateway.CustomValueDeletionRequested.v1';
      data: EventDataByType['gateway.CustomValueDeletionRequested.v1'];
    };

/**
 * The business's custom values through the API. Messaging owns them: a PUT or DELETE is
 * validated here (a refusal records nothing), recorded as a request in the gateway's store, and
 * answered once messaging's fact comes back through the custom value projection; past the
 * confirmation timeout the answer is "pending" (202).
 */
export class CustomValuesApplication implements CustomValueApi {
  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    private readonly queries: CustomValueQueries,
    private readonly confirmations: TemplateConfirmations,
    private readonly clock: Clock,
    private readonly confirmTimeoutMs: number,
  ) {}

  async set(
    tenant: AuthenticatedTenant,
    key: string,
    body: unknown,
  ): Promise<CustomValueSetOutcome> {
    requireCustomValueKey(key);
    const { value } = validateRequest<{ value: string }>('SetCustomValueRequest', body);
    const outcome = await this.request(tenant, key, (requestId, requestedAt) => ({
      type: 'gateway.CustomValueSetRequested.v1',
      data: { requestId, tenantId: tenant.tenantId, key, value, requestedAt },
    }));
    if (outcome.status === 'pending') return outcome;
    // The projection wrote the value with the outcome; a later change may already have replaced it.
    const stored = (await this.queries.value(tenant.tenantId, key)) ?? {
      key,
      value,
      updatedAt: outcome.row.occurred_at,
    };
    return { status: 'set', created: outcome.row.created === true, value: stored };
  }

  async get(tenant: AuthenticatedTenant, key: string): Promise<CustomValueResource> {
    requireCustomValueKey(key);
    const value = await this.queries.value(tenant.tenantId, key);
    if (!value) throw ApiError.notFound(`Custom value ${key} not found`);
    return value;
  }

  async list(
    tenant: AuthenticatedTenant,
    query: { cursor?: string; limit: number },
  ): Promise<CustomValuePage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > CUSTOM_VALUE_PAGE_SIZE.max) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${CUSTOM_VALUE_PAGE_SIZE.max}` },
      ]);
    }
    const after = decodeCursor('custom-value', query.cursor, isCustomValueKey);
    const page = await this.queries.list(tenant.tenantId, after, limit);
    const last = page.values.at(-1);
    return {
      items: page.values,
      nextCursor: page.more && last ? encodeCursor('custom-value', last.key) : null,
    };
  }

  async delete(tenant: AuthenticatedTenant, key: string): Promise<CustomValueDeleteOutcome> {
    requireCustomValueKey(key);
    const outcome = await this.request(tenant, key, (requestId, requestedAt) => ({
      type: 'gateway.CustomValueDeletionRequested.v1',
      data: { requestId, tenantId: tenant.tenantId, key, requestedAt },
    }));
    if (outcome.status === 'pending') return outcome;
    if (outcome.row.type === 'messaging.CustomValueDeleted.v1') return { status: 'deleted', key };
    throw ApiError.notFound(`Custom value ${key} not found`);
  }

  private async request(
    tenant: AuthenticatedTenant,
    key: string,
    eventOf: (requestId: string, requestedAt: string) => CustomValueRequestEvent,
  ) {
    const requestId = uuidv7();
    const event = eventOf(requestId, this.clock.now().toISOString());
    const traceparent = currentTraceparent();
    await this.store.append(
      customValueRequestStreamId(tenant.tenantId, key),
      CUSTOM_VALUE_REQUEST_STREAM_TYPE,
      'any',
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
    );
    const row = await this.confirmations.waitFor(tenant.tenantId, requestId, this.confirmTimeoutMs);
    return row
      ? ({ status: 'decided', row } as const)
      : ({ status: 'pending', requestId, key } as const);
  }
}
