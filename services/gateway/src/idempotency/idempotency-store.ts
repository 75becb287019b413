import { createHash } from 'node:crypto';
import { queryRows } from '@textplane/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../problems/api-error.js';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export interface IdempotentResult extends StoredResponse {
  replayed: boolean;
}

/**
 * The route templates whose POST/PUT/DELETE take an `Idempotency-Key`. A gRPC method shares the
 * scope of the REST route it mirrors: the same operation, whichever door it came in by.
 */
export type IdempotentRoute =
  | 'POST /v1/messages'
  | 'POST /v1/messages/preview'
  | 'POST /v1/messages/{id}/cancel'
  | 'PATCH /v1/messages/{id}'
  | 'POST /v1/consents'
  | 'POST /v1/consents/{phone}/revocations'
  | 'PUT /v1/consents/{phone}/dnd/{channel}'
  | 'DELETE /v1/consents/{phone}/dnd/{channel}'
  | 'POST /v1/consent-reviews/{reviewId}/resolution'
  | 'POST /admin/v1/tenants'
  | 'PUT /admin/v1/tenants/{id}/compliance'
  | 'PUT /admin/v1/tenants/{id}/limits'
  | 'POST /v1/templates'
  | 'POST /v1/contact-imports'
  | 'POST /v1/bulk-sends'
  | 'POST /v1/bulk-sends/{id}/pause'
  | 'POST /v1/bulk-sends/{id}/resume'
  | 'POST /v1/bulk-sends/{id}/cancel'
  | 'POST /v1/workflow-actions/send-sms'
  | 'POST /v1/trust/brands'
  | 'POST /v1/trust/campaigns'
  | 'POST /v1/trust/campaigns/{id}/numbers'
  | 'DELETE /v1/trust/campaigns/{id}/numbers/{phone}'
  | 'POST /v1/trust/brands/{id}/vetting'
  | 'POST /v1/trust/brands/{id}/otp'
  | 'POST /v1/trust/brands/{id}/otp/verification'
  | 'POST /v1/trust/toll-free-verifications'
  | 'POST /admin/v1/tenants/{id}/wallet/credits';

/**
 * Where a key applies: one caller (a tenant, or the admin token) on one route template. The same
 * key on another route is another request: a key used to send a message is free for a preview.
 */
export interface IdempotencyScope {
  readonly owner: string;
  readonly route: IdempotentRoute;
}

export function tenantScope(tenantId: string, route: IdempotentRoute): IdempotencyScope {
  return { owner: `tenant:${tenantId}`, route };
}

export function adminScope(route: IdempotentRoute): IdempotencyScope {
  return { owner: 'admin', route };
}

/** How long a key is remembered: retries within this window replay the first answer. */
const RETENTION_HOURS = 24;

/** A stable hash of a request: same fields in any key order hash the same. */
export function requestHash(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

class ConcurrentIdempotentRequest extends Error {}

/** Runs a unit of work in a transaction and resolves once it is committed. */
export type Transact = <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>;

/**
 * `Idempotency-Key` semantics (as Stripe and Telnyx document them): the first request with a
 * key does its work and its answer is stored in the same transaction; a retry with the same key
 * and the same request gets that answer again for 24 h; the same key with another request is
 * refused with 422 and changes nothing.
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `transact` runs the work and the record of its answer in one transaction: by default a
   * transaction of their own; a caller may pass grouped transactions (group commit).
   */
  async run(
    scope: IdempotencyScope,
    key: string | undefined,
    hash: string,
    work: (manager: EntityManager) => Promise<StoredResponse>,
    transact: Transact = (unit) => this.dataSource.transaction(unit),
  ): Promise<IdempotentResult> {
    if (key === undefined) {
      return { ...(await transact(work)), replayed: false };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const previous = await this.find(scope, key, hash);
      if (previous) return { ...previous, replayed: true };
      try {
        return {
          ...(await transact(async (manager) => {
            const response = await work(manager);
            await this.record(manager, scope, key, hash, response);
            return response;
          })),
          replayed: false,
        };
      } catch (error) {
        // Another request with this key committed first: replay its answer (or refuse a mismatch).
        if (!(error instanceof ConcurrentIdempotentRequest)) throw error;
      }
    }
    throw new ApiError(
      'conflict',
      'idempotency_conflict',
      'A request with this Idempotency-Key is in progress',
    );
  }

  /** Drops keys past their retention; run periodically. */
  async purgeExpired(): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM idempotency_records WHERE created_at < now() - make_interval(hours => $1) RETURNING 1`,
      [RETENTION_HOURS],
    );
    return rows.length;
  }

  private async find(
    scope: IdempotencyScope,
    key: string,
    hash: string,
  ): Promise<StoredResponse | null> {
    const rows = await this.dataSource.query<
      Array<{ request_hash: string; status_code: number; response: unknown }>
    >(
      `SELECT request_hash, status_code, response FROM idempotency_records
       WHERE scope = $1 AND route = $2 AND idempotency_key = $3
         AND created_at >= now() - make_interval(hours => $4)`,
      [scope.owner, scope.route, key, RETENTION_HOURS],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.request_hash !== hash) {
      throw new ApiError(
        'unprocessable',
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request',
      );
    }
    return { statusCode: row.status_code, body: row.response };
  }

  private async record(
    manager: EntityManager,
    scope: IdempotencyScope,
    key: string,
    hash: string,
    response: StoredResponse,
  ): Promise<void> {
    // An expired record under the same key is taken over; a live one means we lost a race.
    const rows = await manager.query<unknown[]>(
      `INSERT INTO idempotency_records
         (scope, route, idempotency_key, request_hash, status_code, response)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (scope, route, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code,
             response = EXCLUDED.response, created_at = now()
         WHERE idempotency_records.created_at < now() - make_interval(hours => $7)
       RETURNING 1`,
      [
        scope.owner,
        scope.route,
        key,
        hash,
        response.statusCode,
        JSON.stringify(response.body),
        RETENTION_HOURS,
      ],
    );
    if (rows.length === 0) throw new ConcurrentIdempotentRequest();
  }
}
