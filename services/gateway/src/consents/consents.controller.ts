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
import { ApiError } from '../problems/api-error.js';
import { consentHistoryCsv } from './consent-history-csv.js';
import type {
  ConsentHistory,
  ConsentStateResource,
  RevocationReviewPage,
} from './consent.resource.js';
import {
  type ConsentApi,
  type ConsentOutcome,
  historyLocation,
  REVIEW_PAGE_SIZE,
} from './consents.application.js';

export const CONSENT_API = Symbol('CONSENT_API');

/** 201 with the ledger fact once the consent service recorded it; 202 while it has not yet. */
async function answer(reply: FastifyReply, outcome: ConsentOutcome): Promise<void> {
  const location = historyLocation(outcome.phone);
  void reply.header('Location', location).header('Idempotent-Replayed', String(outcome.replayed));
  if (outcome.status === 'recorded') {
    await reply.status(201).send(outcome.entry);
    return;
  }
  await reply.status(202).send({
    status: 'pending',
    requestId: outcome.requestId,
    phone: outcome.phone,
    history: location,
  });
}

function wantsCsv(request: TenantRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /\btext\/csv\b/i.test(accept);
}

@Controller('v1')
@UseGuards(ApiKeyGuard)
export class ConsentsController {
  constructor(@Inject(CONSENT_API) private readonly consents: ConsentApi) {}

  @Post('consents')
  async grant(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.consents.grant(requireTenant(request), body, idempotencyKeyOf(request)),
    );
  }

  @Get('consents/:phone')
  get(@Req() request: TenantRequest, @Param('phone') phone: string): Promise<ConsentStateResource> {
    return this.consents.get(requireTenant(request), phone);
  }

  @Get('consents/:phone/history')
  async history(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const history: ConsentHistory = await this.consents.history(requireTenant(request), phone);
    if (wantsCsv(request)) {
      await reply
        .status(200)
        .header('Content-Type', 'text/csv; charset=utf-8; header=present')
        .header(
          'Content-Disposition',
          `attachment; filename="consent-history-${phone.replace(/\D/g, '')}.csv"`,
        )
        .send(consentHistoryCsv(history.entries));
      return;
    }
    await reply.status(200).send(history);
  }

  @Post('consents/:phone/revocations')
  async revoke(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.consents.revoke(requireTenant(request), phone, body, idempotencyKeyOf(request)),
    );
  }

  @Put('consents/:phone/dnd/:channel')
  async setDnd(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
    @Param('channel') channel: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.consents.changeDnd(
        requireTenant(request),
        phone,
        channel,
        true,
        idempotencyKeyOf(request),
      ),
    );
  }

  @Delete('consents/:phone/dnd/:channel')
  async clearDnd(
    @Req() request: TenantRequest,
    @Param('phone') phone: string,
    @Param('channel') channel: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.consents.changeDnd(
        requireTenant(request),
        phone,
        channel,
        false,
        idempotencyKeyOf(request),
      ),
    );
  }

  @Get('consent-reviews')
  reviews(
    @Req() request: TenantRequest,
    @Query('status') status?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ): Promise<RevocationReviewPage> {
    if (limit !== undefined && !/^\d+$/.test(limit)) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: 'must be an integer' },
      ]);
    }
    return this.consents.listReviews(requireTenant(request), {
      limit: limit === undefined ? REVIEW_PAGE_SIZE.default : Number(limit),
      ...(status !== undefined ? { status } : {}),
      ...(cursor ? { cursor } : {}),
    });
  }

  @Post('consent-reviews/:reviewId/resolution')
  async resolve(
    @Req() request: TenantRequest,
    @Param('reviewId') reviewId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.consents.resolveReview(
        requireTenant(request),
        reviewId,
        body,
        idempotencyKeyOf(request),
      ),
    );
  }
}
