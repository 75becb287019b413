import type { TenantSettings } from '@textplane/contracts';
import type { DataSource } from 'typeorm';
import { validateRequest } from '../http/request-validator.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { TenantAdmin } from '../tenants/tenant-admin.js';
import {
  type SettingsPatch,
  type SettingsResource,
  settingsResourceOf,
} from './tenant-settings.js';

/** The settings use cases, as REST and gRPC call them. */
export interface SettingsApi {
  get(tenant: AuthenticatedTenant): Promise<SettingsResource>;
  /** Validates the patch (400 naming the field, nothing recorded), then merges it in. */
  update(tenant: AuthenticatedTenant, body: unknown): Promise<SettingsResource>;
}

/**
 * `/v1/settings`. The gateway owns tenants: a change is a `gateway.TenantSettingsSet.v1` on the
 * tenant's stream, projected into `tenants.settings` in the same transaction (read-your-writes)
 * and carried to messaging by the tenant topic (its tenant profile replica).
 */
export class SettingsApplication implements SettingsApi {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admin: TenantAdmin,
  ) {}

  async get(tenant: AuthenticatedTenant): Promise<SettingsResource> {
    // The read model itself, not the directory's short-lived cache: a write on another
    // gateway replica is seen at once.
    const rows = await this.dataSource.query<Array<{ settings: TenantSettings }>>(
      `SELECT settings FROM tenants WHERE id = $1`,
      [tenant.tenantId],
    );
    const row = rows[0];
    if (!row) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    return settingsResourceOf(row.settings);
  }

  async update(tenant: AuthenticatedTenant, body: unknown): Promise<SettingsResource> {
    const patch = validateRequest<SettingsPatch>('UpdateSettingsRequest', body);
    const record = await this.admin.patchSettings(tenant.tenantId, patch);
    return settingsResourceOf(record.settings);
  }
}
