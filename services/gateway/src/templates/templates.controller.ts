import {
  Body,
  Controller,
  Delete,
  Get,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../http/guards.js';
import { idempotencyKeyOf, requireTenant, type TenantRequest } from '../http/request-context.js';
import { pageSizeQuery, singleQuery } from './query-params.js';
import type {
  ContactTemplatePreview,
  TemplatePage,
  TemplateRangePreview,
  TemplateResource,
  TemplateVersionResource,
  TemplateWriteOutcome,
} from './template.resource.js';
import { TEMPLATE_PAGE_SIZE, type TemplateApi, templateLocation } from './templates.application.js';

export const TEMPLATE_API = Symbol('TEMPLATE_API');

async function sendWrite(
  reply: FastifyReply,
  outcome: TemplateWriteOutcome,
  savedStatus: number,
): Promise<void> {
  void reply.header('Idempotent-Replayed', String(outcome.replayed));
  if (outcome.status === 'saved') {
    await reply
      .status(savedStatus)
      .header('Location', templateLocation(outcome.template.id))
      .send(outcome.template);
    return;
  }
  const { replayed: _replayed, ...pending } = outcome;
  await reply.status(202).header('Location', templateLocation(outcome.templateId)).send(pending);
}

/** `/v1/templates`: templates and snippets, versioned, with merge fields. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class TemplatesController {
  constructor(@Inject(TEMPLATE_API) private readonly templates: TemplateApi) {}

  /** 201 with the template at version 1 and its warnings; 202 while pending. */
  @Post('templates')
  async create(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.templates.create(
      requireTenant(request),
      body,
      idempotencyKeyOf(request),
    );
    await sendWrite(reply, outcome, 201);
  }

  @Get('templates')
  list(
    @Req() request: TenantRequest,
    @Query('kind') kind?: string | string[],
    @Query('q') q?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<TemplatePage> {
    const filters = {
      kind: singleQuery(kind, 'kind'),
      q: singleQuery(q, 'q'),
      cursor: singleQuery(cursor, 'cursor'),
    };
    return this.templates.list(requireTenant(request), {
      limit: pageSizeQuery(limit, TEMPLATE_PAGE_SIZE.default),
      ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    });
  }

  @Get('templates/:id')
  get(@Req() request: TenantRequest, @Param('id') id: string): Promise<TemplateResource> {
    return this.templates.get(requireTenant(request), id);
  }

  /** 200 with the new version; 202 while pending. */
  @Put('templates/:id')
  async revise(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendWrite(reply, await this.templates.revise(requireTenant(request), id, body), 200);
  }

  @Get('templates/:id/versions/:version')
  version(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Param('version') version: string,
  ): Promise<TemplateVersionResource> {
    return this.templates.version(requireTenant(request), id, version);
  }

  /** 204 once archived; 202 while pending. */
  @Delete('templates/:id')
  async archive(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.templates.archive(requireTenant(request), id);
    if (outcome.status === 'archived') {
      await reply.status(204).send();
      return;
    }
    await reply.status(202).header('Location', templateLocation(outcome.templateId)).send(outcome);
  }

  /** A read: the same answer for the same inputs, so a retry needs no Idempotency-Key record. */
  @Post('templates/:id/preview')
  async preview(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    idempotencyKeyOf(request);
    const preview: ContactTemplatePreview | TemplateRangePreview = await this.templates.preview(
      requireTenant(request),
      id,
      body,
    );
    await reply.status(200).send(preview);
  }
}
