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
import { idempotencyKeyOf, requireTenant, type TenantRequest } from '../http/request-context.js';
import { IdempotencyStore, requestHash, tenantScope } from '../idempotency/idempotency-store.js';
import { ApiError } from '../problems/api-error.js';
import { MessagesApplication, type PreviewResult } from './messages.application.js';
import type { ConversationPage, MessageResource } from './message.resource.js';

const DEFAULT_PAGE_SIZE = 50;

@Controller('v1')
@UseGuards(ApiKeyGuard)
export class MessagesController {
  constructor(
    private readonly messages: MessagesApplication,
    private readonly idempotency: IdempotencyStore,
  ) {}

  @Post('messages')
  async send(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { message, replayed } = await this.messages.sendWithOutcome(
      requireTenant(request),
      body,
      idempotencyKeyOf(request),
    );
    await reply
      .status(202)
      .header('Location', `/v1/messages/${message.id}`)
      .header('Idempotent-Replayed', String(replayed))
      .send(message);
  }

  @Post('messages/preview')
  @HttpCode(200)
  async preview(@Req() request: TenantRequest, @Body() body: unknown): Promise<PreviewResult> {
    const key = idempotencyKeyOf(request);
    const preview = await this.messages.preview(requireTenant(request), body);
    if (key === undefined) return preview;
    // Nothing is written by a preview, but a key still means "this request": reusing it for
    // another body is refused like on every POST.
    const result = await this.idempotency.run(
      tenantScope(requireTenant(request).tenantId, 'POST /v1/messages/preview'),
      key,
      requestHash({ op: 'preview', body }),
      () => Promise.resolve({ statusCode: 200, body: preview }),
    );
    return result.body as PreviewResult;
  }

  @Get('messages/:id')
  get(@Req() request: TenantRequest, @Param('id') id: string): Promise<MessageResource> {
    return this.messages.get(requireTenant(request), id);
  }

  @Get('conversations/:phone/messages')
  conversation(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ): Promise<ConversationPage> {
    const size = limit === undefined ? DEFAULT_PAGE_SIZE : Number(limit);
    if (limit !== undefined && !/^\d+$/.test(limit)) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: 'must be an integer' },
      ]);
    }
    return this.messages.listConversation(requireTenant(request), phone, {
      limit: size,
      ...(cursor ? { cursor } : {}),
    });
  }
}
