import type { TenantSettings } from '@textplane/contracts';

/**
 * `/v1/settings`: one resource of per-tenant switches, each key added by the issue that needs it
 * (DESIGN.md, "Tenant settings"). This module is pure: the resource as answered, the PATCH body,
 * and how one is merged into the stored settings.
 */

/** The settings as answered: every key present, its default filled in. */
export interface SettingsResource {
  /** The periodic opt-out reminder; null (the default): off. */
  optOutReminder: { everyDays: number } | null;
}

/**
 * A PATCH body, JSON merge patch (RFC 7396) over SettingsResource: a key left out stays as it
 * is, a key set to null goes back to its default, an object replaces the key's value (the
 * reminder's object has one required field, so merging it is replacing it).
 */
export interface SettingsPatch {
  optOutReminder?: { everyDays: number } | null;
}

/** The stored settings (only keys set away from their default) as answered. */
export function settingsResourceOf(settings: TenantSettings | undefined): SettingsResource {
  return { optOutReminder: settings?.optOutReminder ?? null };
}

/** The stored settings after a (validated) patch: keys reset to their default are left out. */
export function mergeSettingsPatch(current: TenantSettings, patch: SettingsPatch): TenantSettings {
  const merged: TenantSettings = { ...current };
  if (patch.optOutReminder === null) delete merged.optOutReminder;
  else if (patch.optOutReminder !== undefined) {
    merged.optOutReminder = { everyDays: patch.optOutReminder.everyDays };
  }
  return merged;
}
