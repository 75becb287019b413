import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { SettingsApi } from './settings.application.js';
import {
  type DecodedGetSettingsRequestProto,
  type DecodedUpdateSettingsRequestProto,
  type GetSettingsResponseProto,
  loadSettingsPackage,
  SETTINGS_SERVICE_NAME,
  type SettingsProto,
  type UpdateSettingsResponseProto,
} from './settings-proto.js';
import type { SettingsResource } from './tenant-settings.js';
import type { LineType } from '@textplane/contracts';
import type { LineType as LineTypeProto } from '../generated/textplane/messaging/v1/settings.js';

export const SETTINGS_GRPC_API = Symbol('SETTINGS_GRPC_API');

const POLICY_PREFIX = 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_';
const LINE_TYPE_PREFIX = 'LINE_TYPE_';

function settingsProto(settings: SettingsResource): SettingsProto {
  return {
    opt_out_reminder:
      settings.optOutReminder === null ? null : { every_days: settings.optOutReminder.everyDays },
    campaign_use_case_mismatch:
      settings.campaignUseCaseMismatch === 'block'
        ? 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_BLOCK'
        : 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_FLAG',
    number_validation: {
      enabled: settings.numberValidation.enabled,
      skip_line_types: settings.numberValidation.skipLineTypes.map(lineTypeProto),
      cache_days: settings.numberValidation.cacheDays,
    },
  };
}

function lineTypeProto(type: LineType): LineTypeProto {
  switch (type) {
    case 'mobile':
      return 'LINE_TYPE_MOBILE';
    case 'landline':
      return 'LINE_TYPE_LANDLINE';
    case 'voip':
      return 'LINE_TYPE_VOIP';
    case 'toll_free':
      return 'LINE_TYPE_TOLL_FREE';
    case 'unknown':
      return 'LINE_TYPE_UNKNOWN';
  }
}

/**
 * An enum value as the REST body spells it (`LINE_TYPE_TOLL_FREE` → `toll_free`); an unknown or
 * unspecified one is passed on as sent, for the REST validation to refuse naming the field.
 */
function restEnum(value: string | number, prefix: string): string | number {
  return typeof value === 'string' && value.startsWith(prefix)
    ? value.slice(prefix.length).toLowerCase()
    : value;
}

/** The REST patch a gRPC change stands for: an unset field is left out, `off` is null. */
function patchOf(request: DecodedUpdateSettingsRequestProto): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const change = request.opt_out_reminder;
  if (change !== null && change !== undefined) {
    if (!change.off) patch['optOutReminder'] = { everyDays: change.every_days };
    else if (change.every_days !== 0) {
      throw ApiError.invalid('The settings change is not valid', [
        { field: 'optOutReminder.everyDays', message: 'must be 0 when off is true' },
      ]);
    } else patch['optOutReminder'] = null;
  }
  const policy = request.campaign_use_case_mismatch;
  if (policy !== 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_UNSPECIFIED' && policy !== 0) {
    patch['campaignUseCaseMismatch'] = restEnum(policy, POLICY_PREFIX);
  }
  const validation = request.number_validation;
  if (validation !== null && validation !== undefined) {
    patch['numberValidation'] = {
      enabled: validation.enabled,
      skipLineTypes: validation.skip_line_types.map((type) => restEnum(type, LINE_TYPE_PREFIX)),
      cacheDays: validation.cache_days,
    };
  }
  return patch;
}

/** textplane.messaging.v1.SettingsService over the REST use cases (same rules, same errors). */
@Controller()
export class SettingsGrpcController {
  constructor(@Inject(SETTINGS_GRPC_API) private readonly settings: SettingsApi) {}

  @GrpcMethod(SETTINGS_SERVICE_NAME, 'GetSettings')
  async getSettings(
    @Payload() _request: DecodedGetSettingsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetSettingsResponseProto> {
    return { settings: settingsProto(await this.settings.get(tenant)) };
  }

  @GrpcMethod(SETTINGS_SERVICE_NAME, 'UpdateSettings')
  async updateSettings(
    @Payload() request: DecodedUpdateSettingsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<UpdateSettingsResponseProto> {
    return { settings: settingsProto(await this.settings.update(tenant, patchOf(request))) };
  }
}

@Module({})
class SettingsGrpcModule {}

/** The settings context on the gRPC edge. */
export function settingsGrpc(protoDir: string, settings: SettingsApi): GrpcContext {
  const module: DynamicModule = {
    module: SettingsGrpcModule,
    controllers: [SettingsGrpcController],
    providers: [{ provide: SETTINGS_GRPC_API, useValue: settings }],
  };
  return { contract: loadSettingsPackage(protoDir), module };
}
