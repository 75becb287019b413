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

export const SETTINGS_GRPC_API = Symbol('SETTINGS_GRPC_API');

function settingsProto(settings: SettingsResource): SettingsProto {
  return {
    opt_out_reminder:
      settings.optOutReminder === null ? null : { every_days: settings.optOutReminder.everyDays },
  };
}

/** The REST patch a gRPC change stands for: an unset field is left out, `off` is null. */
function patchOf(request: DecodedUpdateSettingsRequestProto): Record<string, unknown> {
  const change = request.opt_out_reminder;
  if (change === null || change === undefined) return {};
  if (!change.off) return { optOutReminder: { everyDays: change.every_days } };
  if (change.every_days !== 0) {
    throw ApiError.invalid('The settings change is not valid', [
      { field: 'optOutReminder.everyDays', message: 'must be 0 when off is true' },
    ]);
  }
  return { optOutReminder: null };
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
