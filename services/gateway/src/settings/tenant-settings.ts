import {
  type CampaignUseCaseMismatchPolicy,
  type LineType,
  NUMBER_VALIDATION_DEFAULTS,
  type NumberValidationSetting,
  type TenantSettings,
} from '@textplane/contracts';

/**
 * `/v1/settings`: one resource of per-tenant switches, each key added by the issue that needs it
 * (DESIGN.md, "Tenant settings"). This module is pure: the resource as answered, the PATCH body,
 * and how one is merged into the stored settings.
 */

/** The settings as answered: every key present, its default filled in. */
export interface SettingsResource {
  /** The periodic opt-out reminder; null (the default): off. */
  optOutReminder: { everyDays: number } | null;
  /** What a message whose purpose does not fit its campaign's use case gets; default flag. */
  campaignUseCaseMismatch: CampaignUseCaseMismatchPolicy;
  /** Number validation before the first text to a recipient; default off. */
  numberValidation: NumberValidationSetting;
}

/**
 * A PATCH body, JSON merge patch (RFC 7396) over SettingsResource: a key left out stays as it
 * is, a key set to null goes back to its default, an object is merged key by key (the
 * reminder's object has one required field, so merging it is replacing it).
 */
export interface SettingsPatch {
  optOutReminder?: { everyDays: number } | null;
  campaignUseCaseMismatch?: CampaignUseCaseMismatchPolicy | null;
  numberValidation?: {
    enabled?: boolean | null;
    skipLineTypes?: LineType[] | null;
    cacheDays?: number | null;
  } | null;
}

/** The stored settings (only keys set away from their default) as answered. */
export function settingsResourceOf(settings: TenantSettings | undefined): SettingsResource {
  return {
    optOutReminder: settings?.optOutReminder ?? null,
    campaignUseCaseMismatch: settings?.campaignUseCaseMismatch ?? 'flag',
    numberValidation: settings?.numberValidation ?? numberValidationDefaults(),
  };
}

function numberValidationDefaults(): NumberValidationSetting {
  return {
    ...NUMBER_VALIDATION_DEFAULTS,
    skipLineTypes: [...NUMBER_VALIDATION_DEFAULTS.skipLineTypes],
  };
}

/** The stored settings after a (validated) patch: keys reset to their default are left out. */
export function mergeSettingsPatch(current: TenantSettings, patch: SettingsPatch): TenantSettings {
  const merged: TenantSettings = { ...current };
  if (patch.optOutReminder === null) delete merged.optOutReminder;
  else if (patch.optOutReminder !== undefined) {
    merged.optOutReminder = { everyDays: patch.optOutReminder.everyDays };
  }
  if (patch.campaignUseCaseMismatch === null || patch.campaignUseCaseMismatch === 'flag') {
    delete merged.campaignUseCaseMismatch;
  } else if (patch.campaignUseCaseMismatch !== undefined) {
    merged.campaignUseCaseMismatch = patch.campaignUseCaseMismatch;
  }
  if (patch.numberValidation === null) delete merged.numberValidation;
  else if (patch.numberValidation !== undefined) {
    const base = current.numberValidation ?? numberValidationDefaults();
    const change = patch.numberValidation;
    const defaults = NUMBER_VALIDATION_DEFAULTS;
    const next: NumberValidationSetting = {
      enabled: change.enabled === null ? defaults.enabled : (change.enabled ?? base.enabled),
      skipLineTypes:
        change.skipLineTypes === null
          ? [...defaults.skipLineTypes]
          : [...(change.skipLineTypes ?? base.skipLineTypes)],
      cacheDays:
        change.cacheDays === null ? defaults.cacheDays : (change.cacheDays ?? base.cacheDays),
    };
    if (isDefaultNumberValidation(next)) delete merged.numberValidation;
    else merged.numberValidation = next;
  }
  return merged;
}

function isDefaultNumberValidation(setting: NumberValidationSetting): boolean {
  const defaults = NUMBER_VALIDATION_DEFAULTS;
  return (
    setting.enabled === defaults.enabled &&
    setting.cacheDays === defaults.cacheDays &&
    setting.skipLineTypes.length === defaults.skipLineTypes.length &&
    defaults.skipLineTypes.every((type) => setting.skipLineTypes.includes(type))
  );
}
