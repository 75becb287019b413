import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { ApiError } from '../problems/api-error.js';
import { bearerToken, type TenantRequest } from './request-context.js';

export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');

/** Public API: `Authorization: Bearer <api key>` of a tenant. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly tenants: TenantDirectory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const key = bearerToken(request);
    if (!key) throw ApiError.unauthenticated();
    const tenant = await this.tenants.authenticate(key);
    if (!tenant) throw ApiError.unauthenticated('The API key is not valid');
    request.tenant = tenant;
    return true;
  }
}

/** Admin API: `Authorization: Bearer <TEXTPLANE_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(ADMIN_TOKEN) adminToken: string) {
    this.expected = createHash('sha256').update(adminToken).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<TenantRequest>());
    if (!token)
      throw ApiError.unauthenticated('The admin token is required (Authorization: Bearer <token>)');
    const given = createHash('sha256').update(token).digest();
    if (!timingSafeEqual(given, this.expected))
      throw ApiError.unauthenticated('The admin token is not valid');
    return true;
  }
}
