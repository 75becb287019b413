import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../http/guards.js';
import { AcceptsBody } from '../http/request-bodies.js';
import { idempotencyKeyOf, requireTenant, type TenantRequest } from '../http/request-context.js';
import { ApiError } from '../problems/api-error.js';
import {
  BULK_RECIPIENT_PAGE_SIZE,
  BULK_SEND_PAGE_SIZE,
  BulkSendLifecycle,
  type BulkRecipientPage,
  type BulkSendPage,
  bulkSendLocation,
} from './bulk-send-lifecycle.application.js';
import type { BulkSendResource } from './bulk-send-read-model.js';
import { BulkSendsApplication, type BulkSendPreview } from './bulk-sends.application.js';
import { single } from '../http/query-params.js';

/**
 * 100,000 contact ids of up to 128 characters, quoted and comma-separated, are 13.1 MB: the
 * preview's JSON body may be up to 16 MiB (the gateway's default limit is far smaller).
 */
export const BULK_SEND_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

function pageSize(value: string | string[] | undefined, fallback: number): number {
  const size = single(value, 'limit');
  if (size === undefined) return fallback;
  if (!/^\d{1,9}$/.test(size)) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: 'must be an integer' },
    ]);
  }
  return Number(size);
}

@Controller('v1/bulk-sends')
@UseGuards(ApiKeyGuard)
export class BulkSendsController {
  constructor(
    private readonly bulkSends: BulkSendsApplication,
    private readonly lifecycle: BulkSendLifecycle,
  ) {}

  /** 200 with what the bulk send would do; nothing is recorded. */
  @Post('preview')
  @HttpCode(200)
  @AcceptsBody({ kind: 'json', limitBytes: BULK_SEND_BODY_LIMIT_BYTES })
  preview(@Req() request: TenantRequest, @Body() body: unknown): Promise<BulkSendPreview> {
    return this.bulkSends.preview(requireTenant(request), body);
  }

  /** 202 with the bulk send, its recipients frozen. */
  @Post()
  @AcceptsBody({ kind: 'json', limitBytes: BULK_SEND_BODY_LIMIT_BYTES })
  async create(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.lifecycle.create(
      requireTenant(request),
      body,
      idempotencyKeyOf(request),
    );
    await reply
      .status(202)
      .header('Location', bulkSendLocation(outcome.bulkSend.id))
      .header('Idempotent-Replayed', String(outcome.replayed))
      .send(outcome.bulkSend);
  }

  @Get()
  list(
    @Req() request: TenantRequest,
    @Query('status') status?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<BulkSendPage> {
    const filter = single(status, 'status');
    const position = single(cursor, 'cursor');
    return this.lifecycle.list(requireTenant(request), {
      limit: pageSize(limit, BULK_SEND_PAGE_SIZE.default),
      ...(filter !== undefined ? { status: filter } : {}),
      ...(position !== undefined ? { cursor: position } : {}),
    });
  }

  @Get(':id')
  get(@Req() request: TenantRequest, @Param('id') id: string): Promise<BulkSendResource> {
    return this.lifecycle.get(requireTenant(request), id);
  }

  @Get(':id/recipients')
  recipients(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Query('state') state?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<BulkRecipientPage> {
    const filter = single(state, 'state');
    const position = single(cursor, 'cursor');
    return this.lifecycle.recipients(requireTenant(request), id, {
      limit: pageSize(limit, BULK_RECIPIENT_PAGE_SIZE.default),
      ...(filter !== undefined ? { state: filter } : {}),
      ...(position !== undefined ? { cursor: position } : {}),
    });
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Req() request: TenantRequest, @Param('id') id: string): Promise<BulkSendResource> {
    return this.lifecycle.control(requireTenant(request), id, 'pause', idempotencyKeyOf(request));
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Req() request: TenantRequest, @Param('id') id: string): Promise<BulkSendResource> {
    return this.lifecycle.control(requireTenant(request), id, 'resume', idempotencyKeyOf(request));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Req() request: TenantRequest, @Param('id') id: string): Promise<BulkSendResource> {
    return this.lifecycle.control(requireTenant(request), id, 'cancel', idempotencyKeyOf(request));
  }
}
