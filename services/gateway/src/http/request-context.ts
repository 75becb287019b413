import type { FastifyRequest } from 'fastify';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { checkIdempotencyKey } from '../idempotency/idempotency-key.js';

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
  return checkIdempotencyKey(value, 'Idempotency-Key');
}
