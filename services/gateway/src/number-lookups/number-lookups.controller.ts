import { Controller, Get, Inject, Param, Req, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../http/guards.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import type { NumberLookupResource } from './number-lookup-record.js';
import { NumberLookupQueries } from './number-lookups.application.js';

/** `/v1/numbers/{phone}/lookup`: what number validation knows of a number. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class NumberLookupsController {
  constructor(@Inject(NumberLookupQueries) private readonly lookups: NumberLookupQueries) {}

  @Get('numbers/:phone/lookup')
  lookup(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
  ): Promise<NumberLookupResource> {
    return this.lookups.lookup(requireTenant(request), phone);
  }
}
