import { Body, Controller, Get, Inject, Patch, Req, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../http/guards.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import type { SettingsApi } from './settings.application.js';
import type { SettingsResource } from './tenant-settings.js';

export const SETTINGS_API = Symbol('SETTINGS_API');

/** `/v1/settings`: the tenant's switches, one resource (DESIGN.md, "Tenant settings"). */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class SettingsController {
  constructor(@Inject(SETTINGS_API) private readonly settings: SettingsApi) {}

  @Get('settings')
  get(@Req() request: TenantRequest): Promise<SettingsResource> {
    return this.settings.get(requireTenant(request));
  }

  /** JSON merge patch; answers the whole settings object, defaults filled in. */
  @Patch('settings')
  update(@Req() request: TenantRequest, @Body() body: unknown): Promise<SettingsResource> {
    return this.settings.update(requireTenant(request), body);
  }
}
