import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type { TenantSettings } from '@textplane/contracts';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcEdge } from '../grpc/grpc-edge.js';
import { STATUS_DETAILS_KEY } from '../grpc/grpc-status.js';
import { validateRequest } from '../http/request-validator.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import type { SettingsApi } from './settings.application.js';
import { settingsGrpc } from './settings.grpc-controller.js';
import { loadSettingsPackage, SETTINGS_SERVICE_NAME } from './settings-proto.js';
import {
  mergeSettingsPatch,
  type SettingsPatch,
  type SettingsResource,
  settingsResourceOf,
} from './tenant-settings.js';

/** textplane.messaging.v1.SettingsService on a real gRPC edge, over in-memory settings. */

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const API_KEY = 'tp_test_settings_key_000000000000';
const tenant: AuthenticatedTenant = {
  tenantId: '0193a1b2-0000-7000-8000-0000000000c1',
  keyId: 'k',
};

/** The REST use cases' rules (validation, merge patch) over a map instead of the event store. */
class InMemorySettings implements SettingsApi {
  stored: TenantSettings = {};
  updates = 0;

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return Promise.resolve(apiKey === API_KEY ? tenant : null);
  }

  get(): Promise<SettingsResource> {
    return Promise.resolve(settingsResourceOf(this.stored));
  }

  update(_tenant: AuthenticatedTenant, body: unknown): Promise<SettingsResource> {
    const patch = validateRequest<SettingsPatch>('UpdateSettingsRequest', body);
    this.updates += 1;
    this.stored = mergeSettingsPatch(this.stored, patch);
    return this.get();
  }
}

const service = loadSettingsPackage(PROTO_DIR)[
  SETTINGS_SERVICE_NAME
] as protoLoader.ServiceDefinition;
const method = (name: string) => {
  const found = service[name];
  if (!found) throw new Error(`no method ${name}`);
  return found;
};

let edge: GrpcEdge;
let client: grpc.Client;
const settings = new InMemorySettings();

beforeAll(async () => {
  edge = await GrpcEdge.start({
    contexts: [settingsGrpc(PROTO_DIR, settings)],
    authenticator: settings,
    port: 0,
    host: '127.0.0.1',
    shutdownTimeoutMs: 3000,
  });
  client = new grpc.Client(`127.0.0.1:${edge.port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await edge.stop();
});

function call(name: string, request: object, apiKey: string | null = API_KEY): Promise<unknown> {
  const definition = method(name);
  const metadata = new grpc.Metadata();
  if (apiKey !== null) metadata.set('authorization', `Bearer ${apiKey}`);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      metadata,
      (error, response) => (error ? reject(error) : resolve(response)),
    );
  });
}

async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('the call succeeded');
}

/** The settings as answered, defaults filled in, with `reminder` as the opt-out reminder. */
const answered = (reminder: { every_days: number } | null, more: object = {}) => ({
  settings: {
    opt_out_reminder: reminder,
    campaign_use_case_mismatch: 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_FLAG',
    number_validation: { enabled: false, skip_line_types: ['LINE_TYPE_LANDLINE'], cache_days: 30 },
    ...more,
  },
});

describe('SettingsService', () => {
  it('gets the defaults, sets the reminder, leaves it as it is when unset, and turns it off', async () => {
    expect(await call('GetSettings', {})).toEqual(answered(null));
    expect(await call('UpdateSettings', { opt_out_reminder: { every_days: 30 } })).toEqual(
      answered({ every_days: 30 }),
    );
    expect(await call('GetSettings', {})).toEqual(answered({ every_days: 30 }));
    expect(await call('UpdateSettings', {})).toEqual(answered({ every_days: 30 }));
    expect(await call('UpdateSettings', { opt_out_reminder: { off: true } })).toEqual(
      answered(null),
    );
  });

  it('sets the use-case policy and number validation, leaving them as they are when unset', async () => {
    const validation = {
      enabled: true,
      skip_line_types: ['LINE_TYPE_LANDLINE', 'LINE_TYPE_VOIP'],
      cache_days: 7,
    };
    const changed = {
      campaign_use_case_mismatch: 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_BLOCK',
      number_validation: validation,
    };
    expect(await call('UpdateSettings', changed)).toEqual(answered(null, changed));
    expect(await call('UpdateSettings', {})).toEqual(answered(null, changed));
    expect(
      await call('UpdateSettings', {
        campaign_use_case_mismatch: 'CAMPAIGN_USE_CASE_MISMATCH_POLICY_FLAG',
        number_validation: {
          enabled: false,
          skip_line_types: ['LINE_TYPE_LANDLINE'],
          cache_days: 30,
        },
      }),
    ).toEqual(answered(null));
    expect(settings.stored).toEqual({});
  });

  it('refuses number validation with 0 cache days or an unspecified line type, naming the field', async () => {
    const before = settings.updates;
    for (const [number_validation, field] of [
      [{ enabled: true, skip_line_types: [], cache_days: 0 }, 'number_validation.cache_days'],
      [
        { enabled: true, skip_line_types: ['LINE_TYPE_UNSPECIFIED'], cache_days: 30 },
        'number_validation.skip_line_types',
      ],
    ] as const) {
      const error = await failure(call('UpdateSettings', { number_validation }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      const details = error.metadata.get(STATUS_DETAILS_KEY)[0];
      expect(Buffer.isBuffer(details) && details.toString('latin1')).toContain(field);
    }
    expect(settings.updates).toBe(before);
  });

  it('refuses a bad change with INVALID_ARGUMENT naming opt_out_reminder.every_days, changing nothing', async () => {
    const before = settings.updates;
    for (const change of [
      { every_days: 0 },
      { every_days: 366 },
      { every_days: -1 },
      { off: true, every_days: 7 },
    ]) {
      const error = await failure(call('UpdateSettings', { opt_out_reminder: change }));
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      const details = error.metadata.get(STATUS_DETAILS_KEY)[0];
      // The BadRequest names the field as the .proto spells it.
      expect(Buffer.isBuffer(details) && details.toString('latin1')).toContain(
        'opt_out_reminder.every_days',
      );
    }
    expect(settings.updates).toBe(before);
    expect(await call('GetSettings', {})).toEqual(answered(null));
  });

  it('refuses a call without a valid API key', async () => {
    expect((await failure(call('GetSettings', {}, null))).code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await failure(call('GetSettings', {}, 'tp_unknown'))).code).toBe(
      grpc.status.UNAUTHENTICATED,
    );
  });
});
