import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiKeyGuard } from '../http/guards.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import { ApiError } from '../problems/api-error.js';
import { CONVERSATION_PAGE_SIZE, type ConversationApi } from './conversations.application.js';
import type { ConversationListPage, ConversationResource } from './conversation.resource.js';

export const CONVERSATION_API = Symbol('CONVERSATION_API');

const LIST_PARAMETERS: ReadonlySet<string> = new Set(['cursor', 'limit', 'unread']);

/** `/v1/conversations`: the tenant's threads, one per phone number, and their read marks. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class ConversationsController {
  constructor(@Inject(CONVERSATION_API) private readonly conversations: ConversationApi) {}

  @Get('conversations')
  list(
    @Req() request: TenantRequest,
    @Query() query: Record<string, unknown>,
  ): Promise<ConversationListPage> {
    const unknown = Object.keys(query).filter((name) => !LIST_PARAMETERS.has(name));
    if (unknown.length > 0) {
      throw ApiError.invalid(
        'Unknown query parameters',
        unknown.map((field) => ({ field, message: 'is not a parameter of this list' })),
      );
    }
    const cursor = single(query, 'cursor');
    const unread = unreadOf(single(query, 'unread'));
    return this.conversations.list(requireTenant(request), {
      limit: limitOf(single(query, 'limit')),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(unread !== undefined ? { unread } : {}),
    });
  }

  /** 200 with the conversation as marked. */
  @Post('conversations/:phone/read')
  @HttpCode(200)
  markRead(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
    @Body() body: unknown,
  ): Promise<ConversationResource> {
    return this.conversations.markRead(requireTenant(request), phone, body);
  }
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw ApiError.invalid(`${name} is given more than once`, [
      { field: name, message: 'must be given at most once' },
    ]);
  }
  return value;
}

function limitOf(limit: string | undefined): number {
  if (limit === undefined) return CONVERSATION_PAGE_SIZE.default;
  const value = /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
  if (!(value >= 1 && value <= CONVERSATION_PAGE_SIZE.max)) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: `must be an integer from 1 to ${CONVERSATION_PAGE_SIZE.max}` },
    ]);
  }
  return value;
}

function unreadOf(unread: string | undefined): boolean | undefined {
  if (unread === undefined) return undefined;
  if (unread === 'true') return true;
  if (unread === 'false') return false;
  throw ApiError.invalid('The unread filter is not valid', [
    { field: 'unread', message: 'must be true or false' },
  ]);
}
