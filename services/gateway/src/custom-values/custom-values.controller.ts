import {
  Body,
  Controller,
  Delete,
  Get,
  Inject,
  Param,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../http/guards.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import { singleQuery, pageSizeQuery } from '../templates/query-params.js';
import type { CustomValueResource } from './custom-value-row.js';
import {
  CUSTOM_VALUE_PAGE_SIZE,
  type CustomValueApi,
  type CustomValuePage,
  customValueLocation,
} from './custom-values.application.js';

export const CUSTOM_VALUE_API = Symbol('CUSTOM_VALUE_API');

/** `/v1/custom-values`: the business's values for `{{ custom_values.<key> }}`. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class CustomValuesController {
  constructor(@Inject(CUSTOM_VALUE_API) private readonly values: CustomValueApi) {}

  /** 201 new or 200 replaced with the stored value; 202 while pending. */
  @Put('custom-values/:key')
  async set(
    @Req() request: TenantRequest,
    @Param('key') key: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.values.set(requireTenant(request), key, body);
    void reply.header('Location', customValueLocation(key));
    if (outcome.status === 'set') {
      await reply.status(outcome.created ? 201 : 200).send(outcome.value);
      return;
    }
    await reply.status(202).send(outcome);
  }

  @Get('custom-values/:key')
  get(@Req() request: TenantRequest, @Param('key') key: string): Promise<CustomValueResource> {
    return this.values.get(requireTenant(request), key);
  }

  @Get('custom-values')
  list(
    @Req() request: TenantRequest,
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<CustomValuePage> {
    const page = singleQuery(cursor, 'cursor');
    return this.values.list(requireTenant(request), {
      limit: pageSizeQuery(limit, CUSTOM_VALUE_PAGE_SIZE.default),
      ...(page !== undefined ? { cursor: page } : {}),
    });
  }

  /** 204 once messaging deleted it; 404 when there is none; 202 while pending. */
  @Delete('custom-values/:key')
  async delete(
    @Req() request: TenantRequest,
    @Param('key') key: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.values.delete(requireTenant(request), key);
    if (outcome.status === 'deleted') {
      await reply.status(204).send();
      return;
    }
    await reply.status(202).header('Location', customValueLocation(key)).send(outcome);
  }
}
