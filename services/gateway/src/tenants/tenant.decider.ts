import type {
  TenantComplianceProfile,
  TenantSettings,
  ThroughputLimitOverrides,
} from '@textplane/contracts';
import { mergeSettingsPatch, type SettingsPatch } from '../settings/tenant-settings.js';
import type { TenantEvent } from './tenant.events.js';

export interface TenantProfile {
  tenantId: string;
  name: string;
  brandName: string;
  timeZone: string;
  defaultSender: string;
  senderNumbers: string[];
  /** Absent: the defaults (restricted content blocked, standard reply texts). */
  compliance?: TenantComplianceProfile;
  /** Absent: every setting at its default (`/v1/settings`). */
  settings?: TenantSettings;
}

export type TenantCommand =
  | { type: 'CreateTenant'; profile: TenantProfile; now: Date }
  | { type: 'AddSenderNumber'; phoneNumber: string; now: Date }
  | { type: 'RemoveSenderNumber'; phoneNumber: string; now: Date }
  /** Replaces the whole profile: a field left out goes back to its default. */
  | { type: 'SetComplianceProfile'; compliance: TenantComplianceProfile; now: Date }
  | { type: 'IssueApiKey'; keyId: string; keyHash: string; label: string; now: Date }
  /** Merges a (validated) `/v1/settings` patch into the tenant's settings. */
  | { type: 'PatchSettings'; patch: SettingsPatch; now: Date }
  /** Replaces the operator's throughput overrides ({} : the carriers' limits again). */
  | { type: 'SetThroughputLimits'; limits: ThroughputLimitOverrides; now: Date };

export type TenantState =
  | { status: 'none' }
  | {
      status: 'active';
      profile: TenantProfile;
      createdAt: string;
      keyIdsByHash: ReadonlyMap<string, string>;
    };

export const initialTenantState: TenantState = { status: 'none' };

export class TenantRuleViolation extends Error {
  constructor(
    readonly code:
      | 'tenant_exists'
      | 'tenant_not_found'
      | 'default_sender_not_owned'
      | 'sender_number_not_found'
      | 'default_sender_not_removable',
    message: string,
  ) {
    super(message);
    this.name = 'TenantRuleViolation';
  }
}

export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'CreateTenant': {
      const p = command.profile;
      if (state.status === 'active') {
        // Creating the same tenant again (a seeding script re-run) changes nothing.
        if (sameProfile(state.profile, p)) return [];
        throw new TenantRuleViolation(
          'tenant_exists',
          `Tenant ${p.tenantId} already exists with other details`,
        );
      }
      if (!p.senderNumbers.includes(p.defaultSender)) {
        throw new TenantRuleViolation(
          'default_sender_not_owned',
          `The default sender ${p.defaultSender} must be one of the tenant's sender numbers`,
        );
      }
      return [
        {
          type: 'gateway.TenantCreated.v1',
          data: {
            ...p,
            senderNumbers: [...new Set(p.senderNumbers)],
            createdAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'AddSenderNumber': {
      const tenant = requireTenant(state);
      if (tenant.profile.senderNumbers.includes(command.phoneNumber)) return [];
      return [
        {
          type: 'gateway.SenderNumberAdded.v1',
          data: {
            tenantId: tenant.profile.tenantId,
            phoneNumber: command.phoneNumber,
            addedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RemoveSenderNumber': {
      const tenant = requireTenant(state);
      if (!tenant.profile.senderNumbers.includes(command.phoneNumber)) {
        throw new TenantRuleViolation(
          'sender_number_not_found',
          `${command.phoneNumber} is not one of the tenant's sender numbers`,
        );
      }
      // Sends without a `from` and the consent service's replies go out from the default sender.
      if (tenant.profile.defaultSender === command.phoneNumber) {
        throw new TenantRuleViolation(
          'default_sender_not_removable',
          `${command.phoneNumber} is the tenant's default sender and cannot be removed`,
        );
      }
      return [
        {
          type: 'gateway.SenderNumberRemoved.v1',
          data: {
            tenantId: tenant.profile.tenantId,
            phoneNumber: command.phoneNumber,
            removedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'SetComplianceProfile': {
      const tenant = requireTenant(state);
      // Setting the profile it has (a retried PUT) records nothing.
      if (sameCompliance(tenant.profile.compliance, command.compliance)) return [];
      return [
        {
          type: 'gateway.TenantComplianceProfileSet.v1',
          data: {
            tenantId: tenant.profile.tenantId,
            compliance: command.compliance,
            setAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'PatchSettings': {
      const tenant = requireTenant(state);
      const current = tenant.profile.settings ?? {};
      const settings = mergeSettingsPatch(current, command.patch);
      // A patch that changes nothing (a repeated PATCH, an empty one) records nothing.
      if (sameSettings(current, settings)) return [];
      return [
        {
          type: 'gateway.TenantSettingsSet.v1',
          data: {
            tenantId: tenant.profile.tenantId,
            settings,
            setAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'SetThroughputLimits': {
      const tenant = requireTenant(state);
      const current = tenant.profile.settings ?? {};
      const { throughputLimits: _previous, ...others } = current;
      const settings: TenantSettings =
        Object.keys(command.limits).length === 0
          ? others
          : { ...others, throughputLimits: command.limits };
      if (sameSettings(current, settings)) return [];
      return [
        {
          type: 'gateway.TenantSettingsSet.v1',
          data: {
            tenantId: tenant.profile.tenantId,
            settings,
            setAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'IssueApiKey': {
      const tenant = requireTenant(state);
      if (tenant.keyIdsByHash.has(command.keyHash)) return [];
      return [
        {
          type: 'gateway.ApiKeyIssued.v1',
          data: {
            tenantId: tenant.profile.tenantId,
            keyId: command.keyId,
            keyHash: command.keyHash,
            label: command.label,
            issuedAt: command.now.toISOString(),
          },
        },
      ];
    }
  }
}

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'gateway.TenantCreated.v1': {
      const { createdAt, ...profile } = event.data;
      return { status: 'active', profile, createdAt, keyIdsByHash: new Map() };
    }
    case 'gateway.SenderNumberAdded.v1':
      if (state.status !== 'active') return state;
      return {
        ...state,
        profile: {
          ...state.profile,
          senderNumbers: [...state.profile.senderNumbers, event.data.phoneNumber],
        },
      };
    case 'gateway.SenderNumberRemoved.v1':
      if (state.status !== 'active') return state;
      return {
        ...state,
        profile: {
          ...state.profile,
          senderNumbers: state.profile.senderNumbers.filter((n) => n !== event.data.phoneNumber),
        },
      };
    case 'gateway.TenantComplianceProfileSet.v1': {
      if (state.status !== 'active') return state;
      const { compliance: _previous, ...profile } = state.profile;
      return {
        ...state,
        profile:
          Object.keys(event.data.compliance).length > 0
            ? { ...profile, compliance: event.data.compliance }
            : profile,
      };
    }
    case 'gateway.TenantSettingsSet.v1': {
      if (state.status !== 'active') return state;
      const { settings: _previous, ...profile } = state.profile;
      return {
        ...state,
        profile:
          Object.keys(event.data.settings).length > 0
            ? { ...profile, settings: event.data.settings }
            : profile,
      };
    }
    case 'gateway.ApiKeyIssued.v1':
      if (state.status !== 'active') return state;
      return {
        ...state,
        keyIdsByHash: new Map([...state.keyIdsByHash, [event.data.keyHash, event.data.keyId]]),
      };
  }
}

function requireTenant(state: TenantState): Extract<TenantState, { status: 'active' }> {
  if (state.status !== 'active')
    throw new TenantRuleViolation('tenant_not_found', 'Tenant not found');
  return state;
}

function sameProfile(a: TenantProfile, b: TenantProfile): boolean {
  return (
    a.name === b.name &&
    a.brandName === b.brandName &&
    a.timeZone === b.timeZone &&
    a.defaultSender === b.defaultSender &&
    sameCompliance(a.compliance, b.compliance) &&
    [...a.senderNumbers].sort().join() === [...new Set(b.senderNumbers)].sort().join()
  );
}

function sameCompliance(a?: TenantComplianceProfile, b?: TenantComplianceProfile): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...keys].every(
    (key) =>
      (a as Record<string, unknown> | undefined)?.[key] ===
      (b as Record<string, unknown> | undefined)?.[key],
  );
}

/** Settings are small JSON objects of JSON values: equal when their canonical JSON is. */
function sameSettings(a: TenantSettings, b: TenantSettings): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
