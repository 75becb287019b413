import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../http/guards.js';
import { AcceptsBody } from '../http/request-bodies.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import { BulkSendsApplication, type BulkSendPreview } from './bulk-sends.application.js';

/**
 * 100,000 contact ids of up to 128 characters, quoted and comma-separated, are 13.1 MB: the
 * preview's JSON body may be up to 16 MiB (the gateway's default limit is far smaller).
 */
export const BULK_SEND_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

@Controller('v1/bulk-sends')
@UseGuards(ApiKeyGuard)
export class BulkSendsController {
  constructor(private readonly bulkSends: BulkSendsApplication) {}

  /** 200 with what the bulk send would do; nothing is recorded. */
  @Post('preview')
  @HttpCode(200)
  @AcceptsBody({ kind: 'json', limitBytes: BULK_SEND_BODY_LIMIT_BYTES })
  preview(@Req() request: TenantRequest, @Body() body: unknown): Promise<BulkSendPreview> {
    return this.bulkSends.preview(requireTenant(request), body);
  }
}
