import {
  Body,
  Controller,
  Delete,
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
import { ApiError } from '../problems/api-error.js';
import {
  type Accepted,
  brandLocation,
  campaignLocation,
  type CampaignLintResult,
  type Page,
  TRUST_PAGE_SIZE,
  tollFreeVerificationLocation,
  TrustCenter,
} from './trust-center.application.js';
import type {
  TollFreeVerificationResource,
  TrustBrandResource,
  TrustCampaignResource,
} from './trust-read-model.js';
import { single } from '../http/query-params.js';

function pageSize(value: string | string[] | undefined): number {
  const size = single(value, 'limit');
  if (size === undefined) return TRUST_PAGE_SIZE.default;
  if (!/^\d{1,9}$/.test(size)) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: 'must be an integer' },
    ]);
  }
  return Number(size);
}

async function accepted<T>(
  reply: FastifyReply,
  location: string,
  outcome: Accepted<T>,
): Promise<void> {
  await reply
    .status(202)
    .header('Location', location)
    .header('Idempotent-Replayed', String(outcome.replayed))
    .send(outcome.resource);
}

/** The Trust Center's REST (issue 12 §1): each route maps HTTP onto TrustCenter. */
@Controller('v1/trust')
@UseGuards(ApiKeyGuard)
export class TrustController {
  constructor(private readonly trust: TrustCenter) {}

  @Post('brands')
  async registerBrand(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.registerBrand(
      requireTenant(request),
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, brandLocation(outcome.resource.id), outcome);
  }

  @Get('brands')
  listBrands(
    @Req() request: TenantRequest,
    @Query('status') status?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<Page<TrustBrandResource>> {
    const filter = single(status, 'status');
    const position = single(cursor, 'cursor');
    return this.trust.listBrands(requireTenant(request), {
      limit: pageSize(limit),
      ...(filter !== undefined ? { status: filter } : {}),
      ...(position !== undefined ? { cursor: position } : {}),
    });
  }

  @Get('brands/:id')
  getBrand(@Req() request: TenantRequest, @Param('id') id: string): Promise<TrustBrandResource> {
    return this.trust.getBrand(requireTenant(request), id);
  }

  @Post('brands/:id/vetting')
  async requestVetting(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.requestVetting(
      requireTenant(request),
      id,
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, brandLocation(id), outcome);
  }

  @Post('brands/:id/otp')
  async requestOtp(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.requestOtp(
      requireTenant(request),
      id,
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, brandLocation(id), outcome);
  }

  @Post('brands/:id/otp/verification')
  async verifyOtp(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.verifyOtp(
      requireTenant(request),
      id,
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, brandLocation(id), outcome);
  }

  @Post('toll-free-verifications')
  async requestTollFreeVerification(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.requestTollFreeVerification(
      requireTenant(request),
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, tollFreeVerificationLocation(outcome.resource.id), outcome);
  }

  @Get('toll-free-verifications')
  listTollFreeVerifications(
    @Req() request: TenantRequest,
    @Query('status') status?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<Page<TollFreeVerificationResource>> {
    const filter = single(status, 'status');
    const position = single(cursor, 'cursor');
    return this.trust.listTollFreeVerifications(requireTenant(request), {
      limit: pageSize(limit),
      ...(filter !== undefined ? { status: filter } : {}),
      ...(position !== undefined ? { cursor: position } : {}),
    });
  }

  @Get('toll-free-verifications/:id')
  getTollFreeVerification(
    @Req() request: TenantRequest,
    @Param('id') id: string,
  ): Promise<TollFreeVerificationResource> {
    return this.trust.getTollFreeVerification(requireTenant(request), id);
  }

  @Post('campaigns')
  async submitCampaign(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.submitCampaign(
      requireTenant(request),
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, campaignLocation(outcome.resource.id), outcome);
  }

  /** 200 with the findings; nothing is recorded. */
  @Post('campaigns/lint')
  @HttpCode(200)
  lint(@Req() request: TenantRequest, @Body() body: unknown): Promise<CampaignLintResult> {
    return this.trust.lint(requireTenant(request), body);
  }

  @Get('campaigns')
  listCampaigns(
    @Req() request: TenantRequest,
    @Query('status') status?: string | string[],
    @Query('brandId') brandId?: string | string[],
    @Query('cursor') cursor?: string | string[],
    @Query('limit') limit?: string | string[],
  ): Promise<Page<TrustCampaignResource>> {
    const filter = single(status, 'status');
    const brand = single(brandId, 'brandId');
    const position = single(cursor, 'cursor');
    return this.trust.listCampaigns(requireTenant(request), {
      limit: pageSize(limit),
      ...(filter !== undefined ? { status: filter } : {}),
      ...(brand !== undefined ? { brandId: brand } : {}),
      ...(position !== undefined ? { cursor: position } : {}),
    });
  }

  @Get('campaigns/:id')
  getCampaign(
    @Req() request: TenantRequest,
    @Param('id') id: string,
  ): Promise<TrustCampaignResource> {
    return this.trust.getCampaign(requireTenant(request), id);
  }

  @Post('campaigns/:id/numbers')
  async assignNumber(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.assignNumber(
      requireTenant(request),
      id,
      body,
      idempotencyKeyOf(request),
    );
    await accepted(reply, campaignLocation(id), outcome);
  }

  /** 202 with the campaign, the number's removal requested (it sends until it is removed). */
  @Delete('campaigns/:id/numbers/:phone')
  async unassignNumber(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Param('phone') phone: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.trust.unassignNumber(
      requireTenant(request),
      id,
      phone,
      idempotencyKeyOf(request),
    );
    await accepted(reply, campaignLocation(id), outcome);
  }
}
