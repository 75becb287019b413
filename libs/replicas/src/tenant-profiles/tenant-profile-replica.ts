import type {
  SenderNumberAdded,
  SenderNumberRemoved,
  TenantComplianceProfile,
  TenantComplianceProfileSet,
  TenantCreated,
  TenantSettings,
  TenantSettingsSet,
} from '@textplane/contracts';
import { unitOfWorkOf } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';

/** The gateway's tenant facts a replica folds, as they travel on `gateway.tenants.events.v1`. */
export type TenantFact =
  | { type: 'gateway.TenantCreated.v1'; data: TenantCreated }
  | { type: 'gateway.SenderNumberAdded.v1'; data: SenderNumberAdded }
  | { type: 'gateway.SenderNumberRemoved.v1'; data: SenderNumberRemoved }
  | { type: 'gateway.TenantComplianceProfileSet.v1'; data: TenantComplianceProfileSet }
  | { type: 'gateway.TenantSettingsSet.v1'; data: TenantSettingsSet };

const tenantFactTypes: ReadonlySet<string> = new Set<TenantFact['type']>([
  'gateway.TenantCreated.v1',
  'gateway.SenderNumberAdded.v1',
  'gateway.SenderNumberRemoved.v1',
  'gateway.TenantComplianceProfileSet.v1',
  'gateway.TenantSettingsSet.v1',
]);

export function isTenantFact(event: { type: string }): event is TenantFact {
  return tenantFactTypes.has(event.type);
}

/**
 * A fact about a tenant whose TenantCreated has not been consumed yet, or a lookup of such a
 * tenant: it fails so the event is retried (and at last dead-lettered), never dropped, since
 * dropping it would silently keep what the tenant replaced.
 */
export class UnknownTenantError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant ${tenantId} is not known here yet`);
    this.name = 'UnknownTenantError';
  }
}

/** One tenant of the replica. */
export interface TenantProfileRecord {
  readonly tenantId: string;
  readonly brandName: string;
  readonly timeZone: string;
  /** As the tenant set it; null when it set none (every default). */
  readonly compliance: TenantComplianceProfile | null;
  /**
   * The tenant's settings (`/v1/settings`) as it set them, {} for every default; kept with
   * `compliance` only, null where the replica does not keep them.
   */
  readonly settings: TenantSettings | null;
  /** Kept with `senders` only; null where the replica does not keep them. */
  readonly senders: { defaultSender: string; senderNumbers: readonly string[] } | null;
  readonly createdAt: string | null;
  /** When the latest fact that changed the profile happened. */
  readonly updatedAt: string;
}

/**
 * The projection of one tenant fact, pure. A fact other than TenantCreated for a tenant not known
 * yet throws UnknownTenantError. Sender numbers change only a record that keeps them.
 */
export function evolveTenantProfile(
  record: TenantProfileRecord | null,
  fact: TenantFact,
): TenantProfileRecord {
  if (fact.type === 'gateway.TenantCreated.v1') {
    const t = fact.data;
    // A created tenant seen again (a replay) keeps the numbers added since.
    const known = record?.senders?.senderNumbers ?? [];
    return {
      tenantId: t.tenantId,
      brandName: t.brandName,
      timeZone: t.timeZone,
      compliance: t.compliance ?? null,
      // A replayed TenantCreated keeps the settings set since.
      settings: record?.settings ?? {},
      senders: {
        defaultSender: t.defaultSender,
        senderNumbers: [...new Set([...known, ...t.senderNumbers])],
      },
      createdAt: record?.createdAt ?? t.createdAt,
      updatedAt: t.createdAt,
    };
  }
  if (!record) throw new UnknownTenantError(fact.data.tenantId);
  switch (fact.type) {
    case 'gateway.SenderNumberAdded.v1': {
      const { senders } = record;
      if (!senders || senders.senderNumbers.includes(fact.data.phoneNumber)) return record;
      return {
        ...record,
        senders: { ...senders, senderNumbers: [...senders.senderNumbers, fact.data.phoneNumber] },
      };
    }
    case 'gateway.SenderNumberRemoved.v1': {
      const { senders } = record;
      if (!senders) return record;
      return {
        ...record,
        senders: {
          ...senders,
          senderNumbers: senders.senderNumbers.filter((n) => n !== fact.data.phoneNumber),
        },
      };
    }
    case 'gateway.TenantComplianceProfileSet.v1': {
      // The whole profile is replaced; an empty one means every default again.
      const { compliance, setAt } = fact.data;
      return {
        ...record,
        compliance: Object.keys(compliance).length > 0 ? compliance : null,
        updatedAt: setAt,
      };
    }
    case 'gateway.TenantSettingsSet.v1': {
      // The whole settings object is replaced; keys left out take their defaults.
      const { settings, setAt } = fact.data;
      return { ...record, settings, updatedAt: setAt };
    }
  }
}

/**
 * What a service keeps of a tenant, in its `tenant_profiles` table:
 * - `compliance`: brand, zone, compliance profile and settings, and when they last changed
 *   (messaging's checks: brand for additions, zone and content policy, the opt-out reminder);
 * - `senders`: also the default sender and the sender numbers, and when the tenant was created
 *   (consent's replies in the tenant's name, from its numbers).
 */
export type TenantProfilesKept = 'compliance' | 'senders';

export interface TenantProfileReplicaOptions {
  keeps: TenantProfilesKept;
}

/** The table a service's migration creates for the replica it keeps. */
export function tenantProfilesTable(keeps: TenantProfilesKept): string {
  switch (keeps) {
    case 'compliance':
      return `CREATE TABLE tenant_profiles (
        tenant_id uuid PRIMARY KEY,
        brand_name text NOT NULL,
        time_zone text NOT NULL,
        compliance jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb
      )`;
    case 'senders':
      return `CREATE TABLE tenant_profiles (
        tenant_id uuid PRIMARY KEY,
        brand_name text NOT NULL,
        time_zone text NOT NULL,
        default_sender text NOT NULL,
        sender_numbers text[] NOT NULL,
        compliance jsonb,
        created_at timestamptz NOT NULL
      )`;
  }
}

interface TenantProfileRow {
  tenant_id: string;
  brand_name: string;
  time_zone: string;
  compliance: TenantComplianceProfile | null;
  settings?: TenantSettings;
  updated_at?: Date;
  default_sender?: string;
  sender_numbers?: string[];
  created_at?: Date;
}

/**
 * A service's replica of the gateway's tenants, folded from the tenant topic with
 * `evolveTenantProfile` inside the caller's transaction (see onceThroughInbox), so it can be
 * rebuilt by replaying the topic into an empty table.
 */
export class TenantProfileReplica {
  constructor(private readonly options: TenantProfileReplicaOptions) {}

  /** The effect of one consumed event, inside the caller's transaction. */
  async apply(event: { type: string; data: unknown }, manager: EntityManager): Promise<void> {
    if (!isTenantFact(event)) return;
    const fact = { type: event.type, data: event.data } as TenantFact;
    // Sender numbers are not this replica's to keep: not even a check that the tenant is known.
    if (this.options.keeps === 'compliance' && fact.type.startsWith('gateway.SenderNumber')) {
      return;
    }
    // Nor are the settings, where the replica keeps senders.
    if (this.options.keeps === 'senders' && fact.type === 'gateway.TenantSettingsSet.v1') return;
    const before = await this.read(manager, fact.data.tenantId, true);
    const after = evolveTenantProfile(before, fact);
    if (after !== before) await this.write(manager, after);
  }

  /** The tenant's profile, or null for a tenant not known yet. */
  profileOf(manager: EntityManager, tenantId: string): Promise<TenantProfileRecord | null> {
    return this.read(manager, tenantId, false);
  }

  /**
   * The tenant's profile; a tenant not known yet fails so the event is retried. Read once per
   * unit of work: a batch of one tenant's events costs one read.
   */
  require(manager: EntityManager, tenantId: string): Promise<TenantProfileRecord> {
    const unit = unitOfWorkOf(manager);
    const read = async () => {
      const record = await this.read(manager, tenantId, false);
      if (!record) throw new UnknownTenantError(tenantId);
      return record;
    };
    return unit ? unit.memo(`tenant-profile:${tenantId}`, read) : read();
  }

  private async read(
    manager: EntityManager,
    tenantId: string,
    forUpdate: boolean,
  ): Promise<TenantProfileRecord | null> {
    const columns =
      this.options.keeps === 'senders'
        ? 'tenant_id, brand_name, time_zone, compliance, default_sender, sender_numbers, created_at'
        : 'tenant_id, brand_name, time_zone, compliance, settings, updated_at';
    const rows = await manager.query<TenantProfileRow[]>(
      `SELECT ${columns} FROM tenant_profiles WHERE tenant_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    const createdAt = row.created_at?.toISOString() ?? null;
    return {
      tenantId: row.tenant_id,
      brandName: row.brand_name,
      timeZone: row.time_zone,
      // Stored as {} where the column cannot be null: the same "every default".
      compliance: row.compliance && Object.keys(row.compliance).length > 0 ? row.compliance : null,
      settings: row.settings ?? null,
      senders:
        row.default_sender !== undefined
          ? { defaultSender: row.default_sender, senderNumbers: row.sender_numbers ?? [] }
          : null,
      createdAt,
      updatedAt: row.updated_at?.toISOString() ?? createdAt ?? '',
    };
  }

  private async write(manager: EntityManager, record: TenantProfileRecord): Promise<void> {
    switch (this.options.keeps) {
      case 'compliance':
        await manager.query(
          `INSERT INTO tenant_profiles
             (tenant_id, brand_name, time_zone, compliance, updated_at, settings)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (tenant_id) DO UPDATE SET brand_name = EXCLUDED.brand_name,
             time_zone = EXCLUDED.time_zone, compliance = EXCLUDED.compliance,
             updated_at = EXCLUDED.updated_at, settings = EXCLUDED.settings`,
          [
            record.tenantId,
            record.brandName,
            record.timeZone,
            JSON.stringify(record.compliance ?? {}),
            record.updatedAt,
            JSON.stringify(record.settings ?? {}),
          ],
        );
        return;
      case 'senders':
        await manager.query(
          `INSERT INTO tenant_profiles
             (tenant_id, brand_name, time_zone, default_sender, sender_numbers, compliance, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id) DO UPDATE SET
             brand_name = EXCLUDED.brand_name, time_zone = EXCLUDED.time_zone,
             default_sender = EXCLUDED.default_sender, sender_numbers = EXCLUDED.sender_numbers,
             compliance = EXCLUDED.compliance`,
          [
            record.tenantId,
            record.brandName,
            record.timeZone,
            record.senders?.defaultSender ?? '',
            record.senders?.senderNumbers ?? [],
            record.compliance === null ? null : JSON.stringify(record.compliance),
            record.createdAt ?? record.updatedAt,
          ],
        );
        return;
    }
  }
}
