import type { FastifyRequest } from 'fastify';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';

/** A request after the API-key guard ran: it knows its tenant. */
export interface TenantRequest extends FastifyRequest {
  tenant?: AuthenticatedTenant;
}

export function requireTenant(request: TenantRequest): AuthenticatedTenant {
  if (!request.tenant) throw new Error('API-key guard did not run for this route');
  return request.tenant;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw ApiError.invalid('The Idempotency-Key header is not valid', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}
