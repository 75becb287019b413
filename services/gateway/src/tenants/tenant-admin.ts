import type { TenantComplianceProfile, ThroughputLimitOverrides } from '@textplane/contracts';
import type { SettingsPatch } from '../settings/tenant-settings.js';
import { AggregateStore, type EventStore } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '@textplane/service-runtime';
import { ApiError } from '../problems/api-error.js';
import { generateApiKey, hashApiKey } from './api-keys.js';
import {
  decideTenant,
  evolveTenant,
  initialTenantState,
  type TenantCommand,
  type TenantProfile,
  TenantRuleViolation,
  type TenantState,
} from './tenant.decider.js';
import {
  isTenantEventType,
  TENANT_STREAM_TYPE,
  type TenantEvent,
  tenantStreamId,
} from './tenant.events.js';
import { projectTenantEvents, SenderNumberTaken } from './tenant.projection.js';
import type { TenantDirectory, TenantRecord } from './tenant-directory.js';

export interface CreateTenantInput {
  id?: string;
  name: string;
  brandName: string;
  timeZone: string;
  senderNumbers: string[];
  defaultSender: string;
  compliance?: TenantComplianceProfile;
}

export interface IssuedApiKey {
  keyId: string;
  /** Present only when the key was created by this call: it is never shown again. */
  apiKey?: string;
}

/** The admin use cases: tenants, their sender numbers and API keys. */
export class TenantAdmin {
  private readonly tenants: AggregateStore<TenantCommand, TenantEvent, TenantState>;

  constructor(
    store: EventStore,
    private readonly directory: TenantDirectory,
    private readonly clock: Clock,
  ) {
    this.tenants = new AggregateStore(
      store,
      {
        decide: decideTenant,
        evolve: evolveTenant,
        initialState: initialTenantState,
        isEvent: isTenantEventType,
      },
      TENANT_STREAM_TYPE,
      { project: projectTenantEvents },
    );
  }

  async createTenant(
    input: CreateTenantInput,
    manager?: EntityManager,
  ): Promise<{ created: boolean; tenant: TenantRecord }> {
    const profile: TenantProfile = {
      tenantId: input.id ?? uuidv7(),
      name: input.name,
      brandName: input.brandName,
      timeZone: input.timeZone,
      defaultSender: input.defaultSender,
      senderNumbers: input.senderNumbers,
      ...(input.compliance && Object.keys(input.compliance).length > 0
        ? { compliance: input.compliance }
        : {}),
    };
    const { events, state } = await this.run(
      profile.tenantId,
      { type: 'CreateTenant', profile, now: this.clock.now() },
      manager,
    );
    this.directory.invalidate(profile.tenantId);
    return { created: events.length > 0, tenant: recordOf(state) };
  }

  /**
   * Replaces the tenant's compliance profile (fields left out take the defaults). The caller has
   * checked the texts (checkComplianceTexts): they depend on the tenant's brand and sender.
   */
  async setComplianceProfile(
    tenantId: string,
    compliance: TenantComplianceProfile,
    manager?: EntityManager,
  ): Promise<TenantRecord> {
    const { state } = await this.run(
      tenantId,
      { type: 'SetComplianceProfile', compliance, now: this.clock.now() },
      manager,
    );
    this.directory.invalidate(tenantId);
    return recordOf(state);
  }

  /** Replaces the operator's throughput overrides of the tenant ({}: none). */
  async setThroughputLimits(
    tenantId: string,
    limits: ThroughputLimitOverrides,
    manager?: EntityManager,
  ): Promise<TenantRecord> {
    const { state } = await this.run(
      tenantId,
      { type: 'SetThroughputLimits', limits, now: this.clock.now() },
      manager,
    );
    this.directory.invalidate(tenantId);
    return recordOf(state);
  }

  /**
   * Merges a `/v1/settings` patch, checked by the caller, into the tenant's settings (merged with
   * the stream's state, so two patches of different keys both count).
   */
  async patchSettings(tenantId: string, patch: SettingsPatch): Promise<TenantRecord> {
    const { state } = await this.run(tenantId, {
      type: 'PatchSettings',
      patch,
      now: this.clock.now(),
    });
    this.directory.invalidate(tenantId);
    return recordOf(state);
  }

  /** Drops this replica's cached copy once a write made in the caller's transaction committed. */
  forgetCached(tenantId: string): void {
    this.directory.invalidate(tenantId);
  }

  async addSenderNumber(tenantId: string, phoneNumber: string): Promise<TenantRecord> {
    await this.run(tenantId, { type: 'AddSenderNumber', phoneNumber, now: this.clock.now() });
    this.directory.invalidate(tenantId);
    return this.require(tenantId);
  }

  /** Releases a number so that it can move to another tenant; the default sender stays. */
  async removeSenderNumber(tenantId: string, phoneNumber: string): Promise<TenantRecord> {
    await this.run(tenantId, { type: 'RemoveSenderNumber', phoneNumber, now: this.clock.now() });
    this.directory.invalidate(tenantId);
    return this.require(tenantId);
  }

  async issueApiKey(
    tenantId: string,
    input: { label: string; key?: string },
  ): Promise<IssuedApiKey> {
    const apiKey = input.key ?? generateApiKey();
    const keyHash = hashApiKey(apiKey);
    const { events, state } = await this.run(tenantId, {
      type: 'IssueApiKey',
      keyId: uuidv7(),
      keyHash,
      label: input.label,
      now: this.clock.now(),
    });
    this.directory.invalidate(tenantId, keyHash);
    const keyId = state.status === 'active' ? state.keyIdsByHash.get(keyHash) : undefined;
    if (!keyId) throw new Error('API key was not recorded');
    return events.length > 0 ? { keyId, apiKey } : { keyId };
  }

  async require(tenantId: string): Promise<TenantRecord> {
    const tenant = await this.directory.find(tenantId);
    if (!tenant) throw ApiError.notFound(`Tenant ${tenantId} not found`);
    return tenant;
  }

  private async run(tenantId: string, command: TenantCommand, manager?: EntityManager) {
    try {
      return await this.tenants.handle(
        tenantStreamId(tenantId),
        command,
        { tenantId, correlationId: uuidv7() },
        manager,
      );
    } catch (error) {
      if (error instanceof SenderNumberTaken) {
        throw new ApiError(
          'conflict',
          'sender_number_taken',
          `${error.phoneNumber} belongs to another tenant; it must be removed from that tenant first`,
          [
            {
              field: senderNumberField(command, error.phoneNumber),
              message: 'belongs to another tenant',
            },
          ],
        );
      }
      if (!(error instanceof TenantRuleViolation)) throw error;
      switch (error.code) {
        case 'tenant_exists':
          throw new ApiError('conflict', error.code, error.message);
        case 'tenant_not_found':
          throw ApiError.notFound(`Tenant ${tenantId} not found`);
        case 'default_sender_not_owned':
          throw new ApiError('unprocessable', error.code, error.message, [
            { field: 'defaultSender', message: error.message },
          ]);
        case 'sender_number_not_found':
          throw ApiError.notFound(error.message);
        case 'default_sender_not_removable':
          throw new ApiError('conflict', error.code, error.message);
      }
    }
  }
}

/** Where the refused number was in the request: an item of the create body, or the added one. */
function senderNumberField(command: TenantCommand, phoneNumber: string): string {
  if (command.type !== 'CreateTenant') return 'phoneNumber';
  return `senderNumbers.${command.profile.senderNumbers.indexOf(phoneNumber)}`;
}

/** The tenant as the aggregate has it, for answers given inside the writing transaction. */
function recordOf(state: TenantState): TenantRecord {
  if (state.status !== 'active') throw new Error('Tenant was not recorded');
  const { tenantId, compliance, settings, ...details } = state.profile;
  return {
    id: tenantId,
    ...details,
    compliance: compliance ?? {},
    settings: settings ?? {},
    createdAt: state.createdAt,
  };
}
