import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { CONTACT_IMPORT_LIMITS } from '@textplane/contacts';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../http/guards.js';
import { AcceptsBody } from '../http/request-bodies.js';
import { idempotencyKeyOf, requireTenant, type TenantRequest } from '../http/request-context.js';
import { ApiError } from '../problems/api-error.js';
import type { ContactImportPage, ContactImportResource } from './contact-import.resource.js';
import {
  CONTACT_IMPORT_MEDIA_TYPES,
  CONTACT_IMPORT_PAGE_SIZE,
  type ContactImportApi,
  contactImportLocation,
} from './contact-imports.application.js';
import { single } from '../http/query-params.js';

export const CONTACT_IMPORT_API = Symbol('CONTACT_IMPORT_API');

/** `/v1/contact-imports`: bulk contact upserts from CSV or NDJSON, as jobs. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class ContactImportsController {
  constructor(@Inject(CONTACT_IMPORT_API) private readonly imports: ContactImportApi) {}

  /** 202 with the job (processing, or completed when no row was valid) and its Location. */
  @Post('contact-imports')
  @AcceptsBody({
    kind: 'media',
    mediaTypes: CONTACT_IMPORT_MEDIA_TYPES,
    limitBytes: CONTACT_IMPORT_LIMITS.maxBytes,
  })
  async start(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const outcome = await this.imports.start(
      requireTenant(request),
      request.headers['content-type'],
      bytes,
      idempotencyKeyOf(request),
    );
    await reply
      .status(202)
      .header('Location', contactImportLocation(outcome.job.id))
      .header('Idempotent-Replayed', String(outcome.replayed))
      .send(outcome.job);
  }

  @Get('contact-imports')
  list(
    @Req() request: TenantRequest,
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<ContactImportPage> {
    const size = single(limit, 'limit');
    if (size !== undefined && !/^\d+$/.test(size)) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: 'must be an integer' },
      ]);
    }
    const position = single(cursor, 'cursor');
    return this.imports.list(requireTenant(request), {
      limit: size === undefined ? CONTACT_IMPORT_PAGE_SIZE.default : Number(size),
      ...(position !== undefined ? { cursor: position } : {}),
    });
  }

  @Get('contact-imports/:importId')
  get(
    @Req() request: TenantRequest,
    @Param('importId') importId: string,
  ): Promise<ContactImportResource> {
    return this.imports.get(requireTenant(request), importId);
  }
}
