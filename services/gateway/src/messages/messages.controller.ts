import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
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
import type {
  ConversationPage,
  MessageChangeOutcome,
  MessagePage,
  MessageResource,
} from './message.resource.js';

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

  @Get('messages')
  list(
    @Req() request: TenantRequest,
    @Query() query: Record<string, unknown>,
  ): Promise<MessagePage> {
    const text = (name: string): string | undefined => {
      const value = query[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string') {
        throw ApiError.invalid(`${name} is given more than once`, [
          { field: name, message: 'must be given at most once' },
        ]);
      }
      return value;
    };
    const known = new Set(['status', 'contactId', 'to', 'from', 'createdAfter', 'cursor', 'limit']);
    const unknown = Object.keys(query).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw ApiError.invalid(
        'Unknown query parameters',
        unknown.map((field) => ({ field, message: 'is not a filter of this list' })),
      );
    }
    const limit = text('limit');
    const given = {
      status: text('status'),
      contactId: text('contactId'),
      to: text('to'),
      from: text('from'),
      createdAfter: text('createdAfter'),
      cursor: text('cursor'),
    };
    return this.messages.list(requireTenant(request), {
      ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
      limit: pageSize(limit),
    });
  }

  @Post('messages/:id/cancel')
  async cancel(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.messages.cancel(
      requireTenant(request),
      id,
      idempotencyKeyOf(request),
    );
    await sendChangeOutcome(reply, outcome);
  }

  @Patch('messages/:id')
  async reschedule(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.messages.reschedule(
      requireTenant(request),
      id,
      body,
      idempotencyKeyOf(request),
    );
    await sendChangeOutcome(reply, outcome);
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
    return this.messages.listConversation(requireTenant(request), phone, {
      limit: pageSize(limit),
      ...(cursor ? { cursor } : {}),
    });
  }
}

function pageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(limit)) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: 'must be an integer' },
    ]);
  }
  return Number(limit);
}

/** 200 with the message once messaging answered; 202 with its Location past the wait. */
async function sendChangeOutcome(
  reply: FastifyReply,
  outcome: MessageChangeOutcome,
): Promise<void> {
  const done = outcome.status === 'done';
  await reply
    .status(done ? 200 : 202)
    .header('Idempotent-Replayed', String(outcome.replayed))
    .headers(done ? {} : { Location: `/v1/messages/${outcome.message.id}` })
    .send(outcome.message);
}
