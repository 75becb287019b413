import {
  Body,
  Controller,
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
import { AdminTokenGuard, ApiKeyGuard } from '../http/guards.js';
import { idempotencyKeyOf, requireTenant, type TenantRequest } from '../http/request-context.js';
import { ApiError } from '../problems/api-error.js';
import type {
  TransactionResource,
  WalletResource,
  WalletSettingsResource,
} from './billing-record.js';
import {
  BillingApplication,
  type Page,
  type RatesResource,
  TRANSACTION_PAGE_SIZE,
} from './billing.application.js';
import { usageCsv } from './usage-report.js';
import { single } from '../http/query-params.js';

function pageSize(value: string | string[] | undefined): number {
  const size = single(value, 'limit');
  if (size === undefined) return TRANSACTION_PAGE_SIZE.default;
  if (!/^\d{1,9}$/.test(size)) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: 'must be an integer' },
    ]);
  }
  return Number(size);
}

/** Whether the client asked for CSV (`Accept: text/csv`) rather than JSON. */
function wantsCsv(request: TenantRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);
}

/** The tenant's wallet, ledger, rates and usage (issue 13 §2): each route maps onto BillingApplication. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class BillingController {
  constructor(@Inject(BillingApplication) private readonly billing: BillingApplication) {}

  @Get('wallet')
  wallet(@Req() request: TenantRequest): Promise<WalletResource> {
    return this.billing.wallet(requireTenant(request));
  }

  @Put('wallet/settings')
  async changeSettings(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const settings: WalletSettingsResource = await this.billing.changeSettings(
      requireTenant(request),
      body,
    );
    await reply.status(202).send(settings);
  }

  @Get('wallet/transactions')
  transactions(
    @Req() request: TenantRequest,
    @Query('from') from?: string | string[],
    @Query('to') to?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<Page<TransactionResource>> {
    const query = {
      from: single(from, 'from'),
      to: single(to, 'to'),
      cursor: single(cursor, 'cursor'),
    };
    return this.billing.transactions(requireTenant(request), {
      limit: pageSize(limit),
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
  }

  @Get('rates')
  rates(
    @Req() request: TenantRequest,
    @Query('to') to?: string | string[],
    @Query('from') from?: string | string[],
  ): Promise<RatesResource> {
    const query = { to: single(to, 'to'), from: single(from, 'from') };
    return this.billing.rates(requireTenant(request), {
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.from !== undefined ? { from: query.from } : {}),
    });
  }

  @Get('usage')
  async usage(
    @Req() request: TenantRequest,
    @Res() reply: FastifyReply,
    @Query('from') from?: string | string[],
    @Query('to') to?: string | string[],
    @Query('groupBy') groupBy?: string | string[],
  ): Promise<void> {
    const query = {
      from: single(from, 'from'),
      to: single(to, 'to'),
      groupBy: single(groupBy, 'groupBy'),
    };
    const report = await this.billing.usage(requireTenant(request), {
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.groupBy !== undefined ? { groupBy: query.groupBy } : {}),
    });
    if (wantsCsv(request)) {
      await reply
        .status(200)
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="usage-by-${report.groupBy}.csv"`)
        .send(usageCsv(report));
      return;
    }
    await reply.status(200).send(report);
  }
}

/** The operator's billing routes: credits (a payment integration's) and rate cards. */
@Controller('admin/v1')
@UseGuards(AdminTokenGuard)
export class BillingAdminController {
  constructor(@Inject(BillingApplication) private readonly billing: BillingApplication) {}

  @Post('tenants/:id/wallet/credits')
  async credit(
    @Req() request: TenantRequest,
    @Param('id') tenantId: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.billing.creditWallet(tenantId, body, idempotencyKeyOf(request));
    await reply.status(answer.status).send(answer.body);
  }

  @Put('rate-cards/:version')
  async publishRateCard(
    @Param('version') version: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.billing.publishRateCard(version, body);
    await reply.status(answer.status).send(answer.body);
  }
}
