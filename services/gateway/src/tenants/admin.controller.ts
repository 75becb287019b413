import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Post,
  Put,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { TenantComplianceProfile, ThroughputLimitOverrides } from '@textplane/contracts';
import { parseLimitOverrides } from '@textplane/trust-rules';
import type { FastifyReply } from 'fastify';
import { AdminTokenGuard } from '../http/guards.js';
import { idempotencyKeyOf, type TenantRequest } from '../http/request-context.js';
import { E164_PATTERN } from '../http/schema-parts.js';
import { validateRequest } from '../http/request-validator.js';
import { adminScope, IdempotencyStore, requestHash } from '../idempotency/idempotency-store.js';
import { ApiError, echoed } from '../problems/api-error.js';
import { checkComplianceTexts } from './compliance-texts.js';
import { type CreateTenantInput, TenantAdmin } from './tenant-admin.js';
import type { TenantRecord } from './tenant-directory.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const E164 = new RegExp(E164_PATTERN);

function requireUuid(id: string): string {
  if (!UUID.test(id)) throw ApiError.notFound(`Tenant ${echoed(id)} not found`);
  return id.toLowerCase();
}

/** Tenants, sender numbers and API keys; guarded by TEXTPLANE_ADMIN_TOKEN. */
@Controller('admin/v1/tenants')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(
    private readonly admin: TenantAdmin,
    private readonly idempotency: IdempotencyStore,
  ) {}

  @Post()
  async create(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const input = validateRequest<CreateTenantInput>('CreateTenantRequest', body);
    const refused = checkComplianceTexts(input);
    if (refused.length > 0) {
      throw ApiError.invalid('The compliance reply texts cannot be used', refused);
    }
    const result = await this.idempotency.run(
      adminScope('POST /admin/v1/tenants'),
      idempotencyKeyOf(request),
      requestHash({ op: 'create-tenant', input }),
      async (manager) => {
        const { created, tenant } = await this.admin.createTenant(input, manager);
        return { statusCode: created ? 201 : 200, body: tenant };
      },
    );
    await reply.status(result.statusCode).send(result.body);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<TenantRecord> {
    return this.admin.require(requireUuid(id));
  }

  /** Replaces the compliance profile, checked exactly as the create body's `compliance`. */
  @Put(':id/compliance')
  async setCompliance(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const tenantId = requireUuid(id);
    const compliance = validateRequest<TenantComplianceProfile>('TenantComplianceProfile', body);
    const key = idempotencyKeyOf(request);
    // The texts are checked against the brand and default sender, which never change.
    const tenant = await this.admin.require(tenantId);
    const refused = checkComplianceTexts({ ...tenant, compliance });
    if (refused.length > 0) {
      throw ApiError.invalid('The compliance reply texts cannot be used', refused);
    }
    const result = await this.idempotency.run(
      adminScope('PUT /admin/v1/tenants/{id}/compliance'),
      key,
      requestHash({ op: 'set-tenant-compliance', tenantId, compliance }),
      async (manager) => ({
        statusCode: 200,
        body: await this.admin.setComplianceProfile(tenantId, compliance, manager),
      }),
    );
    this.admin.forgetCached(tenantId);
    await reply.status(result.statusCode).send(result.body);
  }

  /** The operator's throughput overrides of the tenant ({}: the carriers' limits). */
  @Get(':id/limits')
  async getLimits(@Param('id') id: string): Promise<ThroughputLimitOverrides> {
    const tenant = await this.admin.require(requireUuid(id));
    return tenant.settings?.throughputLimits ?? {};
  }

  /**
   * Replaces the tenant's throughput overrides (issue 12 §3): each a positive integer, nothing
   * unknown (400 naming the field, nothing recorded); {} goes back to the carriers' limits.
   */
  @Put(':id/limits')
  async setLimits(
    @Req() request: TenantRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const tenantId = requireUuid(id);
    const parsed = parseLimitOverrides(body);
    if (!parsed.ok) {
      throw ApiError.invalid(
        'The throughput limits are not valid',
        parsed.errors.map((e) => ({
          field: e.field === '' ? '(body)' : e.field,
          message: e.message,
        })),
      );
    }
    const limits: ThroughputLimitOverrides = parsed.overrides;
    await this.admin.require(tenantId);
    const result = await this.idempotency.run(
      adminScope('PUT /admin/v1/tenants/{id}/limits'),
      idempotencyKeyOf(request),
      requestHash({ op: 'set-tenant-limits', tenantId, limits }),
      async (manager) => {
        const tenant = await this.admin.setThroughputLimits(tenantId, limits, manager);
        return { statusCode: 200, body: tenant.settings?.throughputLimits ?? {} };
      },
    );
    this.admin.forgetCached(tenantId);
    await reply.status(result.statusCode).send(result.body);
  }

  @Post(':id/api-keys')
  async issueKey(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const input = validateRequest<{ label: string; key?: string }>('IssueApiKeyRequest', body);
    const issued = await this.admin.issueApiKey(requireUuid(id), input);
    await reply.status(issued.apiKey ? 201 : 200).send(issued);
  }

  @Post(':id/sender-numbers')
  async addSenderNumber(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const input = validateRequest<{ phoneNumber: string }>('AddSenderNumberRequest', body);
    await reply
      .status(200)
      .send(await this.admin.addSenderNumber(requireUuid(id), input.phoneNumber));
  }

  /** Releases a number (it may then be claimed by another tenant); not the default sender. */
  @Delete(':id/sender-numbers/:number')
  async removeSenderNumber(
    @Param('id') id: string,
    @Param('number') number: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const tenantId = requireUuid(id);
    if (!E164.test(number)) {
      throw ApiError.invalid('The sender number is not valid', [
        { field: 'number', message: 'must be an E.164 phone number such as +15555550123' },
      ]);
    }
    await reply.status(200).send(await this.admin.removeSenderNumber(tenantId, number));
  }
}
